"""Each instrument's published scoring, worked by hand (the arithmetic is in the comments), and
its missing-answer rule at the boundary: exactly as many missing as allowed still scores, one more
does not."""

import pytest

from apps.outcomes.rules import AnswerError, score


def _answers(prefix: str, values: list[int | float | None]) -> dict[str, int | float | None]:
    return {f"{prefix}{n}": v for n, v in enumerate(values, start=1)}


def _hagos(**subscales: list[int | None]) -> dict[str, int | float | None]:
    prefixes = {"symptoms": "S", "pain": "P", "adl": "A", "sport": "SP", "participation": "PA"}
    prefixes["qol"] = "Q"
    answers: dict[str, int | float | None] = {}
    for name, values in subscales.items():
        answers |= _answers(prefixes[name], values)
    return answers


def test_hagos_scores_each_subscale_from_0_to_100_with_100_for_no_problems():
    answers = _hagos(
        symptoms=[1, 2, 0, 3, 1, 0, 2],  # sum 9: 100 − 9×100/(4×7) = 100 − 32.142857 = 67.857143
        pain=[2] * 10,  # sum 20: 100 − 2000/40 = 50
        adl=[0, 1, 0, 1, 0],  # sum 2: 100 − 200/20 = 90
        sport=[3, 3, 2, 2, 4, 1, 1, 2],  # sum 18: 100 − 1800/32 = 43.75
        participation=[4, 3],  # sum 7: 100 − 700/8 = 12.5
        qol=[2, 3, 2, 1, 2],  # sum 10: 100 − 1000/20 = 50
    )
    scores = score("hagos", answers)
    assert scores["symptoms"].value == pytest.approx(67.857143)
    assert scores["pain"].value == 50
    assert scores["adl"].value == 90
    assert scores["sport"].value == 43.75
    assert scores["participation"].value == 12.5
    assert scores["qol"].value == 50
    # HAGOS has no total score
    assert [s.code for s in scores.subscales] == [
        "symptoms", "pain", "adl", "sport", "participation", "qol"
    ]  # fmt: skip


def test_hagos_best_and_worst_answers_are_100_and_0():
    best = score("hagos", _hagos(pain=[0] * 10))["pain"]
    worst = score("hagos", _hagos(pain=[4] * 10))["pain"]
    assert (best.value, worst.value) == (100, 0)


# (subscale, linkId prefix, items, most missing that still scores): at least half answered.
HAGOS_LIMITS = [
    ("symptoms", "S", 7, 3),
    ("pain", "P", 10, 5),
    ("adl", "A", 5, 2),
    ("sport", "SP", 8, 4),
    ("participation", "PA", 2, 1),
    ("qol", "Q", 5, 2),
]


@pytest.mark.parametrize(("subscale", "prefix", "items", "allowed"), HAGOS_LIMITS)
def test_hagos_scores_a_subscale_missing_as_many_as_allowed(subscale, prefix, items, allowed):
    # every answered item is 2 (moderate): 100 − 2×100/4 = 50, whatever the number answered
    answers = _answers(prefix, [2] * (items - allowed) + [None] * allowed)
    result = score("hagos", answers)[subscale]
    assert result.value == 50
    assert result.answered == items - allowed


@pytest.mark.parametrize(("subscale", "prefix", "items", "allowed"), HAGOS_LIMITS)
def test_hagos_refuses_a_subscale_missing_one_more(subscale, prefix, items, allowed):
    answers = _answers(prefix, [2] * (items - allowed - 1))  # the rest are absent
    result = score("hagos", answers)[subscale]
    assert result.value is None
    assert str(result) == f"not scored: {allowed + 1} of {items} missing"


def test_hagos_averages_over_the_answered_items_only():
    # pain: 5 answered, sum 1+1+2+2+4 = 10: 100 − 10×100/(4×5) = 100 − 50 = 50
    answers = _answers("P", [1, 1, 2, 2, 4, None, None, None, None, None])
    assert score("hagos", answers)["pain"].value == 50
    # symptoms: 4 answered, sum 0+1+2+1 = 4: 100 − 400/16 = 75
    assert score("hagos", _answers("S", [0, 1, None, 2, None, 1]))["symptoms"].value == 75


def test_hoos_12_scores_three_scales_and_their_mean_as_the_summary():
    answers = (
        _answers("P", [1, 2, 2, 3])  # sum 8: 100 − 800/16 = 50
        | _answers("F", [0, 1, 0, 1])  # sum 2: 100 − 200/16 = 87.5
        | _answers("Q", [2, 2, 3, 3])  # sum 10: 100 − 1000/16 = 37.5
    )
    scores = score("hoos-12", answers)
    assert (scores["pain"].value, scores["function"].value, scores["qol"].value) == (50, 87.5, 37.5)
    # summary: (50 + 87.5 + 37.5) / 3 = 175 / 3 = 58.333…
    assert scores["summary"].value == pytest.approx(58.333333)


def test_hoos_12_scores_a_scale_with_two_of_four_answered_and_refuses_one():
    two = score("hoos-12", _answers("P", [1, None, 3, None]))["pain"]
    one = score("hoos-12", _answers("P", [1, None, None, None]))["pain"]
    # two answered, sum 4: 100 − 400/8 = 50
    assert two.value == 50
    assert str(one) == "not scored: 3 of 4 missing"


def test_hoos_12_has_no_summary_while_a_scale_is_not_scored():
    answers = _answers("P", [1, 1, 1, 1]) | _answers("F", [1, 1, 1, 1]) | _answers("Q", [1])
    summary = score("hoos-12", answers)["summary"]
    assert summary.value is None
    assert "Quality of life not scored" in str(summary)


def test_ihot_12_is_the_mean_of_its_answers_with_100_best():
    # (6 × 50 + 6 × 80) / 12 = 780 / 12 = 65
    assert score("ihot-12", _answers("I", [50] * 6 + [80] * 6))["total"].value == 65
    assert score("ihot-12", _answers("I", [100] * 12))["total"].value == 100


def test_ihot_12_scores_with_six_missing_and_refuses_seven():
    # six answered: (40 + 60 + 70 + 30 + 50 + 80) / 6 = 330 / 6 = 55
    six = score("ihot-12", _answers("I", [40, 60, 70, 30, 50, 80] + [None] * 6))["total"]
    seven = score("ihot-12", _answers("I", [40, 60, 70, 30, 50]))["total"]
    assert six.value == 55
    assert str(seven) == "not scored: 7 of 12 missing"


def test_ihot_12_accepts_a_slider_answer_between_whole_numbers():
    # (72.5 + 11 × 70) / 12 = (72.5 + 770) / 12 = 842.5 / 12 = 70.208333
    total = score("ihot-12", _answers("I", [72.5] + [70] * 11))["total"]
    assert total.value == pytest.approx(70.208333)


def test_psfs_is_the_mean_of_the_activities_rated():
    answers = {
        "activity-name-1": "Running for the bus",
        "activity-rating-1": 3,
        "activity-name-2": "Getting out of a low car",
        "activity-rating-2": 5,
        "activity-name-3": "Squatting to garden",
        "activity-rating-3": 7,
    }
    # (3 + 5 + 7) / 3 = 5; activities 4 and 5 were not named, so nothing is missing
    assert score("psfs", answers)["mean"].value == 5


def test_psfs_needs_one_rated_activity():
    assert score("psfs", {"activity-rating-4": 4})["mean"].value == 4
    assert score("psfs", {"activity-name-1": "Running"})["mean"].value is None


def test_the_hip_rating_and_the_global_rating_are_their_answer():
    assert score("hip-rating", {"hip-rating": 65})["rating"].value == 65
    assert score("grc", {"grc": -2})["rating"].value == -2
    assert str(score("hip-rating", {})["rating"]) == "not scored: 1 of 1 missing"


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        ("hagos", {"S1": 5}, "item S1 must be 0 to 4"),
        ("hagos", {"S1": 2.5}, "item S1 must be 0 to 4"),
        ("hagos", {"S1": True}, "item S1 must be 0 to 4"),
        ("hagos", {"S1": "2"}, "item S1 must be 0 to 4"),
        ("hagos", {"X9": 1}, "unknown item X9"),
        ("ihot-12", {"I1": 100.5}, "item I1 must be 0 to 100"),
        ("psfs", {"activity-rating-1": 11}, "must be 0 to 10"),
        ("grc", {"grc": 8}, "must be -7 to 7"),
        ("koos", {}, "unknown instrument"),
    ],
)
def test_an_answer_out_of_range_is_refused_not_scored(instrument, answers, message):
    with pytest.raises(AnswerError, match=message):
        score(instrument, answers)
