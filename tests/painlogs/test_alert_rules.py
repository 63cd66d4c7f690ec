import pytest

from apps.painlogs.rules import alert_reasons, baseline


def reasons(light="green", after=None, base=None, reds=0):
    return alert_reasons(
        light=light, followup_pain=after, recent_baseline=base, reds_last_7_days=reds
    )


def test_a_quiet_green_session_alerts_nobody():
    assert reasons(after=1, base=1.0) == []


def test_a_red_session_alerts():
    assert reasons(light="red", reds=1) == ["a red session"]


@pytest.mark.parametrize(
    ("after", "base", "alerts"), [(3, 1.0, True), (3, 1.5, False), (5, 3.0, True)]
)
def test_24_hour_jump_of_two_or_more_above_baseline(after, base, alerts):
    assert bool(reasons(light="yellow", after=after, base=base)) is alerts


def test_no_jump_without_history_or_rating():
    assert reasons(after=3, base=None) == []
    assert reasons(after=None, base=0.0) == []


def test_repeated_reds_are_named():
    assert "2 red sessions in 7 days" in reasons(light="red", reds=2)


def test_baseline_is_the_mean_or_none():
    assert baseline([1, 2, 3]) == 2
    assert baseline([]) is None
