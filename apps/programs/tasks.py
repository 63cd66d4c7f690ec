from celery import shared_task

from apps.patients.models import Patient

from . import services


@shared_task(ignore_result=True, max_retries=3, default_retry_delay=30)
def auto_progression_check(patient_id: int) -> int:
    """After a log: apply any “ready to progress” for an opted-in patient, and tell both sides."""
    from apps.reminders.services import program_change_notify

    patient = Patient.objects.select_related("user").get(pk=patient_id)
    changes = services.auto_progression_run(patient=patient)
    for change in changes:
        program_change_notify(change=change)
    return len(changes)
