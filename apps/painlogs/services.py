import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from apps.accounts.models import User
from apps.common.services import model_validate_and_save, require
from apps.common.signals import status_stale
from apps.common.timezones import local_date
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program
from apps.programs.selectors import bands_in_force

from .models import Activity, ExerciseResult, IdempotentRequest, Workout
from .rules import followup_opens_at, traffic_light

FOLLOWUP_HOURS = settings.GREENLIGHT["FOLLOWUP_AFTER_HOURS"]


@dataclass
class ResultInput:
    """What the patient entered for one prescribed exercise."""

    prescribed: PrescribedExercise
    set_values: list[int] = field(default_factory=list)
    pain_during: int | None = None
    skipped: bool = False
    skip_reason: str = ""
    note: str = ""
    distance_km: Decimal | None = None
    step_rate: int | None = None


def _patient_of(user: User) -> Patient:
    require(
        user.is_authenticated and user.is_patient, "Only the patient can log their own workouts."
    )
    return user.patient_profile


def _result_check(item: ResultInput, program: Program) -> None:
    name = item.prescribed.exercise.name
    require(
        item.prescribed.program_id == program.pk, f"“{name}” is not part of your current program."
    )
    if item.skipped:
        require(bool(item.skip_reason), f"Tell us why you skipped “{name}”.", field="skip_reason")
        return
    require(
        bool(item.set_values),
        f"Enter what you did for “{name}”, or mark it skipped.",
        field="set_values",
    )
    require(
        all(0 <= value <= 1000 for value in item.set_values),
        "Each set must be a number from 0 to 1000.",
        field="set_values",
    )
    require(
        item.pain_during is not None and 0 <= item.pain_during <= 10,
        "Rate pain during this exercise from 0 (none) to 10 (worst).",
        field="pain_during",
    )
    _run_extras_check(item)


def _run_extras_check(item: ResultInput) -> None:
    if not item.prescribed.exercise.is_run:
        for name in ("distance_km", "step_rate"):
            require(
                getattr(item, name) is None,
                f"Distance and step rate are for runs, not for “{item.prescribed.exercise.name}”.",
                field=name,
            )
        return
    require(
        item.distance_km is None or Decimal("0.01") <= item.distance_km <= 200,
        "Enter the distance in kilometres, from 0.01 to 200.",
        field="distance_km",
    )
    require(
        item.step_rate is None or 100 <= item.step_rate <= 250,
        "Enter your step rate in steps per minute, from 100 to 250.",
        field="step_rate",
    )


def _result_build(workout: Workout, item: ResultInput) -> ExerciseResult:
    rx = item.prescribed
    # The prescription is copied so a later program edit never rewrites this log.
    return ExerciseResult(
        workout=workout,
        prescribed=rx,
        exercise=rx.exercise,
        exercise_name=rx.exercise.name,
        dose_kind=rx.dose_kind,
        prescribed_sets=rx.sets,
        prescribed_low=rx.target_low,
        prescribed_high=rx.target_high,
        prescribed_rep_hold_seconds=rx.rep_hold_seconds,
        set_values=[] if item.skipped else list(item.set_values),
        sets_done=0 if item.skipped else len(item.set_values),
        skipped=item.skipped,
        skip_reason=item.skip_reason if item.skipped else "",
        pain_during=None if item.skipped else item.pain_during,
        note=item.note,
        prescribed_step_rate=rx.target_step_rate,
        distance_km=None if item.skipped else item.distance_km,
        step_rate=None if item.skipped else item.step_rate,
    )


def _active_program_of(user: User, results: list[ResultInput]) -> Program | None:
    """The patient's active program: the one the results' exercises were read with, when that
    is it (the API reads them with their program, so this costs no query), else from the table."""
    first = results[0].prescribed if results else None
    if first is not None and PrescribedExercise.program.is_cached(first):
        program = first.program
        if program.status == Program.Status.ACTIVE and program.patient.user_id == user.pk:
            return program
    return (
        Program.objects.select_related("patient")
        .filter(patient__user=user, status=Program.Status.ACTIVE)
        .first()
    )


def workout_log(
    *, user: User, results: list[ResultInput], note: str = "", performed_at: datetime | None = None
) -> Workout:
    """Record a session. Its pain is the worst rating among the exercises done.

    Everything is checked in Python before the first write (the database's constraints stay as
    a backstop), so a refused log costs no write and leaves a caller's transaction usable. The
    writes join the caller's transaction (a request's) without a savepoint of their own. The
    workout comes back with its results attached, so showing it costs no query.
    """
    require(
        user.is_authenticated and user.is_patient, "Only the patient can log their own workouts."
    )
    program = _active_program_of(user, results)
    require(program is not None, "You have no active program to log against yet.")
    program = cast(Program, program)
    patient = program.patient
    for item in results:
        _result_check(item, program)
    done = [item for item in results if not item.skipped]
    require(bool(done), "Log at least one exercise you did (skipped ones alone are not a workout).")
    performed_at = performed_at or timezone.now()
    require(
        performed_at <= timezone.now(),
        "A workout can't be logged in the future.",
        field="performed_at",
    )
    # A start date is a calendar date with no zone: a patient behind the clinic's zone may log
    # on the evening before it. Only a workout dated before the program even existed is refused.
    started = program.start_date
    require(
        local_date(performed_at, user.timezone) >= started or performed_at >= program.created_at,
        f"A workout can't be dated before your program started, on {started.day} {started:%B %Y}.",
        field="performed_at",
    )
    pain = max(cast(int, item.pain_during) for item in done)  # _result_check: set when done
    workout = Workout(
        patient=patient,
        program=program,
        performed_at=performed_at,
        local_date=local_date(performed_at, user.timezone),
        pain_during=pain,
        note=note,
        pain_ceiling=program.pain_ceiling,
        green_max=program.green_max,
    )
    workout.light = workout.traffic_light()
    with transaction.atomic(savepoint=False):
        workout.save()
        rows = ExerciseResult.objects.bulk_create([_result_build(workout, i) for i in results])
        _after_log_checks(workout, patient)
        # The session part now; the rule's advice follows in the after-commit check, which
        # refreshes the whole status before it decides on an alert (apps/reminders).
        status_stale([patient.pk], parts=frozenset({"sessions"}))
    # What prefetch_related("results") would leave: Django's own cache, filled without a query.
    attached = workout.results.all()
    attached._result_cache = rows
    attached._prefetch_done = True  # type: ignore[attr-defined]  # set by prefetch_related
    workout._prefetched_objects_cache = {"results": attached}  # type: ignore[attr-defined]
    return workout


def _after_log_checks(workout: Workout, patient: Patient) -> None:
    """Owe the checks that follow a log, in its own transaction: alert the care team if needed,
    and run automatic progression for an opted-in patient. A worker runs them after the commit,
    even if the broker is down at that moment (the rows wait for the sweeper)."""
    from apps.reminders.models import Job
    from apps.reminders.services import jobs_create

    work = [(Job.Kind.CLINICIAN_ALERT_CHECK, workout.pk)]
    if patient.auto_progression:
        work.append((Job.Kind.AUTO_PROGRESSION_CHECK, patient.pk))
    jobs_create(patient_id=patient.pk, work=work)


def _when(moment: datetime, tz_name: str) -> str:
    local = timezone.localtime(moment, timezone=zoneinfo.ZoneInfo(tz_name))
    return date_format(local, "H:i \\o\\n D j M")


@transaction.atomic
def followup_record(
    *, user: User, workout: Workout, pain: int, now: datetime | None = None
) -> Workout:
    """The 24-hour rating: opens 24 h after the workout, later entry keeps its real time."""
    now = now or timezone.now()
    workout = Workout.objects.select_for_update().get(pk=workout.pk)
    require(
        user.is_authenticated and workout.patient.user_id == user.pk,
        "You can only rate your own workouts.",
    )
    require(
        workout.followup_pain is None,
        "You have already given the 24-hour rating for this workout.",
        field="followup_pain",
    )
    opens = followup_opens_at(workout.performed_at, hours=FOLLOWUP_HOURS)
    require(
        now >= opens,
        f"The 24-hour rating opens at {_when(opens, user.timezone)}, "
        f"{FOLLOWUP_HOURS} hours after your workout.",
        field="followup_pain",
    )
    require(
        pain is not None and 0 <= pain <= 10,
        "Rate your pain from 0 (none) to 10 (worst).",
        field="followup_pain",
    )
    workout.followup_pain, workout.followup_at = pain, now
    workout.light = workout.traffic_light()
    model_validate_and_save(workout)
    _after_log_checks(workout, workout.patient)
    status_stale([workout.patient_id])
    return workout


# An activity is logged while the memory is fresh: older ones would only blur the week's picture.
ACTIVITY_BACKDATE_DAYS = 30


@transaction.atomic
def activity_log(
    *,
    user: User,
    kind: str,
    date: date,
    duration_minutes: int,
    pain_during: int,
    description: str = "",
    now: datetime | None = None,
) -> Activity:
    """An activity the patient reintroduces, judged by the same light as a workout."""
    patient = _patient_of(user)
    today = local_date(now or timezone.now(), user.timezone)
    require(date <= today, "An activity can't be logged for a future date.", field="date")
    oldest = today - timedelta(days=ACTIVITY_BACKDATE_DAYS)
    require(
        date >= oldest,
        f"Log activities of the last {ACTIVITY_BACKDATE_DAYS} days "
        f"(from {oldest.day} {oldest:%B}).",
        field="date",
    )
    green_max, ceiling = bands_in_force(patient)
    activity = Activity(
        patient=patient,
        kind=kind,
        description=description,
        date=date,
        duration_minutes=duration_minutes,
        pain_during=pain_during,
        pain_ceiling=ceiling,
        green_max=green_max,
    )
    activity.light = traffic_light(pain_during, None, ceiling=ceiling, green_max=green_max)
    model_validate_and_save(activity)
    status_stale([patient.pk], parts=frozenset({"activity"}))
    return activity


@transaction.atomic
def activity_soreness_record(
    *, user: User, activity: Activity, soreness: int, now: datetime | None = None
) -> Activity:
    now = now or timezone.now()
    require(activity.patient.user_id == user.pk, "You can only rate your own activities.")
    require(
        activity.next_day_soreness is None,
        "Next-day soreness is already recorded.",
        field="next_day_soreness",
    )
    require(
        local_date(now, user.timezone) > activity.date,
        "Next-day soreness can be recorded from the day after the activity.",
        field="next_day_soreness",
    )
    activity.next_day_soreness, activity.soreness_recorded_at = soreness, now
    require(
        soreness is not None and 0 <= soreness <= 10,
        "Rate soreness from 0 (none) to 10 (worst).",
        field="next_day_soreness",
    )
    activity.light = activity.traffic_light()
    return model_validate_and_save(activity)


class IdempotencyConflict(Exception):
    """The same Idempotency-Key was sent with a different body."""


def workout_log_idempotent(
    *, user: User, key: str, body_hash: str, log: Callable[[], Workout]
) -> tuple[Workout, bool]:
    """Run ``log()`` once per (user, key); a retry with the same body gets the first workout.

    Returns (workout, created). A different body under a used key raises IdempotencyConflict.
    """
    existing = IdempotentRequest.objects.filter(user=user, key=key).select_related("workout")
    found = existing.first()
    if found is None:
        try:
            with transaction.atomic():
                workout = log()
                IdempotentRequest.objects.create(
                    user=user, key=key, body_hash=body_hash, workout=workout
                )
                return workout, True
        except IntegrityError:
            # A concurrent retry won the race: fall through to its stored result.
            found = existing.get()
    if found.body_hash != body_hash:
        raise IdempotencyConflict(key)
    return found.workout, False
