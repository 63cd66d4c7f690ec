"""A morning of reminders at scale: published in a few messages through one broker connection,
sent over one SMTP connection per batch, each row still claimed, sent and marked on its own."""

import smtplib
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from apps.reminders.models import Notification
from apps.reminders.services import notification_emails_deliver, outbox, outbox_publish
from apps.reminders.tasks import job_run, notification_emails_send
from tests.factories import PatientFactory

from .chaos import free_port

pytestmark = pytest.mark.django_db


def _note(patient, occurrence="2026-11-18"):
    return Notification.objects.create(
        recipient=patient.user,
        patient=patient,
        kind="workout_due",
        occurrence=occurrence,
        title="Your exercises are waiting for you today",
        link="/today/",
    )


class Mailbox:
    """An SMTP server that notes which connection carried each message and refuses some
    recipients with a 550, as a real server refuses an unknown mailbox."""

    def __init__(self, refused=()):
        self.refused = set(refused)
        self.received: list[tuple[tuple, str]] = []  # (the client's address and port, to)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.received += [(session.peer, to) for to in envelope.rcpt_tos]
        return "250 OK"


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield box
    controller.stop()


@pytest.fixture
def broker(monkeypatch):
    """Publishing for real (not eager), each message and the producer it went through noted."""
    app = job_run.app
    acquired, published = [], []
    real_acquire = app.producer_or_acquire

    def acquire(producer=None):
        acquired.append(producer)
        return real_acquire(producer)

    def publish(task):
        return lambda args, **options: published.append((task, args[0], options["producer"]))

    monkeypatch.setattr(app, "producer_or_acquire", acquire)
    monkeypatch.setattr(notification_emails_send, "apply_async", publish("emails"))
    monkeypatch.setattr(job_run, "apply_async", publish("job"))
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    app.conf.task_always_eager = False
    try:
        yield {"acquired": acquired, "published": published}
    finally:
        app.conf.task_always_eager = True


def test_a_morning_of_emails_is_a_few_messages_through_one_broker_connection(settings, broker):
    settings.GREENLIGHT = {**settings.GREENLIGHT, "DELIVERY_EMAIL_BATCH": 50}

    went = outbox_publish(notification_ids=list(range(1, 121)), job_ids=[7, 8])

    published = broker["published"]
    assert went == 122
    assert len(broker["acquired"]) == 1  # one producer, one connection, for every message
    assert len({id(producer) for _, _, producer in published}) == 1
    emails = [ids for task, ids, _ in published if task == "emails"]
    assert [len(ids) for ids in emails] == [50, 50, 20]
    assert sorted(pk for ids in emails for pk in ids) == list(range(1, 121))
    assert [pk for task, pk, _ in published if task == "job"] == [7, 8]


def test_a_batch_goes_out_over_one_smtp_connection_and_a_refusal_touches_only_its_row(
    patient, other_patient, mailbox
):
    # given three emails due, the second one to a mailbox the server refuses
    third = PatientFactory(user__email="tess@example.com")
    notes = [_note(patient), _note(other_patient), _note(third)]
    mailbox.refused.add("olive@example.com")

    # when a worker delivers them as one batch
    sent = notification_emails_deliver(notification_ids=[n.pk for n in notes])

    # then the other two arrived, both on the same connection
    assert sent == 2
    assert [to for _, to in mailbox.received] == ["pat@example.com", "tess@example.com"]
    assert len({peer for peer, _ in mailbox.received}) == 1
    # and each row is marked for what happened to it: the refused one waits for its retry
    first, refused, last = (Notification.objects.get(pk=n.pk) for n in notes)
    assert (first.email_status, last.email_status) == ("sent", "sent")
    assert (refused.email_status, refused.email_attempts) == ("pending", 1)
    assert "550" in refused.email_last_error
    assert refused.email_next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert refused.email_lease_until is None


def test_a_server_gone_mid_batch_defers_the_rest_without_spending_their_attempts(
    patient, other_patient, smtp
):
    third = PatientFactory(user__email="tess@example.com")
    notes = [_note(patient), _note(other_patient), _note(third)]
    smtp.refuse(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))

    assert notification_emails_deliver(notification_ids=[n.pk for n in notes]) == 0

    rows = [Notification.objects.get(pk=n.pk) for n in notes]
    assert smtp.tries == 1  # the rest did not wait on the dead server
    assert [r.email_attempts for r in rows] == [1, 0, 0]
    assert {r.email_status for r in rows} == {"pending"}
    assert all(r.email_next_attempt_at > r.created_at + timedelta(seconds=20) for r in rows[1:])


def test_a_batch_near_its_time_limit_hands_the_rest_back_to_the_broker(
    patient, other_patient, settings, broker, mailoutbox
):
    # given a time limit already used up by the time the first email is out
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 0
    notes = [_note(patient), _note(other_patient)]

    sent = notification_emails_deliver(notification_ids=[n.pk for n in notes])

    # then the first went out and the second is published again, not dropped nor left waiting
    assert sent == 1
    assert [m.to for m in mailoutbox] == [["pat@example.com"]]
    assert [ids for task, ids, _ in broker["published"]] == [[notes[1].pk]]
    assert Notification.objects.get(pk=notes[1].pk).email_attempts == 0


def test_a_recipient_who_unsubscribed_after_the_row_was_written_is_skipped_not_emailed(
    patient, other_patient, mailoutbox
):
    notes = [_note(patient), _note(other_patient)]
    patient.user.email_reminders = False
    patient.user.save()

    assert notification_emails_deliver(notification_ids=[n.pk for n in notes]) == 1

    skipped, sent = (Notification.objects.get(pk=n.pk) for n in notes)
    assert (skipped.email_status, skipped.email_attempts, skipped.email_lease_until) == (
        "skipped",
        0,
        None,
    )
    assert sent.email_status == "sent"
    assert [m.to for m in mailoutbox] == [["olive@example.com"]]
