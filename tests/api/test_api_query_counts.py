"""The number of SQL queries of every list endpoint does not grow with the rows listed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.care.services import message_send, thread_mark_read
from apps.painlogs.services import ResultInput, activity_log, workout_log
from apps.programs.services import ItemInput, program_assign
from tests.api.clients import as_user
from tests.factories import PatientFactory, library_exercise

pytestmark = pytest.mark.django_db


def add_patients(clinician, count, *, sessions):
    """Patients on the clinician's care team, each with a program, sessions and activities."""
    now = timezone.now()
    for _ in range(count):
        patient = PatientFactory(user__clinic=clinician.clinic, care_team=[clinician])
        program = program_assign(
            clinician=clinician,
            patient=patient,
            start_date=timezone.localdate() - timedelta(30),
            review_date=timezone.localdate() + timedelta(30),
            items=[
                ItemInput(exercise=library_exercise("banded-bridge-knees-out")),
                ItemInput(exercise=library_exercise("side-plank-knee")),
            ],
        )
        for day in range(sessions):
            workout_log(
                user=patient.user,
                performed_at=now - timedelta(days=day, hours=1),
                results=[
                    ResultInput(prescribed=i, set_values=[10, 10], pain_during=2)
                    for i in program.items.all()
                ],
            )
            activity_log(
                user=patient.user,
                kind="run",
                date=timezone.localdate() - timedelta(days=day + 1),
                duration_minutes=20,
                pain_during=1,
            )
    return patient


def queries(client, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def rows(body):
    return body["results"] if isinstance(body, dict) else body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/patients/",
        "/api/v1/workouts/",
        "/api/v1/activities/",
        "/api/v1/exercises/",
        "/api/v1/progressions/",
        "/api/v1/patients/{pk}/programs/",
    ],
)
def test_list_queries_do_not_grow_with_rows(clinician, url):
    client = as_user(clinician)
    last = add_patients(clinician, 2, sessions=2)
    small, small_body = queries(client, url.format(pk=last.pk))
    last = add_patients(clinician, 8, sessions=6)
    large, large_body = queries(client, url.format(pk=last.pk))
    if "exercises" not in url and "progressions" not in url and "programs" not in url:
        assert len(rows(large_body)) > len(rows(small_body))  # really more rows listed
    assert large == small, f"{url}: {small} queries for few rows, {large} for many"


def test_a_long_thread_reads_in_as_many_queries_as_a_short_one(clinician, patient):

    client = as_user(clinician)
    url = f"/api/v1/patients/{patient.pk}/messages/"

    def exchange(count):
        for n in range(count):
            message_send(author=patient.user, patient=patient, body=f"Question {n}")
            message_send(author=clinician, patient=patient, body=f"Answer {n}")
        thread_mark_read(reader=clinician, patient=patient)
        thread_mark_read(reader=patient.user, patient=patient)

    exchange(1)
    small, small_body = queries(client, url)
    exchange(10)
    large, large_body = queries(client, url)
    assert len(rows(large_body)) == 22
    assert all(m["read_by"] for m in rows(large_body))
    assert large == small
