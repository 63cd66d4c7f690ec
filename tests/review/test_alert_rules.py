"""Which sessions reach the care team: the status's own reasons, tied to the session."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.review.rules import WorkoutFact, alert_reasons, status_build

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _w(pk, days_ago, *, light="green", after=None):
    at = NOW - timedelta(days=days_ago)
    return WorkoutFact(pk, at, at.date(), light, after)


def alerts(workouts, *, workout=None):
    status = status_build(
        now=NOW, today=NOW.date(), workouts=workouts, programs=[], defaults=(2, 3)
    )
    last = workout or workouts[-1]
    return alert_reasons(status.reasons, workout_id=last.id, light=last.light, flare=status.flare)


def test_a_quiet_green_session_alerts_nobody():
    assert alerts([_w(1, 3, after=1), _w(2, 1, after=1)]) == []


def test_a_red_session_alerts_and_names_the_week_count():
    assert alerts([_w(1, 1, light="red")]) == ["1 red session in 7 days"]
    assert alerts([_w(1, 3, light="red"), _w(2, 1, light="red")]) == ["2 red sessions in 7 days"]


def test_an_old_red_does_not_make_a_green_session_alert():
    assert alerts([_w(1, 3, light="red"), _w(2, 1)]) == []


@pytest.mark.parametrize(
    ("before", "after", "alerting"), [((1, 1), 3, True), ((1, 2), 3, False), ((3, 3), 5, True)]
)
def test_a_24_hour_jump_of_two_or_more_above_the_baseline(before, after, alerting):
    history = [_w(n, 5 - n, after=p) for n, p in enumerate(before)]
    rated = _w(9, 1, light="yellow", after=after)
    texts = alerts([*history, rated])
    assert bool(texts) is alerting
    if alerting:
        assert texts[0].startswith(f"24-hour pain {after}/10 against a recent baseline of")


def test_no_jump_without_history_and_only_the_flaring_session_alerts_for_it():
    assert alerts([_w(1, 1, after=6)]) == []
    history = [_w(1, 6, after=1), _w(2, 4, after=1), _w(3, 2, after=5)]
    assert alerts(history, workout=history[-1])  # the flare
    assert alerts(history, workout=history[0]) == []  # an earlier quiet session
