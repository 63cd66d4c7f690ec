"""Taking an exercise out of a program ends it: its level changes and logs stay history."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from apps.painlogs.models import ExerciseResult
from apps.programs.models import PrescribedExercise, ProgressionChange
from apps.programs.services import prescription_level_change
from tests.api.clients import as_user
from tests.conftest import client_for
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def bridge_with_history(clinician, patient, program):
    """The bridge, moved up a level by the clinician, with a session logged against it."""
    bridge = program.items.get(exercise__slug="banded-bridge-knees-out")
    prescription_level_change(item=bridge, direction="progress", reason="Ready", by=clinician)
    logged_session(patient, bridge, days_ago=1, set_values=[10] * 3)
    return bridge


def _kept_history(bridge):
    assert ProgressionChange.objects.filter(prescribed_id=bridge.pk).count() == 1
    assert ExerciseResult.objects.get(prescribed_id=bridge.pk).workout.patient_id
    ended = PrescribedExercise.with_ended.get(pk=bridge.pk)
    assert ended.ended_at is not None


def test_removing_an_exercise_by_the_api_ends_it_and_keeps_its_history(
    clinician, program, bridge_with_history
):
    plank = program.items.get(exercise__slug="side-plank-knee")
    # when the clinician PATCHes the program with only the side plank
    response = as_user(clinician).patch(
        f"/api/v1/programs/{program.pk}/",
        {"items": [{"id": plank.pk, "exercise": plank.exercise_id}]},
        format="json",
    )
    # then the program shows the plank alone
    assert response.status_code == 200, response.content
    assert [i["id"] for i in response.json()["items"]] == [plank.pk]
    assert as_user(clinician).get(f"/api/v1/programs/{program.pk}/").json()["items"][0]["id"] == (
        plank.pk
    )
    # and the bridge's level change and logged session are still there
    _kept_history(bridge_with_history)


def test_removing_an_exercise_in_the_builder_ends_it_and_keeps_its_history(
    clinician, patient, program, bridge_with_history
):
    plank = program.items.get(exercise__slug="side-plank-knee")
    # when the clinician saves the builder with only the side plank's row
    client = client_for(clinician)
    form = client.get(reverse("programs:edit", args=[program.pk])).context["formset"]
    data = {
        "name": program.name,
        "sessions_per_week": program.sessions_per_week,
        "start_date": program.start_date.isoformat(),
        "review_date": program.review_date.isoformat(),
        "pain_ceiling": program.pain_ceiling,
        "green_max": program.green_max,
        f"{form.prefix}-TOTAL_FORMS": "1",
        f"{form.prefix}-INITIAL_FORMS": "1",
        f"{form.prefix}-MIN_NUM_FORMS": "0",
        f"{form.prefix}-MAX_NUM_FORMS": "1000",
        f"{form.prefix}-0-id": str(plank.pk),
        f"{form.prefix}-0-exercise": str(plank.exercise_id),
        f"{form.prefix}-0-sets": str(plank.sets),
        f"{form.prefix}-0-target_low": str(plank.target_low),
        f"{form.prefix}-0-target_high": str(plank.target_high),
        f"{form.prefix}-0-rep_hold_seconds": str(plank.rep_hold_seconds or ""),
        f"{form.prefix}-0-notes": "",
    }
    response = client.post(reverse("programs:edit", args=[program.pk]), data)
    # then the patient's Today page asks for the plank's sets and no longer the bridge's
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(program.items.all()) == [plank]
    today = client_for(patient.user).get(reverse("painlogs:today")).content.decode()
    assert f'name="ex{plank.pk}_set1"' in today
    assert f'name="ex{bridge_with_history.pk}_set1"' not in today
    _kept_history(bridge_with_history)


def test_a_prescription_with_history_cannot_be_deleted(bridge_with_history):
    with pytest.raises(ProtectedError):
        PrescribedExercise.with_ended.get(pk=bridge_with_history.pk).delete()
