"""A patient's status from plain values: the one definition of who needs a look, and why.

The roster, triage, the weekly digest, clinician alerts, the patient page and the API all read
the stored result of ``status_build`` (apps/review/models.py); nothing else decides "needs
attention". docs/clinical.md explains the signals and their weights.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean

from apps.painlogs.rules import Light, adherence, days_run, sessions_asked, week_start

WINDOW_DAYS = 28
LIGHT_HISTORY = 10
# A 24-hour rating this far above the patient's ratings of the 14 days before it is a flare;
# only a flare of the last 7 days is news.
BASELINE_DAYS = 14
BASELINE_JUMP = 2
FLARE_RECENT_DAYS = 7
# A 24-hour rating still missing this long after the session is no longer asked for.
FOLLOWUP_PROMPT_DAYS = 7

# How much each signal weighs in the ranking (docs/clinical.md: flares and reds first). Only the
# ATTENTION kinds make a patient "need attention"; the others order the list and are shown.
WEIGHTS = {
    "flare": 4,
    "red": 3,
    "regress": 3,
    "unread": 2,
    "outcome_worse": 2,
    "missed": 1,
    "progress": 1,
    "missing_24h": 1,
}
ATTENTION = frozenset(
    {"flare", "red", "regress", "unread", "inactive", "no_program", "outcome_worse"}
)


@dataclass(frozen=True)
class WorkoutFact:
    id: int
    performed_at: datetime
    local_date: date
    light: str
    followup_pain: int | None


@dataclass(frozen=True)
class ProgramFact:
    sessions_per_week: int
    start_date: date
    last_day: date | None  # the local date it ended, None while active
    active: bool
    name: str = ""
    review_date: date | None = None
    pain_ceiling: int = 3
    green_max: int = 2


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str
    weight: int

    @property
    def attention(self) -> bool:
        return self.kind in ATTENTION


@dataclass(frozen=True)
class Flare:
    workout_id: int
    rating: int
    baseline: float


@dataclass
class Status:
    """Everything a view shows about where a patient stands, computed at ``now``."""

    today: date
    green_max: int
    pain_ceiling: int
    program_name: str = ""
    review_date: date | None = None
    lights: list[str] = field(default_factory=list)
    last_workout_at: datetime | None = None
    last_light: str = ""
    reds_7d: int = 0
    flare: Flare | None = None
    done_7d: int = 0
    prescribed_7d: int = 0
    done_28d: int = 0
    prescribed_28d: int = 0
    missed_7d: int = 0
    left_this_week: int = 0
    missing_24h: int = 0
    to_progress: list[str] = field(default_factory=list)
    to_regress: list[str] = field(default_factory=list)
    unread_messages: int = 0
    # Questionnaire scores worse than before beyond their threshold, in words (apps/outcomes).
    outcomes_worse: list[str] = field(default_factory=list)
    ever_prescribed: bool = True
    reasons: list[Reason] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return any(r.attention for r in self.reasons)

    @property
    def rank(self) -> int:
        return sum(r.weight for r in self.reasons)

    @property
    def adherence_7(self) -> float | None:
        return adherence(self.done_7d, self.prescribed_7d)

    @property
    def adherence_28(self) -> float | None:
        return adherence(self.done_28d, self.prescribed_28d)


def program_days(program: ProgramFact, first: date, last: date) -> int:
    """Days of ``first``..``last`` (inclusive) the program ran."""
    return days_run(program.start_date, program.last_day, first, last)


def sessions_expected(programs: Sequence[ProgramFact], first: date, last: date) -> int:
    """Sessions asked for between two dates (the same count as the trends', painlogs.rules)."""
    spans = [(p.sessions_per_week, p.start_date, p.last_day) for p in programs]
    return sessions_asked(spans, first, last)


def sessions_missed(programs: Sequence[ProgramFact], done_days: set[date], today: date) -> int:
    """Sessions of the 7 days before today that can no longer be done in time.

    Rounded down over days that have passed: a program that started today, or yesterday at
    three a week, has missed nothing yet (a patient may train any day of the week).
    """
    first, last = today - timedelta(days=7), today - timedelta(days=1)
    expected = sum(
        math.floor(p.sessions_per_week * program_days(p, first, last) / 7) for p in programs
    )
    done = sum(1 for d in done_days if first <= d <= last)
    return max(expected - done, 0)


def sessions_left_this_week(
    programs: Sequence[ProgramFact], done_days: set[date], today: date
) -> int:
    monday = week_start(today)
    expected = sessions_expected([p for p in programs if p.active], monday, monday + timedelta(6))
    return max(expected - sum(1 for d in done_days if monday <= d <= today), 0)


def flare_of(workouts: Sequence[WorkoutFact], *, now: datetime) -> Flare | None:
    """The latest 24-hour rating, if recent and well above the 14-day baseline before it."""
    rated = [w for w in workouts if w.followup_pain is not None]
    if not rated:
        return None
    latest = rated[-1]
    if latest.performed_at < now - timedelta(days=FLARE_RECENT_DAYS):
        return None
    since = latest.performed_at - timedelta(days=BASELINE_DAYS)
    before = [w.followup_pain for w in rated[:-1] if w.performed_at >= since]
    if not before or latest.followup_pain is None:
        return None
    baseline = mean(p for p in before if p is not None)
    if latest.followup_pain < baseline + BASELINE_JUMP:
        return None
    return Flare(latest.id, latest.followup_pain, round(baseline, 1))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def status_reasons(status: Status) -> list[Reason]:
    """Why the patient is worth a look, most urgent first, in words a clinician reads."""
    reasons = []
    if not status.ever_prescribed:
        reasons.append(Reason("no_program", "no program assigned yet", WEIGHTS["missed"]))
    if status.flare:
        text = (
            f"24-hour pain {status.flare.rating}/10 against a recent baseline of "
            f"{status.flare.baseline:.1f}"
        )
        reasons.append(Reason("flare", text, WEIGHTS["flare"]))
    if status.reds_7d:
        text = _plural(status.reds_7d, "red session", "red sessions") + " in 7 days"
        reasons.append(Reason("red", text, WEIGHTS["red"] * status.reds_7d))
    if status.to_regress:
        text = "the rule advises making easier: " + ", ".join(status.to_regress)
        reasons.append(Reason("regress", text, WEIGHTS["regress"] * len(status.to_regress)))
    if status.unread_messages:
        text = _plural(status.unread_messages, "unread message", "unread messages")
        reasons.append(Reason("unread", text, WEIGHTS["unread"] * status.unread_messages))
    for text in status.outcomes_worse:
        reasons.append(Reason("outcome_worse", text, WEIGHTS["outcome_worse"]))
    if status.missed_7d:
        # Missing sessions is routine; a patient who did none at all in a week needs a call.
        kind = "inactive" if status.done_7d == 0 else "missed"
        text = _plural(status.missed_7d, "session", "sessions") + " missed in 7 days"
        if kind == "inactive":
            text = "no session in 7 days (" + text + ")"
        reasons.append(Reason(kind, text, WEIGHTS["missed"] * status.missed_7d))
    if status.to_progress:
        text = "ready to progress: " + ", ".join(status.to_progress)
        reasons.append(Reason("progress", text, WEIGHTS["progress"] * len(status.to_progress)))
    if status.missing_24h:
        text = _plural(status.missing_24h, "24-hour rating", "24-hour ratings") + " missing"
        reasons.append(Reason("missing_24h", text, WEIGHTS["missing_24h"] * status.missing_24h))
    return reasons


def bands_in_force(programs: Sequence[ProgramFact], defaults: tuple[int, int]) -> tuple[int, int]:
    """(green_max, ceiling): the active program's, else the clinic-wide defaults."""
    active = [p for p in programs if p.active]
    if active:
        return active[0].green_max, active[0].pain_ceiling
    return defaults


def status_build(
    *,
    now: datetime,
    today: date,
    workouts: Sequence[WorkoutFact],
    programs: Sequence[ProgramFact],
    defaults: tuple[int, int],
    to_progress: Sequence[str] = (),
    to_regress: Sequence[str] = (),
    unread_messages: int = 0,
    followup_hours: int = 24,
    outcomes_worse: Sequence[str] = (),
) -> Status:
    """The status from a patient's last weeks of workouts (oldest first) and every program they
    have had."""
    workouts = [w for w in workouts if w.local_date <= today]
    green_max, ceiling = bands_in_force(programs, defaults)
    active = next((p for p in programs if p.active), None)
    status = Status(today=today, green_max=green_max, pain_ceiling=ceiling)
    if active:
        status.program_name, status.review_date = active.name, active.review_date
    status.lights = [w.light for w in workouts[-LIGHT_HISTORY:]]
    if workouts:
        status.last_workout_at, status.last_light = workouts[-1].performed_at, workouts[-1].light
    week_ago = now - timedelta(days=7)
    status.reds_7d = sum(1 for w in workouts if w.light == Light.RED and w.performed_at >= week_ago)
    status.flare = flare_of(workouts, now=now)
    prompt_since = now - timedelta(days=FOLLOWUP_PROMPT_DAYS)
    status.missing_24h = sum(
        1
        for w in workouts
        if w.followup_pain is None
        and prompt_since <= w.performed_at <= now - timedelta(hours=followup_hours)
    )
    days = {w.local_date for w in workouts}
    _adherence_fill(status, programs, days, today)
    status.to_progress, status.to_regress = list(to_progress), list(to_regress)
    status.unread_messages = unread_messages
    status.outcomes_worse = list(outcomes_worse)
    status.ever_prescribed = bool(programs)
    status.reasons = status_reasons(status)
    return status


def _adherence_fill(
    status: Status, programs: Sequence[ProgramFact], days: set[date], today: date
) -> None:
    for window in (7, WINDOW_DAYS):
        first = today - timedelta(days=window - 1)
        done = sum(1 for d in days if first <= d <= today)
        setattr(status, f"done_{window}d", done)
        setattr(status, f"prescribed_{window}d", sessions_expected(programs, first, today))
    status.missed_7d = sessions_missed(programs, days, today)
    status.left_this_week = sessions_left_this_week(programs, days, today)


def alert_reasons(
    reasons: Sequence[Reason], *, workout_id: int, light: str, flare: Flare | None
) -> list[str]:
    """What of the status a just-logged or just-rated session should tell the care team.

    A session alerts when it is itself red or it is the flare; the text is the status's own.
    """
    texts = []
    for reason in reasons:
        if reason.kind == "red" and light == Light.RED:
            texts.append(reason.text)
        elif reason.kind == "flare" and flare is not None and flare.workout_id == workout_id:
            texts.append(reason.text)
    return texts
