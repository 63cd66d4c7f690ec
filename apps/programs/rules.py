"""The progression rule (docs/clinical.md): pure functions on plain values, no ORM and no clock.

Per prescribed exercise, from its recent sessions:
- regress (or reduce volume): red in two of its last three sessions, or a 24-hour rating two or
  more above the ceiling in the latest one;
- progress: the top of the dose reached in each of the last two sessions (3 sets at the top of
  the rep range, or 3 holds of the top duration), with pain during and the 24-hour rating at or
  below the ceiling;
- otherwise hold.
"""

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


LIGHT_CHOICES = [(light.value, light.value.title()) for light in Light]
_SEVERITY = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


def rating_light(pain: int, *, ceiling: int, green_max: int) -> Light:
    """One 0–10 rating: green up to ``green_max``, yellow up to the ceiling, red above it."""
    if pain <= green_max:
        return Light.GREEN
    if pain <= ceiling:
        return Light.YELLOW
    return Light.RED


def traffic_light(pain_during: int, pain_24h: int | None, *, ceiling: int, green_max: int) -> Light:
    """A session's light is the worse of its in-session and 24-hour ratings.

    A session that was green while doing it but red the next morning is red: the 24-hour check
    matters as much as the in-session rating. Until the 24-hour rating exists the light is
    provisional and rests on the in-session rating alone.
    """
    lights = [rating_light(pain_during, ceiling=ceiling, green_max=green_max)]
    if pain_24h is not None:
        lights.append(rating_light(pain_24h, ceiling=ceiling, green_max=green_max))
    return max(lights, key=_SEVERITY.__getitem__)


class Decision(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    # At the first level of a progression there is nothing easier to move to: less of it.
    REDUCE = "reduce"


@dataclass(frozen=True)
class Session:
    """One session of one prescribed exercise, as it was logged."""

    day: date
    set_values: tuple[int, ...]
    pain_during: int | None
    pain_24h: int | None
    skipped: bool = False


@dataclass(frozen=True)
class Thresholds:
    """Defaults from docs/clinical.md; the ceiling and green band come from the program."""

    ceiling: int = 3
    green_max: int = 2
    top_sets: int = 3
    sessions_to_progress: int = 2
    reds_to_regress: int = 2
    regress_window: int = 3
    jump_above_ceiling: int = 2


@dataclass(frozen=True)
class Suggestion:
    decision: Decision
    reason: str
    # The sessions it was decided on, oldest first (the last few done).
    evidence: tuple[Session, ...] = ()


def session_light(session: Session, t: Thresholds) -> Light:
    return traffic_light(
        session.pain_during or 0, session.pain_24h, ceiling=t.ceiling, green_max=t.green_max
    )


def _dose_text(session: Session, unit: str) -> str:
    values = session.set_values
    if len(values) == 1:
        return f"{values[0]}{unit}"
    if len(set(values)) == 1:
        return f"{len(values)} × {values[0]}{unit}"
    return " / ".join(str(v) for v in values) + unit


def _days(sessions: list[Session]) -> str:
    days = [f"{s.day.day} {s.day:%b}" for s in sessions]
    return " and ".join([", ".join(days[:-1]), days[-1]]) if len(days) > 1 else days[0]


def _reached_top(session: Session, target_high: int, t: Thresholds) -> bool:
    top = sorted(session.set_values, reverse=True)[: t.top_sets]
    return len(top) == t.top_sets and all(v >= target_high for v in top)


def _regress_reason(done: list[Session], t: Thresholds) -> str | None:
    latest = done[-1]
    if latest.pain_24h is not None and latest.pain_24h >= t.ceiling + t.jump_above_ceiling:
        return (
            f"24-hour rating {latest.pain_24h}/10 on {_days([latest])}, "
            f"{latest.pain_24h - t.ceiling} above the ceiling of {t.ceiling}"
        )
    window = done[-t.regress_window :]
    reds = [s for s in window if session_light(s, t) == Light.RED]
    if len(reds) >= t.reds_to_regress:
        return f"red in {len(reds)} of the last {len(window)} sessions ({_days(reds)})"
    return None


def progression_decision(
    sessions: list[Session], *, target_high: int, unit: str = "", thresholds: Thresholds
) -> Suggestion:
    """Progress, hold or regress one prescribed exercise; ``sessions`` are oldest first."""
    t = thresholds
    done = [s for s in sessions if not s.skipped]
    if not done:
        return Suggestion(Decision.HOLD, "no sessions of this exercise logged yet")
    regress = _regress_reason(done, t)
    if regress:
        return Suggestion(Decision.REGRESS, regress)
    recent = done[-t.sessions_to_progress :]
    if len(recent) < t.sessions_to_progress:
        return Suggestion(Decision.HOLD, f"only {len(recent)} session logged so far")
    if not all(_reached_top(s, target_high, t) for s in recent):
        top = f"{t.top_sets} × {target_high}{unit}" if t.top_sets > 1 else f"{target_high}{unit}"
        return Suggestion(
            Decision.HOLD,
            f"top of the dose ({top}) not yet reached in the last {len(recent)} sessions",
        )
    if any(s.pain_24h is None for s in recent):
        return Suggestion(Decision.HOLD, "waiting for the 24-hour rating")
    if any(session_light(s, t) == Light.RED for s in recent):
        return Suggestion(Decision.HOLD, "pain above the ceiling in a recent session")
    worst_during = max(s.pain_during or 0 for s in recent)
    worst_after = max(s.pain_24h or 0 for s in recent)  # none is None: checked above
    return Suggestion(
        Decision.PROGRESS,
        (
            f"{_dose_text(recent[-1], unit)} at {worst_during}/10 on {_days(recent)}; "
            f"24 h {worst_after}/10"
        ),
    )


def dose_unit(dose_kind: str) -> str:
    """The unit a dose's numbers are in, as the rule's texts write it."""
    return {"hold": " s", "duration": " min"}.get(dose_kind, "")


@dataclass(frozen=True)
class Dose:
    sets: int
    low: int
    high: int

    def text(self, unit: str = "") -> str:
        reps = f"{self.low}–{self.high}" if self.low != self.high else f"{self.low}"
        return f"{self.sets} × {reps}{unit}"


def dose_reduced(dose: Dose) -> Dose:
    """One step easier: a set fewer, or, at one set, about 30 % less of each (never below 1)."""
    if dose.sets > 1:
        return Dose(dose.sets - 1, dose.low, dose.high)
    low, high = max(1, round(dose.low * 0.7)), max(1, round(dose.high * 0.7))
    return Dose(1, min(low, high), high)


def at_progression_edges(
    suggestion: Suggestion, *, has_next: bool, has_previous: bool, dose: Dose, unit: str = ""
) -> Suggestion:
    """The rule's decision where the exercise's progression ends: no progress past its last
    level (hold there), and at its first level a regression becomes a smaller dose."""
    if suggestion.decision == Decision.PROGRESS and not has_next:
        return Suggestion(
            Decision.HOLD,
            f"{suggestion.reason}; ready, but this is the last level of its progression: keep "
            "the dose or choose a harder exercise",
        )
    if suggestion.decision == Decision.REGRESS and not has_previous:
        if dose_reduced(dose) == dose:
            return Suggestion(
                Decision.HOLD,
                f"{suggestion.reason}; already the first level at the smallest dose: review the "
                "exercise with the patient",
            )
        return Suggestion(
            Decision.REDUCE,
            f"{suggestion.reason}; first level of its progression: reduce the dose to "
            f"{dose_reduced(dose).text(unit)}",
        )
    return suggestion


# An optional questionnaire criterion for moving a run on to its next stage (docs/clinical.md):
# the instrument's code, the score it is read from (apps/outcomes stores a response's scores by
# subscale), how to name it in a reason, and its unit.
GATE_INSTRUMENTS = {
    "hip-rating": ("rating", "hip rating", " %", 100.0),
    "psfs": ("mean", "PSFS", "", 10.0),
}
GATE_KINDS = ("at_least", "improved_by")


class GateError(ValueError):
    """A criterion no form should have let through."""


@dataclass(frozen=True)
class OutcomeGate:
    """ "Hip rating at least 80 %" or "PSFS improved by at least 2 since the first"."""

    instrument: str
    kind: str
    value: float

    @classmethod
    def parse(cls, data: object) -> "OutcomeGate | None":
        """The stored criterion ({"instrument", "kind", "value"}), checked; None for none."""
        if data in (None, {}, ""):
            return None
        if not isinstance(data, dict) or set(data) != {"instrument", "kind", "value"}:
            raise GateError("give instrument, kind and value")
        instrument, kind, value = data["instrument"], data["kind"], data["value"]
        if instrument not in GATE_INSTRUMENTS:
            raise GateError(f"instrument must be one of {', '.join(GATE_INSTRUMENTS)}")
        if kind not in GATE_KINDS:
            raise GateError(f"kind must be one of {', '.join(GATE_KINDS)}")
        top = GATE_INSTRUMENTS[instrument][3]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= top:
            raise GateError(f"value must be a number above 0 and at most {top:g}")
        return cls(instrument, kind, float(value))

    def as_dict(self) -> dict[str, object]:
        return {"instrument": self.instrument, "kind": self.kind, "value": self.value}

    @property
    def subscale(self) -> str:
        return GATE_INSTRUMENTS[self.instrument][0]

    def text(self) -> str:
        _, name, unit, _ = GATE_INSTRUMENTS[self.instrument]
        if self.kind == "at_least":
            return f"{name} at least {self.value:g}{unit}"
        return f"{name} improved by at least {self.value:g} since the first"


@dataclass(frozen=True)
class GateScores:
    """The first and the latest score of the gate's instrument (None: never scored)."""

    first: float | None = None
    latest: float | None = None


def outcome_gated(suggestion: Suggestion, gate: OutcomeGate, scores: GateScores) -> Suggestion:
    """A run ready for its next stage moves on only when the questionnaire criterion is met;
    any other decision is the usual rule's. The reason says which way and by how much."""
    if suggestion.decision != Decision.PROGRESS:
        return suggestion
    _, name, unit, _ = GATE_INSTRUMENTS[gate.instrument]
    need = f"{gate.value:g}{unit}"
    if scores.latest is None or scores.first is None:
        return replace(
            suggestion,
            decision=Decision.HOLD,
            reason=f"{suggestion.reason}; no {name} yet, and this stage needs {gate.text()}",
        )
    if gate.kind == "at_least":
        met = scores.latest >= gate.value
        said = f"{name} {_score(scores.latest)}{unit}"
        verdict = (
            f"{said} meets the {need} this stage needs"
            if met
            else f"{said} is below the {need} this stage needs"
        )
    else:
        delta = round(scores.latest - scores.first, 6)
        met = delta >= gate.value
        said = f"{name} {'up' if delta >= 0 else 'down'} {_score(abs(delta))}{unit} since the first"
        verdict = f"{said}, {'meeting' if met else 'short of'} the {need} this stage needs"
    if met:
        return replace(suggestion, reason=f"{suggestion.reason}; {verdict}")
    return replace(suggestion, decision=Decision.HOLD, reason=f"{verdict} ({suggestion.reason})")


def _score(value: float) -> str:
    return f"{round(value, 1):g}"
