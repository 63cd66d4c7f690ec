from datetime import UTC, date, datetime, time

import pytest

from apps.reminders.rules import is_program_day, local_moment, workout_reminder_due

LA = "America/Los_Angeles"
SYDNEY = "Australia/Sydney"


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 7), utc(2026, 3, 7, 15, 30)),  # Saturday before the change, PST (UTC-8)
        (date(2026, 3, 8), utc(2026, 3, 8, 14, 30)),  # spring change day, PDT (UTC-7)
        (date(2026, 10, 31), utc(2026, 10, 31, 14, 30)),  # PDT
        (date(2026, 11, 1), utc(2026, 11, 1, 15, 30)),  # autumn change day, PST
    ],
)
def test_los_angeles_0730_around_both_changes(day, expected):
    assert local_moment(day, time(7, 30), LA) == expected


def test_a_time_skipped_by_the_spring_change_still_fires_once_that_day():
    # 02:30 does not exist in Los Angeles on 8 March 2026; it fires at 03:30 PDT instead.
    assert local_moment(date(2026, 3, 8), time(2, 30), LA) == utc(2026, 3, 8, 10, 30)


def test_a_time_repeated_by_the_autumn_change_fires_at_its_first_occurrence():
    # 01:30 happens twice in Los Angeles on 1 November 2026: first in PDT (08:30 UTC).
    assert local_moment(date(2026, 11, 1), time(1, 30), LA) == utc(2026, 11, 1, 8, 30)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 4), utc(2026, 4, 3, 20, 30)),  # AEDT (UTC+11), the day before
        (date(2026, 4, 5), utc(2026, 4, 4, 21, 30)),  # Sydney's autumn change: AEST (UTC+10)
        (date(2026, 10, 4), utc(2026, 10, 3, 20, 30)),  # Sydney's spring change: AEDT again
    ],
)
def test_sydney_0730_across_its_changes(day, expected):
    assert local_moment(day, time(7, 30), SYDNEY) == expected


def test_each_local_day_has_exactly_one_distinct_instant_through_a_whole_year():
    day, moments = date(2026, 1, 1), set()
    while day.year == 2026:
        moments.add(local_moment(day, time(2, 30), LA))
        day = day.fromordinal(day.toordinal() + 1)
    assert len(moments) == 365


@pytest.mark.parametrize(
    ("per_week", "weekdays"),
    [(1, {0}), (2, {0, 3}), (3, {0, 2, 4}), (5, {0, 1, 2, 3, 4}), (7, set(range(7)))],
)
def test_program_days_spread_the_sessions_over_the_week(per_week, weekdays):
    week = [date(2026, 11, 16 + i) for i in range(7)]  # Monday 16 to Sunday 22 November
    assert {d.weekday() for d in week if is_program_day(d, per_week)} == weekdays


def test_no_workout_reminder_on_a_rest_day():
    assert workout_reminder_due(date(2026, 11, 17), time(7, 30), LA, 3) is None  # Tuesday
    assert workout_reminder_due(date(2026, 11, 18), time(7, 30), LA, 3) == utc(2026, 11, 18, 15, 30)
