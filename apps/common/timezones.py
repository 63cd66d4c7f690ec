import zoneinfo
from datetime import date, datetime

from django.core.exceptions import ValidationError


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"“{value}” is not a known time zone (use a name like Europe/London)."
        )


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def local_date(moment: datetime, tz_name: str) -> date:
    """The calendar date of an aware moment as seen in the given IANA zone."""
    return moment.astimezone(zoneinfo.ZoneInfo(tz_name)).date()
