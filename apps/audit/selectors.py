from collections.abc import Callable, Collection
from typing import Protocol

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from apps.accounts.models import User
from apps.patients.models import Patient
from apps.patients.selectors import clinician_patients

from .models import AccessGrant, AuditEvent


class Trail(Protocol):
    """What a trail source returns: rows the paginators can count and slice, newest first (a
    queryset, or apps/history's ChangeTrail)."""

    def __len__(self) -> int: ...

    def __getitem__(self, window: slice, /) -> Collection[object]: ...


class TrailUnavailable(Exception):
    """The asked kind of trail has no source here (yet)."""


def audit_patients_for(user: User) -> QuerySet[Patient]:
    """Patients whose audit trail ``user`` may read: their care team, and every patient of the
    clinic for its admins (overseeing access is their job; the trail holds no clinical data
    beyond what changed and who changed it)."""
    if user.is_authenticated and user.is_clinic_admin:
        # The stubs refuse None in a lookup on a nullable key; Django matches it as IS NULL.
        return Patient.objects.select_related("user", "clinic").filter(clinic_id=user.clinic_id)  # type: ignore[misc]
    return clinician_patients(user)


def emergency_grants_for(patient: Patient) -> QuerySet[AccessGrant]:
    """Every break-glass grant on the patient's record, newest first, with who opened it."""
    return AccessGrant.objects.filter(patient=patient).select_related("user")


def events_naming(patient_id: int) -> QuerySet[AuditEvent]:
    """Audit rows whose ``patient_ids`` include the patient, on PostgreSQL (jsonb @>) or SQLite."""
    rows = AuditEvent.objects.select_related("user")
    if connection.vendor == "postgresql":
        return rows.filter(patient_ids__contains=[patient_id])
    # SQLite has no JSON containment lookup; json_each with a bound parameter does the same.
    naming = RawSQL(  # noqa: S611 - constant SQL, the id is a bound parameter
        "EXISTS (SELECT 1 FROM json_each(audit_auditevent.patient_ids) WHERE value = %s)",
        [int(patient_id)],
        output_field=BooleanField(),
    )
    return rows.filter(naming)


def access_trail(patient: Patient) -> QuerySet[AuditEvent]:
    """Newest first."""
    return events_naming(patient.pk).filter(kind=AuditEvent.Kind.ACCESS).order_by("-at", "-pk")


# Each kind of trail a patient's audit page can show, newest first; apps/history registers
# "change" (the change history) with ``trail_source_register``.
TRAIL_SOURCES: dict[str, Callable[[Patient], Trail]] = {"access": access_trail}
TRAIL_KINDS = ["access", "change"]


def trail_source_register(kind: str, source: Callable[[Patient], Trail]) -> None:
    TRAIL_SOURCES[kind] = source


def patient_audit_trail(patient: Patient, *, kind: str = "access") -> Trail:
    """Newest first. The caller found ``patient`` through ``audit_patients_for``."""
    if kind not in TRAIL_SOURCES:
        raise TrailUnavailable(f"The {kind} history is not available yet.")
    return TRAIL_SOURCES[kind](patient)


def record_views_for(patient: Patient) -> QuerySet[AuditEvent]:
    """Who else (the care team, admins) opened the patient's record, newest first."""
    return access_trail(patient).exclude(user_id=patient.user_id)
