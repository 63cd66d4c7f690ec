"""Greenlight's record as FHIR R4 resources (docs/fhir.md has the mapping table).

Pure functions on model instances already loaded (apps/interop/selectors.py loads them): no
queries, no clock. Every resource gets an id made from Greenlight's primary key, and a fullUrl
``urn:uuid:`` derived from the installation's address and that id, so the same record exported
twice has the same ids, and two installations never share one.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apps.outcomes.models import QuestionnaireResponse
from apps.painlogs.models import Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program

from .base import PAIN_LOINC, Ids, Resource, instant
from .careplan import careplan
from .pain import pain_observations
from .patient import organization, patient_resource
from .questionnaires import questionnaire_response, score_observations

__all__ = ["PAIN_LOINC", "Ids", "PatientRecord", "bundle", "references", "unresolved"]


@dataclass(frozen=True)
class PatientRecord:
    """What the bundle is made of, loaded by apps/interop/selectors.patient_record."""

    patient: Patient
    programs: Sequence[Program]
    items: Mapping[int, Sequence[PrescribedExercise]]  # by program id, ended ones included
    workouts: Sequence[Workout]
    responses: Sequence[QuestionnaireResponse]


def resources(record: PatientRecord, ids: Ids) -> Iterator[Resource]:
    yield patient_resource(record.patient, ids)
    yield organization(record.patient.clinic)
    for program in record.programs:
        yield careplan(program, record.items.get(program.pk, []), ids)
    for workout in record.workouts:
        yield from pain_observations(workout, ids)
    for response in record.responses:
        yield questionnaire_response(response, ids)
        yield from score_observations(response, ids)


def bundle(record: PatientRecord, ids: Ids, *, now: datetime) -> Resource:
    """The patient's record as a ``collection``: a set of resources with no more meaning than
    belonging together. Not a ``document`` (that needs a signed-off Composition first), nor a
    ``searchset`` (the answer to a search, which this is not)."""
    return {
        "resourceType": "Bundle",
        "id": f"patient-{record.patient.pk}-record",
        "type": "collection",
        "timestamp": instant(now),
        "entry": [
            {"fullUrl": ids.full_url(r["resourceType"], r["id"]), "resource": r}
            for r in resources(record, ids)
        ],
    }


def references(node: Any) -> Iterator[str]:
    """Every ``reference`` string anywhere in a resource or bundle."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def unresolved(bundle_json: Resource) -> set[str]:
    """References that name no entry of the bundle (empty when the bundle stands on its own)."""
    known = {entry["fullUrl"] for entry in bundle_json.get("entry", [])}
    return set(references(bundle_json)) - known
