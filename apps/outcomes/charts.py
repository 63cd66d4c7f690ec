"""What a page's outcome charts draw (static/js/outcome_charts.js reads it with json_script)."""

from apps.common.timezones import day_month

from . import rules
from .series import Series, change_text


def outcome_chart_data(series: list[Series]) -> list[dict]:
    """One chart per series: the scores, the points beyond the threshold from the baseline, and
    the band baseline ± threshold inside which a change is within measurement or noticing."""
    return [_chart(index, s) for index, s in enumerate(series)]


def _chart(index: int, series: Series) -> dict:
    baseline, threshold = series.baseline, series.threshold
    band = None
    if baseline is not None and baseline.value is not None and threshold is not None:
        band = [baseline.value - threshold.value, baseline.value + threshold.value]
    return {
        "canvas": f"outcome-chart-{index}",
        "label": series.label,
        "low": series.low,
        "high": series.high,
        "labels": [day_month(p.day) for p in series.points],
        "values": [p.value for p in series.points],
        "marked": [p.marked for p in series.points],
        "band": band,
        "sentences": [series.sentence(p) for p in series.points if p.marked],
        "rows": [
            {
                "day": day_month(p.day),
                "value": "not scored" if p.value is None else rules.number(p.value),
                "from_baseline": change_text(p.from_baseline),
                "from_previous": change_text(p.from_previous),
                "marked": p.marked,
            }
            for p in series.points
        ],
        "source": threshold.source if threshold else "",
        "threshold": (
            f"{rules.number(threshold.value)}-point {threshold.kind}" if threshold else ""
        ),
    }
