"""The weekly trend of one patient: pain, adherence, training volume, activities and level changes.

Weeks run Monday to Sunday in the patient's own zone (workouts and activities carry their local
date). Every week of the range from the start of care is present, empty ones too: a week without
a session is news.
Five queries whatever the range or the number of logs.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from apps.common.timezones import day_month, local_date
from apps.exercises.models import DoseKind, Region
from apps.outcomes.series import Series
from apps.painlogs.models import Activity, ExerciseResult, Workout
from apps.painlogs.rules import adherence, pain_mean, week_start
from apps.painlogs.selectors import sessions_prescribed
from apps.patients.models import Patient
from apps.programs.models import Program, ProgressionChange


@dataclass
class TrendWeek:
    start: date
    end: date
    sessions: int = 0
    prescribed: int = 0
    during_mean: float | None = None
    during_max: int | None = None
    after_mean: float | None = None
    after_max: int | None = None
    lights: dict = field(default_factory=lambda: {"green": 0, "yellow": 0, "red": 0})
    reps: int = 0
    hold_seconds: int = 0
    run_minutes: int = 0
    timed_minutes: int = 0
    activity_minutes: int = 0
    ceiling: int | None = None
    activities: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    @property
    def adherence(self) -> float | None:
        return adherence(self.sessions, self.prescribed)


def weekly_trend(patient: Patient, *, today: date, weeks: int) -> list[TrendWeek]:
    """The last ``weeks`` weeks up to the one holding ``today``, oldest first.

    Weeks before the patient's first program or log are left out.
    """
    first = week_start(today) - timedelta(weeks=weeks - 1)
    rows = {
        start: TrendWeek(start=start, end=min(start + timedelta(days=6), today))
        for start in (first + timedelta(weeks=n) for n in range(weeks))
    }
    _pain_and_sessions(patient, rows, first, today)
    _volume(patient, rows, first, today)
    _activities(patient, rows, first, today)
    _changes(patient, rows, first, today)
    return _from_first_active_week(list(rows.values()))


def _from_first_active_week(weeks: list[TrendWeek]) -> list[TrendWeek]:
    """Weeks before the first program or log say nothing: the range starts at the care."""
    for index, week in enumerate(weeks):
        if week.prescribed or week.sessions or week.activities:
            return weeks[index:]
    return weeks[-1:]


def _pain_and_sessions(patient: Patient, rows: dict, first: date, last: date) -> None:
    """Mean and worst pain over the week's workouts; a session is a day with a workout."""
    ratings: defaultdict[date, tuple[list[int], list[int], set[date]]] = defaultdict(
        lambda: ([], [], set())
    )
    workouts = Workout.objects.filter(patient=patient, local_date__range=(first, last))
    for day, during, after, light, ceiling in workouts.values_list(
        "local_date", "pain_during", "followup_pain", "light", "pain_ceiling"
    ):
        week = rows[week_start(day)]
        week.lights[light] += 1
        # The ceiling in force that week: a later change must not move old weeks' line.
        week.ceiling = max(week.ceiling or 0, ceiling)
        during_list, after_list, days = ratings[week.start]
        during_list.append(during)
        if after is not None:
            after_list.append(after)
        days.add(day)
    for start, (week_during, week_after, days) in ratings.items():
        week = rows[start]
        week.sessions = len(days)
        week.during_mean, week.during_max = pain_mean(week_during), max(week_during)
        week.after_mean, week.after_max = pain_mean(week_after), max(week_after, default=None)
    programs = list(Program.objects.filter(patient=patient, start_date__lte=last))
    for week in rows.values():
        week.prescribed = sessions_prescribed(programs, week.start, week.end, patient.user.timezone)


def _volume(patient: Patient, rows: dict, first: date, last: date) -> None:
    """Sets × reps, seconds held and minutes run, from what was actually done."""
    results = ExerciseResult.objects.filter(
        workout__patient=patient, workout__local_date__range=(first, last), skipped=False
    ).values_list("workout__local_date", "dose_kind", "set_values", "exercise__region")
    for day, kind, values, region in results:
        week, total = rows[week_start(day)], sum(values)
        if kind == DoseKind.REPS:
            week.reps += total
        elif kind == DoseKind.HOLD:
            week.hold_seconds += total
        elif region == Region.RUNNING:
            week.run_minutes += total
        else:
            week.timed_minutes += total


def _activities(patient: Patient, rows: dict, first: date, last: date) -> None:
    for activity in Activity.objects.filter(patient=patient, date__range=(first, last)).order_by(
        "date", "created_at"
    ):
        week = rows[week_start(activity.date)]
        week.activities.append(activity)
        week.activity_minutes += activity.duration_minutes


def _changes(patient: Patient, rows: dict, first: date, last: date) -> None:
    tz = patient.user.timezone
    # A day's margin either side of the UTC bounds; the local date decides the week.
    since = datetime.combine(first - timedelta(days=1), time.min, tzinfo=UTC)
    until = datetime.combine(last + timedelta(days=2), time.min, tzinfo=UTC)
    changes = (
        ProgressionChange.objects.filter(
            prescribed__program__patient=patient, changed_at__range=(since, until)
        )
        .select_related("from_exercise", "to_exercise", "changed_by")
        .order_by("changed_at")
    )
    for change in changes:
        day = local_date(change.changed_at, tz)
        if first <= day <= last:
            rows[week_start(day)].changes.append(change)


def _change_label(change: ProgressionChange) -> str:
    arrow = "↑" if change.direction == ProgressionChange.Direction.PROGRESS else "↓"
    return f"{arrow} {change.to_exercise.name}"


def trend_chart_data(
    weeks: list[TrendWeek], *, ceiling: int, outcomes: Sequence[Series] = ()
) -> list[dict]:
    """What the page's charts draw, one entry per week.

    ``ceiling`` is the current program's, for weeks without a workout to say which was in force.
    ``outcomes`` adds each questionnaire score of the week, on 0–100 (``score_scale``).
    """
    return [
        {
            "start": week.start.isoformat(),
            "label": day_month(week.start),
            "during_mean": week.during_mean,
            "during_max": week.during_max,
            "after_mean": week.after_mean,
            "after_max": week.after_max,
            "ceiling": week.ceiling or ceiling,
            "sessions": week.sessions,
            "prescribed": week.prescribed,
            "reps": week.reps,
            "hold_seconds": week.hold_seconds,
            "run_minutes": week.run_minutes,
            "timed_minutes": week.timed_minutes,
            "activity_minutes": week.activity_minutes,
            "changes": [_change_label(c) for c in week.changes],
            "scores": _week_scores(week, outcomes),
        }
        for week in weeks
    ]


def outcome_label(series: Series) -> str:
    """The series' name on the weekly chart's 0–100 axis: PSFS (0–10) is drawn ten times."""
    return f"{series.label} (×10)" if series.high == 10 else series.label


def _week_scores(week: TrendWeek, outcomes: Sequence[Series]) -> dict[str, float]:
    """The week's latest score of each series, on 0–100; the global rating of change (−7 to +7)
    is a change itself and stays off this axis."""
    scores = {}
    for series in outcomes:
        if series.low < 0:
            continue
        inside = [
            p.value
            for p in series.points
            if p.value is not None and week.start <= p.day <= week.start + timedelta(days=6)
        ]
        if inside:
            scores[outcome_label(series)] = round(inside[-1] * 100 / series.high, 1)
    return scores
