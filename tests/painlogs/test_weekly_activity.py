"""Weekly activity against the WHO targets, in the patient's own week (time travel)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from apps.painlogs.selectors import weekly_activity
from apps.painlogs.services import ResultInput, activity_log, workout_log
from apps.programs.services import ItemInput, program_assign
from tests.conftest import client_for
from tests.factories import PatientFactory, library_exercise

pytestmark = pytest.mark.django_db

# Sunday 15 Nov 2026, 23:30 in Los Angeles: already Monday 16 Nov, 07:30, in UTC.
SUNDAY_NIGHT_LA = datetime(2026, 11, 16, 7, 30, tzinfo=UTC)


def strength_session(patient, program, at):
    bridge = program.items.first()
    return workout_log(
        user=patient.user,
        performed_at=at,
        results=[ResultInput(prescribed=bridge, set_values=[10, 10, 10], pain_during=1)],
    )


def activity(patient, day, minutes, kind="walk"):
    return activity_log(
        user=patient.user, kind=kind, date=day, duration_minutes=minutes, pain_during=1
    )


def november_program(clinician, patient, *slugs):
    return program_assign(
        clinician=clinician,
        patient=patient,
        start_date=date(2026, 11, 1),
        review_date=date(2026, 12, 31),
        items=[ItemInput(exercise=library_exercise(s), caution_acknowledged=True) for s in slugs],
    )


def this_week(patient, today):
    return weekly_activity(patient, today=today, weeks=1)[0]


def test_sunday_night_in_los_angeles_still_counts_for_the_week_it_was_in(patient, program):
    with time_machine.travel(SUNDAY_NIGHT_LA, tick=False):
        strength_session(patient, program, SUNDAY_NIGHT_LA - timedelta(days=2))
        strength_session(patient, program, SUNDAY_NIGHT_LA)
        activity(patient, date(2026, 11, 15), 90)
        activity(patient, date(2026, 11, 10), 60)
        week = this_week(patient, date(2026, 11, 15))
        assert (week.start, week.cardio_minutes, week.strength_sessions) == (
            date(2026, 11, 9),
            150,
            2,
        )
        assert week.cardio_met
        assert week.strength_met
        page = client_for(patient.user).get(reverse("painlogs:today")).content.decode()
        assert "150 of 150 min" in page
        assert "2 of 2" in page

    # an hour later it is Monday in Los Angeles: a new week starts from zero
    with time_machine.travel(SUNDAY_NIGHT_LA + timedelta(hours=1), tick=False):
        page = client_for(patient.user).get(reverse("painlogs:today")).content.decode()
        assert "0 of 150 min" in page
        assert "0 of 2" in page
        weeks = weekly_activity(patient, today=date(2026, 11, 16), weeks=2)
        assert [(w.start, w.cardio_minutes, w.strength_sessions) for w in weeks] == [
            (date(2026, 11, 16), 0, 0),
            (date(2026, 11, 9), 150, 2),
        ]


def test_monday_morning_in_auckland_is_still_sunday_in_utc(clinician):
    # 08:00 Monday 16 Nov in Auckland (UTC+13) is 19:00 Sunday 15 Nov in UTC
    kiwi = PatientFactory(
        user__clinic=clinician.clinic, user__timezone="Pacific/Auckland", care_team=[clinician]
    )
    monday_morning = datetime(2026, 11, 15, 19, 0, tzinfo=UTC)
    with time_machine.travel(monday_morning, tick=False):
        program = november_program(clinician, kiwi, "banded-bridge-knees-out")
        strength_session(kiwi, program, monday_morning)
        weeks = weekly_activity(kiwi, today=date(2026, 11, 16), weeks=2)
    assert [(w.start, w.strength_sessions) for w in weeks] == [
        (date(2026, 11, 16), 1),
        (date(2026, 11, 9), 0),
    ]


def test_two_workouts_on_one_day_are_one_strength_session(patient, program):
    with time_machine.travel(SUNDAY_NIGHT_LA, tick=False):
        strength_session(patient, program, SUNDAY_NIGHT_LA - timedelta(hours=5))
        strength_session(patient, program, SUNDAY_NIGHT_LA)
        assert this_week(patient, date(2026, 11, 15)).strength_sessions == 1


def test_gym_work_is_not_cardio_but_prescribed_runs_are(clinician, patient):
    with time_machine.travel(SUNDAY_NIGHT_LA, tick=False):
        program = november_program(clinician, patient, "conversational-pace-running")
        workout_log(
            user=patient.user,
            performed_at=SUNDAY_NIGHT_LA - timedelta(days=1),
            results=[ResultInput(prescribed=program.items.get(), set_values=[25], pain_during=1)],
        )
        activity(patient, date(2026, 11, 12), 45, kind="gym")
        activity(patient, date(2026, 11, 13), 30, kind="bike")
        week = this_week(patient, date(2026, 11, 15))
    assert week.cardio_minutes == 55
    assert not week.cardio_met
    assert week.cardio_percent == 37


def test_the_clinician_sees_four_weeks_and_a_stranger_sees_nothing(
    clinician, patient, program, other_clinic_clinician
):
    with time_machine.travel(SUNDAY_NIGHT_LA, tick=False):
        activity(patient, date(2026, 11, 3), 40)
        page = client_for(clinician).get(reverse("patients:detail", args=[patient.pk]))
        text = page.content.decode()
        assert "Weekly activity" in text
        assert 'data-testid="activity-week-2026-11-02"' in text
        assert "40 of 150 min" in text
        stranger = client_for(other_clinic_clinician)
        assert stranger.get(reverse("patients:detail", args=[patient.pk])).status_code == 404


def test_a_run_alone_is_cardio_not_a_strength_session(clinician, patient):
    with time_machine.travel(SUNDAY_NIGHT_LA, tick=False):
        program = november_program(
            clinician, patient, "banded-bridge-knees-out", "conversational-pace-running"
        )
        bridge, run = program.items.all()
        workout_log(
            user=patient.user,
            performed_at=SUNDAY_NIGHT_LA - timedelta(days=2),
            results=[
                ResultInput(prescribed=bridge, skipped=True, skip_reason="time"),
                ResultInput(prescribed=run, set_values=[20], pain_during=1),
            ],
        )
        week = this_week(patient, date(2026, 11, 15))
    assert (week.cardio_minutes, week.strength_sessions) == (20, 0)
