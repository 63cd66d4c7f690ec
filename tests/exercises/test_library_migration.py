"""The shared exercise library loaded by migration ``exercises.0002_load_library``.

The expected table below is written out by hand from docs/clinical.md ("Exercise library", "Dosage
defaults"), independently of the migration's data, so a wrong or missing row fails a test.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps

from apps.exercises.models import Exercise, Progression

pytestmark = pytest.mark.django_db

REPS = ("reps", 3, 8, 10)
TRUNK = ("hold", 3, 20, 30)
COPENHAGEN = ("hold", 3, 10, 20)
DRILL = ("reps", 3, 10, 20)

# Progression name -> [(exercise-name substring, dose_kind, sets, low, high), ...] by level.
EXPECTED = {
    "Hip adductors": [
        ("Side-lying hip adduction lift", *REPS),
        ("ankle weight", *REPS),
        ("Standing hip adduction", *REPS),
        ("Copenhagen plank, short lever", *COPENHAGEN),
        ("Copenhagen plank, long lever", *COPENHAGEN),
    ],
    "Hip abductors": [
        ("Bridge with a band", *REPS),
        ("Standing resisted hip abduction", *REPS),
        ("Hip hike", *REPS),
        ("Hip hike with added load", *REPS),
    ],
    "Hip extensors": [
        ("hip thrust", *REPS),
        ("Standing resisted hip extension", *REPS),
        ("Single-leg deadlift", *REPS),
    ],
    "Hip flexors": [
        ("Supine hip flexion", *REPS),
        ("resisted march", *REPS),
        ("Plank with hip extension", *TRUNK),
    ],
    "Trunk": [
        ("Side plank from knee", *TRUNK),
        ("Full side plank", *TRUNK),
        ("Pallof press", *TRUNK),
    ],
    "Functional retraining: squat": [
        ("Squat in a comfortable range", *REPS),
        ("more range", *REPS),
        ("shrimp squat", *REPS),
    ],
    "Functional retraining: jumping": [
        ("two-legged vertical hops", *REPS),
        ("lateral hops", *REPS),
        ("Single-leg hops", *REPS),
    ],
    "Running drills": [
        ("Marching with hands overhead", *DRILL),
        ("Marching with a dowel overhead", *DRILL),
    ],
    "Return to running": [
        ("Conversational-pace running", "duration", 1, 10, 20),
        ("Easy running plus strides", "duration", 1, 20, 30),
        ("Tempo running", "duration", 1, 20, 30),
        ("Hills and faster running", "duration", 1, 20, 40),
    ],
}

EXPECTED_REGIONS = {
    "Hip adductors": "hip",
    "Hip abductors": "hip",
    "Hip extensors": "hip",
    "Hip flexors": "hip",
    "Trunk": "trunk",
    "Functional retraining: squat": "functional",
    "Functional retraining: jumping": "functional",
    "Running drills": "running",
    "Return to running": "running",
}

SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def library():
    return Exercise.objects.filter(clinic__isnull=True)


def test_progressions_present_in_domain_order():
    progressions = list(Progression.objects.order_by("order"))
    assert [p.name for p in progressions] == list(EXPECTED)
    assert [p.order for p in progressions] == list(range(1, len(EXPECTED) + 1))
    assert {p.name: p.region for p in progressions} == EXPECTED_REGIONS
    for p in progressions:
        assert p.description.strip(), p.name


@pytest.mark.parametrize("progression_name", list(EXPECTED))
def test_progression_levels_names_and_doses(progression_name):
    progression = Progression.objects.get(name=progression_name)
    exercises = list(progression.exercises.filter(clinic__isnull=True).order_by("level"))
    expected = EXPECTED[progression_name]

    assert [e.level for e in exercises] == list(range(1, len(expected) + 1))
    for exercise, (name_part, dose_kind, sets, low, high) in zip(exercises, expected, strict=True):
        assert name_part.lower() in exercise.name.lower(), (exercise.level, exercise.name)
        assert (
            exercise.dose_kind,
            exercise.default_sets,
            exercise.default_target_low,
            exercise.default_target_high,
        ) == (dose_kind, sets, low, high), exercise.name
        assert exercise.region == EXPECTED_REGIONS[progression_name], exercise.name


def test_library_size_and_unique_slugs():
    expected_count = sum(len(rows) for rows in EXPECTED.values())
    assert expected_count == 30
    slugs = list(library().values_list("slug", flat=True))
    assert len(slugs) == expected_count
    assert len(set(slugs)) == expected_count
    assert not library().filter(progression__isnull=True).exists()


def test_every_instruction_has_two_to_four_sentences():
    for exercise in library():
        sentences = len(SENTENCE_END.findall(exercise.instructions.strip()))
        assert 2 <= sentences <= 4, (exercise.name, sentences)


def test_side_lying_adduction_lifts_hold_each_rep():
    lifts = library().filter(progression__slug="hip-adductors", level__in=[1, 2])
    assert lifts.count() == 2
    for lift in lifts:
        assert lift.dose_kind == "reps"
        assert lift.default_rep_hold_seconds in (2, 3), lift.name
    # Only those lifts carry a per-rep hold.
    assert library().exclude(default_rep_hold_seconds=None).count() == 2


def test_copenhagen_planks_are_holds():
    planks = library().filter(name__icontains="copenhagen")
    assert planks.count() == 2
    for plank in planks:
        assert plank.dose_kind == "hold", plank.name
        assert plank.default_rep_hold_seconds is None


def test_deep_flexion_caution_on_deeper_squats_and_hills():
    squats = {e.level: e for e in library().filter(progression__slug="functional-squat")}
    assert "deep_hip_flexion" not in squats[1].cautions
    assert "deep_hip_flexion" in squats[2].cautions
    assert "deep_hip_flexion" in squats[3].cautions
    hills = library().get(name__icontains="hills")
    assert "deep_hip_flexion" in hills.cautions


def test_impact_caution_on_jumping_and_running_only():
    impact = {e.slug for e in library() if "impact" in e.cautions}
    expected = set(
        library()
        .filter(progression__slug__in=["functional-jumping", "return-to-running"])
        .values_list("slug", flat=True)
    )
    assert len(expected) == 7
    assert impact == expected


def test_caution_tags_are_known():
    known = {"deep_hip_flexion", "end_range_external_rotation", "impact"}
    for exercise in library():
        assert isinstance(exercise.cautions, list), exercise.name
        assert set(exercise.cautions) <= known, exercise.name


def test_no_library_exercise_belongs_to_a_clinic():
    # Query every level without filtering on clinic, so a clinic set by the migration shows up.
    for progression_name, rows in EXPECTED.items():
        exercises = Exercise.objects.filter(progression__name=progression_name)
        assert exercises.count() == len(rows), progression_name
        assert [e.clinic_id for e in exercises] == [None] * len(rows), progression_name


def test_loading_again_is_idempotent():
    migration = importlib.import_module("apps.exercises.migrations.0002_load_library")
    before = sorted(
        library().values_list("slug", "level", "progression__slug", "default_target_high")
    )
    migration.load_library(django_apps, None)
    after = sorted(
        library().values_list("slug", "level", "progression__slug", "default_target_high")
    )
    assert after == before
    assert Progression.objects.count() == len(EXPECTED)
