from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.common.services import require
from apps.patients.selectors import clinician_patients
from apps.programs.models import Program
from apps.reminders.models import Notification
from apps.reminders.services import notifications_send

# The email's whole message: the handout is behind the sign-in, so nothing about the program,
# the condition or the pain limit travels in the email.
HANDOUT_EMAIL_TITLE = "Your exercise program is ready to view and print"


def handout_email(*, clinician: User, program: Program) -> int:
    """Email the patient a link to their program's handout; 1 if an email is owed, else 0.

    One email per program per day at most (the notification's occurrence key): a second click
    does not send the patient the same link twice. A patient who turned emails off finds it in
    their notifications instead.
    """
    require(
        clinician_patients(clinician).filter(pk=program.patient_id).exists(),
        "You are not on this patient's care team.",
    )
    require(program.status == Program.Status.ACTIVE, "This program has ended.")
    day = timezone.localdate()
    return notifications_send(
        recipients=[
            (
                program.patient.user,
                HANDOUT_EMAIL_TITLE,
                reverse("handouts:page", args=[program.pk]),
            )
        ],
        kind=Notification.Kind.PROGRAM_CHANGE,
        occurrence=f"handout-{program.pk}-{day.isoformat()}",
        patient=program.patient,
    )
