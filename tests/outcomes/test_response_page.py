"""A clinician reads a sent questionnaire item by item, as the patient answered it."""

from datetime import date

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import response_answer, response_complete, response_open
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _sent(patient, code, answers):
    response = response_open(
        patient=patient,
        questionnaire=questionnaire_for(clinic=patient.clinic, code=code),
        due_date=date(2026, 11, 2),
    )
    response_answer(user=patient.user, response=response, answers=answers)
    return response_complete(user=patient.user, response=response)


def test_the_clinician_reads_each_answer_with_its_wording(clinician, patient):
    psfs = _sent(
        patient,
        "psfs",
        {"activity-name-1": "Running 5 km", "activity-rating-1": 4, "activity-rating-2": 7},
    )
    page = client_for(clinician).get(reverse("outcomes:response", args=[psfs.pk])).content.decode()
    assert "Running 5 km" in page
    assert "Not answered" in page  # the activities the patient did not name
    assert "5.5" in page  # the mean of 4 and 7


def test_a_choice_shows_its_label_and_value(clinician, patient):
    grc = _sent(patient, "grc", {"grc": 3})
    page = client_for(clinician).get(reverse("outcomes:response", args=[grc.pk])).content.decode()
    assert "Somewhat better (3)" in page


def test_reading_a_response_is_logged(clinician, patient):
    grc = _sent(patient, "grc", {"grc": 3})
    client_for(clinician).get(reverse("outcomes:response", args=[grc.pk]))
    logged = AuditEvent.objects.filter(kind="access", user=clinician, route="outcomes:response")
    assert [e.patient_ids for e in logged] == [[patient.pk]]


def test_a_stranger_cannot_see_it(colleague, other_clinic_clinician, patient):
    grc = _sent(patient, "grc", {"grc": 3})
    url = reverse("outcomes:response", args=[grc.pk])
    for stranger in (colleague, other_clinic_clinician, patient.user):
        assert client_for(stranger).get(url).status_code in (403, 404)


def test_an_unsent_response_is_not_shown(clinician, patient):
    open_ = response_open(
        patient=patient,
        questionnaire=questionnaire_for(clinic=patient.clinic, code="grc"),
        due_date=date(2026, 11, 2),
    )
    assert (
        client_for(clinician).get(reverse("outcomes:response", args=[open_.pk])).status_code == 404
    )
