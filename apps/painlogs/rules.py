"""Logging rules (docs/clinical.md): the 24-hour check, adherence, weeks; pure functions.

The traffic light itself is the program's bands applied to a rating, so it lives with the
program (apps/programs/rules.py); it is re-exported here for the modules that log and show it.
"""

import math
from datetime import date, datetime, timedelta

from apps.programs.rules import LIGHT_CHOICES as LIGHT_CHOICES
from apps.programs.rules import Light as Light
from apps.programs.rules import rating_light as rating_light
from apps.programs.rules import traffic_light as traffic_light


def followup_opens_at(performed_at: datetime, *, hours: int = 24) -> datetime:
    return performed_at + timedelta(hours=hours)


def followup_is_open(performed_at: datetime, now: datetime, *, hours: int = 24) -> bool:
    return now >= followup_opens_at(performed_at, hours=hours)


# Mean pain is shown and served to one decimal: the scale itself is whole numbers.
PAIN_MEAN_DECIMALS = 1


def pain_mean(values: list[int] | list[float]) -> float | None:
    """The mean of pain ratings, rounded as every view shows it; None without ratings."""
    return round(sum(values) / len(values), PAIN_MEAN_DECIMALS) if values else None


def adherence(done: int, prescribed: int) -> float | None:
    """Share of prescribed sessions done, capped at 100 %; None when nothing was prescribed."""
    if prescribed <= 0:
        return None
    return min(done / prescribed, 1.0)


def days_run(start: date, ended: date | None, first: date, last: date) -> int:
    """Days of ``first``..``last`` (inclusive) a program ran that started on ``start`` and ended
    on the local date ``ended`` (None while it runs)."""
    begin, end = max(start, first), min(ended or last, last)
    return max(0, (end - begin).days + 1)


def sessions_asked(programs: list[tuple[int, date, date | None]], first: date, last: date) -> int:
    """Sessions the programs, as (sessions a week, start, end), asked for between two dates:
    pro-rated to the days each ran and rounded up (adherence's denominator)."""
    days = (last - first).days + 1
    return sum(
        prescribed_sessions(per_week, days, days_run(start, ended, first, last))
        for per_week, start, ended in programs
    )


def week_start(day: date) -> date:
    """The Monday of ``day``'s week; callers pass a date in the patient's own zone."""
    return day - timedelta(days=day.weekday())


def prescribed_sessions(sessions_per_week: int, window_days: int, active_days: int) -> int:
    """Sessions expected in a window, pro-rated when the program ran for only part of it.

    Rounded up: on a program's first day one session is already expected, so a patient who
    trains that day reads 1 / 1, not 1 / 0.
    """
    active_days = max(0, min(active_days, window_days))
    return math.ceil(sessions_per_week * active_days / 7)
