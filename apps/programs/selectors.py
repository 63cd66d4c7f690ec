from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet

from apps.accounts.models import User
from apps.painlogs.models import ExerciseResult
from apps.patients.models import Patient
from apps.patients.selectors import clinician_patients, patients_for

from .models import PrescribedExercise, Program, ProgressionChange
from .rules import Session, Suggestion, Thresholds, progression_decision

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


def item_sessions(program: Program) -> dict[int, list[Session]]:
    """Each prescribed exercise's sessions at its current level, oldest first (two queries).

    Only sessions since the item's last level change count, so that the sessions that earned a
    progression do not earn the next one too.
    """
    items = {item.pk: item for item in program.items.all()}
    last_change = dict(
        ProgressionChange.objects.filter(prescribed__program=program)
        .values("prescribed_id")
        .annotate(at=Max("changed_at"))
        .values_list("prescribed_id", "at")
    )
    results = (
        ExerciseResult.objects.filter(prescribed__program=program)
        .select_related("workout")
        .order_by("workout__performed_at", "pk")
    )
    sessions: dict[int, list[Session]] = {pk: [] for pk in items}
    for result in results:
        item = items.get(result.prescribed_id)
        since = last_change.get(result.prescribed_id)
        if item is None or result.exercise_id != item.exercise_id:
            continue
        if since is not None and result.workout.performed_at <= since:
            continue
        sessions[item.pk].append(
            Session(
                day=result.workout.local_date,
                set_values=tuple(result.set_values),
                pain_during=result.pain_during,
                pain_24h=result.workout.followup_pain,
                skipped=result.skipped,
            )
        )
    return sessions


def program_suggestions(program: Program) -> list[tuple[PrescribedExercise, Suggestion]]:
    """The rule's decision for every exercise of the program, with its reason."""
    thresholds = progression_thresholds(program)
    sessions = item_sessions(program)
    return [
        (
            item,
            progression_decision(
                sessions[item.pk],
                target_high=item.target_high,
                unit=" s"
                if item.dose_kind == "hold"
                else (" min" if item.dose_kind == "duration" else ""),
                thresholds=thresholds,
            ),
        )
        for item in program.items.all()
    ]


def recent_changes(patient: Patient, *, since) -> QuerySet[ProgressionChange]:
    return ProgressionChange.objects.filter(
        prescribed__program__patient=patient, changed_at__gte=since
    ).select_related("from_exercise", "to_exercise", "changed_by")
