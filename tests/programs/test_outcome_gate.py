"""A questionnaire criterion for moving a run on to its next stage (hip rating ≥ 80 %, or PSFS
improved by 2): the rule holds, with the reason in words, until it is met."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import response_answer, response_complete, response_open
from apps.programs.rules import (
    Decision,
    GateError,
    GateScores,
    OutcomeGate,
    Suggestion,
    outcome_gated,
)
from apps.programs.selectors import program_suggestions
from apps.programs.services import ItemInput, program_assign
from tests.api.clients import as_user
from tests.factories import library_exercise
from tests.helpers import builder_post, logged_session

READY = Suggestion(Decision.PROGRESS, "20 min at 1/10 on 3 Nov and 6 Nov; 24 h 1/10")
HIP_80 = OutcomeGate("hip-rating", "at_least", 80)
PSFS_2 = OutcomeGate("psfs", "improved_by", 2)


@pytest.mark.parametrize(
    ("gate", "first", "latest", "decision", "words"),
    [
        (HIP_80, 50, 80, Decision.PROGRESS, "hip rating 80 % meets the 80 % this stage needs"),
        (HIP_80, 50, 79, Decision.HOLD, "hip rating 79 % is below the 80 % this stage needs"),
        (PSFS_2, 4.0, 6.0, Decision.PROGRESS, "PSFS up 2 since the first, meeting the 2"),
        (PSFS_2, 4.0, 5.9, Decision.HOLD, "PSFS up 1.9 since the first, short of the 2"),
        (PSFS_2, 6.0, 3.0, Decision.HOLD, "PSFS down 3 since the first, short of the 2"),
        (HIP_80, None, None, Decision.HOLD, "no hip rating yet, and this stage needs hip rating"),
    ],
)
def test_the_criterion_at_its_boundaries(gate, first, latest, decision, words):
    result = outcome_gated(READY, gate, GateScores(first, latest))
    assert result.decision == decision
    assert words in result.reason
    assert READY.reason in result.reason  # the usual rule's own reason stays


@pytest.mark.parametrize("decision", [Decision.HOLD, Decision.REGRESS, Decision.REDUCE])
def test_only_a_progression_is_gated(decision):
    suggestion = Suggestion(decision, "red in 2 of the last 3 sessions")
    assert outcome_gated(suggestion, HIP_80, GateScores(10, 10)) == suggestion


@pytest.mark.parametrize(
    "data",
    [
        {"instrument": "hagos", "kind": "at_least", "value": 80},
        {"instrument": "psfs", "kind": "most", "value": 2},
        {"instrument": "psfs", "kind": "at_least", "value": 11},
        {"instrument": "hip-rating", "kind": "at_least", "value": 0},
        {"instrument": "hip-rating", "kind": "at_least", "value": True},
        {"instrument": "hip-rating", "kind": "at_least"},
        "hip rating 80",
    ],
)
def test_a_malformed_criterion_is_refused(data):
    with pytest.raises(GateError):
        OutcomeGate.parse(data)


# --- on a patient's run -----------------------------------------------------------------------


def assign(clinician, patient, gate, slug="conversational-pace-running"):
    return program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate() - timedelta(30),
        review_date=timezone.localdate() + timedelta(30),
        items=[ItemInput(exercise=library_exercise(slug), outcome_gate=gate)],
    )


def hip_rating(patient, value, due):
    questionnaire = questionnaire_for(clinic=patient.clinic, code="hip-rating")
    response = response_open(patient=patient, questionnaire=questionnaire, due_date=due)
    response_answer(user=patient.user, response=response, answers={"hip-rating": value})
    response_complete(user=patient.user, response=response)


def ready_runs(patient, program):
    item = program.items.get()
    for days_ago in (6, 3):
        logged_session(patient, item, days_ago=days_ago, set_values=[20], pain=1, after=1)


@pytest.mark.django_db
def test_a_run_ready_for_stage_2_holds_until_the_hip_rating_reaches_80(clinician, patient):
    program = assign(clinician, patient, HIP_80.as_dict())
    ready_runs(patient, program)
    hip_rating(patient, 72, date(2026, 11, 2))

    ((_, held),) = program_suggestions(program)
    assert held.decision == Decision.HOLD
    assert held.reason.startswith("hip rating 72 % is below the 80 % this stage needs")

    hip_rating(patient, 84, date(2026, 11, 16))
    ((_, ready),) = program_suggestions(program)
    assert ready.decision == Decision.PROGRESS
    assert "hip rating 84 % meets the 80 % this stage needs" in ready.reason


@pytest.mark.django_db
def test_a_criterion_belongs_to_runs_only(clinician, patient):
    with pytest.raises(ValidationError) as error:
        assign(clinician, patient, HIP_80.as_dict(), slug="side-plank-knee")
    assert "running stages" in error.value.message_dict["outcome_gate"][0]


@pytest.mark.django_db
def test_the_api_takes_the_criterion_and_refuses_a_bad_one_with_a_field_message(clinician, patient):
    api = as_user(clinician)
    url = f"/api/v1/patients/{patient.pk}/programs/"
    item = {"exercise": library_exercise("conversational-pace-running").pk}
    body = {
        "start_date": str(timezone.localdate()),
        "review_date": str(timezone.localdate() + timedelta(30)),
    }

    bad = api.post(
        url,
        {**body, "items": [{**item, "outcome_gate": {"instrument": "hagos", "kind": "at_least"}}]},
        format="json",
    )
    assert bad.status_code == 400
    assert "outcome_gate" in str(bad.json())

    good = api.post(
        url, {**body, "items": [{**item, "outcome_gate": PSFS_2.as_dict()}]}, format="json"
    )
    assert good.status_code == 201, good.json()
    assert good.json()["items"][0]["outcome_gate"] == {
        "instrument": "psfs",
        "kind": "improved_by",
        "value": 2.0,
    }


def _builder_post(slug, **item):
    return builder_post(
        slug,
        dose=("", "", ""),
        **{"items-0-caution_acknowledged": "on"},
        **{f"items-0-{name}": value for name, value in item.items()},
    )


@pytest.mark.django_db
def test_the_builder_sets_the_criterion_on_a_run_and_shows_it_again(clinician_client, patient):
    url = reverse("programs:new", args=[patient.pk])
    response = clinician_client.post(
        url,
        _builder_post("conversational-pace-running", gate="hip-rating:at_least", gate_value="80"),
    )
    assert response.status_code == 302
    program = patient.programs.get()
    assert program.items.get().outcome_gate == HIP_80.as_dict()

    edit = clinician_client.get(reverse("programs:edit", args=[program.pk])).content.decode()
    assert '<option value="hip-rating:at_least" selected>' in edit
    assert 'value="80.0"' in edit


@pytest.mark.django_db
def test_the_builder_asks_for_the_value_and_keeps_what_was_entered(clinician_client, patient):
    url = reverse("programs:new", args=[patient.pk])
    response = clinician_client.post(
        url, _builder_post("conversational-pace-running", gate="psfs:improved_by", gate_value="")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the score the next stage needs." in page
    assert '<option value="psfs:improved_by" selected>' in page
    assert not patient.programs.exists()
