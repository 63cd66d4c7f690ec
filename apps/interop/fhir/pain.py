"""A session's pain ratings as Observations (LOINC 72514-3), during and 24 hours after."""

from datetime import datetime

from apps.painlogs.models import Workout

from .base import (
    LOINC,
    PAIN_DISPLAY,
    PAIN_LOINC,
    PAIN_TIMING_SYSTEM,
    SURVEY,
    Ids,
    Resource,
    instant,
    patient_id,
    program_id,
)


def _pain(workout: Workout, ids: Ids, *, timing: str, value: int, at: datetime) -> Resource:
    label = {"during": "During the session", "24h": "24 hours after the session"}[timing]
    resource: Resource = {
        "resourceType": "Observation",
        "id": f"workout-{workout.pk}-{timing}",
        "status": "final",
        "category": [SURVEY],
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_LOINC, "display": PAIN_DISPLAY}],
            "text": "Hip pain (0-10)",
        },
        "subject": ids.ref_to("Patient", patient_id(workout.patient_id)),
        "effectiveDateTime": instant(at),
        "valueInteger": value,
        # When the pain was rated is what tells the two apart; LOINC has one code for both.
        "method": {
            "coding": [{"system": PAIN_TIMING_SYSTEM, "code": timing, "display": label}],
            "text": label,
        },
    }
    if workout.program_id:
        resource["basedOn"] = [ids.ref_to("CarePlan", program_id(workout.program_id))]
    return resource


def pain_observations(workout: Workout, ids: Ids) -> list[Resource]:
    """The pain during the session, and 24 hours after once the patient has rated it."""
    found = [
        _pain(workout, ids, timing="during", value=workout.pain_during, at=workout.performed_at)
    ]
    if workout.followup_pain is not None and workout.followup_at is not None:
        during = found[0]
        after = _pain(
            workout, ids, timing="24h", value=workout.followup_pain, at=workout.followup_at
        )
        after["derivedFrom"] = [ids.ref(during)]
        found.append(after)
    return found
