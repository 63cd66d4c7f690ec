"""Asking for questionnaires: attached to a program, opened once when due, answered by the
patient on their phone, one question per screen for a long one."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.common.timezones import local_date
from apps.outcomes.models import QuestionnaireResponse, QuestionnaireSchedule
from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import (
    questionnaire_import,
    questionnaires_due_open,
    response_open,
    schedule_remove,
    schedule_set,
)
from apps.programs.services import program_end
from tests.conftest import client_for
from tests.outcomes.test_import import _worded

pytestmark = pytest.mark.django_db


def _ihot(clinic):
    return questionnaire_import(text=json.dumps(_worded("ihot-12")), clinic=clinic)


def _open(patient, code="hip-rating"):
    questionnaire = questionnaire_for(clinic=patient.clinic, code=code)
    return response_open(patient=patient, questionnaire=questionnaire, due_date=date(2026, 11, 2))


def test_a_clinician_attaches_a_questionnaire_and_the_patient_is_asked_once(
    clinician, patient, program
):
    schedule_set(clinician=clinician, program=program, code="psfs", every_weeks=4)
    today = program.start_date + timedelta(weeks=4)
    first = questionnaires_due_open(patient, today)
    again = questionnaires_due_open(patient, today)
    assert [(r.occasion, r.due_date) for r in first] == [
        ("start", program.start_date),
        ("interval", today),
    ]
    assert [r.pk for r in again] == [r.pk for r in first]
    assert QuestionnaireResponse.objects.count() == 2


def test_a_licensed_instrument_waits_for_its_wording(clinician, program):
    with pytest.raises(ValidationError, match="Import the licensed wording"):
        schedule_set(clinician=clinician, program=program, code="ihot-12")
    _ihot(program.patient.clinic)
    assert schedule_set(clinician=clinician, program=program, code="ihot-12").pk


def test_a_clinician_outside_the_care_team_cannot_attach_or_remove(
    clinician, colleague, other_clinic_clinician, program
):
    schedule = schedule_set(clinician=clinician, program=program, code="psfs")
    for stranger in (colleague, other_clinic_clinician):
        with pytest.raises(PermissionDenied):
            schedule_set(clinician=stranger, program=program, code="grc")
        with pytest.raises(PermissionDenied):
            schedule_remove(clinician=stranger, schedule=schedule)
    assert QuestionnaireSchedule.objects.count() == 1


def test_ending_the_program_opens_the_discharge_questionnaire(clinician, patient, program):
    schedule_set(
        clinician=clinician, program=program, code="grc", at_start=False, at_discharge=True
    )
    program_end(clinician=clinician, program=program, reason="Goals reached")
    response = QuestionnaireResponse.objects.get()
    assert response.occasion == "discharge"
    assert response.due_date == local_date(timezone.now(), patient.user.timezone)
    page = client_for(patient.user).get(reverse("painlogs:today")).content.decode()
    assert "Questionnaires to answer" in page
    assert response.questionnaire.title in page


def test_the_clinician_page_adds_and_removes_a_questionnaire(clinician_client, program):
    url = reverse("outcomes:program", args=[program.pk])
    page = clinician_client.get(url)
    assert "import_questionnaire" in page.content.decode()  # iHOT-12 etc. are not worded yet
    done = clinician_client.post(url, {"code": "psfs", "at_start": "on", "every_weeks": "4"})
    assert done.status_code == 302
    schedule = QuestionnaireSchedule.objects.get()
    assert (schedule.code, schedule.every_weeks, schedule.at_start) == ("psfs", 4, True)
    bad = clinician_client.post(url, {"code": "psfs", "every_weeks": "0"})
    assert bad.status_code == 200
    assert 'value="0"' in bad.content.decode()
    clinician_client.post(reverse("outcomes:schedule_remove", args=[schedule.pk]))
    assert not QuestionnaireSchedule.objects.exists()


def test_a_stranger_cannot_see_the_clinician_page(
    colleague, other_clinic_clinician, patient, program
):
    schedule = QuestionnaireSchedule.objects.create(program=program, code="psfs")
    for stranger in (colleague, other_clinic_clinician, patient.user):
        client = client_for(stranger)
        assert client.get(reverse("outcomes:program", args=[program.pk])).status_code in (403, 404)
        removed = client.post(reverse("outcomes:schedule_remove", args=[schedule.pk]))
        assert removed.status_code in (403, 404)
    assert QuestionnaireSchedule.objects.exists()


def test_a_short_questionnaire_is_one_page_and_sent_from_it(patient, patient_client):
    response = _open(patient)
    url = reverse("outcomes:answer", args=[response.pk])
    assert 'type="number"' in patient_client.get(url).content.decode()
    wrong = patient_client.post(url, {"hip-rating": "140"})
    assert wrong.status_code == 200
    assert 'value="140"' in wrong.content.decode()
    done = patient_client.post(url, {"hip-rating": "70"})
    assert done.status_code == 302
    response.refresh_from_db()
    assert (response.status, list(response.scores.values())) == ("completed", [70.0])


def test_a_long_questionnaire_resumes_at_the_first_unanswered_question(patient, patient_client):
    _ihot(patient.clinic)
    response = _open(patient, "ihot-12")
    url = reverse("outcomes:answer", args=[response.pk])
    assert patient_client.get(url)["Location"].endswith("?q=1")
    for number in (1, 2, 3):
        page = patient_client.get(f"{url}?q={number}")
        assert f"Question {number} of 12" in page.content.decode()
        patient_client.post(f"{url}?q={number}", {f"I{number}": "60", "go": "next"})
    assert patient_client.get(url)["Location"].endswith("?q=4")
    back = patient_client.get(f"{url}?q=2")
    assert 'value="60"' in back.content.decode()
    for number in range(4, 13):
        patient_client.post(f"{url}?q={number}", {f"I{number}": "40", "go": "next"})
    assert patient_client.get(url)["Location"].endswith("?q=review")
    sent = patient_client.post(f"{url}?q=review")
    assert sent.status_code == 302
    response.refresh_from_db()
    assert response.status == "completed"
    assert list(response.scores.values()) == [pytest.approx((3 * 60 + 9 * 40) / 12)]


def test_today_lists_a_questionnaire_with_its_progress(patient, patient_client):
    _ihot(patient.clinic)
    response = _open(patient, "ihot-12")
    patient_client.post(
        reverse("outcomes:answer", args=[response.pk]) + "?q=1", {"I1": "50", "go": "next"}
    )
    page = patient_client.get(reverse("painlogs:today")).content.decode()
    assert "Questionnaires to answer" in page
    assert "1 of 12 answered" in page


def test_no_one_else_can_open_a_patients_questionnaire(
    patient, other_patient, clinician, other_clinic_clinician
):
    response = _open(patient)
    url = reverse("outcomes:answer", args=[response.pk])
    for stranger in (other_patient.user, clinician, other_clinic_clinician):
        assert client_for(stranger).get(url).status_code in (403, 404)
        assert client_for(stranger).post(url, {"hip-rating": "10"}).status_code in (403, 404)
    response.refresh_from_db()
    assert response.answers == {}


def test_a_likert_question_offers_its_answers_as_big_radio_buttons(patient, patient_client):
    questionnaire_import(text=json.dumps(_worded("hagos")), clinic=patient.clinic)
    response = _open(patient, "hagos")
    url = reverse("outcomes:answer", args=[response.pk])
    page = patient_client.get(f"{url}?q=1").content.decode()
    assert "Question 1 of 37" in page
    assert page.count('type="radio"') == 5
    assert "<legend" in page
    patient_client.post(f"{url}?q=1", {"S1": "2", "go": "next"})
    patient_client.post(f"{url}?q=2", {"S2": "7", "go": "next"})  # not one of the answers
    response.refresh_from_db()
    assert response.answers == {"S1": 2}
    assert patient_client.get(url)["Location"].endswith("?q=2")


def test_the_clinician_sees_what_was_answered_and_its_score(
    clinician, clinician_client, patient, program
):
    schedule = schedule_set(clinician=clinician, program=program, code="hip-rating")
    [response] = questionnaires_due_open(patient, program.start_date)
    assert response.schedule == schedule
    client_for(patient.user).post(
        reverse("outcomes:answer", args=[response.pk]), {"hip-rating": "65"}
    )
    page = clinician_client.get(reverse("outcomes:program", args=[program.pk])).content.decode()
    assert "Completed" in page
    assert "65.0" in page
