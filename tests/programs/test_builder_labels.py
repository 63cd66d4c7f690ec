"""The builder's row labels: one "Exercise" per card, and the range's unit by dose kind."""

import re

import pytest
from django.urls import reverse

from apps.programs.services import ItemInput, program_update
from tests.factories import library_exercise

pytestmark = pytest.mark.django_db


def _label(page: str, field_id: str) -> str:
    return re.search(rf'<label[^>]*for="{field_id}"[^>]*>([^<]*)</label>', page).group(1)


def test_a_row_says_exercise_once_its_select_asks_which(clinician_client, program):
    page = clinician_client.get(reverse("programs:edit", args=[program.pk])).content.decode()

    legend = re.search(r"<legend[^>]*>(.*?)</legend>", page, re.S).group(1)
    legend = " ".join(re.sub(r"<[^>]+>", "", legend).split())
    assert legend == "Exercise 1"
    assert _label(page, "id_items-0-exercise") == "Which exercise"


@pytest.mark.parametrize(
    ("slug", "unit"),
    [
        ("banded-bridge-knees-out", "reps"),
        ("side-plank-knee", "seconds"),
        ("conversational-pace-running", "minutes"),
    ],
)
def test_from_and_to_carry_the_unit_of_the_dose(clinician, clinician_client, program, slug, unit):
    program_update(
        clinician=clinician,
        program=program,
        items=[ItemInput(exercise=library_exercise(slug), caution_acknowledged=True)],
    )

    page = clinician_client.get(reverse("programs:edit", args=[program.pk])).content.decode()

    assert _label(page, "id_items-0-target_low") == f"From ({unit})"
    assert _label(page, "id_items-0-target_high") == f"To ({unit})"
