from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest

from apps.common.api import is_api_request

from .models import AuditEvent

# The set of patient ids a request showed, on the Django request (DRF's wraps it).
NOTED_ATTR = "_greenlight_audit_patients"
# Auth events of the request, written with the access row by the middleware.
PENDING_ATTR = "_greenlight_audit_pending"


def _django_request(request) -> HttpRequest:
    return getattr(request, "_request", request)


def access_note(request, patient_ids: Iterable[int]) -> None:
    """Mark patients whose data this response shows; the middleware writes one row for all."""
    request = _django_request(request)
    noted = getattr(request, NOTED_ATTR, None)
    if noted is None:
        noted = set()
        setattr(request, NOTED_ATTR, noted)
    noted.update(int(pk) for pk in patient_ids)


def access_noted(request) -> set[int]:
    return getattr(_django_request(request), NOTED_ATTR, set())


def _where(request) -> dict:
    if request is None:
        return {}
    match = getattr(request, "resolver_match", None)
    return {
        "route": (match.view_name if match else "")[:200],
        "method": request.method or "",
        "channel": "api" if is_api_request(request) else "page",
    }


def access_event(*, request, user, patient_ids: Iterable[int], status_code: int) -> AuditEvent:
    return AuditEvent(
        kind=AuditEvent.Kind.ACCESS,
        action="view",
        user=user,
        patient_ids=sorted(patient_ids),
        status_code=status_code,
        **_where(request),
    )


def auth_event_record(
    *, action: str, request=None, user=None, account_key: str = "", status_code=None
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


def audit_pending_start(request) -> None:
    setattr(request, PENDING_ATTR, [])


def audit_pending_write(request, events: list[AuditEvent]) -> None:
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
