"""The load test's seed gives Locust what its two mixes send: tokens that work, real item ids."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from apps.painlogs.models import Workout

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(tmp_path):
    out = tmp_path / "seed.json"
    call_command(
        "seed_loadtest",
        "--clinicians=2",
        "--patients=2",
        "--weeks=1",
        f"--out={out}",
        stdout=io.StringIO(),
    )
    return json.loads(out.read_text())


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_seeded_patient_logs_the_workout_the_locustfile_sends(seed):
    # given a seeded patient's token and prescribed items
    patient = seed["patients"][0]
    results = [
        {"prescribed": i["id"], "set_values": [i["target"]] * i["sets"], "pain_during": 2}
        for i in patient["items"]
    ]
    before = Workout.objects.filter(patient_id=patient["id"]).count()
    # when they log a workout through the API
    response = bearer(patient["token"]).post(
        "/api/v1/workouts/", {"results": results}, format="json"
    )
    # then it is stored, one result per prescribed exercise
    assert response.status_code == 201, response.content
    assert len(patient["items"]) == 4
    assert len(response.json()["results"]) == 4
    assert Workout.objects.filter(patient_id=patient["id"]).count() == before + 1


def test_a_seeded_clinician_reads_their_own_patients_and_no_one_elses(seed):
    # given two clinicians, each with their own care team
    mine, theirs = seed["clinicians"]
    client = bearer(mine["token"])
    # when the first reads the patient list, a patient's trend and another's patient
    listed = client.get("/api/v1/patients/").json()["results"]
    trend = client.get(f"/api/v1/patients/{mine['patients'][0]}/trend/")
    stranger = client.get(f"/api/v1/patients/{theirs['patients'][0]}/")
    # then they see exactly their team, with history, and not the other's patient
    assert sorted(p["id"] for p in listed) == sorted(mine["patients"])
    assert trend.status_code == 200
    assert sum(bucket["sessions"] for bucket in trend.json()) > 0
    assert stranger.status_code == 404


def test_it_refuses_a_database_already_seeded(seed, tmp_path):
    with pytest.raises(CommandError, match="seed a fresh database"):
        call_command("seed_loadtest", f"--out={tmp_path / 'again.json'}", stdout=io.StringIO())
