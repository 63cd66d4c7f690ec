"""The starter templates the data migration ships, as docs/clinical.md describes them."""

import pytest

from apps.exercises.models import CONDITION_CAUTIONS
from apps.program_templates.models import ProgramTemplate

from .helpers import starter

pytestmark = pytest.mark.django_db


def test_four_starter_templates_ship_for_every_clinic():
    names = set(ProgramTemplate.objects.filter(clinic__isnull=True).values_list("name", flat=True))
    assert names == {
        "Hip strength, phase 1 (FAI)",
        "Isometric start (gluteal tendinopathy)",
        "Trunk endurance",
        "Return to running, stage 1",
    }


def test_fai_phase_one_is_five_first_levels_none_with_an_fai_caution():
    template = starter()
    items = list(template.items.all())
    assert len(items) == 5
    assert {i.exercise.level for i in items} == {1}
    regions = {i.exercise.progression.slug for i in items}
    assert {"hip-adductors", "hip-abductors", "hip-extensors", "hip-flexors", "trunk"} == regions
    flagged = CONDITION_CAUTIONS["fai"]
    assert not [i.exercise.name for i in items if set(i.exercise.cautions) & flagged]


def test_gluteal_tendinopathy_start_is_held_and_says_why_it_avoids_compression():
    template = starter("Isometric start (gluteal tendinopathy)")
    assert template.condition == "gluteal_tendinopathy"
    assert all(i.rep_hold_seconds == 10 for i in template.items.all())
    assert "compress" in template.description


def test_trunk_endurance_is_three_holds_of_twenty_to_thirty_seconds():
    doses = [i.dose_text for i in starter("Trunk endurance").items.all()]
    assert doses == ["3 × 20–30 s hold", "3 × 20–30 s hold"]


def test_return_to_running_starts_at_conversational_pace_with_drills_and_strength():
    slugs = [i.exercise.slug for i in starter("Return to running, stage 1").items.all()]
    assert slugs[0] == "conversational-pace-running"
    assert "marching-hands-overhead" in slugs
    assert "weighted-bridge-hip-thrust" in slugs
