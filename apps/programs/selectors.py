from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.exercises.models import Exercise
from apps.painlogs.models import ExerciseResult
from apps.patients.models import Patient
from apps.patients.selectors import clinician_patients, patients_for

from .models import PrescribedExercise, Program, ProgressionChange
from .rules import (
    Dose,
    GateScores,
    OutcomeGate,
    Session,
    Suggestion,
    Thresholds,
    at_progression_edges,
    dose_unit,
    outcome_gated,
    progression_decision,
)

_ITEMS = Prefetch(
    "items", queryset=PrescribedExercise.objects.select_related("exercise", "exercise__progression")
)


def programs_for(user: User) -> QuerySet[Program]:
    """Programs of the patients ``user`` may see."""
    return (
        Program.objects.filter(patient__in=patients_for(user))
        .select_related("patient__user", "created_by")
        .prefetch_related(_ITEMS)
    )


def editable_programs_for(user: User) -> QuerySet[Program]:
    return programs_for(user).filter(patient__in=clinician_patients(user))


def active_program(patient: Patient) -> Program | None:
    return (
        Program.objects.filter(patient=patient, status=Program.Status.ACTIVE)
        .select_related("created_by")
        .prefetch_related(_ITEMS)
        .first()
    )


def default_bands() -> tuple[int, int]:
    """(green_max, ceiling) for a patient without an active program: the clinic-wide defaults."""
    defaults = settings.GREENLIGHT
    return defaults["DEFAULT_GREEN_MAX"], defaults["DEFAULT_PAIN_CEILING"]


def bands_in_force(patient: Patient) -> tuple[int, int]:
    """(green_max, ceiling): the active program's, else the defaults (the status stores the same,
    apps/review/rules.py ``bands_in_force``)."""
    program = Program.objects.filter(patient=patient, status=Program.Status.ACTIVE).first()
    return (program.green_max, program.pain_ceiling) if program else default_bands()


def last_ended_program(patient: Patient) -> Program | None:
    """The program a clinician ended most recently, with its reason (for the patient's Today)."""
    return (
        Program.objects.filter(patient=patient, status=Program.Status.ENDED)
        .exclude(end_reason="")
        .select_related("ended_by")
        .order_by("-ended_at")
        .first()
    )


def program_history(patient: Patient) -> QuerySet[Program]:
    return Program.objects.filter(patient=patient).select_related("created_by")


def progression_thresholds(program: Program) -> Thresholds:
    rule = settings.GREENLIGHT["PROGRESSION"]
    return Thresholds(
        ceiling=program.pain_ceiling,
        green_max=program.green_max,
        top_sets=rule["TOP_SETS"],
        sessions_to_progress=rule["SESSIONS_TO_PROGRESS"],
        reds_to_regress=rule["REDS_TO_REGRESS"],
        regress_window=rule["REGRESS_WINDOW"],
        jump_above_ceiling=rule["JUMP_ABOVE_CEILING"],
    )


# The rule looks at an exercise's last three sessions; six weeks of logs covers them at any
# sensible dose while keeping the dashboard's reads bounded.
SESSION_WINDOW_DAYS = 42


def items_sessions(programs: list[Program], *, now: datetime) -> dict[int, list[Session]]:
    """Every prescribed exercise's sessions at its current level, oldest first.

    Two queries for any number of programs. Only sessions since the item's last level change
    count, so that the sessions that earned a progression do not earn the next one too.
    """
    items = {item.pk: item for program in programs for item in program.items.all()}
    last_change = dict(
        ProgressionChange.objects.filter(prescribed_id__in=items)
        .values("prescribed_id")
        .annotate(at=Max("changed_at"))
        .values_list("prescribed_id", "at")
    )
    # Plain tuples, not model instances: the dashboard reads tens of thousands of these.
    rows = (
        ExerciseResult.objects.filter(
            prescribed_id__in=items,
            workout__performed_at__gte=now - timedelta(days=SESSION_WINDOW_DAYS),
        )
        .order_by("workout__performed_at", "pk")
        .values_list(
            "prescribed_id",
            "exercise_id",
            "set_values",
            "pain_during",
            "skipped",
            "workout__performed_at",
            "workout__local_date",
            "workout__followup_pain",
        )
    )
    sessions: dict[int, list[Session]] = {pk: [] for pk in items}
    for prescribed_id, exercise_id, values, pain, skipped, at, day, after in rows:
        since = last_change.get(prescribed_id)
        if exercise_id != items[prescribed_id].exercise_id or (since is not None and at <= since):
            continue
        sessions[prescribed_id].append(
            Session(
                day=day, set_values=tuple(values), pain_during=pain, pain_24h=after, skipped=skipped
            )
        )
    return sessions


def _item_thresholds(item: PrescribedExercise, thresholds: Thresholds) -> Thresholds:
    # A run is one block of minutes: a session at the top of the range is the top of the dose.
    # Other timed exercises keep the usual sets.
    if item.exercise.is_run:
        return replace(thresholds, top_sets=1)
    return thresholds


Levels = set[tuple[int | None, int | None, int | None]]  # (progression, clinic, level)


def _levels(programs: list[Program]) -> tuple[dict[int, int], Levels]:
    """Each program's clinic, and every (progression, clinic, level) its exercises could move
    to: the library's levels and the clinic's own. Two queries, whatever the number."""
    clinics = dict(
        Program.objects.filter(pk__in=[p.pk for p in programs]).values_list(
            "pk", "patient__clinic_id"
        )
    )
    progressions = {
        item.exercise.progression_id
        for program in programs
        for item in program.items.all()
        if item.exercise.progression_id is not None
    }
    levels: Levels = set()
    levels.update(
        Exercise.objects.filter(progression_id__in=progressions).values_list(
            "progression_id", "clinic_id", "level"
        )
    )
    return clinics, levels


def _neighbours(item: PrescribedExercise, clinic_id: int, levels: Levels) -> tuple[bool, bool]:
    """Whether the item's exercise has a next and a previous level for this clinic."""
    exercise = item.exercise
    if exercise.progression_id is None or exercise.level is None:
        return False, False

    def exists(level: int) -> bool:
        return any(
            (exercise.progression_id, clinic, level) in levels for clinic in (None, clinic_id)
        )

    return exists(exercise.level + 1), exists(exercise.level - 1)


EVIDENCE_SESSIONS = 3


def _gate_scores(programs: list[Program]) -> dict[tuple[int, str], GateScores]:
    """(patient id, instrument) → the first and latest score a run's criterion reads, for the
    patients with such a criterion; one query, none without."""
    wanted = {
        (program.patient_id, gate.instrument, gate.subscale)
        for program in programs
        for item in program.items.all()
        if item.exercise.is_run and (gate := OutcomeGate.parse(item.outcome_gate))
    }
    if not wanted:
        return {}
    # The responses are read through the patient's reverse relation: apps.outcomes builds on
    # programs (a schedule belongs to a program), so programs does not import it.
    responses = Patient._meta.get_field("questionnaire_responses").related_model
    rows = (
        responses._default_manager.filter(
            patient_id__in={patient for patient, _, _ in wanted},
            questionnaire__code__in={code for _, code, _ in wanted},
            status="completed",
        )
        .order_by("completed_at", "pk")
        .values_list("patient_id", "questionnaire__code", "scores")
    )
    subscales = {(patient, code): subscale for patient, code, subscale in wanted}
    found: dict[tuple[int, str], GateScores] = {}
    for patient_id, code, scores in rows:
        value = scores.get(subscales.get((patient_id, code), ""))
        if value is None:
            continue
        before = found.get((patient_id, code))
        found[(patient_id, code)] = GateScores(before.first if before else value, value)
    return found


def suggestions_by_program(
    programs: list[Program], *, now: datetime | None = None
) -> dict[int, list[tuple[PrescribedExercise, Suggestion]]]:
    """Program id → [(prescribed exercise, suggestion)], for many programs in four queries (five
    when a run's next stage needs a questionnaire score)."""
    sessions = items_sessions(programs, now=now or timezone.now())
    clinics, levels = _levels(programs)
    scores = _gate_scores(programs)
    result: dict[int, list[tuple[PrescribedExercise, Suggestion]]] = {}
    for program in programs:
        rows = []
        for item in program.items.all():
            unit = dose_unit(item.dose_kind)
            has_next, has_previous = _neighbours(item, clinics[program.pk], levels)
            decision = progression_decision(
                sessions[item.pk],
                target_high=item.target_high,
                unit=unit,
                thresholds=_item_thresholds(item, progression_thresholds(program)),
            )
            final = at_progression_edges(
                decision,
                has_next=has_next,
                has_previous=has_previous,
                dose=Dose(item.sets, item.target_low, item.target_high),
                unit=unit,
            )
            gate = OutcomeGate.parse(item.outcome_gate) if item.exercise.is_run else None
            if gate is not None and has_next:
                seen = scores.get((program.patient_id, gate.instrument), GateScores())
                final = outcome_gated(final, gate, seen)
            done = tuple(s for s in sessions[item.pk] if not s.skipped)
            rows.append((item, replace(final, evidence=done[-EVIDENCE_SESSIONS:])))
        result[program.pk] = rows
    return result


def program_suggestions(
    program: Program, *, now: datetime | None = None
) -> list[tuple[PrescribedExercise, Suggestion]]:
    """The rule's decision for every exercise of the program, with its reason."""
    return suggestions_by_program([program], now=now)[program.pk]


def recent_changes(patient: Patient, *, since: datetime) -> QuerySet[ProgressionChange]:
    return ProgressionChange.objects.filter(
        prescribed__program__patient=patient, changed_at__gte=since
    ).select_related("from_exercise", "to_exercise", "changed_by")
