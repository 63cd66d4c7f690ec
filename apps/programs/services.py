from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.common.services import model_validate_and_save, require
from apps.common.signals import program_ended, status_stale
from apps.exercises.models import Exercise
from apps.exercises.selectors import caution_conflicts, exercises_for
from apps.patients.models import Patient
from apps.patients.selectors import clinician_patients

from .models import PrescribedExercise, Program, ProgressionChange
from .rules import Decision, Dose, GateError, OutcomeGate, dose_reduced, dose_unit


@dataclass
class ItemInput:
    """One exercise of a program as the clinician entered it; empty dose fields take defaults."""

    exercise: Exercise
    sets: int | None = None
    target_low: int | None = None
    target_high: int | None = None
    rep_hold_seconds: int | None = None
    notes: str = ""
    caution_acknowledged: bool = False
    id: int | None = None
    baseline_step_rate: int | None = None
    target_step_rate: int | None = None
    outcome_gate: dict[str, object] | None = None

    @classmethod
    def from_row(cls, row: PrescribedExercise) -> "ItemInput":
        """A saved prescription as it would be entered again (a PATCH or the builder's rows)."""
        return cls(
            exercise=row.exercise,
            sets=row.sets,
            target_low=row.target_low,
            target_high=row.target_high,
            rep_hold_seconds=row.rep_hold_seconds,
            notes=row.notes,
            caution_acknowledged=row.caution_acknowledged,
            id=row.pk,
            baseline_step_rate=row.baseline_step_rate,
            target_step_rate=row.target_step_rate,
            outcome_gate=row.outcome_gate,
        )


def prescription_caution_check(*, exercise: Exercise, patient: Patient, acknowledged: bool) -> None:
    """An exercise whose caution conflicts with the condition needs the clinician's explicit ok."""
    conflicts = caution_conflicts(exercise, patient.condition)
    if conflicts and not acknowledged:
        raise ValidationError(
            {
                "caution_acknowledged": (
                    f"“{exercise.name}” loads {', '.join(c.lower() for c in conflicts)}, "
                    "a caution for "
                    f"{patient.get_condition_display()}. Tick “I have considered this caution” to "
                    "prescribe it anyway."
                )
            }
        )


def _item_build(*, program: Program, item: ItemInput, order: int) -> PrescribedExercise:
    exercise = item.exercise
    # An id that is not a row of this program (stale page, tampered form) makes a new row.
    existing = program.items.filter(pk=item.id).first() if item.id else None
    row = existing or PrescribedExercise(program=program)
    row.exercise, row.order, row.dose_kind = exercise, order, exercise.dose_kind
    row.sets = item.sets or exercise.default_sets
    row.target_low = item.target_low or exercise.default_target_low
    row.target_high = item.target_high or exercise.default_target_high
    # An emptied hold on an existing row means "no hold"; a new row starts from the default.
    default_hold = None if existing else exercise.default_rep_hold_seconds
    row.rep_hold_seconds = (
        item.rep_hold_seconds if item.rep_hold_seconds is not None else default_hold
    )
    # An acknowledgement is of a caution: where the exercise has none for this patient's
    # condition there is nothing to acknowledge, whatever the form or the API sent.
    row.notes = item.notes
    row.caution_acknowledged = item.caution_acknowledged and bool(
        caution_conflicts(exercise, program.patient.condition)
    )
    require(
        row.target_low <= row.target_high,
        "The low end of the range must not exceed the high end.",
        field="target_high",
    )
    _step_rates_set(row, item)
    _outcome_gate_set(row, item)
    return row


def _outcome_gate_set(row: PrescribedExercise, item: ItemInput) -> None:
    """A questionnaire criterion guards a run's next stage; other exercises have none."""
    try:
        gate = OutcomeGate.parse(item.outcome_gate)
    except GateError as error:
        raise ValidationError({"outcome_gate": f"Outcome criterion: {error}."}) from error
    if gate is not None:
        require(
            row.exercise.is_run,
            f"A questionnaire criterion applies to running stages, not to “{row.exercise.name}”.",
            field="outcome_gate",
        )
    row.outcome_gate = gate.as_dict() if gate else None


def target_step_rate_default(baseline: int) -> int:
    increase: int = settings.GREENLIGHT["STEP_RATE_INCREASE_PERCENT"]
    return min(250, round(baseline * (100 + increase) / 100))


def _step_rates_set(row: PrescribedExercise, item: ItemInput) -> None:
    """Step rates belong to runs; a blank target is the preferred rate plus the usual increase."""
    baseline, target = item.baseline_step_rate, item.target_step_rate
    if not row.exercise.is_run:
        require(
            baseline is None and target is None,
            f"Step rates apply to running sessions, not to “{row.exercise.name}”.",
            field="target_step_rate",
        )
    if baseline is not None and target is None:
        target = target_step_rate_default(baseline)
    if baseline is not None:
        require(
            target is not None and target >= baseline,
            f"The target step rate should not be below the preferred rate ({baseline}): "
            "a quicker step is what eases the hip.",
            field="target_step_rate",
        )
    row.baseline_step_rate, row.target_step_rate = baseline, target


def _items_save(*, clinician: User, program: Program, items: list[ItemInput]) -> None:
    require(bool(items), "Add at least one exercise to the program.", field="items")
    visible = set(exercises_for(clinician).values_list("pk", flat=True))
    keep = []
    for order, item in enumerate(items):
        require(
            item.exercise.pk in visible, "Choose an exercise from your library.", field="exercise"
        )
        prescription_caution_check(
            exercise=item.exercise, patient=program.patient, acknowledged=item.caution_acknowledged
        )
        keep.append(model_validate_and_save(_item_build(program=program, item=item, order=order)))
    # A removed exercise ends; deleting it would take its level changes and logs with it.
    program.items.exclude(pk__in=[row.pk for row in keep]).update(
        ended_at=timezone.now(), updated_at=timezone.now()
    )


def _program_fields_set(program: Program, fields: dict[str, object]) -> None:
    for name, value in fields.items():
        setattr(program, name, value)
    # The cross-field rules live here, once: the form and the API show these same messages,
    # all of them at once.
    errors = {}
    if program.green_max > program.pain_ceiling:
        errors["green_max"] = "Green must end at or below the pain ceiling."
    if program.start_date and program.review_date and program.review_date < program.start_date:
        errors["review_date"] = "The review date must be on or after the start date."
    if errors:
        raise ValidationError(errors)


def _require_care_team(clinician: User, patient_id: int) -> None:
    require(
        clinician_patients(clinician).filter(pk=patient_id).exists(),
        "You are not on this patient's care team.",
    )


@transaction.atomic
def program_assign(
    *,
    clinician: User,
    patient: Patient,
    items: list[ItemInput],
    name: str = "Home program",
    sessions_per_week: int = 3,
    start_date: date,
    review_date: date,
    pain_ceiling: int = 3,
    green_max: int = 2,
) -> Program:
    """Make a new active program; the patient's previous one ends and stays as history."""
    _require_care_team(clinician, patient.pk)
    program = Program(patient=patient, created_by=clinician)
    _program_fields_set(
        program,
        dict(
            name=name,
            sessions_per_week=sessions_per_week,
            start_date=start_date,
            review_date=review_date,
            pain_ceiling=pain_ceiling,
            green_max=green_max,
        ),
    )
    program.full_clean(exclude=["status"])
    Program.objects.filter(patient=patient, status=Program.Status.ACTIVE).update(
        status=Program.Status.ENDED, ended_at=timezone.now()
    )
    program.save()
    _items_save(clinician=clinician, program=program, items=items)
    status_stale([patient.pk])
    return program


@transaction.atomic
def program_update(
    *, clinician: User, program: Program, items: list[ItemInput], **fields: object
) -> Program:
    """Change doses or exercises. Past logs keep the prescription they were done under."""
    require(program.status == Program.Status.ACTIVE, "An ended program can't be edited.")
    _require_care_team(clinician, program.patient_id)
    _program_fields_set(program, fields)
    model_validate_and_save(program)
    _items_save(clinician=clinician, program=program, items=items)
    status_stale([program.patient_id])
    return program


END_REASON_MAX = 300


@transaction.atomic
def program_end(*, clinician: User, program: Program, reason: str) -> Program:
    """End the patient's program, saying why: it shows on the timeline of both sides, and the
    patient is told (in the app, and by an email that only links to it)."""
    from apps.reminders.services import program_end_notify

    _require_care_team(clinician, program.patient_id)
    # Ending twice would rewrite the history's end date.
    require(program.status == Program.Status.ACTIVE, "This program has already ended.")
    reason = reason.strip()
    require(bool(reason), "Say why the program ends: the patient reads it.", field="reason")
    require(
        len(reason) <= END_REASON_MAX,
        f"Keep the reason under {END_REASON_MAX} characters ({len(reason)} now).",
        field="reason",
    )
    program.status, program.ended_at = Program.Status.ENDED, timezone.now()
    program.ended_by, program.end_reason = clinician, reason
    program.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "updated_at"])
    program_end_notify(program=program)
    program_ended.send(sender=None, program=program)
    status_stale([program.patient_id])
    return program


def _neighbour_level(exercise: Exercise, step: int, *, clinic_id: int) -> Exercise | None:
    """The next (step 1) or previous (step -1) level of the exercise's progression."""
    if exercise.progression_id is None or exercise.level is None:
        return None
    return (
        Exercise.objects.filter(progression_id=exercise.progression_id, level=exercise.level + step)
        .filter(Q(clinic__isnull=True) | Q(clinic_id=clinic_id))
        .order_by("clinic")
        .first()
    )


@transaction.atomic
def prescription_level_change(
    *,
    item: PrescribedExercise,
    direction: str,
    reason: str,
    by: User | None = None,
    automatic: bool = False,
    now: datetime | None = None,
) -> ProgressionChange:
    """Move one level along the progression; the dose resets to the new level's defaults."""
    item = (
        PrescribedExercise.objects.select_for_update()
        .select_related("exercise", "program__patient")
        .get(pk=item.pk)
    )
    step = 1 if direction == ProgressionChange.Direction.PROGRESS else -1
    target = _neighbour_level(item.exercise, step, clinic_id=item.program.patient.clinic_id)
    edge = "last" if step == 1 else "first"
    require(
        target is not None,
        f"“{item.exercise.name}” is already the {edge} level of its progression.",
    )
    target = cast(Exercise, target)  # require() above has refused None
    # A caution on the new level needs the clinician's eyes: opened from the program builder.
    prescription_caution_check(exercise=target, patient=item.program.patient, acknowledged=False)
    change = ProgressionChange.objects.create(
        prescribed=item,
        from_exercise=item.exercise,
        to_exercise=target,
        direction=direction,
        reason=reason[:300],
        changed_by=by,
        automatic=automatic,
        changed_at=now or timezone.now(),
    )
    item.exercise, item.dose_kind = target, target.dose_kind
    item.sets, item.target_low = target.default_sets, target.default_target_low
    item.target_high, item.rep_hold_seconds = (
        target.default_target_high,
        (target.default_rep_hold_seconds),
    )
    item.caution_acknowledged = False
    model_validate_and_save(item)
    status_stale([item.program.patient_id], parts=frozenset({"suggestions"}))
    return change


@transaction.atomic
def prescription_dose_reduce(
    *, item: PrescribedExercise, reason: str, by: User | None = None, now: datetime | None = None
) -> ProgressionChange:
    """A step easier on the same exercise (a set fewer, or less of each): recorded like a level
    change, the old and new dose first in its reason."""
    item = (
        PrescribedExercise.objects.select_for_update()
        .select_related("exercise", "program__patient")
        .get(pk=item.pk)
    )
    before = Dose(item.sets, item.target_low, item.target_high)
    after = dose_reduced(before)
    require(after != before, f"“{item.exercise.name}” is already at its smallest dose.")
    unit = dose_unit(item.dose_kind)
    change = ProgressionChange.objects.create(
        prescribed=item,
        from_exercise=item.exercise,
        to_exercise=item.exercise,
        direction=ProgressionChange.Direction.REDUCE,
        reason=f"{before.text(unit)} → {after.text(unit)}: {reason}"[:300],
        changed_by=by,
        changed_at=now or timezone.now(),
    )
    item.sets, item.target_low, item.target_high = after.sets, after.low, after.high
    model_validate_and_save(item)
    status_stale([item.program.patient_id], parts=frozenset({"suggestions"}))
    return change


def suggestion_apply(
    *,
    clinician: User,
    item: PrescribedExercise,
    expected: str | None = None,
    now: datetime | None = None,
) -> ProgressionChange:
    """The clinician's one click on a pending suggestion. ``expected`` is the decision they
    saw: if a session logged since has changed it, nothing is applied."""
    from .selectors import program_suggestions

    _require_care_team(clinician, item.program.patient_id)
    require(item.program.status == Program.Status.ACTIVE, "This program has ended.")
    suggestion = dict((i.pk, s) for i, s in program_suggestions(item.program))[item.pk]
    require(
        expected is None or expected == suggestion.decision,
        f"The suggestion has changed since you saw it: now {suggestion.decision} "
        f"({suggestion.reason}).",
        field="decision",
    )
    require(suggestion.decision != Decision.HOLD, "There is nothing to apply: the rule says hold.")
    if suggestion.decision == Decision.REDUCE:
        return prescription_dose_reduce(item=item, reason=suggestion.reason, by=clinician, now=now)
    return prescription_level_change(
        item=item, direction=suggestion.decision, reason=suggestion.reason, by=clinician, now=now
    )


@transaction.atomic
def auto_progression_check(*, patient_id: int) -> int:
    """After a log: apply any “ready to progress” for an opted-in patient, and tell both sides."""
    from apps.reminders.services import program_change_notify

    patient = Patient.objects.select_related("user").get(pk=patient_id)
    changes = auto_progression_run(patient=patient)
    for change in changes:
        program_change_notify(change=change)
    return len(changes)


def auto_progression_run(
    *, patient: Patient, now: datetime | None = None
) -> list[ProgressionChange]:
    """For an opted-in patient, apply every “ready to progress” itself (never a regression).

    Runs after each log; it applies once per qualifying pair of sessions because the sessions
    before a change no longer count for the new level.
    """
    from .selectors import active_program, program_suggestions

    program = active_program(patient)
    if not patient.auto_progression or program is None:
        return []
    changes = []
    for item, suggestion in program_suggestions(program):
        if suggestion.decision != Decision.PROGRESS:
            continue
        try:
            changes.append(
                prescription_level_change(
                    item=item,
                    direction=Decision.PROGRESS,
                    reason=suggestion.reason,
                    automatic=True,
                    now=now,
                )
            )
        except ValidationError:
            continue  # last level, or a caution: left for the clinician to decide
    return changes
