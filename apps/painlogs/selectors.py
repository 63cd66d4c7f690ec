from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDay, TruncWeek

from apps.accounts.models import User
from apps.common.timezones import day_month, local_date
from apps.patients.models import Patient
from apps.patients.selectors import patients_for
from apps.programs.models import Program

from .models import Activity, ExerciseResult, Workout
from .rules import PAIN_MEAN_DECIMALS, followup_opens_at, sessions_asked, week_start

FOLLOWUP_HOURS = settings.GREENLIGHT["FOLLOWUP_AFTER_HOURS"]
# A 24-hour rating left this long is no longer asked for: memory of the day has faded.
FOLLOWUP_PROMPT_DAYS = 7


def workouts_for(user: User) -> QuerySet[Workout]:
    """Workouts of the patients ``user`` may see (default deny)."""
    return Workout.objects.filter(patient__in=patients_for(user)).select_related("patient__user")


def activities_for(user: User) -> QuerySet[Activity]:
    return Activity.objects.filter(patient__in=patients_for(user)).select_related("patient__user")


def workouts_with_results(patient: Patient) -> QuerySet[Workout]:
    return Workout.objects.filter(patient=patient).prefetch_related(
        Prefetch("results", queryset=ExerciseResult.objects.order_by("id"))
    )


def patient_today(patient: Patient, now: datetime) -> date:
    return local_date(now, patient.user.timezone)


@dataclass
class FollowupsDue:
    open: list[Workout]
    waiting: list[tuple[Workout, datetime]]


def followups_pending(patient: Patient, now: datetime) -> FollowupsDue:
    """Workouts still missing their 24-hour rating: open now, or opening later."""
    since = now - timedelta(days=FOLLOWUP_PROMPT_DAYS)
    rows = list(
        Workout.objects.filter(
            patient=patient,
            followup_pain__isnull=True,
            performed_at__gte=since,
        ).order_by("performed_at")
    )
    opens = [(w, followup_opens_at(w.performed_at, hours=FOLLOWUP_HOURS)) for w in rows]
    return FollowupsDue(
        open=[w for w, at in opens if at <= now], waiting=[(w, at) for w, at in opens if at > now]
    )


def activities_awaiting_soreness(patient: Patient, today: date) -> QuerySet[Activity]:
    return Activity.objects.filter(
        patient=patient,
        next_day_soreness__isnull=True,
        date__lt=today,
        date__gte=today - timedelta(days=FOLLOWUP_PROMPT_DAYS),
    )


def pain_trend(patient: Patient, *, since: date) -> list[dict[str, object]]:
    """Chart points: pain during and 24 h after per workout, oldest first, with its light."""
    rows = (
        Workout.objects.filter(patient=patient, local_date__gte=since)
        .order_by("performed_at")
        .values("local_date", "pain_during", "followup_pain", "light", "pain_ceiling")
    )
    return [
        {
            "date": row["local_date"].isoformat(),
            "label": day_month(row["local_date"]),
            "during": row["pain_during"],
            "after24h": row["followup_pain"],
            "light": row["light"],
            "ceiling": row["pain_ceiling"],
        }
        for row in rows
    ]


def sessions_prescribed(programs: list[Program], first: date, last: date, tz_name: str) -> int:
    """Sessions the patient's programs asked for between two dates, pro-rated to the days run."""
    spans = [
        (p.sessions_per_week, p.start_date, local_date(p.ended_at, tz_name) if p.ended_at else None)
        for p in programs
    ]
    return sessions_asked(spans, first, last)


def pain_trend_buckets(
    patient: Patient, *, start: date, end: date, bucket: str
) -> list[dict[str, object]]:
    """Pain and adherence per day or ISO week, aggregated by the database.

    Each bucket: mean and max pain during and 24 h after, sessions done (days with a workout)
    against prescribed, and how many sessions were green, yellow and red.
    """
    trunc = TruncWeek if bucket == "week" else TruncDay
    rows = (
        Workout.objects.filter(patient=patient, local_date__range=(start, end))
        .annotate(period=trunc("local_date"))
        .values("period")
        .annotate(
            during_mean=Avg("pain_during"),
            during_max=Max("pain_during"),
            after_mean=Avg("followup_pain"),
            after_max=Max("followup_pain"),
            sessions=Count("local_date", distinct=True),
            green=Count("pk", filter=Q(light="green")),
            yellow=Count("pk", filter=Q(light="yellow")),
            red=Count("pk", filter=Q(light="red")),
        )
        .order_by("period")
    )
    programs = list(Program.objects.filter(patient=patient, start_date__lte=end))
    result = []
    for values in rows:
        row: dict[str, Any] = dict(values)
        first = _as_date(row.pop("period"))
        last = min(first + timedelta(days=6 if bucket == "week" else 0), end)
        row["prescribed"] = sessions_prescribed(programs, first, last, patient.user.timezone)
        result.append({"start": first, **_rounded(row)})
    return result


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _rounded(row: Mapping[str, Any]) -> dict[str, object]:
    # PostgreSQL averages integers as Decimal, SQLite as float: one shape for the API, rounded
    # as the HTML trend rounds (painlogs.rules.pain_mean).
    return {
        k: round(float(v), PAIN_MEAN_DECIMALS) if isinstance(v, float | Decimal) else v
        for k, v in row.items()
    }


@dataclass
class ActivityWeek:
    """One week (Monday to Sunday, the patient's zone) against the WHO targets."""

    start: date
    cardio_minutes: int = 0
    strength_sessions: int = 0
    cardio_target: int = 150
    strength_target: int = 2

    @property
    def cardio_met(self) -> bool:
        return self.cardio_minutes >= self.cardio_target

    @property
    def strength_met(self) -> bool:
        return self.strength_sessions >= self.strength_target

    @property
    def cardio_percent(self) -> int:
        return min(100, round(100 * self.cardio_minutes / self.cardio_target))


# Cardio is every logged activity but gym work, plus the minutes of prescribed runs; strength
# sessions are days with a logged workout that did more than run.
NOT_CARDIO = {Activity.Kind.GYM}


def weekly_activity(patient: Patient, *, today: date, weeks: int = 4) -> list[ActivityWeek]:
    """Cardio minutes and strength sessions per week, newest first, in three queries."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    return activity_weeks({patient.pk: (first, today)})[patient.pk]


def activity_weeks(spans: Mapping[int, tuple[date, date]]) -> dict[int, list[ActivityWeek]]:
    """Patient id → their weeks (newest first) from a Monday to a day, each patient's own span;
    three queries for any number of patients (the stored status reads everyone's week)."""
    targets = settings.GREENLIGHT["WHO_WEEKLY"]
    rows: dict[int, dict[date, ActivityWeek]] = {}
    for pk, (first, last) in spans.items():
        starts = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
        rows[pk] = {
            start: ActivityWeek(
                start=start,
                cardio_target=targets["CARDIO_MINUTES"],
                strength_target=targets["STRENGTH_SESSIONS"],
            )
            for start in starts
        }
    if not spans:
        return {}
    earliest = min(first for first, _ in spans.values())
    latest = max(last for _, last in spans.values())

    def week(pk: int, day: date) -> ActivityWeek | None:
        first, last = spans[pk]
        return rows[pk].get(week_start(day)) if first <= day <= last else None

    activities = Activity.objects.filter(patient_id__in=spans, date__range=(earliest, latest))
    for pk, day, kind, minutes in activities.values_list(
        "patient_id", "date", "kind", "duration_minutes"
    ):
        if kind not in NOT_CARDIO and (w := week(pk, day)):
            w.cardio_minutes += minutes
    done = ExerciseResult.objects.filter(
        workout__patient_id__in=spans,
        workout__local_date__range=(earliest, latest),
        skipped=False,
    )
    run = Q(dose_kind="duration", exercise__region="running")
    # A strength session is a day with strength work done: a run alone is cardio.
    strength_days = (
        done.exclude(run).order_by().values_list("workout__patient_id", "workout__local_date")
    )
    for pk, day in strength_days.distinct():
        if w := week(pk, day):
            w.strength_sessions += 1
    for pk, day, values in done.filter(run).values_list(
        "workout__patient_id", "workout__local_date", "set_values"
    ):
        if w := week(pk, day):
            w.cardio_minutes += sum(values)
    return {
        pk: sorted(weeks.values(), key=lambda w: w.start, reverse=True)
        for pk, weeks in rows.items()
    }
