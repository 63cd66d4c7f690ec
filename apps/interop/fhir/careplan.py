"""A program as a CarePlan, its prescribed exercises as activities with their doses."""

from collections.abc import Iterable
from typing import Any

from apps.programs.models import PrescribedExercise, Program

from .base import UCUM, Ids, Resource, instant, patient_id, program_id


def careplan_status(program: Program) -> str:
    if program.status == Program.Status.ACTIVE:
        return "active"
    # A program is ended by a clinician (with a reason) or replaced by the next one assigned;
    # FHIR's "revoked" is a plan terminated early, "though it may have been replaced".
    return "completed" if program.ended_by_id else "revoked"


def activity_status(program: Program, item: PrescribedExercise) -> str:
    if item.ended_at is not None:
        return "stopped"
    return {"active": "in-progress", "completed": "completed"}.get(
        careplan_status(program), "stopped"
    )


def _timing(program: Program, item: PrescribedExercise) -> Resource:
    repeat: dict[str, Any] = {
        "frequency": program.sessions_per_week,
        "period": 1,
        "periodUnit": "wk",
    }
    # A hold's seconds and a run's minutes are a duration; a rep range has no FHIR element and
    # stays in the description.
    unit = {"hold": "s", "duration": "min"}.get(item.dose_kind)
    if unit:
        repeat.update(duration=item.target_low, durationMax=item.target_high, durationUnit=unit)
    return {"repeat": repeat}


def activity(program: Program, item: PrescribedExercise) -> Resource:
    detail: dict[str, Any] = {
        "code": {"text": item.exercise.name},
        "status": activity_status(program, item),
        "description": item.dose_text,
        "scheduledTiming": _timing(program, item),
    }
    if item.dose_kind != "duration":
        detail["quantity"] = {"value": item.sets, "unit": "sets", "system": UCUM, "code": "{sets}"}
    return {"detail": detail}


def careplan(program: Program, items: Iterable[PrescribedExercise], ids: Ids) -> Resource:
    period = {"start": program.start_date.isoformat()}
    if program.ended_at:
        period["end"] = instant(program.ended_at)
    resource: Resource = {
        "resourceType": "CarePlan",
        "id": program_id(program.pk),
        "status": careplan_status(program),
        "intent": "plan",
        "title": program.name,
        "subject": ids.ref_to("Patient", patient_id(program.patient_id)),
        "period": period,
        "activity": [activity(program, item) for item in items],
    }
    if not resource["activity"]:
        del resource["activity"]
    if program.end_reason:
        resource["note"] = [{"text": f"Ended: {program.end_reason}"}]
    return resource
