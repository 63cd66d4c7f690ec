"""The pain traffic light (docs/clinical.md): pure functions on plain values."""

import math
from datetime import date, datetime, timedelta
from enum import StrEnum


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


LIGHT_CHOICES = [(light.value, light.value.title()) for light in Light]
_SEVERITY = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


def rating_light(pain: int, *, ceiling: int, green_max: int) -> Light:
    """One 0–10 rating: green up to ``green_max``, yellow up to the ceiling, red above it."""
    if pain <= green_max:
        return Light.GREEN
    if pain <= ceiling:
        return Light.YELLOW
    return Light.RED


def traffic_light(pain_during: int, pain_24h: int | None, *, ceiling: int, green_max: int) -> Light:
    """A session's light is the worse of its in-session and 24-hour ratings.

    A session that was green while doing it but red the next morning is red: the 24-hour check
    matters as much as the in-session rating. Until the 24-hour rating exists the light is
    provisional and rests on the in-session rating alone.
    """
    lights = [rating_light(pain_during, ceiling=ceiling, green_max=green_max)]
    if pain_24h is not None:
        lights.append(rating_light(pain_24h, ceiling=ceiling, green_max=green_max))
    return max(lights, key=_SEVERITY.__getitem__)


def followup_opens_at(performed_at: datetime, *, hours: int = 24) -> datetime:
    return performed_at + timedelta(hours=hours)


def followup_is_open(performed_at: datetime, now: datetime, *, hours: int = 24) -> bool:
    return now >= followup_opens_at(performed_at, hours=hours)


def adherence(done: int, prescribed: int) -> float | None:
    """Share of prescribed sessions done, capped at 100 %; None when nothing was prescribed."""
    if prescribed <= 0:
        return None
    return min(done / prescribed, 1.0)


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
