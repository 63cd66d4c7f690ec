"""Telling the care team and the patient: alerts after a session, program changes."""

import logging
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from apps.programs.models import Program, ProgressionChange
from apps.review.models import PatientStatus
from apps.review.rules import alert_reasons
from apps.review.services import statuses_refresh

from .. import selectors
from ..models import Notification
from .delivery import notifications_send

logger = logging.getLogger(__name__)


def clinician_alert_check(*, workout_id: int, now: datetime | None = None) -> int:
    """Tell the care team about a session that needs attention, once per workout and clinician.

    Runs after a workout is logged and again after its 24-hour rating: one occurrence key per
    workout means a session that turns red the next morning alerts once, not twice. Whether it
    alerts is the patient's status's call (apps/review/rules.py), refreshed here in full first:
    the rule's advice is the one part the workout write leaves to this check.
    """
    now = now or timezone.now()
    workout = selectors.workout_with_team(workout_id)
    statuses_refresh([workout.patient_id], now=now)
    status = PatientStatus.objects.get(patient_id=workout.patient_id)
    reasons = alert_reasons(
        status.reason_list, workout_id=workout.pk, light=workout.light, flare=status.flare
    )
    if not reasons:
        return 0
    link = reverse("patients:detail", args=[workout.patient_id])
    created = notifications_send(
        recipients=[
            (clinician, "A patient of yours may need attention", link)
            for clinician in workout.patient.care_team.all()
        ],
        kind=Notification.Kind.CLINICIAN_ALERT,
        occurrence=f"workout-{workout.pk}",
        patient=workout.patient,
    )
    # Ids only: the reasons quote pain ratings, which belong in the record, not in logs.
    logger.info("Alert for workout %s: %s clinician emails queued", workout.pk, created)
    return created


def program_end_notify(*, program: Program) -> int:
    """Tell the patient their program ended (the reason is in the app, not in the email)."""
    return notifications_send(
        recipients=[
            (program.patient.user, "Your exercise program has ended", reverse("painlogs:today"))
        ],
        kind=Notification.Kind.PROGRAM_CHANGE,
        occurrence=f"end-{program.pk}",
        patient=program.patient,
    )


def program_change_notify(*, change: ProgressionChange) -> int:
    """Tell the patient and the care team that a program moved a level, once per change."""
    patient = change.prescribed.program.patient
    recipients = [(patient.user, "Your exercise program has changed", reverse("painlogs:today"))]
    recipients += [
        (
            clinician,
            "A patient's program was progressed automatically",
            reverse("patients:detail", args=[patient.pk]),
        )
        for clinician in patient.care_team.all()
    ]
    return notifications_send(
        recipients=recipients,
        kind=Notification.Kind.PROGRAM_CHANGE,
        occurrence=f"change-{change.pk}",
        patient=patient,
    )
