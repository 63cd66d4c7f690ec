"""Reads of questionnaire definitions, scoped to a clinic: a clinic sees the shipped ones and its
own imported copies, never another clinic's."""

from collections import defaultdict
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import Clinic, User
from apps.common.timezones import local_date
from apps.patients.models import Patient
from apps.patients.selectors import patients_for

from . import rules
from .instruments import INSTRUMENTS
from .models import Questionnaire, QuestionnaireResponse
from .series import Series, series_build


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


def outcome_series(user: User, patient: Patient) -> list[Series]:
    """The patient's scores over time, one series per instrument and subscale, each score
    against the baseline and the previous one; empty for whoever may not see the patient."""
    if not patients_for(user).filter(pk=patient.pk).exists():
        return []
    return series_by_patient([patient.pk])[patient.pk]


def series_by_patient(patient_ids: list[int]) -> dict[int, list[Series]]:
    """Patient id → their series, for patients already scoped by the caller: one query."""
    rows = (
        QuestionnaireResponse.objects.filter(
            patient_id__in=patient_ids, status=QuestionnaireResponse.Status.COMPLETED
        )
        .order_by("completed_at", "pk")
        .values_list(
            "patient_id", "questionnaire__code", "scores", "completed_at", "patient__user__timezone"
        )
    )
    scored: dict[int, dict[tuple[str, str], list[tuple[date, float | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for patient_id, code, scores, completed_at, zone in rows:
        day = local_date(completed_at or timezone.now(), zone)  # completed: never None
        for subscale, value in scores.items():
            scored[patient_id][(code, subscale)].append((day, value))
    result: dict[int, list[Series]] = {pk: [] for pk in patient_ids}
    for patient_id, by_series in scored.items():
        result[patient_id] = [
            series_build(code, subscale, points)
            for (code, subscale), points in sorted(by_series.items(), key=_instrument_order)
            if any(value is not None for _, value in points)
        ]
    return result


def _instrument_order(item: tuple[tuple[str, str], object]) -> tuple[int, int]:
    (code, subscale), _ = item
    codes = list(INSTRUMENTS)
    spec = INSTRUMENTS[code]
    subscales = [s.code for s in spec.subscales] + [rules.SUMMARY]
    return codes.index(code), subscales.index(subscale) if subscale in subscales else 99


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


def response_for(user: User, pk: int) -> QuestionnaireResponse:
    """One completed response of a patient ``user`` may see (anyone else: DoesNotExist, a 404)."""
    return QuestionnaireResponse.objects.select_related(
        "questionnaire", "patient__user", "program"
    ).get(
        pk=pk,
        patient__in=patients_for(user),
        status=QuestionnaireResponse.Status.COMPLETED,
    )
