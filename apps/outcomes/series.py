"""A score over time, from plain values: each administration against the first (the baseline)
and the one before, in the words the patient page and the status use. No ORM, no clock."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from . import rules
from .rules import Direction, SubscaleChange, Threshold


@dataclass(frozen=True)
class Point:
    day: date
    value: float | None
    from_baseline: SubscaleChange | None = None
    from_previous: SubscaleChange | None = None

    @property
    def marked(self) -> bool:
        """Beyond the threshold from the baseline, either way."""
        change = self.from_baseline
        return change is not None and change.direction in (Direction.BETTER, Direction.WORSE)


@dataclass(frozen=True)
class Series:
    code: str
    subscale: str
    label: str
    threshold: Threshold | None
    low: float
    high: float
    points: list[Point] = field(default_factory=list)

    @property
    def baseline(self) -> Point | None:
        return next((p for p in self.points if p.value is not None), None)

    @property
    def latest(self) -> Point | None:
        return next((p for p in reversed(self.points) if p.value is not None), None)

    def sentence(self, point: Point) -> str:
        """The point against the baseline, e.g. "Hip rating 55 → 78 (+23, better than the 15-point
        MCID)"."""
        baseline, change = self.baseline, point.from_baseline
        if baseline is None or point.value is None or change is None or change.delta is None:
            return f"{self.label} {_value(point.value)}"
        head = f"{self.label} {rules.number(baseline.value or 0)} → {rules.number(point.value)}"
        return f"{head} ({change_text(change)})"


def change_text(change: SubscaleChange | None) -> str:
    """The change in words, "+23, better than the 15-point MCID"; "" with nothing to compare."""
    if change is None or change.delta is None:
        return ""
    delta = f"{'+' if change.delta > 0 else ''}{rules.number(change.delta)}"
    return f"{delta}, {_judgement(change)}"


def _value(value: float | None) -> str:
    return "not scored" if value is None else rules.number(value)


def _judgement(change: SubscaleChange) -> str:
    threshold = change.threshold
    if threshold is None or change.direction is Direction.NOT_INTERPRETED:
        return "no threshold set"
    mark = f"the {rules.number(threshold.value)}-point {threshold.kind}"
    if change.direction is Direction.NO_MEANINGFUL_CHANGE:
        return f"within {mark}"
    return f"{change.direction} than {mark}"


def series_build(
    code: str,
    subscale: str,
    administrations: Sequence[tuple[date, float | None]],
    *,
    thresholds: dict[str, Threshold] | None = None,
) -> Series:
    """One subscale's scores, oldest first, each compared with the baseline and the previous."""
    spec = rules.instrument(code)
    table = rules.THRESHOLDS.get(code, {}) if thresholds is None else thresholds
    series = Series(
        code=code,
        subscale=subscale,
        label=rules.series_label(code, subscale),
        threshold=table.get(subscale),
        low=spec.low if code in ("psfs", "grc") else 0,
        high=spec.high if code in ("psfs", "grc") else 100,
    )
    baseline: float | None = None
    previous: float | None = None
    for day, value in administrations:
        point = Point(day, value)
        if code != "grc" and value is not None and baseline is not None:
            point = Point(
                day,
                value,
                rules.subscale_change(code, subscale, baseline, value, thresholds=table),
                rules.subscale_change(code, subscale, previous, value, thresholds=table),
            )
        series.points.append(point)
        if value is not None:
            baseline = value if baseline is None else baseline
            previous = value
    return series


def worsening(series: Series) -> str:
    """Why the latest administration is news: worse than the one before beyond the threshold,
    else worse than the baseline ("PSFS down 2.4 since 3 Nov (MCID 2)"); "" when it is not."""
    scored = [p for p in series.points if p.value is not None]
    if len(scored) < 2 or series.threshold is None:
        return ""
    latest = scored[-1]
    for change, since in ((latest.from_previous, scored[-2]), (latest.from_baseline, scored[0])):
        if change is not None and change.direction is Direction.WORSE and change.delta is not None:
            threshold = series.threshold
            return (
                f"{series.label} down {rules.number(-change.delta)} since "
                f"{since.day.day} {since.day:%b} ({threshold.kind} {rules.number(threshold.value)})"
            )
    return ""
