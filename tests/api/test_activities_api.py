from datetime import timedelta

import pytest
from django.utils import timezone

from apps.painlogs.models import Activity
from tests.api.clients import as_user

pytestmark = pytest.mark.django_db


def run(days_ago=1, pain=1, minutes=30):
    day = timezone.localdate() - timedelta(days=days_ago)
    return {"kind": "run", "date": str(day), "duration_minutes": minutes, "pain_during": pain}


def test_patient_logs_an_activity_with_its_light(patient, program):
    response = as_user(patient.user).post("/api/v1/activities/", run(pain=4), format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["light"], response.json()["pain_ceiling"]) == ("red", 3)


def test_bad_activity_input_is_a_400_per_field(patient):
    bad = {**run(), "duration_minutes": 0, "pain_during": 12, "kind": "teleport"}
    response = as_user(patient.user).post("/api/v1/activities/", bad, format="json")
    assert response.status_code == 400
    assert {"duration_minutes", "pain_during", "kind"} <= set(response.json())
    future = as_user(patient.user).post("/api/v1/activities/", run(days_ago=-3), format="json")
    assert future.status_code == 400
    assert "future" in future.json()["date"][0]
    assert not Activity.objects.exists()


def test_a_clinician_cannot_log_for_the_patient(clinician):
    assert as_user(clinician).post("/api/v1/activities/", run(), format="json").status_code == 403


def test_care_team_lists_by_patient_and_strangers_see_nothing(
    clinician, patient, other_patient, other_clinic_clinician
):
    as_user(patient.user).post("/api/v1/activities/", run(), format="json")
    as_user(other_patient.user).post("/api/v1/activities/", run(minutes=777), format="json")

    mine = as_user(clinician).get(f"/api/v1/activities/?patient={patient.pk}").json()["results"]
    assert [a["duration_minutes"] for a in mine] == [30]
    everyone_i_see = as_user(clinician).get("/api/v1/activities/").json()["results"]
    assert 777 not in [a["duration_minutes"] for a in everyone_i_see]
    assert as_user(other_clinic_clinician).get("/api/v1/activities/").json()["results"] == []
    own = as_user(patient.user).get("/api/v1/activities/").json()["results"]
    assert [a["duration_minutes"] for a in own] == [30]
