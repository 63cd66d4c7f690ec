"""A patient's record as a FHIR R4 Bundle: valid resources, references that resolve inside it,
pain and scores where a receiving system looks for them, the same ids every time."""

import copy
import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.interop.fhir import PAIN_LOINC, Ids, bundle, unresolved
from apps.interop.fhir.questionnaires import response_items
from apps.interop.selectors import patient_record
from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import response_answer, response_complete, response_open
from apps.patients.models import Patient
from apps.programs.services import ItemInput, program_assign, program_end
from tests.factories import library_exercise
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db
fhir_r4b = pytest.importorskip("fhir.resources.R4B")
IDS = Ids(site="https://greenlight.test")


def validate(document: dict) -> None:
    """The Bundle, and each entry as the resource type it says it is, per fhir.resources R4B."""
    fhir_r4b.get_fhir_model_class("Bundle").model_validate(document)
    for entry in document["entry"]:
        resource = entry["resource"]
        fhir_r4b.get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def export(user, patient) -> dict:
    record = patient_record(user=user, patient_pk=patient.pk)
    assert record is not None
    return bundle(record, IDS, now=timezone.now())


def by_id(document: dict) -> dict[str, dict]:
    return {e["resource"]["id"]: e["resource"] for e in document["entry"]}


def answered(patient, code: str, answers: dict, *, day: date):
    questionnaire = questionnaire_for(clinic=patient.clinic, code=code)
    response = response_open(patient=patient, questionnaire=questionnaire, due_date=day)
    response_answer(user=patient.user, response=response, answers=answers)
    return response_complete(user=patient.user, response=response)


PSFS_ANSWERS = {
    "activity-name-1": "Running uphill",
    "activity-rating-1": 4,
    "activity-name-2": "Sitting through a film",
    "activity-rating-2": 7,
}


@pytest.fixture
def record(patient, program):
    """Two sessions (one rated 24 hours after), a hip rating and a PSFS sent."""
    item = program.items.first()
    rated = logged_session(patient, item, days_ago=3, set_values=[10, 10, 10], pain=2, after=4)
    unrated = logged_session(patient, item, days_ago=1, set_values=[8], pain=1, after=None)
    rated.refresh_from_db()  # for its 24-hour rating
    hip = answered(patient, "hip-rating", {"hip-rating": 65}, day=date(2026, 11, 2))
    psfs = answered(patient, "psfs", PSFS_ANSWERS, day=date(2026, 11, 2))
    return {"rated": rated, "unrated": unrated, "hip": hip, "psfs": psfs}


def test_every_resource_validates_as_fhir_r4(clinician, patient, record):
    document = export(clinician, patient)

    validate(document)
    kinds = sorted(e["resource"]["resourceType"] for e in document["entry"])
    # 3 pain ratings, 2 responses, their 2 scores, the patient, the clinic, the program
    assert kinds == sorted(
        ["Patient", "Organization", "CarePlan"]
        + ["Observation"] * 5
        + ["QuestionnaireResponse"] * 2
    )
    assert document["type"] == "collection"


def test_every_reference_resolves_inside_the_bundle(clinician, patient, record):
    document = export(clinician, patient)

    assert unresolved(document) == set()
    assert len({e["fullUrl"] for e in document["entry"]}) == len(document["entry"])


def test_the_reference_check_catches_a_reference_to_nothing(clinician, patient, record):
    broken = copy.deepcopy(export(clinician, patient))
    pain = next(e for e in broken["entry"] if e["resource"]["id"].endswith("-during"))
    # nested a few levels down, as a reference inside a list of a list would be
    pain["resource"]["basedOn"] = [{"reference": "urn:uuid:00000000-0000-0000-0000-000000000000"}]

    assert unresolved(broken) == {"urn:uuid:00000000-0000-0000-0000-000000000000"}


def test_the_same_record_exported_twice_has_the_same_ids(clinician, patient, record):
    first, again = export(clinician, patient), export(clinician, patient)

    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in again["entry"]]
    assert first["entry"] == again["entry"]
    other_site = bundle(
        patient_record(user=clinician, patient_pk=patient.pk),
        Ids("https://x.test"),
        now=timezone.now(),
    )
    assert first["entry"][0]["fullUrl"] != other_site["entry"][0]["fullUrl"]


def test_pain_is_loinc_72514_3_during_and_24_hours_after(clinician, patient, record):
    resources = by_id(export(clinician, patient))
    rated, unrated = record["rated"], record["unrated"]

    during = resources[f"workout-{rated.pk}-during"]
    after = resources[f"workout-{rated.pk}-24h"]
    assert during["code"]["coding"][0]["code"] == after["code"]["coding"][0]["code"] == PAIN_LOINC
    assert (during["valueInteger"], after["valueInteger"]) == (2, 4)
    assert during["effectiveDateTime"] == rated.performed_at.isoformat(timespec="seconds")
    assert after["effectiveDateTime"] == rated.followup_at.isoformat(timespec="seconds")
    assert (during["method"]["text"], after["method"]["text"]) == (
        "During the session",
        "24 hours after the session",
    )
    assert during["category"][0]["coding"][0]["code"] == "survey"
    # a session not yet rated 24 hours later has only its rating during
    assert f"workout-{unrated.pk}-during" in resources
    assert f"workout-{unrated.pk}-24h" not in resources


def test_the_program_is_a_careplan_with_its_exercises_and_doses(clinician, patient, program):
    ended = program.items.last()
    ended.ended_at = timezone.now()
    ended.save()
    resources = by_id(export(clinician, patient))

    plan = resources[f"program-{program.pk}"]
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    assert plan["period"] == {"start": program.start_date.isoformat()}
    details = [a["detail"] for a in plan["activity"]]
    assert [(d["code"]["text"], d["status"], d["description"]) for d in details] == [
        (i.exercise.name, "stopped" if i == ended else "in-progress", i.dose_text)
        for i in program.items(manager="with_ended").order_by("order", "pk")
    ]
    assert details[0]["quantity"]["value"] == 3
    assert details[0]["scheduledTiming"]["repeat"]["frequency"] == program.sessions_per_week
    hold = next(d for d in details if "hold" in d["description"])
    assert hold["scheduledTiming"]["repeat"]["durationUnit"] == "s"


def test_an_ended_program_is_completed_with_its_end(clinician, patient, program):
    program_end(clinician=clinician, program=program, reason="Discharged: back to running")
    plan = by_id(export(clinician, patient))[f"program-{program.pk}"]

    program.refresh_from_db()
    assert plan["status"] == "completed"
    assert plan["period"]["end"] == program.ended_at.isoformat(timespec="seconds")
    assert plan["note"] == [{"text": "Ended: Discharged: back to running"}]
    assert {a["detail"]["status"] for a in plan["activity"]} == {"completed"}


def test_a_program_replaced_by_a_new_one_is_revoked(clinician, patient, program):
    program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate(),
        review_date=timezone.localdate() + timedelta(days=28),
        items=[ItemInput(exercise=library_exercise("side-plank-full"))],
    )
    plan = by_id(export(clinician, patient))[f"program-{program.pk}"]

    assert plan["status"] == "revoked"
    assert {a["detail"]["status"] for a in plan["activity"]} == {"stopped"}


def test_each_answer_takes_the_type_its_item_asks_for():
    items = [
        {"linkId": "g", "type": "group", "item": [
            {"linkId": "slider", "type": "integer"},
            {"linkId": "whole", "type": "integer"},
            {"linkId": "unanswered", "type": "integer"},
        ]},
        {"linkId": "choice", "type": "choice", "answerOption": [
            {"valueCoding": {"system": "urn:s", "code": "1", "display": "Some"}},
        ]},
        {"linkId": "empty-group", "type": "group", "item": [{"linkId": "x", "type": "string"}]},
    ]  # fmt: skip
    answers = {"slider": 55.5, "whole": 60.0, "choice": 1, "x": "", "unanswered": None}

    assert response_items(items, answers) == [
        {"linkId": "g", "item": [
            {"linkId": "slider", "answer": [{"valueDecimal": 55.5}]},
            {"linkId": "whole", "answer": [{"valueInteger": 60}]},
        ]},
        {"linkId": "choice", "answer": [
            {"valueCoding": {"system": "urn:s", "code": "1", "display": "Some"}}
        ]},
    ]  # fmt: skip


def test_answers_and_scores_carry_the_questionnaire_and_derive_from_the_response(
    clinician, patient, record
):
    resources = by_id(export(clinician, patient))
    psfs = record["psfs"]

    response = resources[f"response-{psfs.pk}"]
    assert (
        response["questionnaire"]
        == f"{psfs.questionnaire.definition['url']}|{psfs.questionnaire.version}"
    )
    assert response["status"] == "completed"
    assert response["authored"] == psfs.completed_at.isoformat(timespec="seconds")
    first = response["item"][0]
    assert first["linkId"] == "activity-1"
    assert first["item"] == [
        {"linkId": "activity-name-1", "answer": [{"valueString": "Running uphill"}]},
        {"linkId": "activity-rating-1", "answer": [{"valueInteger": 4}]},
    ]

    score = resources[f"response-{psfs.pk}-mean"]
    assert score["valueQuantity"]["value"] == 5.5
    assert score["code"]["text"] == "Patient-Specific Functional Scale Mean of the rated activities"
    assert score["derivedFrom"] == [IDS.ref(response)]
    assert score["effectiveDateTime"] == response["authored"]
    hip = resources[f"response-{record['hip'].pk}-rating"]
    assert hip["valueQuantity"]["value"] == 65


def test_a_questionnaire_begun_but_not_sent_is_in_progress_without_scores(clinician, patient):
    questionnaire = questionnaire_for(clinic=patient.clinic, code="grc")
    response = response_open(
        patient=patient, questionnaire=questionnaire, due_date=date(2026, 11, 2)
    )
    response_answer(user=patient.user, response=response, answers={"grc": -2})
    document = export(clinician, patient)
    resources = by_id(document)

    validate(document)
    began = resources[f"response-{response.pk}"]
    assert began["status"] == "in-progress"
    assert began["item"][0]["answer"][0]["valueCoding"]["code"] == "-2"
    assert not [key for key in resources if key.startswith(f"response-{response.pk}-")]


def test_the_record_loads_in_the_same_queries_however_many_sessions(
    clinician, patient, program, django_assert_num_queries
):
    item = program.items.first()
    logged_session(patient, item, days_ago=5, set_values=[10])
    with django_assert_num_queries(5):
        patient_record(user=clinician, patient_pk=patient.pk)

    for days in range(1, 5):
        logged_session(patient, item, days_ago=days, set_values=[10])
    answered(patient, "hip-rating", {"hip-rating": 70}, day=date(2026, 11, 2))
    with django_assert_num_queries(5):
        record = patient_record(user=clinician, patient_pk=patient.pk)
    assert len(record.workouts) == 5


def test_a_stranger_gets_no_record(other_clinic_clinician, colleague, patient, program):
    assert patient_record(user=other_clinic_clinician, patient_pk=patient.pk) is None
    # a clinician of the same clinic but not on the care team
    assert patient_record(user=colleague, patient_pk=patient.pk) is None


def test_each_demo_patient_s_bundle_validates_and_stands_on_its_own(clinic):
    call_command("seed_demo", stdout=io.StringIO())
    demo = list(Patient.objects.filter(user__email__endswith="@demo.greenlight.test"))
    # the answered questionnaires this test adds itself, whatever the demo data holds
    answered(
        demo[0], "hip-rating", {"hip-rating": 55}, day=timezone.localdate() - timedelta(days=1)
    )
    answered(demo[0], "psfs", PSFS_ANSWERS, day=timezone.localdate())

    assert len(demo) >= 3
    for patient in demo:
        clinician = patient.care_team.first()
        document = export(clinician, patient)
        validate(document)
        assert unresolved(document) == set(), patient
        kinds = {e["resource"]["resourceType"] for e in document["entry"]}
        assert {"Patient", "CarePlan", "Observation"} <= kinds
    assert "QuestionnaireResponse" in {
        e["resource"]["resourceType"] for e in export(demo[0].care_team.first(), demo[0])["entry"]
    }
