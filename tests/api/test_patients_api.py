import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.api.clients import as_user

pytestmark = pytest.mark.django_db


NEW = {
    "full_name": "Nina New",
    "email": "nina@example.com",
    "timezone": "Europe/Paris",
    "date_of_birth": "1990-02-03",
    "condition": "fai",
    "affected_side": "left",
}


def test_clinician_lists_only_care_team_patients(clinician, patient, other_patient):
    names = [p["full_name"] for p in as_user(clinician).get("/api/v1/patients/").json()["results"]]
    assert names == ["Pat Quennell"]


def test_a_patient_sees_only_their_own_record(patient, other_patient):
    client = as_user(patient.user)
    assert [p["id"] for p in client.get("/api/v1/patients/").json()["results"]] == [patient.pk]
    assert client.get(f"/api/v1/patients/{other_patient.pk}/").status_code == 404


def test_strangers_get_404(other_clinic_clinician, colleague, patient):
    for user in (other_clinic_clinician, colleague):
        assert as_user(user).get(f"/api/v1/patients/{patient.pk}/").status_code == 404
        response = as_user(user).patch(
            f"/api/v1/patients/{patient.pk}/", {"diagnosis": "x"}, format="json"
        )
        assert response.status_code == 404
    assert APIClient().get(f"/api/v1/patients/{patient.pk}/").status_code == 401


def test_clinician_creates_a_patient_who_is_invited(
    clinician, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(clinician).post("/api/v1/patients/", NEW, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["care_team"] == [clinician.pk]
    assert [m.to for m in mailoutbox] == [["nina@example.com"]]


def test_bad_patient_input_is_a_400_per_field(clinician, patient):
    body = {
        **NEW,
        "email": patient.user.email,
        "timezone": "Mars/Olympus",
        "date_of_birth": str(timezone.localdate()),
    }
    response = as_user(clinician).post("/api/v1/patients/", body, format="json")
    assert response.status_code == 400
    assert {"timezone", "date_of_birth"} <= set(response.json())
    duplicate = as_user(clinician).post(
        "/api/v1/patients/", {**NEW, "email": patient.user.email}, format="json"
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["email"] == ["This email can't be used for a new patient."]


def test_clinician_patches_and_a_patient_cannot(clinician, patient):
    url = f"/api/v1/patients/{patient.pk}/"
    changed = as_user(clinician).patch(url, {"diagnosis": "Cam FAI"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["diagnosis"] == "Cam FAI"
    assert changed.json()["full_name"] == "Pat Quennell"  # untouched fields kept
    refused = as_user(patient.user).patch(url, {"diagnosis": "none"}, format="json")
    assert refused.status_code == 403


def test_search_filters_the_list(clinician, patient, other_patient):
    other_patient.care_team.add(clinician)
    results = as_user(clinician).get("/api/v1/patients/?q=olive").json()["results"]
    assert [p["full_name"] for p in results] == ["Olive Other"]


def test_a_clinic_admin_lists_only_the_records_open_to_them(clinic_admin, patient, other_patient):
    # given the clinic admin, on no care team, who opened Olive's record with a reason
    client = as_user(clinic_admin)
    opened = client.post(
        f"/api/v1/patients/{other_patient.pk}/emergency-access/",
        {"reason": "Covering for Carl this week"},
        format="json",
    )

    results = client.get("/api/v1/patients/").json()["results"]

    assert opened.status_code == 201
    assert [p["full_name"] for p in results] == ["Olive Other"]
    assert client.get(f"/api/v1/patients/{patient.pk}/").status_code == 404
