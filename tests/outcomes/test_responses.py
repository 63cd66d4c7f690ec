"""Answering a questionnaire: answers saved as they come, scored once sent, the patient's own."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.outcomes.models import QuestionnaireResponse, QuestionnaireSchedule
from apps.outcomes.selectors import questionnaire_for, responses_for
from apps.outcomes.services import response_answer, response_complete, response_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def hip_rating(patient):
    return questionnaire_for(clinic=patient.clinic, code="hip-rating")


@pytest.fixture
def psfs_schedule(program):
    return QuestionnaireSchedule.objects.create(program=program, code="psfs", every_weeks=4)


def test_a_due_questionnaire_is_opened_once_whoever_asks(patient, psfs_schedule):
    psfs = questionnaire_for(clinic=patient.clinic, code="psfs")
    day = date(2026, 11, 2)
    first = response_open(
        patient=patient, questionnaire=psfs, due_date=day, occasion="start", schedule=psfs_schedule
    )
    again = response_open(
        patient=patient, questionnaire=psfs, due_date=day, occasion="start", schedule=psfs_schedule
    )
    assert first.pk == again.pk
    assert first.program_id == psfs_schedule.program_id
    assert QuestionnaireResponse.objects.count() == 1


def test_answers_are_kept_as_given_and_scored_when_sent(patient, hip_rating):
    response = response_open(patient=patient, questionnaire=hip_rating, due_date=date(2026, 11, 2))
    response_answer(user=patient.user, response=response, answers={"hip-rating": 60})
    response.refresh_from_db()
    assert response.status == "in_progress"
    assert response.answers == {"hip-rating": 60}

    response_complete(user=patient.user, response=response)
    response.refresh_from_db()
    assert response.status == "completed"
    assert response.completed_at is not None
    assert list(response.scores.values()) == [60.0]


def test_an_answer_out_of_range_is_refused_and_the_earlier_ones_are_kept(patient, hip_rating):
    response = response_open(patient=patient, questionnaire=hip_rating, due_date=date(2026, 11, 2))
    response_answer(user=patient.user, response=response, answers={"hip-rating": 60})
    with pytest.raises(ValidationError) as error:
        response_answer(user=patient.user, response=response, answers={"hip-rating": 140})
    assert "answers" in error.value.message_dict
    response.refresh_from_db()
    assert response.answers == {"hip-rating": 60}


def test_a_sent_response_cannot_be_changed(patient, hip_rating):
    response = response_open(patient=patient, questionnaire=hip_rating, due_date=date(2026, 11, 2))
    response_answer(user=patient.user, response=response, answers={"hip-rating": 60})
    response_complete(user=patient.user, response=response)
    with pytest.raises(ValidationError):
        response_answer(user=patient.user, response=response, answers={"hip-rating": 90})


def test_nothing_answered_cannot_be_sent(patient, hip_rating):
    response = response_open(patient=patient, questionnaire=hip_rating, due_date=date(2026, 11, 2))
    with pytest.raises(ValidationError):
        response_complete(user=patient.user, response=response)


def test_only_the_patient_answers(patient, clinician, hip_rating):
    response = response_open(patient=patient, questionnaire=hip_rating, due_date=date(2026, 11, 2))
    with pytest.raises(PermissionDenied):
        response_answer(user=clinician, response=response, answers={"hip-rating": 60})


def test_a_stranger_sees_no_responses(patient, clinician, other_clinic_clinician, hip_rating):
    response_open(patient=patient, questionnaire=hip_rating, due_date=date(2026, 11, 2))
    assert responses_for(clinician, patient).count() == 1
    assert responses_for(patient.user, patient).count() == 1
    assert responses_for(other_clinic_clinician, patient).count() == 0
