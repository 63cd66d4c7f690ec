from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.painlogs.models import Workout
from tests.api.clients import as_user

pytestmark = pytest.mark.django_db


def body(program, pain=2, note="felt fine"):
    return {
        "note": note,
        "results": [
            {"prescribed": item.pk, "set_values": [10, 10, 9], "pain_during": pain}
            for item in program.items.all()
        ],
    }


def test_same_idempotency_key_twice_gives_one_workout_and_the_original_back(patient, program):
    client = as_user(patient.user)
    first = client.post(
        "/api/v1/workouts/", body(program), format="json", HTTP_IDEMPOTENCY_KEY="phone-retry-1"
    )
    again = client.post(
        "/api/v1/workouts/", body(program), format="json", HTTP_IDEMPOTENCY_KEY="phone-retry-1"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Workout.objects.filter(patient=patient).count() == 1


def test_same_key_with_a_different_body_is_refused(patient, program):
    client = as_user(patient.user)
    client.post("/api/v1/workouts/", body(program), format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = client.post(
        "/api/v1/workouts/", body(program, pain=5), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert other.status_code == 409
    assert "different body" in other.json()["detail"]
    assert Workout.objects.filter(patient=patient).count() == 1


def test_without_a_key_each_post_is_a_new_workout(patient, program):
    client = as_user(patient.user)
    for _ in range(2):
        assert client.post("/api/v1/workouts/", body(program), format="json").status_code == 201
    assert Workout.objects.filter(patient=patient).count() == 2


def test_logged_workout_carries_its_light_and_results(patient, program):
    data = (
        as_user(patient.user).post("/api/v1/workouts/", body(program, pain=4), format="json").json()
    )
    assert (data["pain_during"], data["light"]) == (4, "red")
    assert [r["set_values"] for r in data["results"]] == [[10, 10, 9], [10, 10, 9]]


def test_bad_workout_input_is_a_400_per_field(patient, program, other_patient):
    client = as_user(patient.user)
    bad = body(program)
    bad["results"][0]["pain_during"] = 11
    bad["results"][1]["set_values"] = [-3]
    response = client.post("/api/v1/workouts/", bad, format="json")
    assert response.status_code == 400
    errors = response.json()["results"]  # DRF keys nested errors by the item's index
    assert "pain_during" in errors["0"]
    assert "set_values" in errors["1"]
    missing_pain = body(program)
    missing_pain["results"][0]["pain_during"] = None
    response = client.post("/api/v1/workouts/", missing_pain, format="json")
    assert response.status_code == 400
    assert "pain_during" in response.json()


def test_a_clinician_cannot_log_as_the_patient(clinician, program):
    response = as_user(clinician).post("/api/v1/workouts/", body(program), format="json")
    assert response.status_code == 403
    assert not Workout.objects.exists()


def test_followup_opens_after_24_hours_and_only_for_the_owner(patient, program, other_patient):
    client = as_user(patient.user)
    workout_id = client.post("/api/v1/workouts/", body(program, pain=1), format="json").json()["id"]
    url = f"/api/v1/workouts/{workout_id}/followup/"

    early = client.post(url, {"pain": 1}, format="json")
    assert early.status_code == 400
    assert "opens at" in early.json()["followup_pain"][0]
    assert as_user(other_patient.user).post(url, {"pain": 1}, format="json").status_code == 404

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        rated = client.post(url, {"pain": 5}, format="json")
    assert rated.status_code == 200
    assert (rated.json()["followup_pain"], rated.json()["light"]) == (5, "red")


def test_clinician_lists_a_patients_workouts_by_date_and_strangers_see_none(
    clinician, patient, program, other_clinic_clinician
):
    client = as_user(patient.user)
    client.post("/api/v1/workouts/", body(program), format="json")
    today = timezone.now().astimezone(timezone.get_current_timezone()).date()
    listed = (
        as_user(clinician)
        .get(f"/api/v1/workouts/?patient={patient.pk}&date_from={today - timedelta(days=2)}")
        .json()
    )
    assert len(listed["results"]) == 1
    assert "next" in listed
    stranger = as_user(other_clinic_clinician).get(f"/api/v1/workouts/?patient={patient.pk}")
    assert stranger.json()["results"] == []
    workout_id = listed["results"][0]["id"]
    assert as_user(other_clinic_clinician).get(f"/api/v1/workouts/{workout_id}/").status_code == 404


def test_a_workout_logged_while_the_broker_is_down_is_saved_and_its_checks_owed(
    patient, program, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from apps.reminders.models import Job
    from apps.reminders.services import outbox
    from apps.reminders.tasks import job_run

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    # given a broker that refuses connections
    monkeypatch.setattr(job_run, "apply_async", broker_down)
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    job_run.app.conf.task_always_eager = False
    try:
        # when the patient logs a pain-9 workout (and the commit's publish fails)
        with django_capture_on_commit_callbacks(execute=True) as published:
            response = as_user(patient.user).post(
                "/api/v1/workouts/", body(program, pain=9), format="json"
            )
    finally:
        job_run.app.conf.task_always_eager = True

    # then it is saved, the failed publish raised nothing, and the alert check waits in the
    # database for the sweeper
    assert response.status_code == 201
    assert len(published) == 1
    check = Job.objects.get(kind="clinician_alert_check")
    assert (check.object_id, check.status) == (response.json()["id"], "pending")
