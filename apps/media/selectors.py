from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from apps.accounts.models import User
from apps.exercises.models import Exercise
from apps.patients.models import Patient
from apps.patients.selectors import clinician_patients, patients_for
from apps.programs.models import PrescribedExercise, Program

from .models import ExerciseMedia


def media_for(user: User) -> QuerySet[ExerciseMedia]:
    """Every photo and video ``user`` may see (default deny).

    A clinic's media of an exercise: its clinicians, and its patients on an exercise they are
    prescribed now. Media filmed for a prescription: the patient's own, and the clinicians who
    may see that patient (their care team, an admin's emergency access).
    """
    if not user.is_authenticated:
        return ExerciseMedia.objects.none()
    patients = patients_for(user)
    of_prescription = Q(prescribed__program__patient__in=patients)
    if user.is_clinician:
        of_clinic = Q(exercise__isnull=False, clinic_id=user.clinic_id)
    elif user.is_patient:
        prescribed_now = PrescribedExercise.objects.filter(
            program__patient__in=patients, program__status=Program.Status.ACTIVE
        ).values("exercise_id")
        of_clinic = Q(
            exercise_id__in=prescribed_now,
            clinic_id__in=patients.values("clinic_id"),
        )
    else:
        return ExerciseMedia.objects.none()
    return ExerciseMedia.objects.filter(of_prescription | of_clinic).select_related(
        "prescribed__program"
    )


def removable_media_for(user: User) -> QuerySet[ExerciseMedia]:
    """What a clinician may remove: what they may see, never a patient."""
    if not user.is_authenticated or not user.is_clinician:
        return ExerciseMedia.objects.none()
    return media_for(user)


def exercise_media(*, user: User, exercise: Exercise) -> QuerySet[ExerciseMedia]:
    """The clinic's media of one exercise that ``user`` may see."""
    return media_for(user).filter(exercise=exercise)


def prescription_media(*, user: User, prescribed: PrescribedExercise) -> QuerySet[ExerciseMedia]:
    return media_for(user).filter(prescribed=prescribed)


def uploadable_prescriptions_for(user: User) -> QuerySet[PrescribedExercise]:
    """Prescribed exercises a clinician may film for: their patients' (ended ones too)."""
    return PrescribedExercise.with_ended.filter(
        program__patient__in=clinician_patients(user)
    ).select_related("exercise", "program__patient__user")


def visible_prescriptions_for(user: User) -> QuerySet[PrescribedExercise]:
    return PrescribedExercise.with_ended.filter(program__patient__in=patients_for(user))


def media_by_prescription(
    patient: Patient, items: Iterable[PrescribedExercise]
) -> dict[int, list[ExerciseMedia]]:
    """For a patient's Today: each item's own media, then the clinic's of its exercise, in one
    query whatever the number of items."""
    items = list(items)
    by_exercise: defaultdict[int, list[int]] = defaultdict(list)
    for item in items:
        by_exercise[item.exercise_id].append(item.pk)
    own: dict[int, list[ExerciseMedia]] = {item.pk: [] for item in items}
    clinic: dict[int, list[ExerciseMedia]] = {item.pk: [] for item in items}
    if not items:
        return own
    rows = ExerciseMedia.objects.filter(
        Q(prescribed__in=[item.pk for item in items])
        | Q(exercise_id__in=list(by_exercise), clinic_id=patient.clinic_id)
    )
    for media in rows:
        if media.prescribed_id:
            own[media.prescribed_id].append(media)
        else:
            for item_pk in by_exercise[media.exercise_id or 0]:
                clinic[item_pk].append(media)
    return {pk: own[pk] + clinic[pk] for pk in own}
