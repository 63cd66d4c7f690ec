"""Telling the care team and the patient: alerts after a session, program changes."""

import logging
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from apps.painlogs.rules import alert_reasons, baseline

from .. import selectors
from ..models import Notification
from .delivery import notifications_send

logger = logging.getLogger(__name__)

ALERT_BASELINE_DAYS = 14


def clinician_alert_check(*, workout_id: int, now: datetime | None = None) -> int:
    """Tell the care team about a session that needs attention, once per workout and clinician.

    Runs after a workout is logged and again after its 24-hour rating: one occurrence key per
    workout means a session that turns red the next morning alerts once, not twice.
    """
    now = now or timezone.now()
    workout = selectors.workout_with_team(workout_id)
    reasons = alert_reasons(
        light=workout.light,
        followup_pain=workout.followup_pain,
        recent_baseline=baseline(selectors.recent_followups(workout, days=ALERT_BASELINE_DAYS)),
        reds_last_7_days=selectors.reds_since(workout.patient_id, now - timedelta(days=7)),
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


def program_change_notify(*, change) -> int:
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
