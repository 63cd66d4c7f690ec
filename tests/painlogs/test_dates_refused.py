"""A workout dated before its program started, or an activity dated years back (1999 and 2001
were accepted), is refused with a field message: in the API and in the browser, with the rest of
what was entered kept."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.painlogs.models import Activity, Workout
from tests.api.clients import as_user

pytestmark = pytest.mark.django_db


def _workout(program, performed_at):
    item = program.items.first()
    return {
        "performed_at": performed_at,
        "results": [{"prescribed": item.pk, "set_values": [8, 8, 8], "pain_during": 1}],
    }


@pytest.mark.parametrize("performed_at", ["1999-05-01T18:00:00Z", "2001-01-01T08:00:00Z"])
def test_a_workout_from_years_back_is_a_400_on_its_date(patient, program, performed_at):
    response = as_user(patient.user).post(
        "/api/v1/workouts/", _workout(program, performed_at), format="json"
    )

    assert response.status_code == 400
    assert "before your program started" in response.json()["performed_at"][0]
    assert not Workout.objects.exists()


def test_a_workout_before_the_program_started_is_refused(patient, program):
    program.start_date = timezone.localdate() - timedelta(days=2)
    program.save()
    five_days_ago = (timezone.now() - timedelta(days=5)).isoformat()

    response = as_user(patient.user).post(
        "/api/v1/workouts/", _workout(program, five_days_ago), format="json"
    )

    assert response.status_code == 400
    assert response.json()["performed_at"] == [
        "A workout can't be dated before your program started, on "
        f"{program.start_date.day} {program.start_date:%B %Y}."
    ]
    assert not Workout.objects.exists()


@pytest.mark.parametrize("day", ["1999-05-01", "2001-01-01"])
def test_an_activity_from_years_back_is_a_400_on_its_date(patient, day):
    body = {"kind": "run", "date": day, "duration_minutes": 30, "pain_during": 1}

    response = as_user(patient.user).post("/api/v1/activities/", body, format="json")

    assert response.status_code == 400
    assert response.json()["date"][0].startswith("Log activities of the last 30 days")
    assert not Activity.objects.exists()


def test_the_activity_form_shows_the_date_error_and_keeps_the_rest(patient_client):
    response = patient_client.post(
        reverse("painlogs:activity_new"),
        {
            "kind": "walk",
            "description": "Along the canal",
            "date": "2001-01-01",
            "duration_minutes": "45",
            "pain_during": "1",
        },
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "Log activities of the last 30 days" in page
    assert 'value="Along the canal"' in page
    assert 'value="45"' in page
    assert not Activity.objects.exists()


def test_a_patient_behind_the_clinics_zone_logs_on_the_evening_before_the_start(clinician, patient):
    import time_machine

    from apps.programs.services import ItemInput, program_assign
    from tests.factories import library_exercise

    # 04:00 UTC on 22 November is still the 21st in Los Angeles, where the patient lives
    with time_machine.travel(datetime(2026, 11, 22, 4, 0, tzinfo=UTC), tick=False):
        program = program_assign(
            clinician=clinician,
            patient=patient,
            start_date=date(2026, 11, 22),  # "today" on the clinic's calendar
            review_date=date(2026, 12, 20),
            items=[ItemInput(exercise=library_exercise("banded-bridge-knees-out"))],
        )
        body = {
            "results": [{"prescribed": program.items.get().pk, "set_values": [8], "pain_during": 1}]
        }
        response = as_user(patient.user).post("/api/v1/workouts/", body, format="json")

    assert response.status_code == 201, response.content
