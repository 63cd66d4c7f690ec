"""The clinician's triage dashboard: every patient of theirs, ordered by need of attention.

Reads in a fixed number of queries whatever the number of patients and logs: patients, their
last 28 days of workouts, their programs, the progression suggestions (two queries) and their
unread messages.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean

from django.db.models import Count, F

from apps.accounts.models import User
from apps.care.models import Message
from apps.common.timezones import local_date
from apps.painlogs.models import Workout
from apps.painlogs.rules import BASELINE_JUMP, adherence
from apps.painlogs.selectors import sessions_prescribed
from apps.programs.models import Program
from apps.programs.rules import Decision
from apps.programs.selectors import suggestions_by_program

from .models import Patient
from .selectors import clinician_patients

WINDOW_DAYS = 28
LIGHT_HISTORY = 10
BASELINE_DAYS = 14
# How much each signal weighs in the ordering (docs/clinical.md: reds and flares first).
WEIGHTS = {
    "reds": 3,
    "flare": 4,
    "regress": 3,
    "unread_messages": 2,
    "missed": 1,
    "progress": 1,
    "missing_24h": 1,
}


@dataclass
class TriageRow:
    patient: Patient
    lights: list[str] = field(default_factory=list)
    reds_7d: int = 0
    flare: bool = False
    adherence_7: tuple[int, int] = (0, 0)
    adherence_28: tuple[int, int] = (0, 0)
    last_workout: datetime | None = None
    missing_24h: int = 0
    to_progress: list[str] = field(default_factory=list)
    to_regress: list[str] = field(default_factory=list)
    unread_messages: int = 0
    score: int = 0

    @property
    def missed_7d(self) -> int:
        done, prescribed = self.adherence_7
        return max(prescribed - done, 0)

    @property
    def adherence_7_ratio(self) -> float | None:
        return adherence(*self.adherence_7)

    @property
    def adherence_28_ratio(self) -> float | None:
        return adherence(*self.adherence_28)


def attention_score(row: TriageRow) -> int:
    """Pure: the weighted sum of what needs a look."""
    return (
        WEIGHTS["reds"] * row.reds_7d
        + WEIGHTS["flare"] * row.flare
        + WEIGHTS["regress"] * len(row.to_regress)
        + WEIGHTS["missed"] * row.missed_7d
        + WEIGHTS["progress"] * len(row.to_progress)
        + WEIGHTS["missing_24h"] * row.missing_24h
        + WEIGHTS["unread_messages"] * row.unread_messages
    )


def is_flare(followups: list[tuple[datetime, int]], *, now: datetime) -> bool:
    """The latest 24-hour rating is well above the patient's 14-day baseline before it."""
    if not followups:
        return False
    latest_at, latest = followups[-1]
    if latest_at < now - timedelta(days=7):
        return False
    before = [p for at, p in followups[:-1] if at >= latest_at - timedelta(days=BASELINE_DAYS)]
    return bool(before) and latest >= mean(before) + BASELINE_JUMP


def _prescribed(programs: list[Program], today: date, days: int, tz: str) -> int:
    return sessions_prescribed(programs, today - timedelta(days=days - 1), today, tz)


def _fill_workouts(row: TriageRow, workouts: list[dict], today: date, now: datetime) -> None:
    row.lights = [w["light"] for w in workouts[-LIGHT_HISTORY:]]
    row.last_workout = workouts[-1]["performed_at"] if workouts else None
    week_ago = now - timedelta(days=7)
    row.reds_7d = sum(1 for w in workouts if w["light"] == "red" and w["performed_at"] >= week_ago)
    row.missing_24h = sum(
        1
        for w in workouts
        if w["followup_pain"] is None
        and w["performed_at"] <= now - timedelta(hours=24)
        and w["performed_at"] >= week_ago
    )
    followups = [
        (w["performed_at"], w["followup_pain"]) for w in workouts if w["followup_pain"] is not None
    ]
    row.flare = is_flare(followups, now=now)
    days = {w["local_date"] for w in workouts}
    row.adherence_7 = (sum(1 for d in days if d > today - timedelta(days=7)), 0)
    row.adherence_28 = (sum(1 for d in days if d > today - timedelta(days=WINDOW_DAYS)), 0)


def triage_rows(user: User, *, now: datetime) -> list[TriageRow]:
    patients = list(clinician_patients(user).order_by("user__full_name"))
    ids = [p.pk for p in patients]
    since = now - timedelta(days=WINDOW_DAYS + 1)
    workouts = defaultdict(list)
    for w in (
        Workout.objects.filter(patient_id__in=ids, performed_at__gte=since)
        .order_by("performed_at")
        .values("patient_id", "performed_at", "local_date", "light", "followup_pain")
    ):
        workouts[w["patient_id"]].append(w)
    programs = defaultdict(list)
    for program in (
        Program.objects.filter(patient_id__in=ids)
        .exclude(ended_at__lt=since)
        .prefetch_related("items__exercise")
    ):
        programs[program.patient_id].append(program)
    active = [p for ps in programs.values() for p in ps if p.status == Program.Status.ACTIVE]
    suggestions = suggestions_by_program(active, now=now)
    unread = _unread_messages(user, ids)
    rows = [_row(p, workouts[p.pk], programs[p.pk], suggestions, now) for p in patients]
    for row in rows:
        row.unread_messages = unread.get(row.patient.pk, 0)
        row.score = attention_score(row)
    return sorted(rows, key=lambda r: (-r.score, r.patient.user.full_name))


def _unread_messages(user: User, patient_ids: list[int]) -> dict[int, int]:
    """Patients' messages this clinician has not read, for the threads they are part of."""
    return dict(
        Message.objects.filter(
            patient_id__in=patient_ids, patient__care_team=user, author=F("patient__user")
        )
        .exclude(receipts__reader=user)
        .values("patient_id")
        .annotate(count=Count("pk"))
        .values_list("patient_id", "count")
    )


def _row(patient, workouts, programs, suggestions, now) -> TriageRow:
    tz = patient.user.timezone
    today = local_date(now, tz)
    row = TriageRow(patient=patient)
    _fill_workouts(row, [w for w in workouts if w["local_date"] <= today], today, now)
    row.adherence_7 = (row.adherence_7[0], _prescribed(programs, today, 7, tz))
    row.adherence_28 = (row.adherence_28[0], _prescribed(programs, today, WINDOW_DAYS, tz))
    for program in programs:
        for item, suggestion in suggestions.get(program.pk, []):
            if suggestion.decision == Decision.PROGRESS:
                row.to_progress.append(item.exercise.name)
            elif suggestion.decision in (Decision.REGRESS, Decision.REDUCE):  # easier, either way
                row.to_regress.append(item.exercise.name)
    row.score = attention_score(row)
    return row
