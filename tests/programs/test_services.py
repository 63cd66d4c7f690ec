"""Writes of programs: assigning, editing and ending a patient's home program."""

import contextlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.exercises.services import exercise_create
from apps.programs.models import Program
from apps.programs.services import ItemInput, program_assign, program_end, program_update
from tests.factories import PatientFactory, library_exercise

pytestmark = pytest.mark.django_db

DEEP_SQUAT = "squat-more-range-intensity"  # carries the deep_hip_flexion caution


def _assign(clinician, patient, items=None, **fields):
    today = timezone.localdate()
    dates = {"start_date": today, "review_date": today + timedelta(weeks=4)}
    return program_assign(
        clinician=clinician,
        patient=patient,
        items=items or [ItemInput(exercise=library_exercise("banded-bridge-knees-out"))],
        **{**dates, **fields},
    )


def _message(error) -> str:
    return " ".join(error.value.messages)


# --- program_assign ----------------------------------------------------------------------------


def test_a_new_program_ends_the_previous_one_and_keeps_it_as_history(clinician, patient, program):
    # given the patient's active program
    # when the clinician assigns a new one
    new = _assign(clinician, patient, name="Phase 2")

    # then only the new one is active, and the old one is kept with its end time
    program.refresh_from_db()
    assert program.status == Program.Status.ENDED
    assert program.ended_at is not None
    assert program.items.count() == 2
    assert list(Program.objects.filter(patient=patient, status="active")) == [new]
    assert Program.objects.filter(patient=patient).count() == 2


def test_empty_dose_fields_take_the_exercise_defaults(clinician, patient):
    program = _assign(
        clinician,
        patient,
        items=[
            ItemInput(exercise=library_exercise("banded-bridge-knees-out")),
            ItemInput(exercise=library_exercise("side-plank-knee")),
        ],
    )

    doses = [(i.dose_kind, i.sets, i.target_low, i.target_high) for i in program.items.all()]
    assert doses == [("reps", 3, 8, 10), ("hold", 3, 20, 30)]
    assert [i.dose_text for i in program.items.all()] == ["3 × 8–10 reps", "3 × 20–30 s hold"]


def test_doses_the_clinician_edits_are_kept(clinician, patient):
    program = _assign(
        clinician,
        patient,
        items=[
            ItemInput(
                exercise=library_exercise("banded-bridge-knees-out"),
                sets=2,
                target_low=6,
                target_high=8,
                notes="Light band only",
            )
        ],
    )

    (item,) = program.items.all()
    assert (item.sets, item.target_low, item.target_high) == (2, 6, 8)
    assert item.notes == "Light band only"


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (12, 10),  # both given, crossed
        (12, None),  # the default high (10) is below the low the clinician typed
    ],
)
def test_a_range_whose_low_exceeds_its_high_is_refused(clinician, patient, program, low, high):
    with pytest.raises(ValidationError) as error:
        _assign(
            clinician,
            patient,
            items=[
                ItemInput(
                    exercise=library_exercise("banded-bridge-knees-out"),
                    target_low=low,
                    target_high=high,
                )
            ],
        )

    assert "target_high" in error.value.message_dict
    # nothing changed: the current program is still the active one
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE
    assert Program.objects.filter(patient=patient).count() == 1


def test_deep_flexion_for_an_fai_patient_needs_the_caution_acknowledged(clinician, patient):
    # given an FAI patient
    assert patient.condition == "fai"

    with pytest.raises(ValidationError) as error:
        _assign(clinician, patient, items=[ItemInput(exercise=library_exercise(DEEP_SQUAT))])

    assert "deep hip flexion" in _message(error)
    assert "caution_acknowledged" in error.value.message_dict
    assert not Program.objects.filter(patient=patient).exists()


def test_deep_flexion_for_an_fai_patient_is_accepted_once_acknowledged(clinician, patient):
    program = _assign(
        clinician,
        patient,
        items=[ItemInput(exercise=library_exercise(DEEP_SQUAT), caution_acknowledged=True)],
    )

    (item,) = program.items.all()
    assert item.exercise.slug == DEEP_SQUAT
    assert item.caution_acknowledged is True


def test_deep_flexion_needs_no_acknowledgement_for_gluteal_tendinopathy(clinician):
    tendinopathy = PatientFactory(
        user__clinic=clinician.clinic, condition="gluteal_tendinopathy", care_team=[clinician]
    )

    program = _assign(
        clinician, tendinopathy, items=[ItemInput(exercise=library_exercise(DEEP_SQUAT))]
    )

    assert [i.exercise.slug for i in program.items.all()] == [DEEP_SQUAT]


def test_a_clinician_of_another_clinic_cannot_assign_a_program(other_clinic_clinician, patient):
    with pytest.raises(ValidationError) as error:
        _assign(other_clinic_clinician, patient)

    assert "care team" in _message(error)
    assert not Program.objects.filter(patient=patient).exists()


def test_a_colleague_not_on_the_care_team_cannot_assign_a_program(colleague, patient, program):
    with pytest.raises(ValidationError) as error:
        _assign(colleague, patient, name="Colleague's idea")

    assert "care team" in _message(error)
    assert list(Program.objects.filter(patient=patient)) == [program]
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE


def test_another_clinics_own_exercise_cannot_be_prescribed(
    clinician, patient, other_clinic_clinician
):
    # given an exercise private to another clinic
    theirs = exercise_create(
        clinician=other_clinic_clinician,
        name="Elsewhere wall sit",
        region="functional",
        instructions="Sit against a wall.",
        dose_kind="hold",
        default_sets=3,
        default_target_low=20,
        default_target_high=30,
    )

    with pytest.raises(ValidationError) as error:
        _assign(clinician, patient, items=[ItemInput(exercise=theirs)])

    assert "your library" in _message(error)
    assert not Program.objects.filter(patient=patient).exists()


def test_our_clinics_own_exercise_can_be_prescribed(clinician, colleague, patient):
    ours = exercise_create(
        clinician=colleague,
        name="Riverside step-down",
        region="functional",
        instructions="Step down slowly from a low step.",
        dose_kind="reps",
        default_sets=2,
        default_target_low=6,
        default_target_high=8,
    )

    program = _assign(clinician, patient, items=[ItemInput(exercise=ours)])

    (item,) = program.items.all()
    assert (item.exercise, item.sets, item.target_low, item.target_high) == (ours, 2, 6, 8)


def test_green_above_the_ceiling_is_refused(clinician, patient):
    with pytest.raises(ValidationError) as error:
        _assign(clinician, patient, pain_ceiling=3, green_max=4)

    assert "green_max" in error.value.message_dict
    assert not Program.objects.filter(patient=patient).exists()


def test_a_review_before_the_start_is_refused(clinician, patient, program):
    today = timezone.localdate()

    with pytest.raises(ValidationError):
        _assign(clinician, patient, start_date=today, review_date=today - timedelta(days=1))

    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE
    assert Program.objects.filter(patient=patient).count() == 1


def test_a_program_needs_at_least_one_exercise(clinician, patient, program):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as error:
        program_assign(
            clinician=clinician,
            patient=patient,
            items=[],
            start_date=today,
            review_date=today + timedelta(days=7),
        )

    assert "at least one exercise" in _message(error)
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE


# --- program_update / program_end --------------------------------------------------------------


def test_update_changes_doses_and_bands(clinician, program):
    bridge, plank = program.items.order_by("order")

    program_update(
        clinician=clinician,
        program=program,
        items=[
            ItemInput(exercise=bridge.exercise, id=bridge.pk, sets=2, target_low=5, target_high=6)
        ],
        pain_ceiling=4,
        green_max=1,
    )

    program.refresh_from_db()
    assert (program.pain_ceiling, program.green_max) == (4, 1)
    # the plank was left out, so it is no longer prescribed
    assert [(i.pk, i.sets, i.target_low, i.target_high) for i in program.items.all()] == [
        (bridge.pk, 2, 5, 6)
    ]


def test_a_colleague_not_on_the_care_team_cannot_update_the_program(colleague, program):
    bridge, plank = program.items.order_by("order")

    with pytest.raises(ValidationError):
        program_update(
            clinician=colleague,
            program=program,
            items=[ItemInput(exercise=bridge.exercise, id=bridge.pk, sets=1)],
        )

    bridge.refresh_from_db()
    assert bridge.sets == 3
    assert program.items.count() == 2


def test_an_ended_program_cannot_be_edited(clinician, program):
    program_end(clinician=clinician, program=program, reason="Goals met")
    bridge, _ = program.items.order_by("order")

    with pytest.raises(ValidationError) as error:
        program_update(
            clinician=clinician,
            program=program,
            items=[ItemInput(exercise=bridge.exercise, id=bridge.pk, sets=1)],
        )

    assert "ended program" in _message(error)
    bridge.refresh_from_db()
    assert bridge.sets == 3


def test_ending_a_program_keeps_it_as_history(clinician, patient, program):
    program_end(clinician=clinician, program=program, reason="Goals met")

    program.refresh_from_db()
    assert program.status == Program.Status.ENDED
    assert program.ended_at is not None
    assert not Program.objects.filter(patient=patient, status="active").exists()
    assert program.items.count() == 2


def test_ending_an_ended_program_again_keeps_its_end_date(clinician, program):
    # given a program ended a month ago
    with time_machine.travel(timezone.now() - timedelta(days=30), tick=False):
        program_end(clinician=clinician, program=program, reason="Goals met")
    program.refresh_from_db()
    ended_at = program.ended_at

    # when it is ended again today (refused, or a no-op)
    with contextlib.suppress(ValidationError):
        program_end(clinician=clinician, program=program, reason="Goals met")

    # then the history still says when it really ended
    program.refresh_from_db()
    assert program.ended_at == ended_at


def test_a_clinician_of_another_clinic_cannot_end_the_program(other_clinic_clinician, program):
    with pytest.raises(ValidationError):
        program_end(clinician=other_clinic_clinician, program=program, reason="Goals met")

    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE
    assert program.ended_at is None


def test_caution_acknowledged_is_kept_only_where_there_is_a_caution(clinician, patient):
    from django.urls import reverse

    from tests.conftest import client_for

    program = _assign(
        clinician,
        patient,
        items=[
            ItemInput(exercise=library_exercise(DEEP_SQUAT), caution_acknowledged=True),
            # the form or an API client may send the tick for an exercise with no caution
            ItemInput(
                exercise=library_exercise("banded-bridge-knees-out"), caution_acknowledged=True
            ),
        ],
    )

    squat, bridge = program.items.order_by("order")
    assert squat.caution_acknowledged is True
    assert bridge.caution_acknowledged is False
    page = client_for(clinician).get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert page.count("Caution acknowledged") == 1
    assert "Caution acknowledged: deep hip flexion" in page
