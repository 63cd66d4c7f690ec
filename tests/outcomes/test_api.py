"""Questionnaires through the API: schedules by the care team, answers by the patient alone."""

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.outcomes.models import QuestionnaireResponse
from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import response_open

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    _, token = AuthToken.objects.create(user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def psfs(patient):
    return response_open(
        patient=patient,
        questionnaire=questionnaire_for(clinic=patient.clinic, code="psfs"),
        due_date=timezone.localdate(),
    )


def test_only_questionnaires_with_wording_are_offered(patient):
    codes = {q["code"] for q in _api(patient.user).get("/api/v1/questionnaires/").json()}
    assert codes == {"psfs", "hip-rating", "grc"}


def test_a_patient_answers_in_parts_then_sends(patient, psfs):
    api, url = _api(patient.user), f"/api/v1/questionnaire-responses/{psfs.pk}/"
    answers = {"activity-name-1": "Running", "activity-rating-1": 4}
    first = api.patch(url, {"answers": answers}, format="json")
    assert first.status_code == 200
    api.patch(url, {"answers": {"activity-rating-2": 6}}, format="json")
    sent = api.post(f"{url}complete/")
    assert sent.status_code == 200
    assert sent.json()["status"] == "completed"
    assert sent.json()["scores"] == {"mean": 5.0}
    assert sent.json()["answers"]["activity-name-1"] == "Running"


def test_a_bad_answer_is_a_400_naming_the_field_and_nothing_is_saved(patient, psfs):
    api, url = _api(patient.user), f"/api/v1/questionnaire-responses/{psfs.pk}/"
    for bad in ({"activity-rating-1": 11}, {"no-such-item": 1}, {"activity-rating-1": [1]}):
        response = api.patch(url, {"answers": bad}, format="json")
        assert response.status_code == 400
        assert "answers" in response.json()
    psfs.refresh_from_db()
    assert psfs.answers == {}


def test_the_care_team_schedules_and_a_stranger_cannot(
    clinician, other_clinic_clinician, colleague, program
):
    url = f"/api/v1/programs/{program.pk}/questionnaire-schedules/"
    for stranger in (other_clinic_clinician, colleague):
        assert _api(stranger).post(url, {"code": "psfs"}, format="json").status_code == 404
    made = _api(clinician).post(url, {"code": "psfs", "every_weeks": 6}, format="json")
    assert made.status_code == 201
    assert made.json()["every_weeks"] == 6
    licensed = _api(clinician).post(url, {"code": "hagos"}, format="json")
    assert licensed.status_code == 400
    assert "code" in licensed.json()
    assert [s["code"] for s in _api(clinician).get(url).json()] == ["psfs"]
    gone = _api(clinician).delete(f"/api/v1/questionnaire-schedules/{made.json()['id']}/")
    assert gone.status_code == 204


def test_a_stranger_cannot_see_the_responses(patient, psfs, other_patient, other_clinic_clinician):
    for stranger in (other_patient.user, other_clinic_clinician):
        api = _api(stranger)
        assert api.get(f"/api/v1/questionnaire-responses/{psfs.pk}/").status_code == 404
        listed = api.get(f"/api/v1/patients/{patient.pk}/questionnaire-responses/")
        assert listed.status_code == 404
    assert QuestionnaireResponse.objects.get().status == "due"
