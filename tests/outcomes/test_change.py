"""Change between two administrations against the instrument's threshold. A change of exactly
the threshold counts (the literature's "≥ MCID" convention); a hair less does not."""

import pytest

from apps.outcomes.rules import (
    AnswerError,
    Direction,
    Scores,
    SubscaleScore,
    Threshold,
    change,
    grc_direction,
    score,
)


def _scores(instrument: str, **values: float | None) -> Scores:
    """Scores as ``score`` would give them, for boundaries that whole answers cannot reach."""
    return Scores(
        instrument, tuple(SubscaleScore(code, code, v, 1, 1) for code, v in values.items())
    )


def _ihot(value: float) -> Scores:
    return score("ihot-12", {f"I{n}": value for n in range(1, 13)})


@pytest.mark.parametrize(
    ("after", "direction", "substantial"),
    [
        (53, Direction.BETTER, False),  # 53 − 40 = 13: exactly the MCID counts
        (52, Direction.NO_MEANINGFUL_CHANGE, False),  # 12 < 13
        (67, Direction.BETTER, False),  # 27: meaningful, short of the SCB of 28
        (68, Direction.BETTER, True),  # 28: exactly the substantial clinical benefit
        (28, Direction.NO_MEANINGFUL_CHANGE, False),  # −12
        (27, Direction.WORSE, False),  # −13
    ],
)
def test_ihot_12_change_against_its_mcid_of_13(after, direction, substantial):
    result = change("ihot-12", _ihot(40), _ihot(after))["total"]
    assert result.direction is direction
    assert result.substantial is substantial
    assert result.delta == after - 40


def test_float_arithmetic_does_not_push_a_change_below_its_threshold():
    # 53.1 − 40.1 is 13.000000000000004 or 12.999999999999996 in floating point: it is 13
    result = change("ihot-12", _ihot(40.1), _ihot(53.1))["total"]
    assert result.direction is Direction.BETTER
    assert result.delta == 13


@pytest.mark.parametrize(
    ("after", "direction"),
    [
        (73.8, Direction.BETTER),  # +33.8: exactly the SDC
        (73.7, Direction.NO_MEANINGFUL_CHANGE),  # +33.7: within measurement error
        (6.3, Direction.NO_MEANINGFUL_CHANGE),  # −33.7
        (6.2, Direction.WORSE),  # −33.8
    ],
)
def test_hagos_change_against_its_smallest_detectable_change(after, direction):
    before = _scores("hagos", pain=40.0, qol=50.0)
    result = change("hagos", before, _scores("hagos", pain=after, qol=50.0))
    assert result["pain"].direction is direction
    assert result["pain"].threshold is not None
    assert result["pain"].threshold.kind == "SDC"
    assert result["qol"].direction is Direction.NO_MEANINGFUL_CHANGE


def test_hagos_change_from_answers():
    # pain all 3 → 100 − 3×100/4 = 25; all 1 → 100 − 100/4 = 75; +50 ≥ 33.8
    before = score("hagos", {f"P{n}": 3 for n in range(1, 11)})
    after = score("hagos", {f"P{n}": 1 for n in range(1, 11)})
    result = change("hagos", before, after)
    assert result["pain"].direction is Direction.BETTER
    # symptoms was not scored either time: nothing to interpret
    assert result["symptoms"].direction is Direction.NOT_INTERPRETED


@pytest.mark.parametrize(
    ("after", "direction"),
    [(5.0, Direction.BETTER), (4.9, Direction.NO_MEANINGFUL_CHANGE), (1.0, Direction.WORSE)],
)
def test_psfs_change_against_its_mcid_of_2(after, direction):
    result = change("psfs", _scores("psfs", mean=3.0), _scores("psfs", mean=after))
    assert result["mean"].direction is direction


def test_a_change_with_a_side_not_scored_is_not_interpreted():
    result = change("ihot-12", score("ihot-12", {"I1": 10}), _ihot(90))["total"]
    assert result.direction is Direction.NOT_INTERPRETED
    assert result.delta is None


def test_without_a_published_threshold_the_clinic_sets_one():
    before, after = _scores("hoos-12", pain=40.0), _scores("hoos-12", pain=60.0)
    assert change("hoos-12", before, after)["pain"].direction is Direction.NOT_INTERPRETED
    own = {"pain": Threshold("MCID", 20.0, "the clinic's setting")}
    assert change("hoos-12", before, after, thresholds=own)["pain"].direction is Direction.BETTER


@pytest.mark.parametrize(
    ("rating", "direction"),
    [
        (7, Direction.BETTER),
        (3, Direction.BETTER),
        (2, Direction.NO_MEANINGFUL_CHANGE),
        (0, Direction.NO_MEANINGFUL_CHANGE),
        (-2, Direction.NO_MEANINGFUL_CHANGE),
        (-3, Direction.WORSE),
        (-7, Direction.WORSE),
    ],
)
def test_a_global_rating_of_3_or_more_either_way_is_meaningful(rating, direction):
    assert grc_direction(rating) is direction


def test_a_global_rating_is_not_compared_between_administrations():
    with pytest.raises(AnswerError, match="itself a change"):
        change("grc", _scores("grc", rating=0), _scores("grc", rating=3))
    with pytest.raises(AnswerError):
        grc_direction(8)


def test_two_administrations_of_different_instruments_are_not_compared():
    with pytest.raises(AnswerError, match="both administrations must be ihot-12"):
        change("ihot-12", _scores("psfs", total=3.0), _ihot(50))
