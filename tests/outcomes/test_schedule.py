"""When a scheduled questionnaire is due (apps/outcomes/schedule.py)."""

from datetime import date

import pytest

from apps.outcomes.schedule import occasions_due

START = date(2026, 3, 2)  # a Monday; Europe's clocks change on 29 March, the US's on 8 March


@pytest.mark.parametrize(
    ("every_weeks", "at_start", "today", "expected"),
    [
        # before the program starts nothing is due, not even the start questionnaire
        (4, True, date(2026, 3, 1), []),
        (None, True, START, [("start", START)]),
        (None, False, START, []),
        # the day before the fourth week ends: only the start one
        (4, True, date(2026, 3, 29), [("start", START)]),
        # exactly four weeks on (across a DST change: dates, not hours, count)
        (4, True, date(2026, 3, 30), [("start", START), ("interval", date(2026, 3, 30))]),
        (4, False, date(2026, 4, 26), [("interval", date(2026, 3, 30))]),
        # eight weeks on: the week-4 one, missed or not, gives way to the week-8 one
        (4, False, date(2026, 4, 27), [("interval", date(2026, 4, 27))]),
        (1, False, date(2026, 3, 20), [("interval", date(2026, 3, 16))]),
        # a year on, every 2 weeks: only the latest fortnight
        (2, False, date(2027, 2, 28), [("interval", date(2027, 2, 15))]),
        (2, False, date(2027, 3, 1), [("interval", date(2027, 3, 1))]),
    ],
)
def test_what_is_due(every_weeks, at_start, today, expected):
    assert occasions_due(START, every_weeks, at_start, today) == expected
