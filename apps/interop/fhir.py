"""Greenlight's record as FHIR R4 resources (docs/fhir.md has the mapping table).

Pure functions on model instances already loaded (apps/interop/selectors.py loads them): no
queries, no clock. Every resource gets an id made from Greenlight's primary key, and a fullUrl
``urn:uuid:`` derived from the installation's address and that id, so the same record exported
twice has the same ids, and two installations never share one.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

from apps.accounts.models import Clinic
from apps.outcomes.instruments import INSTRUMENTS
from apps.outcomes.models import QuestionnaireResponse
from apps.painlogs.models import Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program

Resource = dict[str, Any]

# Fixed for ever: changing it would change every exported id.
NAMESPACE = UUID("5b0e7f4e-6a53-4f0e-9d1c-2a7c3f1e8b42")
GREENLIGHT = "https://greenlight.example.org/fhir"
PAIN_TIMING_SYSTEM = f"{GREENLIGHT}/CodeSystem/pain-timing"
SCORE_SYSTEM = f"{GREENLIGHT}/CodeSystem/outcome-score"
LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
UCUM = "http://unitsofmeasure.org"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}


@dataclass(frozen=True)
class Ids:
    """Where the record comes from: ``site`` is the installation's address (SITE_URL)."""

    site: str

    def full_url(self, resource_type: str, resource_id: str) -> str:
        name = f"{self.site.rstrip('/')}/{resource_type}/{resource_id}"
        return f"urn:uuid:{uuid5(NAMESPACE, name)}"

    def ref(self, resource: Resource) -> dict[str, str]:
        return {"reference": self.full_url(resource["resourceType"], resource["id"])}

    def ref_to(self, resource_type: str, resource_id: str) -> dict[str, str]:
        return {"reference": self.full_url(resource_type, resource_id)}

    def patient_id_system(self) -> str:
        # The collection the id is valid in: the patient is /api/v1/patients/<value>/ there.
        return f"{self.site.rstrip('/')}/api/v1/patients"


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def patient_id(patient_pk: int) -> str:
    return f"patient-{patient_pk}"


def program_id(program_pk: int) -> str:
    return f"program-{program_pk}"


def organization(clinic: Clinic) -> Resource:
    return {"resourceType": "Organization", "id": f"clinic-{clinic.pk}", "name": clinic.name}


def patient_resource(patient: Patient, ids: Ids) -> Resource:
    """Who the record is about, and no more than a receiving system needs to match them: the
    login email, time zone and reminder settings stay in Greenlight; gender is not collected."""
    return {
        "resourceType": "Patient",
        "id": patient_id(patient.pk),
        "identifier": [
            {"use": "secondary", "system": ids.patient_id_system(), "value": str(patient.pk)}
        ],
        "name": [{"text": patient.user.full_name}],
        "birthDate": patient.date_of_birth.isoformat(),
        "managingOrganization": ids.ref_to("Organization", f"clinic-{patient.clinic_id}"),
    }


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
        period["end"] = _instant(program.ended_at)
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
        "effectiveDateTime": _instant(at),
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


def _answer(item: Resource, value: Any) -> Resource:
    kind = item.get("type")
    if kind in ("string", "text"):
        return {"valueString": str(value)}
    if kind == "choice":
        for option in item.get("answerOption", []):
            coding = option.get("valueCoding", {})
            if coding.get("code") == str(int(value)):
                return {
                    "valueCoding": {
                        k: coding[k] for k in ("system", "code", "display") if k in coding
                    }
                }
    if isinstance(value, float) and not value.is_integer():
        return {"valueDecimal": value}
    if kind == "decimal":
        return {"valueDecimal": float(value)}
    return {"valueInteger": int(value)}


def _answered(value: Any) -> bool:
    return value is not None and value != ""


def response_items(items: Iterable[Resource], answers: dict[str, Any]) -> list[Resource]:
    """The definition's items that hold an answer, in its order and groups; wording is left to
    the Questionnaire (a licensed instrument's text is the clinic's licence, not ours to send)."""
    found = []
    for item in items:
        link = item["linkId"]
        if item.get("type") == "group":
            children = response_items(item.get("item", []), answers)
            if children:
                found.append({"linkId": link, "item": children})
        elif _answered(answers.get(link)):
            found.append({"linkId": link, "answer": [_answer(item, answers[link])]})
    return found


def response_id(response: QuestionnaireResponse) -> str:
    return f"response-{response.pk}"


def questionnaire_response(response: QuestionnaireResponse, ids: Ids) -> Resource:
    questionnaire = response.questionnaire
    definition = questionnaire.definition
    completed = response.status == QuestionnaireResponse.Status.COMPLETED
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id(response),
        "questionnaire": f"{definition.get('url')}|{questionnaire.version}",
        "status": "completed" if completed else "in-progress",
        "subject": ids.ref_to("Patient", patient_id(response.patient_id)),
        "source": ids.ref_to("Patient", patient_id(response.patient_id)),
    }
    authored = response.completed_at or response.started_at
    if authored:
        resource["authored"] = _instant(authored)
    if response.program_id:
        resource["basedOn"] = [ids.ref_to("CarePlan", program_id(response.program_id))]
    items = response_items(definition.get("item", []), response.answers)
    if items:
        resource["item"] = items
    return resource


def _subscale_title(code: str, subscale: str) -> str:
    spec = INSTRUMENTS.get(code)
    titles = {s.code: s.title for s in spec.subscales} if spec else {}
    return titles.get(subscale, subscale.capitalize())


def score_observations(response: QuestionnaireResponse, ids: Ids) -> list[Resource]:
    """One Observation per scored subscale of a completed response; an unscored subscale (too
    few answers) has no value to send and is left out."""
    if response.status != QuestionnaireResponse.Status.COMPLETED or response.completed_at is None:
        return []
    code = response.questionnaire.code
    instrument = INSTRUMENTS[code].title if code in INSTRUMENTS else response.questionnaire.title
    found = []
    for subscale, value in response.scores.items():
        if value is None:
            continue
        text = f"{instrument} {_subscale_title(code, subscale)}"
        resource: Resource = {
            "resourceType": "Observation",
            "id": f"{response_id(response)}-{subscale}",
            "status": "final",
            "category": [SURVEY],
            "code": {
                "coding": [{"system": SCORE_SYSTEM, "code": f"{code}/{subscale}", "display": text}],
                "text": text,
            },
            "subject": ids.ref_to("Patient", patient_id(response.patient_id)),
            "effectiveDateTime": _instant(response.completed_at),
            "valueQuantity": {
                "value": round(float(value), 2),
                "unit": "score",
                "system": UCUM,
                "code": "{score}",
            },
            "derivedFrom": [ids.ref_to("QuestionnaireResponse", response_id(response))],
        }
        if response.program_id:
            resource["basedOn"] = [ids.ref_to("CarePlan", program_id(response.program_id))]
        found.append(resource)
    return found


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
        "timestamp": _instant(now),
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
