"""Reads of questionnaire definitions, scoped to a clinic: a clinic sees the shipped ones and its
own imported copies, never another clinic's."""

from django.db.models import F, Q, QuerySet

from apps.accounts.models import Clinic, User
from apps.patients.models import Patient
from apps.patients.selectors import patients_for

from .models import Questionnaire, QuestionnaireResponse


def questionnaires_for(clinic: Clinic) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(Q(clinic=None) | Q(clinic=clinic))


def questionnaire_for(*, clinic: Clinic, code: str) -> Questionnaire | None:
    """The definition a patient of ``clinic`` would be given for ``code``: the clinic's own newest
    copy first, then the installation's; None while a licensed instrument has no wording yet."""
    return (
        questionnaires_for(clinic)
        .filter(code=code, wording_imported=True)
        # The clinic's own copy before the installation's (SQLite sorts NULL first unless told).
        .order_by(F("clinic_id").asc(nulls_last=True), "-created_at", "-pk")
        .first()
    )


def responses_for(user: User, patient: Patient) -> QuerySet[QuestionnaireResponse]:
    """A patient's questionnaire responses, for whoever may see the patient (else none)."""
    if not patients_for(user).filter(pk=patient.pk).exists():
        return QuestionnaireResponse.objects.none()
    return (
        QuestionnaireResponse.objects.filter(patient=patient)
        .select_related("questionnaire", "schedule")
        .order_by("due_date", "pk")
    )


def responses_to_answer(patient: Patient) -> list[QuestionnaireResponse]:
    """What the patient still has to answer, newest occasion of each schedule only: a missed
    follow-up gives way to the next one rather than piling up (apps/outcomes/schedule.py)."""
    open_ = (
        QuestionnaireResponse.objects.filter(patient=patient)
        .exclude(status=QuestionnaireResponse.Status.COMPLETED)
        .select_related("questionnaire")
        .order_by("-due_date", "-pk")
    )
    seen: set[tuple[int, str]] = set()
    kept = []
    for response in open_:
        key = (response.schedule_id or -response.pk, response.occasion)
        if key not in seen:
            seen.add(key)
            kept.append(response)
    return kept[::-1]


def own_response(user: User, pk: int) -> QuestionnaireResponse:
    """The patient's own response (anyone else: DoesNotExist, a 404)."""
    return QuestionnaireResponse.objects.select_related("questionnaire").get(
        pk=pk, patient__user=user
    )


def responses_awaiting(patient_ids: list[int]) -> list[tuple[int, int, int]]:
    """(response id, patient id, user id) of every unsent response of these patients: one query
    for the reminder tick, which reminds once per response."""
    return list(
        QuestionnaireResponse.objects.filter(patient_id__in=patient_ids)
        .exclude(status=QuestionnaireResponse.Status.COMPLETED)
        .values_list("pk", "patient_id", "patient__user_id")
    )
