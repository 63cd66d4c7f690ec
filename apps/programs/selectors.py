from django.db.models import Prefetch, QuerySet

from apps.accounts.models import User
from apps.patients.models import Patient
from apps.patients.selectors import clinician_patients, patients_for

from .models import PrescribedExercise, Program

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
