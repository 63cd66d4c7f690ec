"""Account emails owed as Job rows (invitations, password resets): claimed, sent, then marked.

They are delivered as a notification's email is, not as a check is: a check runs inside one
transaction, but holding one open across an SMTP conversation (on SQLite, the database's write
lock) would stall every request meanwhile. The claim spends an attempt and moves
``next_attempt_at`` past a lease, so no other message or sweep takes the row while it is sent;
if the worker dies mid-send the row is simply due again when the lease ends. The message, and
its one-time link, are made only now: the row holds a user id, never a token or a link.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from ..models import Job
from ..rules import retry_delay
from .delivery import (
    DATABASE_ERRORS,
    SERVER_DOWN,
    sent_mark,
    smtp_pause_end,
    smtp_pause_start,
    smtp_paused,
)

logger = logging.getLogger(__name__)


def _invitation(job: Job) -> EmailMessage | None:
    from apps.accounts.emails import invitation_email

    return invitation_email(user_id=job.object_id, invited_by_id=job.requested_by_id)


def _password_reset(job: Job) -> EmailMessage | None:
    from apps.accounts.emails import password_reset_email

    return password_reset_email(user_id=job.object_id)


# Each returns the message to send now, or None when it is no longer owed.
EMAIL_BUILDERS: dict[str, Callable[[Job], EmailMessage | None]] = {
    Job.Kind.INVITATION_EMAIL: _invitation,
    Job.Kind.PASSWORD_RESET_EMAIL: _password_reset,
}


def job_email_deliver(*, job_id: int, now: datetime | None = None) -> bool:
    """Send one email row if it is due and nobody else holds it; True if an email went out.

    Safe to call any number of times for the same row: a done, failed, not yet due or claimed
    row is left alone.
    """
    give_up_at = time.monotonic() + settings.CELERY_TASK_SOFT_TIME_LIMIT - 5
    now = now or timezone.now()
    if smtp_paused():
        _defer(job_id, now)
        return False
    job = _claim(job_id, now)
    if job is None:
        return False
    try:
        message = EMAIL_BUILDERS[job.kind](job)
        if message is not None:
            message.extra_headers["Message-ID"] = job.email_message_id()
            message.send()
    except DATABASE_ERRORS:
        raise  # the row stays claimed until its lease ends; the task retries, then the sweeper
    except Exception as error:
        if isinstance(error, SERVER_DOWN):
            smtp_pause_start()
        _failure_record(job, error)
        return False
    if message is None:
        logger.info("%s no longer owed (account gone, inactive or already set up)", job)
    sent_mark(
        lambda: Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(
            status=Job.Status.DONE, queued_at=None, updated_at=timezone.now()
        ),
        what=f"Email job {job.pk}",
        give_up_at=give_up_at,
    )
    return message is not None


def _claim(pk: int, now: datetime) -> Job | None:
    lease = timedelta(seconds=settings.GREENLIGHT["EMAIL_LEASE_SECONDS"])
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, kind__in=Job.EMAIL_KINDS, status=Job.Status.PENDING)
            .filter(next_attempt_at__lte=now)
            .first()
        )
        if job is None:
            return None
        job.attempts += 1
        job.next_attempt_at = now + lease
        job.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
    return job


def _failure_record(job: Job, error: Exception) -> None:
    now = timezone.now()
    fields = {
        "last_error": f"{type(error).__name__}: {error}"[:500],
        "queued_at": None,
        "updated_at": now,
    }
    delay = retry_delay(job.attempts, settings.GREENLIGHT["DELIVERY_RETRY_MINUTES"])
    # The row keeps the server's text; the log gets the class only, since a refusal usually
    # quotes the recipient's address.
    failure = type(error).__name__
    if delay is None:
        fields["status"] = Job.Status.FAILED
        logger.error("Email job %s (%s) not delivered: %s", job.pk, job.kind, failure)
    else:
        fields["next_attempt_at"] = now + delay
        logger.warning("Email job %s (%s): %s; again in %s", job.pk, job.kind, failure, delay)
    Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(**fields)


def _defer(pk: int, now: datetime) -> None:
    """Push a due row past this process's SMTP pause without using one of its attempts."""
    Job.objects.filter(pk=pk, status=Job.Status.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=smtp_pause_end(now), queued_at=None, updated_at=now
    )
