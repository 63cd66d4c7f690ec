"""The instruments Greenlight scores: their items, subscales, answer ranges and missing-answer
rules, as published (docs/outcomes.md has the sources). Plain data, read by the scoring rules and
by the validation of a questionnaire definition.

Item wording is not here: for HAGOS, HOOS-12 and iHOT-12 it is the licensor's, imported by a
clinic into its own copy of the definition (apps/outcomes/definitions/).
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How the answers of a subscale become its score."""

    # Mean item value rescaled so that 100 = no problems: 100 − mean × 100 / top (KOOS family).
    REVERSED_PERCENT = "reversed-percent"
    # The mean of the answered items, on the items' own scale (iHOT-12, PSFS, single items).
    MEAN = "mean"


class Control(StrEnum):
    """How an item is asked, which decides its FHIR type."""

    LIKERT = "likert"  # FHIR `choice`, one answer option per whole number in the range
    RANGE = "range"  # FHIR `integer` with minValue / maxValue (a slider or a number)
    TEXT = "text"  # FHIR `string`, never scored (the PSFS activity the patient names)


@dataclass(frozen=True)
class Subscale:
    code: str
    title: str
    items: tuple[str, ...]
    # The fewest answered items a score may rest on; fewer and the subscale is not scored.
    min_answered: int


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str
    kind: Kind
    control: Control
    low: int
    high: int
    # True when a lower item value means fewer problems (HAGOS, HOOS: 0 = none).
    lower_is_better: bool
    subscales: tuple[Subscale, ...]
    # Answered but never scored (the names of PSFS activities).
    text_items: tuple[str, ...] = ()
    # HOOS-12's summary: the mean of these subscales' scores, only when all of them are scored.
    summary_of: tuple[str, ...] = ()
    # The item wording is the licensor's: Greenlight ships the structure only.
    licensed_wording: bool = False
    # False for a slider, whose answer may fall between whole numbers.
    whole_numbers: bool = True
    scored_items: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "scored_items", tuple(item for s in self.subscales for item in s.items)
        )

    @property
    def score_low(self) -> float:
        return 0.0 if self.kind is Kind.REVERSED_PERCENT else float(self.low)

    @property
    def score_high(self) -> float:
        return 100.0 if self.kind is Kind.REVERSED_PERCENT else float(self.high)


def _items(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(1, count + 1))


def _at_least_half(count: int) -> int:
    # KOOS/HOOS 2013 rule, which HAGOS (same authors' family) follows: a subscale is scored when
    # at least half its items are answered, so 7 items need 4 and 2 items need 1.
    return -(-count // 2)


def _half_rule(code: str, title: str, prefix: str, count: int) -> Subscale:
    return Subscale(code, title, _items(prefix, count), _at_least_half(count))


HAGOS = Instrument(
    code="hagos",
    title="Copenhagen Hip and Groin Outcome Score (HAGOS)",
    kind=Kind.REVERSED_PERCENT,
    control=Control.LIKERT,
    low=0,
    high=4,
    lower_is_better=True,
    subscales=(
        _half_rule("symptoms", "Symptoms", "S", 7),
        _half_rule("pain", "Pain", "P", 10),
        _half_rule("adl", "Physical function in daily living", "A", 5),
        _half_rule("sport", "Function in sport and recreation", "SP", 8),
        _half_rule("participation", "Participation in physical activities", "PA", 2),
        _half_rule("qol", "Hip and/or groin-related quality of life", "Q", 5),
    ),
    licensed_wording=True,
)

HOOS_12 = Instrument(
    code="hoos-12",
    title="Hip disability and Osteoarthritis Outcome Score, 12-item short form (HOOS-12)",
    kind=Kind.REVERSED_PERCENT,
    control=Control.LIKERT,
    low=0,
    high=4,
    lower_is_better=True,
    subscales=(
        _half_rule("pain", "Pain", "P", 4),
        _half_rule("function", "Function", "F", 4),
        _half_rule("qol", "Quality of life", "Q", 4),
    ),
    summary_of=("pain", "function", "qol"),
    licensed_wording=True,
)

IHOT_12 = Instrument(
    code="ihot-12",
    title="International Hip Outcome Tool, 12-item version (iHOT-12)",
    kind=Kind.MEAN,
    control=Control.RANGE,
    low=0,
    high=100,
    lower_is_better=False,
    # The half rule is Greenlight's choice, not the licensor's (docs/outcomes.md): check it
    # against the iHOT-12 user guide a clinic receives with its licence.
    subscales=(Subscale("total", "Total", _items("I", 12), 6),),
    licensed_wording=True,
    whole_numbers=False,
)

PSFS = Instrument(
    code="psfs",
    title="Patient-Specific Functional Scale",
    kind=Kind.MEAN,
    control=Control.RANGE,
    low=0,
    high=10,
    lower_is_better=False,
    # The patient names up to five activities: one rated activity is a score, and an activity
    # left unnamed is not a missing answer.
    subscales=(Subscale("mean", "Mean of the rated activities", _items("activity-rating-", 5), 1),),
    text_items=_items("activity-name-", 5),
)

HIP_RATING = Instrument(
    code="hip-rating",
    title="Hip rating (% of normal)",
    kind=Kind.MEAN,
    control=Control.RANGE,
    low=0,
    high=100,
    lower_is_better=False,
    subscales=(Subscale("rating", "Hip rating", ("hip-rating",), 1),),
)

GRC = Instrument(
    code="grc",
    title="Global rating of change",
    kind=Kind.MEAN,
    control=Control.LIKERT,
    low=-7,
    high=7,
    lower_is_better=False,
    subscales=(Subscale("rating", "Global rating of change", ("grc",), 1),),
)

INSTRUMENTS: dict[str, Instrument] = {
    i.code: i for i in (HAGOS, HOOS_12, IHOT_12, PSFS, HIP_RATING, GRC)
}
