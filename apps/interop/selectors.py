"""The whole record one FHIR export needs, in a fixed number of queries however long it is."""

from collections import defaultdict

from django.db.models import Prefetch

from apps.accounts.models import User
from apps.outcomes.models import QuestionnaireResponse
from apps.painlogs.models import Workout
from apps.patients.selectors import patients_for
from apps.programs.models import PrescribedExercise, Program

from .fhir import PatientRecord


def patient_record(*, user: User, patient_pk: int) -> PatientRecord | None:
    """The patient's programs (ended ones and ended prescriptions too), workouts and answered
    questionnaires, for whoever may see the patient; None for anyone else."""
    patient = patients_for(user).filter(pk=patient_pk).first()
    if patient is None:
        return None
    # Ended prescriptions are history the plan should show, so not the default manager.
    items_queryset = PrescribedExercise.with_ended.select_related("exercise").order_by(
        "order", "pk"
    )
    programs = list(
        Program.objects.filter(patient=patient)
        .order_by("start_date", "pk")
        .prefetch_related(Prefetch("items", queryset=items_queryset, to_attr="all_items"))
    )
    items: dict[int, list[PrescribedExercise]] = defaultdict(list)
    for program in programs:
        items[program.pk] = list(program.all_items)
    workouts = list(Workout.objects.filter(patient=patient).order_by("performed_at", "pk"))
    responses = list(
        QuestionnaireResponse.objects.filter(patient=patient)
        .exclude(status=QuestionnaireResponse.Status.DUE)
        .select_related("questionnaire")
        .order_by("due_date", "pk")
    )
    return PatientRecord(
        patient=patient,
        programs=programs,
        items=dict(items),
        workouts=workouts,
        responses=responses,
    )
