"""GET /api/v1/patients/{id}/status/ and GET /api/v1/triage/: what the browser shows, as data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.programs.services import ItemInput, program_assign
from tests.api.clients import as_user
from tests.conftest import client_for
from tests.factories import PatientFactory, library_exercise
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


def _program(clinician, patient, *, ceiling=3):
    return program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate() - timedelta(days=10),
        review_date=timezone.localdate() + timedelta(days=20),
        pain_ceiling=ceiling,
        items=[ItemInput(exercise=library_exercise("banded-bridge-knees-out"))],
    )


def test_the_status_says_what_the_patient_page_says(clinician, patient):
    program = _program(clinician, patient, ceiling=5)
    logged_session(patient, program.items.get(), days_ago=2, set_values=[8] * 3, pain=7, after=None)

    body = as_user(clinician).get(f"/api/v1/patients/{patient.pk}/status/").json()

    assert body["patient"] == patient.pk
    assert body["bands"] == {"green_max": 2, "ceiling": 5}
    assert body["reds_7d"] == 1
    assert body["needs_attention"] is True
    assert body["reasons"][0] == {
        "kind": "red",
        "text": "1 red session in 7 days",
        "weight": 3,
        "attention": True,
    }
    assert body["done_7d"] == 1
    assert body["lights"] == ["red"]
    # the browser says the same, from the same row
    page = client_for(clinician).get(f"/patients/{patient.pk}/").content.decode()
    assert "1 red session in 7 days" in page
    assert 'data-testid="adherence-7">1 / ' in page


def test_a_stranger_gets_404_for_the_status(
    patient, clinician, colleague, other_patient, other_clinic_clinician
):
    url = f"/api/v1/patients/{patient.pk}/status/"
    assert as_user(other_clinic_clinician).get(url).status_code == 404
    assert as_user(colleague).get(url).status_code == 404  # same clinic, not on the care team
    assert as_user(other_patient.user).get(url).status_code == 404
    assert as_user(clinician).get(url).status_code == 200
    assert as_user(patient.user).get(url).status_code == 200  # their own


def test_triage_lists_who_needs_attention_first_50_a_page(clinician, patient):
    program = _program(clinician, patient)
    logged_session(patient, program.items.get(), days_ago=1, set_values=[8] * 3, pain=6, after=None)
    calm = PatientFactory(user__clinic=clinician.clinic, care_team=[clinician])
    _program(clinician, calm)
    logged_session(calm, calm.programs.get().items.get(), days_ago=1, set_values=[8] * 3, pain=1)

    attention = as_user(clinician).get("/api/v1/triage/").json()
    everyone = as_user(clinician).get("/api/v1/triage/?show=all").json()

    assert [row["patient"] for row in attention["results"]] == [patient.pk]
    assert [row["patient"] for row in everyone["results"]] == [patient.pk, calm.pk]
    assert everyone["count"] == 2
    assert attention["results"][0]["reasons"][0]["text"] == "1 red session in 7 days"


def test_triage_refuses_a_bad_filter_with_a_field_message(clinician):
    response = as_user(clinician).get("/api/v1/triage/?show=some")
    assert response.status_code == 400
    assert "show" in response.json()


def test_a_stranger_gets_404_from_triage_and_sees_nobody(
    patient, clinician, other_clinic_clinician
):
    _program(clinician, patient)
    stranger = as_user(other_clinic_clinician)
    # filtering by a clinician of another clinic: as if there were none
    assert stranger.get(f"/api/v1/triage/?clinician={clinician.pk}").status_code == 404
    assert as_user(clinician).get(f"/api/v1/triage/?clinician={clinician.pk}").status_code == 200
    # their own triage holds none of our patients
    assert stranger.get("/api/v1/triage/?show=all").json()["results"] == []
    # a patient is not a clinician: 403, as the page answers
    assert as_user(patient.user).get("/api/v1/triage/").status_code == 403
