from celery import shared_task
from django.db import InterfaceError, OperationalError

from apps.history.context import worker_context

from . import services


@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    default_retry_delay=30,
)
@worker_context
def auto_progression_check(patient_id: int) -> int:
    """Kept for messages queued before the outbox existed; new checks are reminders Job rows."""
    return services.auto_progression_check(patient_id=patient_id)
