"""A change made through the app names who made it, by which door and at which path."""

import pytest
from django.urls import reverse

from apps.history.models import MessageEvent, ProgramEvent, WorkoutEvent
from tests.api.clients import as_user
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_workout_logged_by_the_api_names_the_patient_and_the_api(postgres, patient, program):
    body = {
        "results": [
            {"prescribed": item.pk, "set_values": [10, 10, 9], "pain_during": 2}
            for item in program.items.all()
        ]
    }
    response = as_user(patient.user).post("/api/v1/workouts/", body, format="json")
    assert response.status_code == 201, response.content

    event = WorkoutEvent.objects.get(pgh_obj_id=response.json()["id"], pgh_label="insert")
    metadata = event.pgh_context.metadata
    assert metadata["user"] == patient.user.pk
    assert (metadata["source"], metadata["path"]) == ("api", "/api/v1/workouts/")


def test_a_message_sent_in_the_browser_names_the_patient_and_the_browser(postgres, patient):
    response = client_for(patient.user).post(reverse("care:mine"), {"body": "Hip is sore"})
    assert response.status_code == 302

    event = MessageEvent.objects.get(body="Hip is sore")
    metadata = event.pgh_context.metadata
    assert metadata["user"] == patient.user.pk
    assert (metadata["source"], metadata["path"]) == ("browser", reverse("care:mine"))


def test_a_strangers_refused_write_leaves_no_history(postgres, other_clinic_clinician, program):
    # given the program's history so far
    before = ProgramEvent.objects.filter(pgh_obj_id=program.pk).count()
    # when a clinician of another clinic tries to change it
    response = as_user(other_clinic_clinician).patch(
        f"/api/v1/programs/{program.pk}/", {"pain_ceiling": 9}, format="json"
    )
    # then it is a 404 and the history has nothing new
    assert response.status_code == 404
    assert ProgramEvent.objects.filter(pgh_obj_id=program.pk).count() == before
