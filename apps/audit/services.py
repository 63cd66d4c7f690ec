from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TypedDict, cast

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request

from apps.accounts.models import User
from apps.common.api import is_api_request
from apps.common.services import require
from apps.patients.models import Patient

from .models import AccessGrant, AuditEvent

# The set of patient ids a request showed, on the Django request (DRF's wraps it).
NOTED_ATTR = "_greenlight_audit_patients"
# Auth events of the request, written with the access row by the middleware.
PENDING_ATTR = "_greenlight_audit_pending"


class Where(TypedDict, total=False):
    """Where an event happened: the route, method and channel of its request, if any."""

    route: str
    method: str
    channel: str


def _django_request(request: HttpRequest | Request) -> HttpRequest:
    return cast(HttpRequest, getattr(request, "_request", request))


def access_note(request: HttpRequest | Request, patient_ids: Iterable[int]) -> None:
    """Mark patients whose data this response shows; the middleware writes one row for all."""
    request = _django_request(request)
    noted = getattr(request, NOTED_ATTR, None)
    if noted is None:
        noted = set()
        setattr(request, NOTED_ATTR, noted)
    noted.update(int(pk) for pk in patient_ids)


def access_noted(request: HttpRequest | Request) -> set[int]:
    return cast(set[int], getattr(_django_request(request), NOTED_ATTR, set()))


def _where(request: HttpRequest | None) -> Where:
    if request is None:
        return {}
    match = getattr(request, "resolver_match", None)
    return {
        "route": (match.view_name if match else "")[:200],
        "method": request.method or "",
        "channel": "api" if is_api_request(request) else "page",
    }


def access_event(
    *, request: HttpRequest, user: User, patient_ids: Iterable[int], status_code: int
) -> AuditEvent:
    return AuditEvent(
        kind=AuditEvent.Kind.ACCESS,
        action="view",
        user=user,
        patient_ids=sorted(patient_ids),
        status_code=status_code,
        **_where(request),
    )


def auth_event_record(
    *,
    action: str,
    request: HttpRequest | Request | None = None,
    user: User | None = None,
    account_key: str = "",
    status_code: int | None = None,
) -> AuditEvent:
    """An authentication or authorisation event. Callers pass ids and hashes, never secrets.

    During a request it waits for AuditMiddleware, which writes it after the view's
    transaction (ATOMIC_REQUESTS): a refused sign-in rolls that back, and must stay logged.
    """
    request = _django_request(request) if request is not None else None
    event = AuditEvent(
        kind=AuditEvent.Kind.AUTH,
        action=action,
        user=user if user is not None and user.pk else None,
        account_key=account_key,
        status_code=status_code,
        **_where(request),
    )
    pending = getattr(request, PENDING_ATTR, None)
    if pending is None:
        event.save()
    else:
        pending.append(event)
    return event


def audit_pending_start(request: HttpRequest) -> None:
    setattr(request, PENDING_ATTR, [])


def audit_pending_write(request: HttpRequest, events: list[AuditEvent]) -> None:
    """Everything the request logged, in one INSERT."""
    pending = getattr(request, PENDING_ATTR, []) + events
    if pending:
        AuditEvent.objects.bulk_create(pending)


def retention_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=round(365.25 * settings.GREENLIGHT["AUDIT_RETENTION_YEARS"]))


@transaction.atomic
def audit_retention_purge(*, now: datetime) -> int:
    """Delete the rows older than the retention period; the only deletion the log allows.

    On PostgreSQL the append-only trigger lets a DELETE through only in a transaction that
    set ``greenlight.audit_retention``; SET LOCAL ends with this transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL greenlight.audit_retention = 'on'")
    return AuditEvent.objects.retention_delete(before=retention_cutoff(now))


REASON_MIN_LENGTH = 10


@transaction.atomic
def emergency_access_open(
    *, admin: User, patient: Patient, reason: str, request: HttpRequest | Request | None = None
) -> tuple[AccessGrant, bool]:
    """Break-glass: open ``patient``'s record to a clinic admin for ``BREAK_GLASS_MINUTES``.

    The admin states why. The grant is logged (an access row naming the patient) and each
    member of the care team is told in the app and by email, without the reason (it may hold
    health details; they read it on the record's access log). Asking again while a grant is
    open returns that grant: one reason, one notice. Returns the grant and whether it is new.
    """
    from apps.reminders.models import Notification
    from apps.reminders.services.delivery import notifications_send

    require(admin.is_clinic_admin, "Only a clinic admin can open a record this way.")
    require(patient.clinic_id == admin.clinic_id, "This patient is not in your clinic.")
    # One grant at a time per admin and patient, even for two requests at once.
    patient = type(patient).objects.select_for_update().get(pk=patient.pk)
    require(patient.erased_at is None, "This patient's data is erased.")
    require(
        not patient.care_team.filter(pk=admin.pk).exists(),
        "You are on this patient's care team: their record is already open to you.",
    )
    reason = " ".join((reason or "").split())
    require(bool(reason), "State why you need to open this record.", field="reason")
    require(
        len(reason) >= REASON_MIN_LENGTH,
        f"Say a little more: at least {REASON_MIN_LENGTH} characters.",
        field="reason",
    )
    require(len(reason) <= 500, "Keep the reason under 500 characters.", field="reason")
    now = timezone.now()
    open_grant = AccessGrant.objects.active(now).filter(user=admin, patient=patient).first()
    if open_grant is not None:
        return open_grant, False
    minutes = settings.GREENLIGHT["BREAK_GLASS_MINUTES"]
    grant = AccessGrant.objects.create(
        user=admin,
        patient=patient,
        reason=reason,
        opened_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    event = AuditEvent(
        kind=AuditEvent.Kind.ACCESS,
        action="emergency_access",
        user=admin,
        patient_ids=[patient.pk],
        at=now,
        **_where(_django_request(request) if request is not None else None),
    )
    event.save()
    link = reverse("audit:patient", args=[patient.pk])
    notifications_send(
        recipients=[
            (member, "A clinic admin opened a patient's record (emergency access)", link)
            for member in patient.care_team.all()
        ],
        kind=Notification.Kind.EMERGENCY_ACCESS,
        occurrence=f"grant-{grant.pk}",
        patient=patient,
    )
    return grant, True
