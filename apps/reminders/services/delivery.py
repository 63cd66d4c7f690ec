"""Email delivery of notifications: claimed with a lease, sent, marked sent; retried for hours.

A row is sent by whichever worker claims it: the claim (a short transaction) sets a lease, the
email goes out with no transaction open and a bounded ``EMAIL_TIMEOUT``, and a second short
transaction marks it sent. A crash between the SMTP server's acceptance and that mark is the one
way a duplicate can happen (the lease expires and the row is sent again, with the same
Message-ID); every other failure is retried on the ``DELIVERY_RETRY_MINUTES`` ladder and, when
that is spent, left "failed" where the care team sees it and can send it again.
"""

import logging
import smtplib
import socket
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Self

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts.models import User
from apps.common.services import require
from apps.patients.models import Patient

from .. import selectors
from ..models import Notification
from ..rules import retry_delay
from .outbox import outbox_publish, outbox_publish_on_commit
from .unsubscribe import unsubscribe_headers, unsubscribe_url

logger = logging.getLogger(__name__)
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Errors that say the server is out of reach, as opposed to a refusal of this one message.
SERVER_DOWN = (
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)
# Refusals of one message, after which smtplib has reset the transaction: the connection goes on.
ONE_MESSAGE_REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)
# Per worker process: while the SMTP server is down, waiting EMAIL_TIMEOUT on every email of a
# backlog would hold the worker for hours, so the process stops trying for a short pause.
_smtp_paused_until = 0.0


def notification_email_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one notification's email if it is due and nobody else holds it; True if sent.

    Safe to call any number of times for the same row: a sent, skipped, failed, not yet due or
    leased row is left alone.
    """
    return notification_emails_deliver(notification_ids=[notification_id], now=now) == 1


def notification_emails_deliver(*, notification_ids: list[int], now: datetime | None = None) -> int:
    """Send a batch of emails over one SMTP connection; returns how many were sent.

    Each row is claimed, sent and marked on its own, exactly as a batch of one would be, so a
    refusal or a crash touches only the row in hand. Rows left when the process pauses for the
    SMTP server are deferred in one query; rows left when the task nears its time limit are
    handed to the broker again.
    """
    give_up_at = time.monotonic() + settings.CELERY_TASK_SOFT_TIME_LIMIT - 5
    # A send can take EMAIL_TIMEOUT and its mark may wait on the database: keep room for both.
    stop_claiming_at = give_up_at - settings.EMAIL_TIMEOUT - 10
    sent = 0
    with SmtpSession() as smtp:
        for done, pk in enumerate(notification_ids):
            rest = notification_ids[done:]
            if smtp_paused():
                _defer(rest)
                break
            if done and time.monotonic() > stop_claiming_at:
                outbox_publish(notification_ids=rest)
                break
            sent += _deliver(pk, now or timezone.now(), smtp, give_up_at)
    return sent


def _deliver(pk: int, now: datetime, smtp: "SmtpSession", give_up_at: float) -> bool:
    note = _claim(pk, now)
    if note is None:
        return False
    try:
        smtp.send(_message(note))
    except Exception as error:
        if isinstance(error, SERVER_DOWN):
            smtp_pause_start()
        _failure_record(note, error)
        return False
    sent_mark(
        lambda: Notification.objects.filter(pk=note.pk).update(
            email_status=Notification.EmailStatus.SENT,
            email_sent_at=timezone.now(),
            email_lease_until=None,
            updated_at=timezone.now(),
        ),
        what=f"Notification {note.pk}",
        give_up_at=give_up_at,
    )
    return True


class SmtpSession:
    """One SMTP connection for a batch: opened at its first send, again after a broken one.

    A refusal of one message leaves the connection usable (smtplib resets the transaction);
    any other error drops it, so the next message starts on a fresh connection.
    """

    def __init__(self) -> None:
        self.backend = get_connection()
        self.opened = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, message: EmailMultiAlternatives) -> None:
        if not self.opened:
            self.backend.open()
            self.opened = True
        message.connection = self.backend
        try:
            message.send()
        except ONE_MESSAGE_REFUSED:
            raise
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if not self.opened:
            return
        self.opened = False
        try:
            self.backend.close()
        except Exception:  # a broken connection's QUIT: nothing is owed to it
            logger.info("SMTP connection closed uncleanly", exc_info=True)


def _lease_free(now: datetime) -> Q:
    return Q(email_lease_until__isnull=True) | Q(email_lease_until__lt=now)


def _claim(pk: int, now: datetime) -> Notification | None:
    """Lease one row for its send with one conditional UPDATE, then read it with its recipient.

    Two round trips instead of a locking transaction's four: this is most of an email's cost.
    PostgreSQL re-checks the conditions on a row another transaction changed while it waited, so
    of two workers claiming at once only one matches, and the other sends nothing.
    """
    pending = Notification.EmailStatus.PENDING
    lease = now + timedelta(seconds=settings.GREENLIGHT["EMAIL_LEASE_SECONDS"])
    claimed = Notification.objects.filter(
        _lease_free(now), pk=pk, email_status=pending, email_next_attempt_at__lte=now
    ).update(
        email_attempts=F("email_attempts") + 1, email_lease_until=lease, updated_at=timezone.now()
    )
    if not claimed:
        return None
    note = Notification.objects.select_related("recipient").filter(pk=pk).first()
    if note is None:  # erased with its patient a moment ago
        return None
    if not note.recipient.email_reminders:
        # Unsubscribed since the row was written: not an attempt, and never sent.
        Notification.objects.filter(pk=pk, email_lease_until=lease).update(
            email_status=Notification.EmailStatus.SKIPPED,
            email_attempts=F("email_attempts") - 1,
            email_lease_until=None,
            updated_at=timezone.now(),
        )
        return None
    return note


def _message(note: Notification) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(note.recipient_id)
    context = {
        "note": note,
        "name": note.recipient.get_short_name(),
        "url": settings.SITE_URL.rstrip("/") + note.link,
        "unsubscribe": unsubscribe,
    }
    message = EmailMultiAlternatives(
        subject=note.title,
        body=render_to_string("emails/reminder.txt", context),
        to=[note.recipient.email],
        headers={"Message-ID": note.email_message_id(), **unsubscribe_headers(unsubscribe)},
    )
    message.attach_alternative(render_to_string("emails/reminder.html", context), "text/html")
    return message


def sent_mark(mark: Callable[[], object], *, what: str, give_up_at: float) -> None:
    """Mark an email sent, waiting out a database blip: it is gone, only the mark is missing.

    Giving up (past the task's soft time limit) leaves the lease to expire and the row to be
    sent again: the documented duplicate.
    """
    while True:
        try:
            mark()
            return
        except DATABASE_ERRORS:
            if time.monotonic() >= give_up_at:
                raise
            logger.warning("%s sent but not yet marked: database unreachable", what)
            close_old_connections()
            time.sleep(1)


def _failure_record(note: Notification, error: Exception) -> None:
    now = timezone.now()
    fields = {
        "email_last_error": f"{type(error).__name__}: {error}"[:500],
        "email_lease_until": None,
        "email_queued_at": None,
        "updated_at": now,
    }
    delay = retry_delay(note.email_attempts, settings.GREENLIGHT["DELIVERY_RETRY_MINUTES"])
    # The full text stays on the row; the log gets the class only, since a server's refusal
    # usually quotes the recipient's address.
    failure = type(error).__name__
    if delay is None:
        fields["email_status"] = Notification.EmailStatus.FAILED
        logger.error("Notification %s not delivered: %s", note.pk, failure)
    else:
        fields["email_next_attempt_at"] = now + delay
        logger.warning("Notification %s: %s; again in %s", note.pk, failure, delay)
    Notification.objects.filter(pk=note.pk, email_status=Notification.EmailStatus.PENDING).update(
        **fields
    )


def smtp_paused() -> bool:
    return time.monotonic() < _smtp_paused_until


def smtp_pause_start() -> None:
    global _smtp_paused_until
    _smtp_paused_until = time.monotonic() + settings.GREENLIGHT["SMTP_PAUSE_SECONDS"]


def smtp_pause_end(now: datetime) -> datetime:
    """When this process's pause ends, as a moment to defer a due email to."""
    return now + timedelta(seconds=max(_smtp_paused_until - time.monotonic(), 0))


def smtp_pause_clear() -> None:
    """Forget a pause (tests, and nothing else, need this)."""
    global _smtp_paused_until
    _smtp_paused_until = 0.0


def _defer(pks: list[int]) -> None:
    """Push due rows past the pause without using one of their attempts."""
    now = timezone.now()
    until = smtp_pause_end(now)
    Notification.objects.filter(
        _lease_free(now),
        pk__in=pks,
        email_status=Notification.EmailStatus.PENDING,
        email_next_attempt_at__lt=until,
    ).update(email_next_attempt_at=until, email_queued_at=None, updated_at=now)


@transaction.atomic
def notification_resend(*, user: User, notification: Notification) -> None:
    """Try a failed email again, with a fresh set of attempts (care team, clinic admin, or own)."""
    require(
        selectors.failed_emails_for(user).filter(pk=notification.pk).exists(),
        "Only an email that could not be delivered can be sent again.",
    )
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        email_status=Notification.EmailStatus.PENDING,
        email_attempts=0,
        email_next_attempt_at=now,
        email_lease_until=None,
        email_queued_at=now,
        updated_at=now,
    )
    outbox_publish_on_commit(notification_ids=[notification.pk])


def notification_mark_read(*, user: User, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])


def notifications_send(
    *,
    recipients: list[tuple[User, str, str]],
    kind: str,
    occurrence: str,
    patient: Patient | None = None,
) -> int:
    """One in-app notification per (user, title, link), each emailed once.

    The unique (recipient, kind, occurrence) row makes a second call a no-op, and the row is the
    email's outbox entry, written in the caller's transaction. Titles go into emails, so they
    never carry health details. Returns how many emails are owed.
    """
    now = timezone.now()
    owed = []
    with transaction.atomic():
        for user, title, link in recipients:
            note, new = Notification.objects.get_or_create(
                recipient=user,
                kind=kind,
                occurrence=occurrence,
                defaults={
                    "patient": patient,
                    "title": title,
                    "link": link,
                    "email_status": Notification.EmailStatus.PENDING
                    if user.email_reminders
                    else Notification.EmailStatus.SKIPPED,
                    "email_queued_at": now,
                },
            )
            if new and user.email_reminders:
                owed.append(note.pk)
        outbox_publish_on_commit(notification_ids=owed)
    return len(owed)
