"""The FHIR endpoints: a patient's Bundle for those who may see the patient, the questionnaire
definitions for the clinics that may use them, served as FHIR JSON and logged as reads."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEvent
from apps.interop.fhir import unresolved
from apps.outcomes.models import Questionnaire
from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import (
    questionnaire_import,
    response_answer,
    response_complete,
    response_open,
)
from tests.api.clients import as_user
from tests.conftest import client_for
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db
fhir_r4b = pytest.importorskip("fhir.resources.R4B")


def _fhir(response) -> dict:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/fhir+json"
    return json.loads(response.content)


@pytest.fixture
def session(patient, program):
    return logged_session(patient, program.items.first(), days_ago=2, set_values=[10], pain=3)


def test_the_care_team_gets_the_patient_s_bundle(clinician, patient, session):
    document = _fhir(as_user(clinician).get(f"/api/v1/patients/{patient.pk}/fhir/"))

    fhir_r4b.get_fhir_model_class("Bundle").model_validate(document)
    assert unresolved(document) == set()
    values = {e["resource"]["id"]: e["resource"].get("valueInteger") for e in document["entry"]}
    assert values[f"workout-{session.pk}-during"] == 3


def test_the_patient_may_export_their_own_record(patient, session):
    document = _fhir(as_user(patient.user).get(f"/api/v1/patients/{patient.pk}/fhir/"))

    assert document["entry"][0]["resource"]["name"] == [{"text": patient.user.full_name}]


@pytest.mark.parametrize("who", ["other_clinic_clinician", "colleague", "other_patient"])
def test_anyone_else_gets_a_404(who, patient, session, request):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)

    response = as_user(user).get(f"/api/v1/patients/{patient.pk}/fhir/")

    assert response.status_code == 404
    assert b"Pat Quennell" not in response.content


def test_an_export_is_logged_as_a_read_of_the_patient(clinician, patient, session):
    client_for(clinician).get(f"/api/v1/patients/{patient.pk}/fhir/")

    rows = list(AuditEvent.objects.filter(kind="access"))
    assert [(r.user_id, r.patient_ids, r.route) for r in rows] == [
        (clinician.pk, [patient.pk], "api:patient-fhir")
    ]


def test_json_may_be_asked_for_and_nothing_else(clinician, patient):
    api = as_user(clinician)
    url = f"/api/v1/patients/{patient.pk}/fhir/"

    assert _fhir(api.get(url, {"_format": "json"}))["resourceType"] == "Bundle"
    assert _fhir(api.get(url, HTTP_ACCEPT="application/fhir+json"))["type"] == "collection"
    plain = api.get(url, HTTP_ACCEPT="application/json")
    assert plain["Content-Type"] == "application/json"
    assert api.get(url, {"_format": "xml"}).status_code == 406


def test_a_shipped_questionnaire_is_served_as_a_fhir_questionnaire(patient):
    psfs = Questionnaire.objects.get(clinic=None, code="psfs")

    document = _fhir(as_user(patient.user).get(f"/api/v1/fhir/Questionnaire/{psfs.pk}"))

    fhir_r4b.get_fhir_model_class("Questionnaire").model_validate(document)
    assert document["id"] == str(psfs.pk)
    assert document["url"] == psfs.definition["url"]


def test_a_clinic_s_imported_copy_is_its_own(clinic, clinician, other_clinic_clinician):
    shipped = Questionnaire.objects.get(clinic=None, code="hoos-12")
    worded = json.loads(json.dumps(shipped.definition).replace("[Wording not shipped", "[Ours"))
    own = questionnaire_import(text=json.dumps(worded), clinic=clinic)
    url = f"/api/v1/fhir/Questionnaire/{own.pk}"

    assert _fhir(as_user(clinician).get(url))["title"] == own.title
    refused = as_user(other_clinic_clinician).get(url)
    assert refused.status_code == 404
    assert b"[Ours" not in refused.content


def test_the_definitions_need_a_signed_in_user(client):
    psfs = Questionnaire.objects.get(clinic=None, code="psfs")

    assert client.get(f"/api/v1/fhir/Questionnaire/{psfs.pk}").status_code == 401


def test_an_error_is_plain_json_not_passed_off_as_fhir(clinician):
    response = as_user(clinician).get("/api/v1/fhir/Questionnaire/0")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def _queries(client, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        document = _fhir(client.get(url))
    return len(captured), document


def test_the_endpoint_costs_the_same_for_a_short_or_a_long_record(clinician, patient, program):
    api, url = as_user(clinician), f"/api/v1/patients/{patient.pk}/fhir/"
    item = program.items.first()
    logged_session(patient, item, days_ago=8, set_values=[10])
    small, short = _queries(api, url)

    # when six more sessions and two sent questionnaires join the record
    for days in range(1, 7):
        logged_session(patient, item, days_ago=days, set_values=[10])
    for code, answers in [("hip-rating", {"hip-rating": 70}), ("grc", {"grc": 3})]:
        questionnaire = questionnaire_for(clinic=patient.clinic, code=code)
        response = response_open(
            patient=patient, questionnaire=questionnaire, due_date=date(2026, 11, 2)
        )
        response_answer(user=patient.user, response=response, answers=answers)
        response_complete(user=patient.user, response=response)
    large, long = _queries(api, url)

    assert len(long["entry"]) > len(short["entry"]) + 12
    assert large == small, f"{small} queries for a short record, {large} for a long one"
