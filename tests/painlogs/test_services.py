"""Writes of the pain log: workouts, their 24-hour rating, activities and next-day soreness."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.painlogs.models import Activity, ExerciseResult, Workout
from apps.painlogs.services import (
    ResultInput,
    activity_log,
    activity_soreness_record,
    followup_record,
    workout_log,
)
from apps.programs.services import ItemInput, program_assign, program_end, program_update
from tests.factories import PatientFactory, library_exercise

pytestmark = pytest.mark.django_db

# 05:00 UTC on 10 March 2026 is still 9 March (22:00 PDT) in Los Angeles, the patient's zone.
LOGGED_AT = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)


def _items(program):
    bridge, plank = program.items.order_by("order")
    return bridge, plank


def _did(rx, sets, pain, note=""):
    return ResultInput(prescribed=rx, set_values=sets, pain_during=pain, note=note)


def _log(patient, program, *, bridge_pain=1, plank_pain=1, at=LOGGED_AT):
    bridge, plank = _items(program)
    with time_machine.travel(at, tick=False):
        return workout_log(
            user=patient.user,
            results=[_did(bridge, [10, 9, 8], bridge_pain), _did(plank, [30, 25, 20], plank_pain)],
        )


def _message(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


# --- workout_log -------------------------------------------------------------------------------


def test_workout_stores_each_result_with_a_snapshot_of_its_prescription(patient, program):
    # given a program of a bridge (3 × 8–10 reps) and a side plank (3 × 20–30 s)
    bridge, plank = _items(program)

    # when the patient logs both
    workout = workout_log(
        user=patient.user,
        results=[
            _did(bridge, [10, 10, 9], 2, note="band slipped"),
            _did(plank, [30, 25, 20], 1),
        ],
        note="Felt good overall",
    )

    # then each result keeps what was prescribed that day and what was done
    rows = list(workout.results.order_by("id"))
    assert [
        (r.exercise_name, r.prescribed_sets, r.prescribed_low, r.prescribed_high) for r in rows
    ] == [
        ("Bridge with a band around the knees", 3, 8, 10),
        ("Side plank from knee and elbow", 3, 20, 30),
    ]
    assert rows[0].set_values == [10, 10, 9]
    assert rows[0].sets_done == 3
    assert rows[0].note == "band slipped"
    assert rows[1].prescribed_text == "3 × 20–30 s hold"
    assert workout.note == "Felt good overall"
    assert workout.program == program


def test_workout_pain_is_the_worst_exercise_pain_and_sets_the_light(patient, program):
    # given the bridge hurt 3/10 and the plank 1/10, with the default ceiling of 3
    # when the workout is logged
    workout = _log(patient, program, bridge_pain=3, plank_pain=1)

    # then the session's pain is the worst of the two, which is yellow (at the ceiling)
    workout.refresh_from_db()
    assert workout.pain_during == 3
    assert workout.light == "yellow"


def test_workout_above_the_ceiling_is_red(patient, program):
    workout = _log(patient, program, bridge_pain=1, plank_pain=4)

    workout.refresh_from_db()
    assert workout.pain_during == 4
    assert workout.light == "red"


def test_editing_the_program_never_rewrites_a_past_log(clinician, patient, program):
    # given a workout logged against the bridge at 3 × 8–10
    workout = _log(patient, program)
    bridge, plank = _items(program)

    # when the clinician raises the bridge to 4 × 12–15 and shortens the plank
    program_update(
        clinician=clinician,
        program=program,
        items=[
            ItemInput(
                exercise=bridge.exercise, id=bridge.pk, sets=4, target_low=12, target_high=15
            ),
            ItemInput(exercise=plank.exercise, id=plank.pk, sets=2, target_low=15, target_high=20),
        ],
    )

    # then the program has the new doses...
    bridge.refresh_from_db()
    assert (bridge.sets, bridge.target_low, bridge.target_high) == (4, 12, 15)
    # ...but the logged results still show what was prescribed on the day
    snapshot = [
        (r.prescribed_sets, r.prescribed_low, r.prescribed_high)
        for r in ExerciseResult.objects.filter(workout=workout).order_by("id")
    ]
    assert snapshot == [(3, 8, 10), (3, 20, 30)]


def test_skipped_exercise_is_stored_without_sets(patient, program):
    bridge, plank = _items(program)

    workout = workout_log(
        user=patient.user,
        results=[
            _did(bridge, [10, 10, 10], 2),
            ResultInput(prescribed=plank, skipped=True, skip_reason="time"),
        ],
    )

    skipped = workout.results.get(prescribed=plank)
    assert skipped.skipped is True
    assert skipped.sets_done == 0
    assert skipped.done_text == "skipped (no time)"
    assert workout.pain_during == 2


def test_skipped_exercise_without_a_reason_is_refused(patient, program):
    bridge, plank = _items(program)

    with pytest.raises(ValidationError) as error:
        workout_log(
            user=patient.user,
            results=[_did(bridge, [10, 10, 10], 1), ResultInput(prescribed=plank, skipped=True)],
        )

    assert "why you skipped" in _message(error)
    assert "skip_reason" in error.value.message_dict
    assert not Workout.objects.exists()


def test_a_workout_of_only_skipped_exercises_is_refused(patient, program):
    bridge, plank = _items(program)

    with pytest.raises(ValidationError) as error:
        workout_log(
            user=patient.user,
            results=[
                ResultInput(prescribed=bridge, skipped=True, skip_reason="pain"),
                ResultInput(prescribed=plank, skipped=True, skip_reason="time"),
            ],
        )

    assert "at least one exercise" in _message(error)
    assert not Workout.objects.exists()


@pytest.mark.parametrize("pain", [-1, 11])
def test_pain_outside_0_to_10_is_refused(patient, program, pain):
    bridge, _ = _items(program)

    with pytest.raises(ValidationError) as error:
        workout_log(user=patient.user, results=[_did(bridge, [10, 10, 10], pain)])

    assert "pain_during" in error.value.message_dict
    assert not Workout.objects.exists()


def test_a_done_exercise_without_a_pain_rating_is_refused(patient, program):
    bridge, _ = _items(program)

    with pytest.raises(ValidationError) as error:
        workout_log(user=patient.user, results=[_did(bridge, [10, 10, 10], None)])

    assert "pain_during" in error.value.message_dict
    assert not Workout.objects.exists()


def test_a_negative_set_is_refused(patient, program):
    bridge, _ = _items(program)

    with pytest.raises(ValidationError) as error:
        workout_log(user=patient.user, results=[_did(bridge, [10, -3, 10], 1)])

    assert "set_values" in error.value.message_dict
    assert not Workout.objects.exists()


def test_logging_without_an_active_program_is_refused(clinician, patient, program):
    # given the clinician ended the patient's only program
    bridge, _ = _items(program)
    program_end(clinician=clinician, program=program, reason="Goals met")

    with pytest.raises(ValidationError) as error:
        workout_log(user=patient.user, results=[_did(bridge, [10, 10, 10], 1)])

    assert "no active program" in _message(error)
    assert not Workout.objects.exists()


def test_a_clinician_cannot_log_a_workout_as_the_patient(clinician, program):
    bridge, _ = _items(program)

    with pytest.raises(ValidationError) as error:
        workout_log(user=clinician, results=[_did(bridge, [10, 10, 10], 1)])

    assert "Only the patient" in _message(error)
    assert not Workout.objects.exists()


def test_a_workout_cannot_be_logged_in_the_future(patient, program):
    bridge, _ = _items(program)

    with pytest.raises(ValidationError):
        workout_log(
            user=patient.user,
            results=[_did(bridge, [10, 10, 10], 1)],
            performed_at=datetime.now(tz=UTC) + timedelta(hours=1),
        )

    assert not Workout.objects.exists()


def test_local_date_is_the_date_in_the_patients_zone(patient, program):
    # given the patient lives in Los Angeles
    # when they log at 05:00 UTC on 10 March (22:00 on 9 March, their time)
    workout = _log(patient, program, at=LOGGED_AT)

    # then the workout belongs to their 9 March
    workout.refresh_from_db()
    assert workout.performed_at == LOGGED_AT
    assert workout.local_date == date(2026, 3, 9)


# --- followup_record ---------------------------------------------------------------------------


def test_followup_is_refused_before_24_hours(patient, program):
    workout = _log(patient, program)

    with (
        time_machine.travel(LOGGED_AT + timedelta(hours=23, minutes=59), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        followup_record(user=patient.user, workout=workout, pain=2)

    assert "opens at" in _message(error)
    workout.refresh_from_db()
    assert workout.followup_pain is None


def test_the_refusal_says_when_the_rating_opens_in_the_patients_zone(patient, program):
    # given a workout at 05:00 UTC on 10 March, i.e. 22:00 on Monday 9 March in Los Angeles
    workout = _log(patient, program)

    with (
        time_machine.travel(LOGGED_AT + timedelta(hours=1), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        followup_record(user=patient.user, workout=workout, pain=2)

    # then the patient reads their own clock time, 24 hours on
    assert error.value.message_dict["followup_pain"] == [
        "The 24-hour rating opens at 22:00 on Tue 10 Mar, 24 hours after your workout."
    ]


def test_across_the_dst_change_the_rating_opens_24_real_hours_later(patient, program):
    # given a workout at 20:00 PST on Saturday 7 March; clocks go forward that night
    saturday_evening = datetime(2026, 3, 8, 4, 0, tzinfo=UTC)
    workout = _log(patient, program, at=saturday_evening)
    assert workout.local_date == date(2026, 3, 7)

    # when the patient tries at 20:30 PDT on Sunday (only 23.5 real hours later)
    with (
        time_machine.travel(saturday_evening + timedelta(hours=23, minutes=30), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        followup_record(user=patient.user, workout=workout, pain=2)

    # then it opens at 21:00 their time: 24 real hours, not the same clock time
    assert "opens at 21:00 on Sun 8 Mar" in _message(error)
    with time_machine.travel(saturday_evening + timedelta(hours=24), tick=False):
        followup_record(user=patient.user, workout=workout, pain=2)
    workout.refresh_from_db()
    assert workout.followup_pain == 2


def test_followup_opens_at_exactly_24_hours(patient, program):
    workout = _log(patient, program)
    opens = LOGGED_AT + timedelta(hours=24)

    with time_machine.travel(opens, tick=False):
        followup_record(user=patient.user, workout=workout, pain=2)

    workout.refresh_from_db()
    assert workout.followup_pain == 2
    assert workout.followup_at == opens


def test_a_late_followup_keeps_its_real_time(patient, program):
    # given a workout rated three days later
    workout = _log(patient, program)
    three_days_later = LOGGED_AT + timedelta(days=3, hours=5, minutes=17)

    with time_machine.travel(three_days_later, tick=False):
        followup_record(user=patient.user, workout=workout, pain=1)

    # then the rating is stored with the time it was actually given, not "24 h after"
    workout.refresh_from_db()
    assert workout.followup_at == three_days_later
    assert workout.followup_pain == 1


def test_followup_cannot_be_given_twice(patient, program):
    workout = _log(patient, program)
    with time_machine.travel(LOGGED_AT + timedelta(hours=25), tick=False):
        followup_record(user=patient.user, workout=workout, pain=1)

    with (
        time_machine.travel(LOGGED_AT + timedelta(hours=26), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        followup_record(user=patient.user, workout=workout, pain=8)

    assert "already given" in _message(error)
    workout.refresh_from_db()
    assert workout.followup_pain == 1
    assert workout.light == "green"


def test_followup_of_someone_elses_workout_is_refused(patient, program, other_patient):
    workout = _log(patient, program)

    with (
        time_machine.travel(LOGGED_AT + timedelta(hours=25), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        followup_record(user=other_patient.user, workout=workout, pain=9)

    assert "your own workouts" in _message(error)
    workout.refresh_from_db()
    assert workout.followup_pain is None


def test_green_session_turns_red_with_a_bad_24_hour_rating(patient, program):
    # given a session that was green while doing it (pain 1)
    workout = _log(patient, program, bridge_pain=1, plank_pain=1)
    workout.refresh_from_db()
    assert workout.light == "green"

    # when the hip hurts 4/10 the next day (above the ceiling of 3)
    with time_machine.travel(LOGGED_AT + timedelta(hours=24, minutes=30), tick=False):
        followup_record(user=patient.user, workout=workout, pain=4)

    # then the session is red
    workout.refresh_from_db()
    assert workout.light == "red"
    assert workout.followup_pain == 4


@pytest.mark.parametrize("pain", [-1, 11])
def test_followup_pain_outside_0_to_10_is_refused(patient, program, pain):
    workout = _log(patient, program)

    with (
        time_machine.travel(LOGGED_AT + timedelta(hours=25), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        followup_record(user=patient.user, workout=workout, pain=pain)

    assert "followup_pain" in error.value.message_dict
    workout.refresh_from_db()
    assert workout.followup_pain is None


# --- activity_log / activity_soreness_record ---------------------------------------------------


def _activity(patient, *, pain=2, day=date(2026, 3, 9), **kwargs):
    return activity_log(
        user=patient.user,
        kind="bike",
        date=day,
        duration_minutes=25,
        pain_during=pain,
        description="commute",
        now=LOGGED_AT,
        **kwargs,
    )


def test_activity_light_follows_the_active_programs_ceiling(clinician, patient, program):
    # given the clinician raised this patient's ceiling to 5
    bridge, plank = _items(program)
    program_update(
        clinician=clinician,
        program=program,
        items=[
            ItemInput(exercise=bridge.exercise, id=bridge.pk),
            ItemInput(exercise=plank.exercise, id=plank.pk),
        ],
        pain_ceiling=5,
    )

    # when a bike ride hurt 4/10 (red under the default ceiling of 3)
    activity = _activity(patient, pain=4)

    # then it is yellow for this patient
    activity.refresh_from_db()
    assert activity.light == "yellow"
    assert activity.pain_ceiling == 5


def test_activity_without_a_program_uses_the_default_ceiling(patient):
    activity = _activity(patient, pain=4)

    assert activity.light == "red"
    assert activity.pain_ceiling == 3


def test_activity_on_a_future_local_date_is_refused(patient):
    # 10 March is already "today" in UTC but still tomorrow in Los Angeles
    with pytest.raises(ValidationError) as error:
        _activity(patient, day=date(2026, 3, 10))

    assert "future date" in _message(error)
    assert "date" in error.value.message_dict
    assert not Activity.objects.exists()


def test_activity_today_in_the_patients_zone_is_accepted(patient):
    activity = _activity(patient, day=date(2026, 3, 9))

    assert Activity.objects.get().pk == activity.pk


def test_soreness_is_refused_on_the_same_local_day(patient):
    # given a ride on 9 March, rated at 22:00 the same evening in Los Angeles (05:00 UTC, 10 March)
    activity = _activity(patient)

    with pytest.raises(ValidationError) as error:
        activity_soreness_record(user=patient.user, activity=activity, soreness=2, now=LOGGED_AT)

    assert "day after" in _message(error)
    activity.refresh_from_db()
    assert activity.next_day_soreness is None


def test_soreness_is_accepted_from_the_next_local_day(patient):
    activity = _activity(patient)
    just_after_midnight_la = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)

    activity_soreness_record(
        user=patient.user, activity=activity, soreness=2, now=just_after_midnight_la
    )

    activity.refresh_from_db()
    assert activity.next_day_soreness == 2
    assert activity.soreness_recorded_at == just_after_midnight_la
    assert activity.light == "green"


def test_soreness_above_the_ceiling_turns_the_activity_red(patient):
    activity = _activity(patient, pain=1)
    assert activity.light == "green"

    activity_soreness_record(
        user=patient.user, activity=activity, soreness=4, now=LOGGED_AT + timedelta(days=1)
    )

    activity.refresh_from_db()
    assert activity.light == "red"


def test_soreness_cannot_be_recorded_twice(patient):
    activity = _activity(patient, pain=1)
    next_day = LOGGED_AT + timedelta(days=1)
    activity_soreness_record(user=patient.user, activity=activity, soreness=1, now=next_day)

    with pytest.raises(ValidationError):
        activity_soreness_record(user=patient.user, activity=activity, soreness=9, now=next_day)

    activity.refresh_from_db()
    assert activity.next_day_soreness == 1


def test_soreness_of_someone_elses_activity_is_refused(patient, other_patient):
    activity = _activity(patient, pain=1)

    with pytest.raises(ValidationError):
        activity_soreness_record(
            user=other_patient.user,
            activity=activity,
            soreness=9,
            now=LOGGED_AT + timedelta(days=1),
        )

    activity.refresh_from_db()
    assert activity.next_day_soreness is None


def test_a_clinician_cannot_log_an_activity_for_the_patient(clinician, patient):
    with pytest.raises(ValidationError):
        activity_log(
            user=clinician,
            kind="run",
            date=date(2026, 3, 9),
            duration_minutes=20,
            pain_during=1,
            now=LOGGED_AT,
        )

    assert not Activity.objects.exists()


def test_the_same_instant_is_the_next_day_for_a_patient_in_tokyo(clinician):
    # given a patient in Tokyo with a program of their own
    tokyo = PatientFactory(
        user__clinic=clinician.clinic, user__timezone="Asia/Tokyo", care_team=[clinician]
    )
    program = program_assign(
        clinician=clinician,
        patient=tokyo,
        start_date=date(2026, 3, 1),
        review_date=date(2026, 4, 1),
        items=[ItemInput(exercise=library_exercise("banded-bridge-knees-out"))],
    )
    (bridge,) = program.items.all()

    # when they log at the same instant (14:00 in Tokyo)
    with time_machine.travel(LOGGED_AT, tick=False):
        workout = workout_log(user=tokyo.user, results=[_did(bridge, [10, 10, 10], 1)])

    # then their workout is on 10 March
    workout.refresh_from_db()
    assert workout.local_date == date(2026, 3, 10)
