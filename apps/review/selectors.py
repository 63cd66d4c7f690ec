"""Reading the stored status, scoped to who may see the patient (default deny)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

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


class RankedPatients(Sequence[Patient]):
    """Triage's patients, most in need first, as a paginator reads them.

    The count is known before (one aggregate serves the tabs and the pages); a page is two narrow
    queries: the ids of its rows in rank order, then those rows with their user and status. So
    a page costs the same queries at any practice size, and the sort handles ids, not rows.
    """

    def __init__(self, ranked: QuerySet[Patient], count: int) -> None:
        self.ranked, self._count = ranked, count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Patient: ...

    @overload
    def __getitem__(self, index: slice) -> list[Patient]: ...

    def __getitem__(self, index: int | slice) -> Patient | list[Patient]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = list(self.ranked.values_list("pk", flat=True)[index])
        rows = Patient.objects.select_related("user", "status").in_bulk(ids)
        return [rows[pk] for pk in ids]


def triage_counts(user: User) -> dict[str, int]:
    """The clinician's patients: in all, needing attention, and without a status row yet (new
    ones, or before the scheduler's first round after an upgrade: computed here)."""
    patients = clinician_patients(user)
    counts = _counts(patients)
    if counts["missing"]:
        statuses_ensure(patients)
        counts = _counts(patients)
    return counts


def _counts(patients: QuerySet[Patient]) -> dict[str, int]:
    return patients.aggregate(
        all=Count("pk"),
        attention=Count("pk", filter=Q(status__needs_attention=True)),
        missing=Count("pk", filter=Q(status__isnull=True)),
    )


def triage_patients(
    user: User, filters: TriageFilter, counts: dict[str, int] | None = None
) -> RankedPatients:
    """The clinician's patients with their status, most in need first."""
    counts = counts or triage_counts(user)
    patients = clinician_patients(user)
    if filters.show == "attention":
        patients = patients.filter(status__needs_attention=True)
    narrowed = bool(filters.clinician_id or filters.query)
    if filters.clinician_id:
        patients = patients.filter(care_team=filters.clinician_id)
    if filters.query:
        patients = patients.filter(user__full_name__icontains=filters.query)
    count = patients.count() if narrowed else counts[filters.show]
    # Every listed patient has a row (triage_counts made the missing ones): an inner join, so
    # the database can walk the rank index and stop after a page instead of sorting everyone.
    ranked = patients.filter(status__isnull=False).order_by(
        "-status__rank", "user__full_name", "pk"
    )
    return RankedPatients(ranked, count)


def triage_page(
    user: User, filters: TriageFilter, *, page: int | str = 1, counts: dict[str, int] | None = None
) -> Page[Patient]:
    """One page of triage, in the same queries whatever the practice's size."""
    ranked = triage_patients(user, filters, counts)
    return Paginator(ranked, TRIAGE_PAGE_SIZE).get_page(page)


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
