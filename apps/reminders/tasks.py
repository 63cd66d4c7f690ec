"""Thin tasks over the services. Every one is idempotent (a database row decides), so every
one is acknowledged late and put back if its pool process dies."""

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

from apps.history.context import worker_context

from . import services

# A database blip is retried quickly (2, 4, 8, 16, 32 s); past that the row is still pending
# in the database and the sweeper hands it out again.
RETRY_ON_DATABASE_ERRORS: dict[str, Any] = {
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 5,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": False,
}
IDEMPOTENT: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
}


@shared_task(max_retries=0, **IDEMPOTENT)
@worker_context
def reminders_tick() -> int:
    """Beat's minute tick: decide what is due and queue its emails (idempotent)."""
    return services.reminders_tick()


@shared_task(max_retries=0, **IDEMPOTENT)
@worker_context
def delivery_sweep() -> dict:
    """Beat's sweep: re-queue due emails and checks whose wake-up message was lost."""
    return services.delivery_sweep()


@shared_task(**IDEMPOTENT, **RETRY_ON_DATABASE_ERRORS)
@worker_context
def notification_emails_send(notification_ids: list[int]) -> int:
    """A batch of emails over one SMTP connection; each row is still claimed and marked alone."""
    return services.notification_emails_deliver(notification_ids=notification_ids)


@shared_task(**IDEMPOTENT, **RETRY_ON_DATABASE_ERRORS)
@worker_context
def notification_email_send(notification_id: int) -> bool:
    """Kept for messages queued before emails were published in batches."""
    return services.notification_email_deliver(notification_id=notification_id)


@shared_task(**IDEMPOTENT, **RETRY_ON_DATABASE_ERRORS)
@worker_context
def job_run(job_id: int) -> bool:
    return services.job_run(job_id=job_id)


@shared_task(**IDEMPOTENT, **RETRY_ON_DATABASE_ERRORS)
@worker_context
def clinician_alert_check(workout_id: int) -> int:
    """Kept for messages queued before the outbox existed; new checks are Job rows."""
    return services.clinician_alert_check(workout_id=workout_id)
