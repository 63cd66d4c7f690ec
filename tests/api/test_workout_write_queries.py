"""The workout write is lean: one query reads every prescribed exercise named, whatever their
number; nothing is validated by a query of its own or read back after the insert."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.exercises.models import Exercise
from apps.painlogs.models import ExerciseResult, Workout
from apps.programs.services import ItemInput, program_assign

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def _program_of(clinician, patient, count):
    exercises = [
        e for e in Exercise.objects.filter(clinic__isnull=True).order_by("pk") if not e.is_run
    ][:count]
    return program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate() - timedelta(days=3),
        review_date=timezone.localdate() + timedelta(days=25),
        items=[ItemInput(exercise=e) for e in exercises],
    )


def _post(patient, body):
    _, token = AuthToken.objects.create(patient.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")  # a real token, as an app sends
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/workouts/", body, format="json")
    return response, len(queries)


@pytest.mark.parametrize("count", [1, 6])
def test_a_workout_post_costs_at_most_12_queries_for_1_or_6_exercises(count, clinician, patient):
    program = _program_of(clinician, patient, count)
    items = list(program.items.all())
    body = {
        "note": "Felt strong",
        "results": [
            {"prescribed": i.pk, "set_values": [10, 9, n], "pain_during": n % 4}
            for n, i in enumerate(items)
        ],
    }

    response, queries = _post(patient, body)

    assert response.status_code == 201, response.content
    assert queries <= MAX_QUERIES
    # and the answer is the whole workout, as stored
    answer = response.json()
    workout = Workout.objects.get(pk=answer["id"])
    assert [r["prescribed"] for r in answer["results"]] == [i.pk for i in items]
    assert [r["set_values"] for r in answer["results"]] == [[10, 9, n] for n in range(count)]
    assert answer["pain_during"] == workout.pain_during == max(n % 4 for n in range(count))
    assert ExerciseResult.objects.filter(workout=workout).count() == count


def test_one_and_six_exercises_cost_the_same(clinician, patient, other_patient, colleague):
    one = _program_of(clinician, patient, 1)
    six = _program_of(colleague, other_patient, 6)

    def body(program):
        return {
            "results": [
                {"prescribed": i.pk, "set_values": [8], "pain_during": 1}
                for i in program.items.all()
            ]
        }

    assert _post(patient, body(one))[1] == _post(other_patient, body(six))[1]


def test_another_patients_exercise_is_refused_in_its_row(patient, other_patient, program):
    theirs = _program_of(other_patient.care_team.first(), other_patient, 1).items.first()
    mine = program.items.first()

    response, _ = _post(
        patient,
        {
            "results": [
                {"prescribed": mine.pk, "set_values": [8], "pain_during": 1},
                {"prescribed": theirs.pk, "set_values": [8], "pain_during": 1},
            ]
        },
    )

    assert response.status_code == 400
    assert response.json()["results"][0] == {}
    assert "does not exist" in response.json()["results"][1]["prescribed"][0]
    assert not Workout.objects.exists()
