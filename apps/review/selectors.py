"""Reading the stored status, scoped to who may see the patient (default deny)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.common.timezones import local_date
from apps.patients.models import Patient
from apps.patients.selectors import clinician_patients, patient_search, patients_for

from .models import PatientStatus
from .services import statuses_refresh

TRIAGE_PAGE_SIZE = 50


def statuses_ensure(patients: QuerySet[Patient]) -> None:
    """Compute the rows these patients do not have yet (new patients, or before the first round
    of the scheduler after an upgrade): one query when every row is there."""
    missing = list(patients.filter(status__isnull=True).values_list("pk", flat=True))
    if missing:
        statuses_refresh(missing)


def status_for(user: User, patient_id: int) -> PatientStatus | None:
    """The status of one patient ``user`` may see, or None (a 404 for the caller)."""
    patients = patients_for(user).filter(pk=patient_id)
    statuses_ensure(patients)
    return (
        PatientStatus.objects.filter(patient__in=patients.values("pk"))
        .select_related("patient__user")
        .first()
    )


def statuses_of(patients: list[Patient]) -> dict[int, PatientStatus]:
    """Patient id → status, for patients already scoped by the caller.

    A row computed on an earlier day of the patient's own calendar is recomputed first (a new
    week, a session become missed at their midnight), so a patient's own pages never show
    yesterday's status while the scheduler's round is still to come.
    """
    ids = [p.pk for p in patients]
    statuses_ensure(Patient.objects.filter(pk__in=ids))
    rows = {s.patient_id: s for s in PatientStatus.objects.filter(patient_id__in=ids)}
    now = timezone.now()
    stale = [p.pk for p in patients if rows[p.pk].local_date != local_date(now, p.user.timezone)]
    if stale:
        statuses_refresh(stale, now=now)
        rows.update({s.patient_id: s for s in PatientStatus.objects.filter(patient_id__in=stale)})
    return rows


def patient_roster(user: User, *, query: str = "", attention: bool = False) -> QuerySet[Patient]:
    """The clinician's patient list with each one's status (no query per row)."""
    patients = patient_search(clinician_patients(user), query)
    statuses_ensure(patients)
    if attention:
        patients = patients.filter(status__needs_attention=True)
    return patients.select_related("status").order_by("user__full_name", "pk")


@dataclass(frozen=True)
class TriageFilter:
    show: str = "attention"  # "attention" or "all"
    clinician_id: int | None = None
    query: str = ""


def triage_patients(user: User, filters: TriageFilter) -> QuerySet[Patient]:
    """The clinician's patients with their status, most in need first."""
    patients = clinician_patients(user)
    statuses_ensure(patients)
    if filters.show == "attention":
        patients = patients.filter(status__needs_attention=True)
    if filters.clinician_id:
        patients = patients.filter(care_team=filters.clinician_id)
    if filters.query:
        patients = patients.filter(user__full_name__icontains=filters.query)
    return patients.select_related("status").order_by("-status__rank", "user__full_name", "pk")


def triage_page(user: User, filters: TriageFilter, *, page: int | str = 1) -> Page[Patient]:
    """One page of triage: two queries (the count and the rows) whatever the practice's size."""
    return Paginator(triage_patients(user, filters), TRIAGE_PAGE_SIZE).get_page(page)


def triage_counts(user: User) -> dict[str, int]:
    """How many of the clinician's patients need attention, and in all (for the filter tabs)."""
    return clinician_patients(user).aggregate(
        all=Count("pk"), attention=Count("pk", filter=Q(status__needs_attention=True))
    )


def attention_counts(clinician_ids: list[int]) -> dict[int, int]:
    """How many of each clinician's care-team patients need attention: one query for all (the
    weekly digest)."""
    rows = (
        Patient.care_team.through.objects.filter(
            user_id__in=clinician_ids,
            patient__status__needs_attention=True,
            patient__erased_at__isnull=True,
        )
        .values("user_id")
        .annotate(n=Count("patient_id"))
    )
    return {row["user_id"]: row["n"] for row in rows}


def care_team_colleagues(user: User) -> QuerySet[User]:
    """The clinicians of the user's clinic, for triage's "by clinician" filter."""
    # The stubs refuse None in a lookup on a nullable key; Django matches it as IS NULL.
    return User.objects.filter(  # type: ignore[misc]
        clinic_id=user.clinic_id,
        is_active=True,
        role__in=[User.Role.CLINICIAN, User.Role.CLINIC_ADMIN],
    ).order_by("full_name")
