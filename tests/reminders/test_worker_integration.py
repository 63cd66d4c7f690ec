"""End to end through real parts: Redis broker, a Celery worker process, an SMTP server.

Needs PostgreSQL (the worker process must see the test database) and Redis; CI provides both.
Elsewhere the test is skipped, unless GREENLIGHT_REQUIRE_SERVICES=1 makes that a failure.
"""

import email
import os
import re
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.accounts.services import clinician_create
from apps.reminders.models import Job, Notification
from apps.reminders.tasks import notification_email_send, reminders_tick
from config.celery_app import app as celery_app
from tests.factories import (
    ExerciseFactory,
    PatientFactory,
    PrescribedExerciseFactory,
    ProgramFactory,
)
from tests.helpers import service_missing

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_BROKER_URL", "")


class Inbox:
    """An SMTP handler that refuses the first ``fail_first`` messages with a 451."""

    def __init__(self, fail_first=0):
        self.fail_first, self.refused, self.messages = fail_first, 0, []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.refused < self.fail_first:
            self.refused += 1
            return "451 Try again later"
        self.messages.append(envelope.content.decode("utf8", "replace"))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    controllers = []

    def start(fail_first=0):
        inbox = Inbox(fail_first)
        port = _free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return inbox, port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def worker(settings, tmp_path):
    """Start a real worker on the Redis broker, pointed at the test database and SMTP port.

    Its embedded beat runs the sweeper every second, which hands out retries (a minute apart in
    production, a second here).
    """
    if not BROKER.startswith("redis://"):
        service_missing("CELERY_BROKER_URL is not a redis:// URL")
    if connection.vendor != "postgresql":
        service_missing("the worker process needs the PostgreSQL test database")
    processes = []

    def start(smtp_port):
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            # The worker makes one-time links: it signs them with the key the web app checks.
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DELIVERY_RETRY_MINUTES": "0.01,0.01,0.01,0.01,0.01",
            "DELIVERY_SWEEP_SECONDS": "1",
            "REMINDER_TICK_SECONDS": "3600",
        }
        proc = subprocess.Popen(  # noqa: S603 - our own worker command
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--beat",
                "--schedule",
                str(tmp_path / "beat-schedule"),
                "--loglevel",
                "INFO",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(proc)
        _wait_ready(proc)
        return proc

    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = BROKER
    _purge()
    yield start
    celery_app.conf.task_always_eager = True
    for proc in processes:
        proc.terminate()
        proc.wait(timeout=20)


def _purge():
    """Empty both queues: the worker consumes the scheduler's queue too."""
    with celery_app.connection_for_write() as conn:
        for queue in ("celery", "scheduler"):
            conn.default_channel.queue_purge(queue)


def _wait_ready(proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "ready." in line:
            return
        if proc.poll() is not None:
            pytest.fail(f"worker exited early: {line}")
    pytest.fail("worker did not become ready")


def _wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def due_patient(clinician):
    """A patient whose reminder time passed five minutes ago today, on a daily program."""
    now = timezone.now()
    patient = PatientFactory(
        user__timezone="UTC",
        care_team=[clinician],
        reminder_time=(now - timedelta(minutes=5)).time(),
    )
    program = ProgramFactory(
        patient=patient,
        created_by=clinician,
        sessions_per_week=7,
        start_date=now.date() - timedelta(days=1),
    )
    # The test's own exercise: transactional tests must not rely on migration-loaded rows.
    exercise = ExerciseFactory(clinic=clinician.clinic)
    PrescribedExerciseFactory(program=program, exercise=exercise)
    return patient


def test_scheduler_tick_twice_and_a_resent_task_deliver_exactly_one_email(
    smtp, worker, due_patient
):
    inbox, port = smtp()
    proc = worker(port)

    # when the scheduler's tick runs twice through the broker
    reminders_tick.delay()
    reminders_tick.delay()
    assert _wait_for(lambda: len(inbox.messages) >= 1), "no email arrived"
    note = Notification.objects.get(recipient=due_patient.user, kind="workout_due")
    # and the email task is sent again, as a redelivery would
    notification_email_send.delay(note.pk)
    time.sleep(3)

    # then exactly one email arrived, with a link and no health details
    assert len(inbox.messages) == 1
    assert due_patient.user.email in inbox.messages[0]
    assert "/today/" in inbox.messages[0]
    note.refresh_from_db()
    assert note.email_status == "sent"
    assert proc.poll() is None


def test_a_failing_smtp_server_is_retried_until_delivered(smtp, worker, due_patient):
    inbox, port = smtp(fail_first=2)
    proc = worker(port)

    reminders_tick.delay()

    assert _wait_for(lambda: len(inbox.messages) == 1), "the email never arrived after retries"
    note = Notification.objects.get(recipient=due_patient.user)
    assert _wait_for(lambda: Notification.objects.get(pk=note.pk).email_status == "sent")
    note.refresh_from_db()
    assert (inbox.refused, note.email_attempts) == (2, 3)
    assert proc.poll() is None  # the worker kept running


def test_an_smtp_server_that_always_refuses_leaves_a_recorded_failure(smtp, worker, due_patient):
    inbox, port = smtp(fail_first=10**6)
    proc = worker(port)

    reminders_tick.delay()

    assert _wait_for(
        lambda: Notification.objects.filter(email_status="failed").exists(), timeout=60
    ), "the failure was never recorded"
    note = Notification.objects.get(recipient=due_patient.user)
    assert note.email_attempts == 6  # the first try and five retries
    assert "451" in note.email_last_error
    assert inbox.messages == []
    assert proc.poll() is None


def test_an_invitation_refused_twice_reaches_the_invitee_once_with_a_working_link(
    smtp, worker, clinic_admin
):
    inbox, port = smtp(fail_first=2)
    proc = worker(port)

    # when the admin invites a colleague (the commit publishes the row's id to the worker)
    clinician_create(
        admin=clinic_admin, email="nina@riverside.test", full_name="Nina New", role="clinician"
    )

    # then, after two refusals, the worker delivers one invitation
    assert _wait_for(lambda: Job.objects.get().status == "done"), "the invitation never went"
    time.sleep(2)
    assert (len(inbox.messages), inbox.refused, Job.objects.get().attempts) == (1, 2, 3)
    message = email.message_from_string(inbox.messages[0], policy=email.policy.default)
    assert message["Message-ID"] == Job.objects.get().email_message_id()
    body = message.get_body(("plain",)).get_content()
    # and its link, made by the worker, lets Nina choose her password
    path = re.search(r"https?://[^/\s]+(/accounts/invite/\S+?/\S+?/)", body)[1]
    browser = Client()
    form = browser.get(path, follow=True)
    password = "Gentle-hip-hinges-2026"
    browser.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert Client().login(email="nina@riverside.test", password=password)
    assert proc.poll() is None
