"""Outcome scoring (docs/outcomes.md): each instrument's published scores, its rule for missing
answers, and whether the change between two administrations is worth noticing. Pure functions on
plain values: no ORM, no clock.

Every score is oriented so that higher is better (HAGOS and HOOS items are reversed on the way).
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from .instruments import INSTRUMENTS, Instrument, Kind, Subscale

Answer = int | float | str | None


class AnswerError(ValueError):
    """An answer no form should have let through: an unknown item, or a value out of range."""


class Direction(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    NO_MEANINGFUL_CHANGE = "no meaningful change"
    # No threshold is known (or set by the clinic), or one side was not scored.
    NOT_INTERPRETED = "not interpreted"


@dataclass(frozen=True)
class SubscaleScore:
    code: str
    title: str
    value: float | None
    answered: int
    items: int
    why_not: str = ""

    @property
    def scored(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        return f"{self.value:g}" if self.value is not None else f"not scored: {self.why_not}"


@dataclass(frozen=True)
class Scores:
    instrument: str
    subscales: tuple[SubscaleScore, ...]

    def __getitem__(self, code: str) -> SubscaleScore:
        for subscale in self.subscales:
            if subscale.code == code:
                return subscale
        raise KeyError(code)


@dataclass(frozen=True)
class Threshold:
    """The smallest change in a score that counts: a MCID (what patients notice) or, where none
    is published, a SDC (beyond measurement error). ``substantial`` is a larger benefit mark."""

    kind: str
    value: float
    source: str
    substantial: float | None = None


@dataclass(frozen=True)
class SubscaleChange:
    code: str
    before: float | None
    after: float | None
    delta: float | None
    direction: Direction
    threshold: Threshold | None
    substantial: bool = False


@dataclass(frozen=True)
class Change:
    instrument: str
    subscales: tuple[SubscaleChange, ...]

    def __getitem__(self, code: str) -> SubscaleChange:
        for subscale in self.subscales:
            if subscale.code == code:
                return subscale
        raise KeyError(code)


SUMMARY = "summary"

# HAGOS: Thorborg et al. 2011 (Br J Sports Med 45:478–491) report an individual SDC of 17.7 to
# 33.8 points across the six subscales. The per-subscale values (their table) could not be
# checked here, so every subscale uses the top of that range: a change Greenlight calls
# meaningful is beyond measurement error whichever subscale it is in. Replace with the
# per-subscale values once verified.
_HAGOS_SDC = Threshold("SDC", 33.8, "Thorborg et al. 2011, upper bound of the individual SDC")

HIP_RATING_DEFAULT_SOURCE = "Greenlight's default, not a published value; a clinic may set its own"

THRESHOLDS: dict[str, dict[str, Threshold]] = {
    "hagos": {s.code: _HAGOS_SDC for s in INSTRUMENTS["hagos"].subscales},
    # Martin et al. 2019, Arthroscopy 35(2):411–416: MCID 13, substantial clinical benefit 28.
    "ihot-12": {"total": Threshold("MCID", 13.0, "Martin et al. 2019", substantial=28.0)},
    # About 2 points on the 0–10 mean; Abbott & Schmitt 2014 (JOSPT 44(8):560–564) found 1.3
    # (small) to 2.3 (medium) to 2.7 (large change).
    "psfs": {"mean": Threshold("MCID", 2.0, "Abbott & Schmitt 2014")},
    # HOOS-12: no published threshold verified; the clinic sets one.
    "hoos-12": {},
    # No published MCID for a single hip rating (hip SANE) was found. 15 points is Greenlight's
    # default, not a published value, so that a change can be marked at all; a clinic may set
    # its own (docs/outcomes.md).
    "hip-rating": {"rating": Threshold("MCID", 15.0, HIP_RATING_DEFAULT_SOURCE)},
}

# A global rating of change is itself the change: ±3 ("somewhat" better or worse on the 15-point
# scale) is the threshold Greenlight uses; see docs/outcomes.md.
GRC_MEANINGFUL = 3


def instrument(code: str) -> Instrument:
    try:
        return INSTRUMENTS[code]
    except KeyError:
        raise AnswerError(f"unknown instrument {code!r}") from None


def score(instrument_code: str, answers: Mapping[str, Answer]) -> Scores:
    """Every subscale's score, or why it is not scored; a missing answer is absent or None."""
    spec = instrument(instrument_code)
    _check_answers(spec, answers)
    subscales = tuple(_subscale_score(spec, s, answers) for s in spec.subscales)
    if spec.summary_of:
        subscales += (_summary(spec, subscales),)
    return Scores(spec.code, subscales)


def answers_check(instrument_code: str, answers: Mapping[str, Answer]) -> None:
    """Raise AnswerError for an unknown item or an out-of-range value (a partial set is fine)."""
    _check_answers(instrument(instrument_code), answers)


def _check_answers(spec: Instrument, answers: Mapping[str, Answer]) -> None:
    known = set(spec.scored_items) | set(spec.text_items)
    for link_id, value in answers.items():
        if link_id not in known:
            raise AnswerError(f"unknown item {link_id} for {spec.code}")
        if value is None or link_id in spec.text_items:
            continue
        if not _in_range(spec, value):
            raise AnswerError(f"item {link_id} must be {spec.low} to {spec.high}, not {value!r}")


def _in_range(spec: Instrument, value: Answer) -> bool:
    # bool is an int to Python, never an answer; a Likert or 0–10 answer is a whole number.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    whole = isinstance(value, int) or value.is_integer()
    return spec.low <= value <= spec.high and (whole or not spec.whole_numbers)


def _subscale_score(
    spec: Instrument, sub: Subscale, answers: Mapping[str, Answer]
) -> SubscaleScore:
    values = [float(v) for v in (answers.get(i) for i in sub.items) if isinstance(v, int | float)]
    answered, items = len(values), len(sub.items)
    if answered < sub.min_answered:
        why = f"{items - answered} of {items} missing"
        return SubscaleScore(sub.code, sub.title, None, answered, items, why)
    return SubscaleScore(sub.code, sub.title, _value(spec, values), answered, items)


def _value(spec: Instrument, values: list[float]) -> float:
    mean = sum(values) / len(values)
    if spec.kind is Kind.REVERSED_PERCENT:
        # 100 − (sum × 100) / (top × items answered): the published formula, which is also
        # what imputing each missing item with the patient's own mean would give.
        return 100 - mean * 100 / spec.high
    return mean


def _summary(spec: Instrument, subscales: tuple[SubscaleScore, ...]) -> SubscaleScore:
    parts = [s for s in subscales if s.code in spec.summary_of]
    unscored = [s.title for s in parts if s.value is None]
    if unscored:
        why = f"needs every scale ({', '.join(unscored)} not scored)"
        return SubscaleScore(SUMMARY, "Summary", None, 0, len(parts), why)
    value = sum(s.value for s in parts if s.value is not None) / len(parts)
    return SubscaleScore(SUMMARY, "Summary", value, len(parts), len(parts))


def change(
    instrument_code: str,
    before: Scores,
    after: Scores,
    *,
    thresholds: Mapping[str, Threshold] | None = None,
) -> Change:
    """How each subscale moved from ``before`` to ``after``, against its threshold: a change of
    exactly the threshold counts (the "≥ MCID" convention). ``thresholds`` is the clinic's own
    table, else the published one."""
    spec = instrument(instrument_code)
    if spec.code == "grc":
        raise AnswerError("a global rating of change is itself a change: use grc_direction")
    if before.instrument != spec.code or after.instrument != spec.code:
        raise AnswerError(f"both administrations must be {spec.code}")
    table = THRESHOLDS[spec.code] if thresholds is None else thresholds
    subscales = tuple(
        _subscale_change(b, after[b.code], table.get(b.code)) for b in before.subscales
    )
    return Change(spec.code, subscales)


def _subscale_change(
    before: SubscaleScore, after: SubscaleScore, threshold: Threshold | None
) -> SubscaleChange:
    if before.value is None or after.value is None:
        return SubscaleChange(
            before.code, before.value, after.value, None, Direction.NOT_INTERPRETED, threshold
        )
    # Rounded so that 13.000000000001 from float arithmetic is not read as more than 13.
    delta = round(after.value - before.value, 6)
    direction = _direction(delta, threshold.value if threshold else None)
    substantial = bool(threshold and threshold.substantial and delta >= threshold.substantial)
    return SubscaleChange(
        before.code, before.value, after.value, delta, direction, threshold, substantial
    )


def _direction(delta: float, threshold: float | None) -> Direction:
    if threshold is None:
        return Direction.NOT_INTERPRETED
    if delta >= threshold:
        return Direction.BETTER
    if delta <= -threshold:
        return Direction.WORSE
    return Direction.NO_MEANINGFUL_CHANGE


def grc_direction(rating: int, *, threshold: int = GRC_MEANINGFUL) -> Direction:
    """What a global rating of change (−7 to +7) says: ±``threshold`` or beyond is meaningful."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not -7 <= rating <= 7:
        raise AnswerError(f"a global rating of change is −7 to +7, not {rating!r}")
    return _direction(float(rating), float(threshold))


def subscale_change(
    instrument_code: str,
    subscale_code: str,
    before: float | None,
    after: float | None,
    *,
    thresholds: Mapping[str, Threshold] | None = None,
) -> SubscaleChange:
    """``change`` for one subscale from two stored scores (a response keeps its scores)."""
    spec = instrument(instrument_code)
    if spec.code == "grc":
        raise AnswerError("a global rating of change is itself a change: use grc_direction")
    table = THRESHOLDS[spec.code] if thresholds is None else thresholds
    stub = SubscaleScore(subscale_code, "", None, 0, 0)
    return _subscale_change(
        replace(stub, value=before), replace(stub, value=after), table.get(subscale_code)
    )


# What a clinician calls each instrument in a sentence ("PSFS down 2.4 since 3 Nov").
SHORT_NAMES = {
    "hagos": "HAGOS",
    "hoos-12": "HOOS-12",
    "ihot-12": "iHOT-12",
    "psfs": "PSFS",
    "hip-rating": "Hip rating",
    "grc": "Global rating of change",
}


def series_label(instrument_code: str, subscale_code: str) -> str:
    """The series' name: the instrument, and the subscale where it has several ("HAGOS Pain")."""
    spec = instrument(instrument_code)
    name = SHORT_NAMES.get(spec.code, spec.title)
    if len(spec.subscales) + bool(spec.summary_of) == 1:
        return name
    titles = {s.code: s.title for s in spec.subscales}
    return f"{name} {titles.get(subscale_code, subscale_code.capitalize())}"


def number(value: float) -> str:
    """A score as a page shows it: one decimal at most (2.4, 25, 33.8)."""
    return f"{round(value, 1):g}"
