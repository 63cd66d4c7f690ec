"""Return to running: stages, minutes, step rate with its +10 % target, and run logging."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.painlogs.models import ExerciseResult
from apps.painlogs.services import ResultInput, workout_log
from apps.programs.rules import Decision
from apps.programs.selectors import program_suggestions
from apps.programs.services import ItemInput, program_assign, suggestion_apply
from tests.api.clients import as_user
from tests.factories import ExerciseFactory, library_exercise
from tests.helpers import builder_post, logged_session

pytestmark = pytest.mark.django_db


def assign(clinician, patient, *items):
    return program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate() - timedelta(30),
        review_date=timezone.localdate() + timedelta(30),
        items=list(items),
    )


@pytest.fixture
def running(clinician, patient):
    """Stage 1 (conversational pace, 10–20 min) for a runner stepping at 165 per minute."""
    return assign(
        clinician,
        patient,
        ItemInput(exercise=library_exercise("conversational-pace-running"), baseline_step_rate=165),
    )


def run(patient, program, *, days_ago, minutes=20, pain=1, after=1, **extras):
    item = program.items.get()
    return logged_session(
        patient, item, days_ago=days_ago, set_values=[minutes], pain=pain, after=after, **extras
    )


def decision(program):
    ((_, suggestion),) = program_suggestions(program)
    return suggestion


# --- the prescription -------------------------------------------------------------------------


def test_a_blank_target_step_rate_is_ten_percent_above_the_preferred_rate(running):
    item = running.items.get()
    assert (item.baseline_step_rate, item.target_step_rate) == (165, 182)
    assert item.dose_text == "10–20 min, at about 182 steps per minute"


def test_the_clinician_may_set_the_target_themselves(clinician, patient):
    program = assign(
        clinician,
        patient,
        ItemInput(
            exercise=library_exercise("conversational-pace-running"),
            baseline_step_rate=170,
            target_step_rate=178,
        ),
    )
    assert program.items.get().target_step_rate == 178


def test_a_target_below_the_preferred_rate_is_refused(clinician, patient):
    with pytest.raises(ValidationError) as error:
        assign(
            clinician,
            patient,
            ItemInput(
                exercise=library_exercise("conversational-pace-running"),
                baseline_step_rate=170,
                target_step_rate=160,
            ),
        )
    assert "target_step_rate" in error.value.message_dict


def test_step_rates_on_a_strength_exercise_are_refused(clinician, patient):
    with pytest.raises(ValidationError) as error:
        assign(
            clinician,
            patient,
            ItemInput(exercise=library_exercise("side-plank-knee"), baseline_step_rate=170),
        )
    assert "running" in error.value.message_dict["target_step_rate"][0]


# --- moving between stages --------------------------------------------------------------------


def test_two_runs_at_the_top_minutes_within_the_ceiling_move_to_the_next_stage(
    clinician, patient, running
):
    run(patient, running, days_ago=6, minutes=20)
    run(patient, running, days_ago=3, minutes=20, pain=3, after=2)
    suggestion = decision(running)
    assert suggestion.decision == Decision.PROGRESS
    assert "20 min at 3/10" in suggestion.reason

    suggestion_apply(clinician=clinician, item=running.items.get())

    item = running.items.get()
    assert item.exercise.slug == "easy-running-plus-strides"
    assert (item.target_low, item.target_high) == (20, 30)
    # the runner's step rates are theirs, not the stage's: they carry over
    assert (item.baseline_step_rate, item.target_step_rate) == (165, 182)


def test_a_run_short_of_the_top_minutes_holds(patient, running):
    run(patient, running, days_ago=6, minutes=20)
    run(patient, running, days_ago=3, minutes=15)
    suggestion = decision(running)
    assert suggestion.decision == Decision.HOLD
    assert "top of the dose (20 min)" in suggestion.reason


def test_a_run_that_hurts_the_next_day_holds_and_two_red_runs_step_back(
    clinician, patient, running
):
    # given the runner is at stage 2
    run(patient, running, days_ago=12)
    run(patient, running, days_ago=10)
    nine_days_ago = timezone.now() - timedelta(days=9)
    suggestion_apply(clinician=clinician, item=running.items.get(), now=nine_days_ago)
    # one run red the next day holds
    run(patient, running, days_ago=6, minutes=30, pain=2, after=4)
    assert decision(running).decision == Decision.HOLD
    # a second red run among the last three steps back a stage
    run(patient, running, days_ago=3, minutes=30, pain=4, after=3)
    assert decision(running).decision == Decision.REGRESS

    suggestion_apply(clinician=clinician, item=running.items.get())

    assert running.items.get().exercise.slug == "conversational-pace-running"


# --- logging a run ----------------------------------------------------------------------------


def test_a_run_keeps_its_distance_step_rate_and_the_target_of_the_day(patient, running):
    run(patient, running, days_ago=1, minutes=25, distance_km=Decimal("4.2"), step_rate=176)
    result = ExerciseResult.objects.get()
    assert (result.distance_km, result.step_rate, result.prescribed_step_rate) == (
        Decimal("4.20"),
        176,
        182,
    )
    assert result.done_text == "25 min, 4.2 km, 176 steps/min (target 182)"


def test_distance_or_step_rate_on_a_strength_exercise_is_refused(patient, program):
    item = program.items.first()
    with pytest.raises(ValidationError) as error:
        workout_log(
            user=patient.user,
            results=[ResultInput(prescribed=item, set_values=[10], pain_during=1, step_rate=170)],
        )
    assert "for runs" in error.value.message_dict["step_rate"][0]


def test_today_asks_a_runner_for_minutes_distance_and_step_rate(patient_client, running):
    page = patient_client.get(reverse("painlogs:today")).content.decode()
    item = running.items.get()
    assert "Minutes run" in page
    assert "Distance in km (optional)" in page
    assert "Aim for about <strong>182 steps per minute</strong>" in page
    assert f'name="ex{item.pk}_set2"' not in page  # a run is one block of minutes


def _run_post(item, **overrides):
    return {
        f"ex{item.pk}_set1": "25",
        f"ex{item.pk}_distance": "4.25",
        f"ex{item.pk}_step_rate": "178",
        f"ex{item.pk}_pain": "2",
        "note": "Felt light on my feet",
        **overrides,
    }


def test_the_patient_logs_a_run_from_today_and_sees_it_in_history(patient_client, running):
    item = running.items.get()
    response = patient_client.post(reverse("painlogs:today"), _run_post(item))
    assert response.status_code == 302

    history = patient_client.get(reverse("painlogs:history")).content.decode()
    assert "25 min, 4.25 km, 178 steps/min (target 182)" in history


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("distance", "4.255", "Use at most 2 decimals"),
        ("distance", "0", "greater than or equal to 0.01"),
        ("distance", "far", "Enter a number."),
        ("step_rate", "90", "greater than or equal to 100"),
        ("step_rate", "400", "less than or equal to 250"),
    ],
)
def test_bad_run_extras_are_shown_and_everything_typed_is_kept(
    patient_client, running, field, value, message
):
    item = running.items.get()
    response = patient_client.post(
        reverse("painlogs:today"), _run_post(item, **{f"ex{item.pk}_{field}": value})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{value}"' in page
    assert 'value="25"' in page
    assert "Felt light on my feet" in page


def test_the_api_takes_a_run_and_refuses_bad_extras_per_field(patient, running, other_patient):
    item = running.items.get()
    client = as_user(patient.user)
    good = {
        "results": [
            {
                "prescribed": item.pk,
                "set_values": [22],
                "pain_during": 1,
                "distance_km": "3.5",
                "step_rate": 180,
            }
        ]
    }
    created = client.post("/api/v1/workouts/", good, format="json")
    assert created.status_code == 201, created.content
    result = created.json()["results"][0]
    assert (result["distance_km"], result["step_rate"], result["prescribed_step_rate"]) == (
        "3.50",
        180,
        182,
    )

    bad = {"results": [{**good["results"][0], "step_rate": 99, "distance_km": "-1"}]}
    refused = client.post("/api/v1/workouts/", bad, format="json")
    assert refused.status_code == 400
    errors = refused.json()["results"]["0"]  # DRF keys nested errors by the item's index
    assert set(errors) == {"step_rate", "distance_km"}

    # a stranger cannot read the run
    url = f"/api/v1/workouts/{created.json()['id']}/"
    assert as_user(other_patient.user).get(url).status_code == 404


def test_the_api_prescribes_a_run_with_a_default_target(clinician, patient):
    today = timezone.localdate()
    body = {
        "start_date": str(today),
        "review_date": str(today + timedelta(days=28)),
        "items": [
            {"exercise": library_exercise("tempo-running").pk, "baseline_step_rate": 160},
        ],
    }
    url = f"/api/v1/patients/{patient.pk}/programs/"
    created = as_user(clinician).post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["items"][0]["target_step_rate"] == 176

    body["items"][0]["target_step_rate"] = 150
    refused = as_user(clinician).post(url, body, format="json")
    assert refused.status_code == 400
    assert "target_step_rate" in refused.json()


def _builder_post(slug, **item):
    return builder_post(
        slug,
        dose=("", "", ""),
        **{"items-0-caution_acknowledged": "on"},
        **{f"items-0-{name}": value for name, value in item.items()},
    )


def test_the_builder_prescribes_a_run_with_step_rates(clinician_client, patient):
    url = reverse("programs:new", args=[patient.pk])
    response = clinician_client.post(
        url, _builder_post("conversational-pace-running", baseline_step_rate="170")
    )
    assert response.status_code == 302
    item = patient.programs.get().items.get()
    assert (item.baseline_step_rate, item.target_step_rate) == (170, 187)

    detail = clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "at about 187 steps per minute" in detail


def test_the_builder_drops_hidden_step_rates_left_on_a_strength_exercise(clinician_client, patient):
    # the clinician typed a step rate, then switched the row to a plank (the boxes hide)
    url = reverse("programs:new", args=[patient.pk])
    response = clinician_client.post(
        url, _builder_post("side-plank-knee", baseline_step_rate="170", target_step_rate="180")
    )
    assert response.status_code == 302
    item = patient.programs.get().items.get()
    assert (item.baseline_step_rate, item.target_step_rate) == (None, None)


def test_the_builder_shows_a_target_below_the_preferred_rate_as_a_field_error(
    clinician_client, patient
):
    url = reverse("programs:new", args=[patient.pk])
    response = clinician_client.post(
        url,
        _builder_post(
            "conversational-pace-running", baseline_step_rate="170", target_step_rate="150"
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "should not be below the preferred rate (170)" in page
    assert 'value="150"' in page
    assert not patient.programs.exists()


def test_editing_a_program_keeps_the_runners_step_rates(clinician_client, running):
    # given the builder's edit page, posted back exactly as it shows
    item = running.items.get()
    url = reverse("programs:edit", args=[running.pk])
    form = clinician_client.get(url).context["formset"].forms[0]
    assert (form.initial["baseline_step_rate"], form.initial["target_step_rate"]) == (165, 182)
    page = clinician_client.get(url).content.decode()
    assert 'value="182"' in page

    data = _builder_post(
        "conversational-pace-running",
        id=str(item.pk),
        baseline_step_rate="165",
        target_step_rate="182",
        notes="Flat routes only",
    )
    data["name"] = running.name
    response = clinician_client.post(url, data)

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.baseline_step_rate, item.target_step_rate, item.notes) == (
        165,
        182,
        "Flat routes only",
    )


def test_a_clinics_own_timed_exercise_still_needs_every_set_at_the_top(clinician, patient):
    # given a non-running exercise dosed in minutes: 3 × 5–10 min on the bike
    bike = ExerciseFactory(
        clinic=clinician.clinic,
        name="Bike intervals",
        region="functional",
        dose_kind="duration",
        default_sets=3,
        default_target_low=5,
        default_target_high=10,
    )
    program = assign(clinician, patient, ItemInput(exercise=bike))
    item = program.items.get()
    for days_ago in (5, 3):
        logged_session(patient, item, days_ago=days_ago, set_values=[10])
    assert decision(program).decision == Decision.HOLD
    for days_ago in (2, 1):
        logged_session(patient, item, days_ago=days_ago, set_values=[10, 10, 10])
    assert ExerciseResult.objects.last().done_text == "10 / 10 / 10 min"


def test_the_api_names_the_field_a_strength_exercise_refuses(patient, program):
    item = program.items.first()
    response = as_user(patient.user).post(
        "/api/v1/workouts/",
        {
            "results": [
                {"prescribed": item.pk, "set_values": [10], "pain_during": 1, "distance_km": "3.00"}
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert "distance_km" in response.json()


def test_the_builder_shows_step_rate_boxes_only_on_run_rows(clinician_client, running):
    page = clinician_client.get(reverse("programs:edit", args=[running.pk])).content.decode()
    # the run's row shows them before any script runs; the blank row for a new exercise does not
    assert page.count('class="row g-2 step-rates"') == 1
    assert 'class="row g-2 step-rates d-none"' in page
