from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.programs.rules import Decision, Session, Thresholds, progression_decision

T = Thresholds(ceiling=3, green_max=2)
D1, D2, D3 = date(2026, 11, 12), date(2026, 11, 14), date(2026, 11, 16)


def s(day, sets=(10, 10, 10), during=2, after=1, skipped=False):
    return Session(
        day=day, set_values=tuple(sets), pain_during=during, pain_24h=after, skipped=skipped
    )


def decide(*sessions, target_high=10, unit=""):
    return progression_decision(list(sessions), target_high=target_high, unit=unit, thresholds=T)


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        # the top of the dose twice, pain within the ceiling: progress
        ([s(D1), s(D2)], Decision.PROGRESS),
        # pain exactly at the ceiling (yellow) still counts
        ([s(D1, during=3, after=3), s(D2, during=3, after=3)], Decision.PROGRESS),
        # one point above the ceiling in the latest session's 24 h rating: not progress
        ([s(D1), s(D2, after=4)], Decision.HOLD),
        # 24-hour rating missing on the latest: wait
        ([s(D1), s(D2, after=None)], Decision.HOLD),
        # only one session at the top
        ([s(D1, sets=(10, 10, 8)), s(D2)], Decision.HOLD),
        ([s(D2)], Decision.HOLD),
        # mixed sets: two at the top and one short is not the top of the dose
        ([s(D1, sets=(10, 10, 9)), s(D2, sets=(10, 9, 10))], Decision.HOLD),
        # four sets with three at the top is the top
        ([s(D1, sets=(10, 10, 10, 6)), s(D2, sets=(8, 10, 10, 10))], Decision.PROGRESS),
        # a skipped session in between is ignored
        ([s(D1), s(D2, skipped=True, sets=()), s(D3)], Decision.PROGRESS),
        # red in two of the last three: regress
        ([s(D1, during=5), s(D2), s(D3, after=4)], Decision.REGRESS),
        # a 24-hour rating two above the ceiling: regress at once
        ([s(D1), s(D2, after=5)], Decision.REGRESS),
        # one red alone: hold, not regress (a single red day is a signal, not a failure)
        ([s(D1, during=4), s(D2, sets=(8, 8, 8))], Decision.HOLD),
        ([], Decision.HOLD),
    ],
)
def test_decision_at_its_boundaries(sessions, expected):
    assert decide(*sessions).decision == expected


def test_holds_count_seconds_against_the_top_of_the_hold_range():
    holds = [s(D1, sets=(30, 30, 30)), s(D2, sets=(30, 30, 30))]
    assert decide(*holds, target_high=30, unit=" s").decision == Decision.PROGRESS
    short = [s(D1, sets=(30, 30, 25)), s(D2, sets=(30, 30, 30))]
    assert decide(*short, target_high=30, unit=" s").decision == Decision.HOLD


def test_the_reason_carries_the_evidence():
    suggestion = decide(s(D1, during=2, after=1), s(D2, during=1, after=0))
    assert suggestion.reason == "3 × 10 at 2/10 on 12 Nov and 14 Nov; 24 h 1/10"
    regress = decide(s(D1, during=5), s(D2, during=6))
    assert regress.reason == "red in 2 of the last 2 sessions (12 Nov and 14 Nov)"
    waiting = decide(s(D1), s(D2, after=None))
    assert waiting.reason == "waiting for the 24-hour rating"


def test_the_ceiling_comes_from_the_program():
    lenient = Thresholds(ceiling=5, green_max=2)
    sessions = [s(D1, during=5, after=5), s(D2, during=5, after=5)]
    assert progression_decision(sessions, target_high=10, thresholds=lenient).decision == (
        Decision.PROGRESS
    )
    assert decide(*sessions).decision == Decision.REGRESS


pain = st.integers(min_value=0, max_value=10)
sessions_strategy = st.lists(
    st.builds(
        lambda i, sets, during, after, skipped: Session(
            day=D1 + timedelta(days=i),
            set_values=tuple(sets),
            pain_during=during,
            pain_24h=after,
            skipped=skipped,
        ),
        st.integers(0, 60),
        st.lists(st.integers(0, 40), min_size=1, max_size=5),
        pain,
        st.none() | pain,
        st.booleans(),
    ),
    max_size=8,
)


@given(sessions_strategy, pain, st.integers(0, 10))
def test_never_progress_after_a_red_session(sessions, during, after):
    # given any history, then a red latest session
    red = Session(
        day=date(2027, 1, 1),
        set_values=(40, 40, 40),
        pain_during=during,
        pain_24h=max(after, T.ceiling + 1),
    )
    assert decide(*sessions, red).decision != Decision.PROGRESS


@given(sessions_strategy)
def test_progress_only_with_every_recent_rating_within_the_ceiling(sessions):
    suggestion = decide(*sessions)
    if suggestion.decision == Decision.PROGRESS:
        recent = [x for x in sessions if not x.skipped][-2:]
        assert all(x.pain_24h is not None and x.pain_24h <= T.ceiling for x in recent)
        assert all((x.pain_during or 0) <= T.ceiling for x in recent)
