import functools
import itertools
import zoneinfo
from datetime import date, datetime, timedelta
from importlib import resources

from django.core.exceptions import ValidationError
from django.utils import dateformat

# How the site writes a day without its year ("21 Nov"), in templates as {{ d|date:"j M" }}.
DAY_MONTH = "j M"


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"“{value}” is not a known time zone (use a name like Europe/London)."
        )


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


# The IANA regions a person lives in. Names outside them (US/Eastern, GB, Etc/GMT+5, EST5EDT) are
# aliases kept for old systems: still accepted, but not offered.
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
Choice = tuple[str, str]
GroupedChoice = tuple[str, str | list[Choice]]


def _tzdata_table(name: str) -> list[list[str]]:
    text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def _places() -> tuple[tuple[str, str, str], ...]:
    """(region, IANA name, "New York, United States") for each zone a country lists.

    zone.tab keeps one current name per place (Asia/Kolkata, not Asia/Calcutta) and, unlike
    zone1970.tab, the capitals merged into a neighbour's rules (Europe/Oslo, Europe/Amsterdam).
    """
    countries = {row[0]: row[1] for row in _tzdata_table("iso3166.tab")}
    known = zoneinfo.available_timezones()
    places = []
    for row in _tzdata_table("zone.tab"):
        code, name = row[0], row[2]
        region, _, rest = name.partition("/")
        if region in REGIONS and name in known:
            parts = [part.replace("_", " ") for part in reversed(rest.split("/"))]
            country = countries.get(code, "")
            if country and country not in parts:
                parts.append(country)
            places.append((region, name, ", ".join(parts)))
    return tuple(sorted(places, key=lambda place: (place[0], place[2])))


def place_name(name: str) -> str:
    """A zone as the picker names it (Los Angeles, United States); an alias or UTC as it is."""
    return next((label for _, zone, label in _places() if zone == name), name)


def utc_offset(name: str, moment: datetime) -> str:
    """The zone's offset at ``moment``: UTC+05:30, UTC−05:00 (a true minus sign), or UTC."""
    offset = moment.astimezone(zoneinfo.ZoneInfo(name)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def timezone_groups(moment: datetime, *, keep: str = "") -> list[GroupedChoice]:
    """Choices for a picker: UTC, then the places of each region with their offset at ``moment``.

    ``keep`` is a value already chosen: an alias the list leaves out is shown under "Other",
    so that opening and saving a form never moves a person to another zone.
    """
    groups: list[GroupedChoice] = [("UTC", "UTC")]
    for region, places in itertools.groupby(_places(), key=lambda place: place[0]):
        groups.append(
            (region, [(name, f"{label} ({utc_offset(name, moment)})") for _, name, label in places])
        )
    listed = {"UTC"} | {name for _, name, _ in _places()}
    if keep and keep not in listed:
        groups.append(("Other", [(keep, keep)]))
    return groups


def local_date(moment: datetime, tz_name: str) -> date:
    """The calendar date of an aware moment as seen in the given IANA zone."""
    return moment.astimezone(zoneinfo.ZoneInfo(tz_name)).date()


def day_month(day: date) -> str:
    """A date as the pages write it, for what a template does not format (chart labels)."""
    return dateformat.format(day, DAY_MONTH)
