"""The API says what the browser says: each prescribed exercise carries the rule's suggestion
with its evidence, the same service applies it, workouts say whether their light may still
change, and a cross-field rule reads the same in the form and the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.programs.models import ProgressionChange
from tests.api.clients import as_user
from tests.conftest import client_for
from tests.factories import library_exercise
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


def _ready(patient, program):
    """Two sessions at the top of the bridge's dose, rated: ready to progress."""
    bridge = program.items.get(exercise__slug="banded-bridge-knees-out")
    for days_ago in (6, 4):
        logged_session(patient, bridge, days_ago=days_ago, set_values=[10] * 3)
    return bridge


def test_a_clinician_reads_the_suggestion_with_its_evidence_and_apply_link(
    clinician, patient, program
):
    bridge = _ready(patient, program)

    body = as_user(clinician).get(f"/api/v1/programs/{program.pk}/").json()

    item = next(i for i in body["items"] if i["id"] == bridge.pk)
    assert item["suggestion"]["decision"] == "progress"
    assert "3 × 10 at 1/10" in item["suggestion"]["reason"]
    assert [e["set_values"] for e in item["suggestion"]["evidence"]] == [[10, 10, 10]] * 2
    assert item["suggestion"]["apply_url"] == f"/api/v1/prescriptions/{bridge.pk}/apply/"
    plank = next(i for i in body["items"] if i["id"] != bridge.pk)
    assert plank["suggestion"]["decision"] == "hold"
    assert plank["suggestion"]["apply_url"] is None


def test_the_patient_lists_programs_without_suggestions(patient, program):
    _ready(patient, program)

    body = as_user(patient.user).get(f"/api/v1/patients/{patient.pk}/programs/").json()

    assert {i["suggestion"] for p in body["results"] for i in p["items"]} == {None}


def test_applying_through_the_api_moves_the_level_like_the_button(clinician, patient, program):
    bridge = _ready(patient, program)

    response = as_user(clinician).post(
        f"/api/v1/prescriptions/{bridge.pk}/apply/", {"decision": "progress"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["change"]["direction"] == "progress"
    assert (
        response.json()["item"]["exercise"] == library_exercise("standing-banded-hip-abduction").pk
    )
    assert ProgressionChange.objects.get().changed_by == clinician


def test_a_decision_that_is_no_longer_the_rules_applies_nothing(clinician, patient, program):
    bridge = _ready(patient, program)

    response = as_user(clinician).post(
        f"/api/v1/prescriptions/{bridge.pk}/apply/", {"decision": "regress"}, format="json"
    )

    assert response.status_code == 400
    assert "now progress" in response.json()["decision"][0]
    assert not ProgressionChange.objects.exists()


@pytest.mark.parametrize(("who", "code"), [("other_clinic_clinician", 404), ("colleague", 404)])
def test_a_stranger_cannot_apply(who, code, request, patient, program):
    bridge = _ready(patient, program)
    stranger = request.getfixturevalue(who)

    response = as_user(stranger).post(
        f"/api/v1/prescriptions/{bridge.pk}/apply/", {"decision": "progress"}, format="json"
    )

    assert response.status_code == code
    assert not ProgressionChange.objects.exists()


def test_a_workouts_light_is_provisional_until_the_24_hour_rating(patient, program):
    item = program.items.first()
    waiting = logged_session(patient, item, days_ago=0, set_values=[8], after=None)
    rated = logged_session(patient, item, days_ago=3, set_values=[8], after=2)
    api = as_user(patient.user)

    assert api.get(f"/api/v1/workouts/{waiting.pk}/").json()["light_provisional"] is True
    assert api.get(f"/api/v1/workouts/{rated.pk}/").json()["light_provisional"] is False


def test_review_before_start_reads_the_same_in_the_form_and_the_api(clinician, patient):
    today = timezone.localdate()
    message = "The review date must be on or after the start date."
    api = as_user(clinician).post(
        f"/api/v1/patients/{patient.pk}/programs/",
        {
            "start_date": str(today),
            "review_date": str(today - timedelta(days=1)),
            "items": [{"exercise": library_exercise("side-plank-knee").pk}],
        },
        format="json",
    )
    page = client_for(clinician).post(
        reverse("programs:new", args=[patient.pk]),
        {
            "name": "Hip strength",
            "start_date": str(today),
            "review_date": str(today - timedelta(days=1)),
            "sessions_per_week": "3",
            "pain_ceiling": "3",
            "green_max": "2",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-exercise": str(library_exercise("side-plank-knee").pk),
        },
    )

    assert api.status_code == 400
    assert api.json()["review_date"] == [message]
    assert page.status_code == 200
    assert message in page.content.decode()
