from datetime import timedelta

import pytest
from django.utils import timezone

from apps.programs.models import Program
from tests.api.clients import as_user
from tests.factories import library_exercise

pytestmark = pytest.mark.django_db


def body(*slugs, **extra):
    today = timezone.localdate()
    return {
        "start_date": str(today),
        "review_date": str(today + timedelta(days=28)),
        "items": [{"exercise": library_exercise(s).pk, **extra} for s in slugs],
    }


def test_clinician_assigns_a_program_with_default_doses(clinician, patient):
    response = as_user(clinician).post(
        f"/api/v1/patients/{patient.pk}/programs/", body("side-plank-knee"), format="json"
    )
    assert response.status_code == 201, response.content
    item = response.json()["items"][0]
    assert (item["sets"], item["target_low"], item["target_high"]) == (3, 20, 30)
    assert response.json()["pain_ceiling"] == 3


def test_deep_flexion_for_fai_needs_acknowledgement(clinician, patient):
    url = f"/api/v1/patients/{patient.pk}/programs/"
    refused = as_user(clinician).post(url, body("squat-more-range-intensity"), format="json")
    assert refused.status_code == 400
    assert "caution" in refused.json()["caution_acknowledged"][0].lower()
    accepted = as_user(clinician).post(
        url, body("squat-more-range-intensity", caution_acknowledged=True), format="json"
    )
    assert accepted.status_code == 201


def test_patient_reads_but_cannot_change_their_program_or_ceiling(patient, program):
    client = as_user(patient.user)
    assert client.get(f"/api/v1/programs/{program.pk}/").json()["pain_ceiling"] == 3
    refused = client.patch(f"/api/v1/programs/{program.pk}/", {"pain_ceiling": 6}, format="json")
    assert refused.status_code == 403
    program.refresh_from_db()
    assert program.pain_ceiling == 3
    assert (
        client.post(
            f"/api/v1/patients/{patient.pk}/programs/", body("side-plank-knee"), format="json"
        ).status_code
        == 403
    )


def test_clinician_patches_the_ceiling_and_keeps_the_exercises(clinician, program):
    response = as_user(clinician).patch(
        f"/api/v1/programs/{program.pk}/", {"pain_ceiling": 4}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["pain_ceiling"] == 4
    assert len(response.json()["items"]) == 2


def test_strangers_get_404(other_clinic_clinician, colleague, other_patient, patient, program):
    for user in (other_clinic_clinician, colleague, other_patient.user):
        client = as_user(user)
        assert client.get(f"/api/v1/programs/{program.pk}/").status_code == 404
        assert client.get(f"/api/v1/patients/{patient.pk}/programs/").status_code == 404
        assert (
            client.patch(
                f"/api/v1/programs/{program.pk}/", {"pain_ceiling": 9}, format="json"
            ).status_code
            == 404
        )
    assert Program.objects.get(pk=program.pk).pain_ceiling == 3


def test_bad_program_input_is_a_400_per_field(clinician, patient):
    bad = {**body("side-plank-knee"), "green_max": 5, "pain_ceiling": 3}
    response = as_user(clinician).post(
        f"/api/v1/patients/{patient.pk}/programs/", bad, format="json"
    )
    assert response.status_code == 400
    assert "green_max" in response.json()
    empty = as_user(clinician).post(
        f"/api/v1/patients/{patient.pk}/programs/", {**body(), "items": []}, format="json"
    )
    assert empty.status_code == 400
    assert "items" in empty.json()
