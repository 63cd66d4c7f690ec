"""When reminders are due: pure functions on dates, times and IANA zone names (no ORM, no now())."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Which weekdays (Monday = 0) a program of N sessions a week falls on, spread with rest days
# between sessions where the week allows it.
PROGRAM_WEEKDAYS = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}


def is_program_day(day: date, sessions_per_week: int) -> bool:
    return day.weekday() in PROGRAM_WEEKDAYS[max(1, min(sessions_per_week, 7))]


def local_moment(day: date, at: time, tz_name: str) -> datetime:
    """The UTC instant of a wall-clock time on a local date, safe across DST changes.

    A time that does not exist (skipped by the spring change, e.g. 02:30) moves forward by the
    gap, so the reminder still fires that day; a time that happens twice (autumn) fires at its
    first occurrence only. Either way there is exactly one instant per day.
    """
    # PEP 495's fold=0 gives both behaviours: the offset from before a transition.
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def workout_reminder_due(
    day: date, at: time, tz_name: str, sessions_per_week: int
) -> datetime | None:
    """When the 'workout due' reminder fires on a local date, or None on a rest day."""
    if not is_program_day(day, sessions_per_week):
        return None
    return local_moment(day, at, tz_name)


def local_days_around(now: datetime, tz_name: str) -> tuple[date, date]:
    """Yesterday and today in the zone: a tick near midnight may still owe yesterday's reminder."""
    today = now.astimezone(ZoneInfo(tz_name)).date()
    return today - timedelta(days=1), today


def retry_delay(attempts: int, schedule_minutes: list[float]) -> timedelta | None:
    """How long to wait after the ``attempts``-th failed try, or None when the budget is spent.

    The schedule is a fixed ladder with a floor (1, 5, 15, 60, 180 minutes by default) rather
    than full-jitter backoff: jitter spent six tries in under two minutes, shorter than an
    ordinary SMTP outage.
    """
    if attempts < 1 or attempts > len(schedule_minutes):
        return None
    return timedelta(minutes=schedule_minutes[attempts - 1])
