"""The outbox in one process: leases, the retry ladder, the sweeper, the SMTP pause, checks."""

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.reminders.models import Job, Notification
from apps.reminders.services import (
    delivery,
    delivery_sweep,
    job_run,
    jobs_create,
    notification_email_deliver,
    notifications_send,
    outbox_publish,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 18, 16, 0, tzinfo=UTC)


def _note(patient, occurrence="2026-11-18", **fields):
    return Notification.objects.create(
        recipient=patient.user,
        patient=patient,
        kind="workout_due",
        occurrence=occurrence,
        title="Your exercises are waiting for you today",
        link="/today/",
        **fields,
    )


def _smtp(monkeypatch, error=None):
    """Every send raises ``error`` (an SMTP refusal or a dead server) until it is set to None."""
    state = {"error": error, "tries": 0}
    real_send = delivery.EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        state["tries"] += 1
        if state["error"] is not None:
            raise state["error"]
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(delivery.EmailMultiAlternatives, "send", send)
    return state


def test_every_attempt_of_an_email_carries_the_same_message_id(patient, mailoutbox):
    note = _note(patient)

    assert notification_email_deliver(notification_id=note.pk) is True

    sent = mailoutbox[0].message()
    assert sent["Message-ID"] == note.email_message_id()
    assert note.email_message_id() == Notification.objects.get(pk=note.pk).email_message_id()
    assert str(note.pk) in note.email_message_id()


def test_a_refusing_smtp_server_is_retried_for_hours_then_failed_never_lost(
    patient, monkeypatch, mailoutbox
):
    # given an SMTP server that refuses every message with a 451
    smtp = _smtp(monkeypatch, smtplib.SMTPDataError(451, b"try again later"))
    with time_machine.travel(T0, tick=False):
        note = _note(patient)
    waits = []
    # when the row is tried each time it comes due
    moment = T0
    for _ in range(6):
        with time_machine.travel(moment, tick=False):
            assert notification_email_deliver(notification_id=note.pk) is False
        note.refresh_from_db()
        if note.email_status == "pending":
            waits.append(note.email_next_attempt_at - moment)
            # not before its time: a message that comes early finds nothing to do
            with time_machine.travel(note.email_next_attempt_at - timedelta(seconds=1)):
                assert notification_email_deliver(notification_id=note.pk) is False
            moment = note.email_next_attempt_at
    # then the ladder spans hours, the failure is recorded, and nothing was sent
    assert [w.total_seconds() / 60 for w in waits] == [1, 5, 15, 60, 180]
    assert (note.email_status, note.email_attempts, smtp["tries"]) == ("failed", 6, 6)
    assert "451" in note.email_last_error
    assert mailoutbox == []


def test_a_row_whose_sender_died_is_sent_again_once_its_lease_expires(patient, mailoutbox):
    # given a row claimed by a worker that then died (its lease runs to T0 + 2 minutes)
    with time_machine.travel(T0, tick=False):
        note = _note(patient, email_attempts=1, email_lease_until=T0 + timedelta(minutes=2))
    # when its message comes back while the lease still holds, nothing is sent
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert notification_email_deliver(notification_id=note.pk) is False
    # and after the lease, it is sent, with the Message-ID a first copy would have had
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        assert notification_email_deliver(notification_id=note.pk) is True
    note.refresh_from_db()
    assert (note.email_status, note.email_attempts, note.email_lease_until) == ("sent", 2, None)
    assert mailoutbox[0].message()["Message-ID"] == note.email_message_id()


def test_an_unreachable_smtp_server_pauses_the_process_without_spending_attempts(
    patient, other_patient, monkeypatch, mailoutbox
):
    smtp = _smtp(monkeypatch, ConnectionRefusedError(111, "Connection refused"))
    first, second = _note(patient), _note(other_patient)

    assert notification_email_deliver(notification_id=first.pk) is False
    assert notification_email_deliver(notification_id=second.pk) is False

    first.refresh_from_db()
    second.refresh_from_db()
    assert smtp["tries"] == 1  # the second email did not wait on the dead server
    assert (first.email_attempts, second.email_attempts) == (1, 0)
    assert second.email_status == "pending"
    assert second.email_next_attempt_at > second.created_at + timedelta(seconds=20)


def test_the_sweeper_hands_out_rows_whose_wake_up_was_lost_and_only_those(
    patient, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    # given rows as the broker left them: one whose publish was lost an hour ago, one handed
    # out a moment ago, one held by a live worker, one not yet due
    hour_ago = T0 - timedelta(hours=1)
    with time_machine.travel(T0, tick=False):
        lost = _note(patient, "a", email_queued_at=hour_ago, email_next_attempt_at=hour_ago)
        _note(patient, "b", email_queued_at=T0 - timedelta(seconds=10))
        _note(patient, "c", email_lease_until=T0 + timedelta(minutes=1), email_attempts=1)
        _note(patient, "d", email_next_attempt_at=T0 + timedelta(minutes=5))
        job = Job.objects.create(
            kind="clinician_alert_check", patient=patient, object_id=0, queued_at=hour_ago
        )
        # when the sweeper runs
        with django_capture_on_commit_callbacks(execute=True):
            swept = delivery_sweep()
    # then only the lost ones were handed out again, and they were delivered
    assert swept == {"emails": 1, "jobs": 1}
    assert [m.message()["Message-ID"] for m in mailoutbox] == [lost.email_message_id()]
    job.refresh_from_db()
    assert job.status == "done"  # its workout is gone: nothing to check


def test_a_sweep_costs_the_same_queries_for_3_or_30_due_rows(patient):
    counts = []
    for size in (3, 30):
        Notification.objects.all().delete()
        for i in range(size):
            _note(patient, f"n{i}", email_queued_at=None)
            Job.objects.create(kind="clinician_alert_check", patient=patient, object_id=i)
        with CaptureQueriesContext(connection) as queries:
            swept = delivery_sweep(now=datetime.now(UTC) + timedelta(hours=1))
        assert swept == {"emails": size, "jobs": size}
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_broker_that_is_down_never_fails_the_caller(patient, monkeypatch):
    from kombu.exceptions import OperationalError

    from apps.reminders.tasks import notification_emails_send

    tries = []

    def unreachable(*args, **kwargs):
        tries.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    note = _note(patient)
    monkeypatch.setattr(notification_emails_send, "apply_async", unreachable)
    notification_emails_send.app.conf.task_always_eager = False
    try:
        assert outbox_publish(notification_ids=[note.pk, note.pk]) == 0
        # and while the process remembers the broker is down, it does not even try
        assert outbox_publish(notification_ids=[note.pk]) == 0
    finally:
        notification_emails_send.app.conf.task_always_eager = True
    assert len(tries) == 1
    note.refresh_from_db()
    assert note.email_status == "pending"  # the sweeper's to hand out


def test_an_unsubscribed_recipient_gets_the_in_app_notification_and_no_email(
    patient, mailoutbox, django_capture_on_commit_callbacks
):
    patient.user.email_reminders = False
    patient.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        owed = notifications_send(
            recipients=[(patient.user, "New message from your care team", "/messages/")],
            kind="message",
            occurrence="message-1",
            patient=patient,
        )
    assert owed == 0
    assert Notification.objects.get().email_status == "skipped"
    assert mailoutbox == []


def test_a_check_that_keeps_failing_is_retried_then_failed_and_its_writes_undone(
    patient, monkeypatch
):
    from apps.reminders.services import jobs

    def broken(workout_id):
        Notification.objects.create(
            recipient=patient.user, kind="clinician_alert", occurrence="x", title="t", link="/"
        )
        raise RuntimeError("a bug")

    monkeypatch.setitem(jobs.JOB_HANDLERS, "clinician_alert_check", broken)
    with time_machine.travel(T0, tick=False):
        (pk,) = jobs_create(patient_id=patient.pk, work=[("clinician_alert_check", 1)])
    moment = T0
    for _ in range(6):
        with time_machine.travel(moment, tick=False):
            assert job_run(job_id=pk) is False
        moment = Job.objects.get(pk=pk).next_attempt_at
    job = Job.objects.get(pk=pk)
    assert (job.status, job.attempts) == ("failed", 6)
    assert "a bug" in job.last_error
    assert not Notification.objects.exists()  # each run's writes were rolled back


def test_a_check_runs_once_however_often_its_message_arrives(patient):
    (pk,) = jobs_create(patient_id=patient.pk, work=[("auto_progression_check", patient.pk)])
    assert job_run(job_id=pk) is True
    assert job_run(job_id=pk) is False
    assert Job.objects.get(pk=pk).status == "done"


def test_logging_a_workout_owes_its_checks_in_the_same_transaction(patient, program):
    from apps.painlogs.services import ResultInput, workout_log

    patient.auto_progression = True
    patient.save()
    items = program.items.all()
    workout = workout_log(
        user=patient.user,
        results=[ResultInput(prescribed=i, set_values=[8, 8, 8], pain_during=9) for i in items],
    )
    jobs = Job.objects.filter(patient=patient, status="pending").order_by("kind")
    assert [(j.kind, j.object_id) for j in jobs] == [
        ("auto_progression_check", patient.pk),
        ("clinician_alert_check", workout.pk),
    ]
