"""Keeping the stored status current: one refresh for one patient or thousands, in fixed queries.

The services that change a status input (workout, 24-hour rating, activity, message, program,
level change) announce it with ``apps.common.signals.status_stale`` inside their transaction;
``status_on_stale`` recomputes the named parts then, so a page read after the write sees it. The
scheduler refreshes everyone for what time alone changes (a red session ageing out of its week,
a session becoming missed at the patient's midnight).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from apps.care.models import Message, MessageReceipt
from apps.common.signals import ALL_PARTS
from apps.common.timezones import local_date
from apps.outcomes.selectors import series_by_patient
from apps.outcomes.series import worsening
from apps.painlogs.models import Workout
from apps.painlogs.rules import week_start
from apps.painlogs.selectors import ActivityWeek, activity_weeks
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program
from apps.programs.rules import Decision
from apps.programs.selectors import default_bands, suggestions_by_program

from .models import PatientStatus
from .rules import WINDOW_DAYS, ProgramFact, Status, WorkoutFact, status_build

# The scheduler refreshes this many patients per round of queries.
REFRESH_CHUNK = 500
_FIELDS = [f.name for f in PatientStatus._meta.concrete_fields if f.name != "patient"]
_ITEMS = Prefetch(
    "items", queryset=PrescribedExercise.objects.select_related("exercise__progression")
)


def status_on_stale(
    sender: object, *, patient_ids: list[int], parts: frozenset[str], **kwargs: object
) -> None:
    statuses_refresh(patient_ids, parts=parts)


def statuses_refresh(
    patient_ids: Iterable[int], *, parts: frozenset[str] = ALL_PARTS, now: datetime | None = None
) -> int:
    """Recompute and store the status of these patients; four queries for the session part,
    twelve for all of it, whatever their number. Returns how many rows were written."""
    now = now or timezone.now()
    patients = list(
        Patient.objects.filter(pk__in=list(patient_ids), erased_at__isnull=True)
        .select_related("user", "status")
        .only("pk", "user__timezone", "status")
    )
    if not patients:
        return 0
    ids = [p.pk for p in patients]
    workouts = _workouts(ids, now)
    programs = _programs(ids)
    suggestions = _suggestions(programs, now) if "suggestions" in parts else None
    unread = _unread(ids) if "messages" in parts else None
    weeks = _this_weeks(patients, now) if "activity" in parts else None
    worse = _outcomes_worse(ids) if "outcomes" in parts else None
    rows = []
    for patient in patients:
        previous = getattr(patient, "status", None)
        status = status_build(
            now=now,
            today=local_date(now, patient.user.timezone),
            workouts=workouts[patient.pk],
            programs=[fact for fact, _ in programs[patient.pk]],
            defaults=default_bands(),
            to_progress=_part(suggestions, patient.pk, 0, previous, "to_progress"),
            to_regress=_part(suggestions, patient.pk, 1, previous, "to_regress"),
            unread_messages=_unread_of(unread, patient.pk, previous),
            followup_hours=settings.GREENLIGHT["FOLLOWUP_AFTER_HOURS"],
            outcomes_worse=_outcomes_worse_of(worse, patient.pk, previous),
        )
        row = _row(patient.pk, status, now)
        _week_fill(row, weeks, patient.pk, previous)
        rows.append(row)
    PatientStatus.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["patient"], update_fields=_FIELDS
    )
    return len(rows)


def statuses_refresh_all(*, now: datetime | None = None) -> int:
    """Every patient's status, in chunks (the scheduler's round for what time alone changes)."""
    ids = list(Patient.objects.filter(erased_at__isnull=True).values_list("pk", flat=True))
    return sum(
        statuses_refresh(ids[i : i + REFRESH_CHUNK], now=now)
        for i in range(0, len(ids), REFRESH_CHUNK)
    )


def _workouts(ids: list[int], now: datetime) -> dict[int, list[WorkoutFact]]:
    # A day either side of the widest window: "today" differs by zone.
    rows = (
        Workout.objects.filter(
            patient_id__in=ids, performed_at__gte=now - timedelta(days=WINDOW_DAYS + 1)
        )
        .order_by("performed_at", "pk")
        .values_list("patient_id", "pk", "performed_at", "local_date", "light", "followup_pain")
    )
    result: dict[int, list[WorkoutFact]] = defaultdict(list)
    for patient_id, pk, performed_at, day, light, followup in rows:
        result[patient_id].append(WorkoutFact(pk, performed_at, day, light, followup))
    return result


def _programs(ids: list[int]) -> dict[int, list[tuple[ProgramFact, Program]]]:
    # Every program, ended ones too (a handful per patient): one that ended weeks ago still
    # says the patient has been under care, and ends of programs inside the window count.
    programs = (
        Program.objects.filter(patient_id__in=ids)
        .select_related("patient__user")
        .order_by("start_date", "pk")
    )
    result: dict[int, list[tuple[ProgramFact, Program]]] = defaultdict(list)
    for program in programs:
        tz = program.patient.user.timezone
        fact = ProgramFact(
            sessions_per_week=program.sessions_per_week,
            start_date=program.start_date,
            last_day=local_date(program.ended_at, tz) if program.ended_at else None,
            active=program.status == Program.Status.ACTIVE,
            name=program.name,
            review_date=program.review_date,
            pain_ceiling=program.pain_ceiling,
            green_max=program.green_max,
        )
        result[program.patient_id].append((fact, program))
    return result


def _suggestions(
    programs: dict[int, list[tuple[ProgramFact, Program]]], now: datetime
) -> dict[int, tuple[list[str], list[str]]]:
    """Patient id → (exercises the rule would progress, exercises it would make easier)."""
    active = [p for rows in programs.values() for fact, p in rows if fact.active]
    result: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    if not active:
        return result
    prefetch_related_objects(active, _ITEMS)
    advice = suggestions_by_program(active, now=now)
    for program in active:
        progress, easier = result[program.patient_id]
        for item, suggestion in advice[program.pk]:
            if suggestion.decision == Decision.PROGRESS:
                progress.append(item.exercise.name)
            elif suggestion.decision in (Decision.REGRESS, Decision.REDUCE):
                easier.append(item.exercise.name)
    return result


def _part(
    suggestions: dict[int, tuple[list[str], list[str]]] | None,
    patient_id: int,
    index: int,
    previous: PatientStatus | None,
    name: str,
) -> list[str]:
    if suggestions is None:  # not recomputed: carried over
        return list(getattr(previous, name, None) or [])
    return suggestions.get(patient_id, ([], []))[index]


def _unread(ids: list[int]) -> dict[int, int]:
    """Messages from the patient that nobody of the care team has read yet."""
    read = MessageReceipt.objects.filter(message=OuterRef("pk")).exclude(reader=OuterRef("author"))
    rows = (
        Message.objects.filter(patient_id__in=ids, author=F("patient__user"))
        .filter(~Q(Exists(read)))
        .values_list("patient_id", flat=True)
    )
    counts: dict[int, int] = defaultdict(int)
    for patient_id in rows:
        counts[patient_id] += 1
    return counts


def _this_weeks(patients: list[Patient], now: datetime) -> dict[int, list[ActivityWeek]]:
    spans = {}
    for patient in patients:
        today = local_date(now, patient.user.timezone)
        spans[patient.pk] = (week_start(today), today)
    return activity_weeks(spans)


def _week_fill(
    row: PatientStatus,
    weeks: dict[int, list[ActivityWeek]] | None,
    patient_id: int,
    previous: PatientStatus | None,
) -> None:
    """This week's activity, recomputed or carried over."""
    if weeks is None:
        if (
            previous is not None
            and previous.local_date
            and week_start(previous.local_date) == (week_start(row.local_date))
        ):
            row.cardio_minutes_week = previous.cardio_minutes_week
            row.strength_sessions_week = previous.strength_sessions_week
        return
    (week,) = weeks[patient_id]
    row.cardio_minutes_week, row.strength_sessions_week = (
        week.cardio_minutes,
        week.strength_sessions,
    )


def _outcomes_worse(ids: list[int]) -> dict[int, list[str]]:
    """Patient id → each questionnaire score whose latest administration is worse, in words."""
    return {
        patient_id: [text for text in map(worsening, series) if text]
        for patient_id, series in series_by_patient(ids).items()
    }


def _outcomes_worse_of(
    worse: dict[int, list[str]] | None, patient_id: int, previous: PatientStatus | None
) -> list[str]:
    if worse is None:  # not recomputed: carried over from the stored reasons
        reasons = previous.reasons if previous else []
        return [r["text"] for r in reasons if r["kind"] == "outcome_worse"]
    return worse.get(patient_id, [])


def _unread_of(
    unread: dict[int, int] | None, patient_id: int, previous: PatientStatus | None
) -> int:
    if unread is None:
        return previous.unread_messages if previous else 0
    return unread.get(patient_id, 0)


def _row(patient_id: int, status: Status, now: datetime) -> PatientStatus:
    flare = status.flare
    return PatientStatus(
        patient_id=patient_id,
        computed_at=now,
        local_date=status.today,
        green_max=status.green_max,
        pain_ceiling=status.pain_ceiling,
        program_name=status.program_name,
        review_date=status.review_date,
        lights=status.lights,
        last_workout_at=status.last_workout_at,
        last_light=status.last_light,
        reds_7d=status.reds_7d,
        flare_workout_id=flare.workout_id if flare else None,
        flare_rating=flare.rating if flare else None,
        flare_baseline=flare.baseline if flare else None,
        done_7d=status.done_7d,
        prescribed_7d=status.prescribed_7d,
        done_28d=status.done_28d,
        prescribed_28d=status.prescribed_28d,
        missed_7d=status.missed_7d,
        left_this_week=status.left_this_week,
        missing_24h=status.missing_24h,
        to_progress=status.to_progress,
        to_regress=status.to_regress,
        unread_messages=status.unread_messages,
        reasons=[{"kind": r.kind, "text": r.text, "weight": r.weight} for r in status.reasons],
        cardio_target=settings.GREENLIGHT["WHO_WEEKLY"]["CARDIO_MINUTES"],
        strength_target=settings.GREENLIGHT["WHO_WEEKLY"]["STRENGTH_SESSIONS"],
        needs_attention=status.needs_attention,
        rank=status.rank,
    )
