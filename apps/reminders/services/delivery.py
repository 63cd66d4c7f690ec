"""Email delivery of notifications: exactly once, retried with backoff, unsubscribable."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.core.signing import TimestampSigner
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import Notification

logger = logging.getLogger(__name__)


def unsubscribe_token(user_id: int) -> str:
    return TimestampSigner(salt="greenlight.unsubscribe").sign(str(user_id))


def unsubscribe_url(user_id: int) -> str:
    path = reverse("reminders:unsubscribe", args=[unsubscribe_token(user_id)])
    return settings.SITE_URL.rstrip("/") + path


class DeliveryError(Exception):
    """The email could not be sent this time; the task retries with backoff."""


def notification_email_deliver(*, notification_id: int, final_attempt: bool) -> bool:
    """Send one notification's email exactly once; record every failure.

    The row is locked while sending so that two workers handling the same message (a
    redelivery) cannot both send it. Returns True when this call sent it.
    """
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .get(pk=notification_id)
        )
        if note.email_status == Notification.EmailStatus.SENT or not note.recipient.email_reminders:
            return False
        note.email_attempts += 1
        try:
            _send(note)
        except Exception as error:
            # The full text stays on the row; logs and the task's retry line get the class
            # only, since a server's refusal usually quotes the recipient's address.
            failure = type(error).__name__
            note.email_last_error = f"{failure}: {error}"[:500]
            if final_attempt:
                note.email_status = Notification.EmailStatus.FAILED
                logger.error("Notification %s not delivered: %s", note.pk, failure)
            note.save(
                update_fields=["email_attempts", "email_last_error", "email_status", "updated_at"]
            )
        else:
            note.email_status, note.email_sent_at = Notification.EmailStatus.SENT, timezone.now()
            note.save(
                update_fields=["email_attempts", "email_status", "email_sent_at", "updated_at"]
            )
            failure = None
    if failure:
        raise DeliveryError(f"Notification {note.pk}: {failure}")
    return True


def _send(note: Notification) -> None:
    context = {
        "note": note,
        "name": note.recipient.get_short_name(),
        "url": settings.SITE_URL.rstrip("/") + note.link,
        "unsubscribe": unsubscribe_url(note.recipient_id),
    }
    send_mail(
        subject=note.title,
        message=render_to_string("emails/reminder.txt", context),
        html_message=render_to_string("emails/reminder.html", context),
        from_email=None,
        recipient_list=[note.recipient.email],
    )


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])


def email_unsubscribe(*, user, subscribed: bool = False) -> None:
    """One click from an email turns reminder emails off; the page offers to undo it."""
    user.email_reminders = subscribed
    user.save(update_fields=["email_reminders"])


def notifications_send(*, recipients: list[tuple], kind: str, occurrence: str, patient=None) -> int:
    """One in-app notification per (user, title, link), each emailed once, after the commit.

    The unique (recipient, kind, occurrence) row makes a second call a no-op. Titles go into
    emails, so they never carry health details. Returns how many emails were queued.
    """
    from ..tasks import notification_email_send

    queued = 0
    with transaction.atomic():
        for user, title, link in recipients:
            note, new = Notification.objects.get_or_create(
                recipient=user,
                kind=kind,
                occurrence=occurrence,
                defaults={"patient": patient, "title": title, "link": link},
            )
            if new and user.email_reminders:
                queued += 1
                transaction.on_commit(lambda pk=note.pk: notification_email_send.delay(pk))
    return queued
