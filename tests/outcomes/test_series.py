"""Scores over time: each against the baseline and the previous one, marked beyond the MCID."""

from datetime import date

import pytest

from apps.outcomes.rules import Direction, subscale_change
from apps.outcomes.series import series_build, worsening

NOV = [date(2026, 11, 3), date(2026, 11, 17), date(2026, 12, 1)]


def test_the_hip_rating_rise_past_the_default_mcid_is_marked_and_said_in_words():
    series = series_build("hip-rating", "rating", list(zip(NOV, [55.0, 62.0, 78.0], strict=True)))
    baseline, second, latest = series.points
    assert not baseline.marked
    assert not second.marked
    assert latest.marked
    assert series.sentence(latest) == "Hip rating 55 → 78 (+23, better than the 15-point MCID)"
    assert series.sentence(second) == "Hip rating 55 → 62 (+7, within the 15-point MCID)"
    assert series.threshold is not None
    assert "not a published value" in series.threshold.source


@pytest.mark.parametrize(
    ("after", "direction"),
    [(70.0, Direction.BETTER), (69.0, Direction.NO_MEANINGFUL_CHANGE), (40.0, Direction.WORSE)],
)
def test_the_hip_rating_default_counts_a_change_of_exactly_15(after, direction):
    assert subscale_change("hip-rating", "rating", 55.0, after).direction is direction


def test_a_psfs_worsening_beyond_2_since_the_baseline_is_a_reason():
    series = series_build("psfs", "mean", list(zip(NOV, [6.0, 4.8, 3.4], strict=True)))
    # 4.8 → 3.4 is within the MCID; 6.0 → 3.4 is not.
    assert worsening(series) == "PSFS down 2.6 since 3 Nov (MCID 2)"


def test_a_worsening_from_the_previous_is_named_with_its_date():
    series = series_build("psfs", "mean", list(zip(NOV, [6.0, 7.0, 4.5], strict=True)))
    assert worsening(series) == "PSFS down 2.5 since 17 Nov (MCID 2)"


@pytest.mark.parametrize("values", [[6.0, 4.1], [6.0, 8.5], [6.0], [None, 3.0]])
def test_no_reason_within_the_mcid_after_an_improvement_or_without_two_scores(values):
    series = series_build("psfs", "mean", list(zip(NOV, values, strict=False)))
    assert worsening(series) == ""


def test_an_instrument_without_a_threshold_is_never_a_reason():
    series = series_build("hoos-12", "pain", list(zip(NOV, [80.0, 20.0], strict=False)))
    assert worsening(series) == ""
    assert series.sentence(series.points[1]) == "HOOS-12 Pain 80 → 20 (-60, no threshold set)"
