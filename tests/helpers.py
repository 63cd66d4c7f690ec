"""Shared ways to act as a user in tests: log a session, post the program builder.

And ``service_missing``, for tests that need a real PostgreSQL or Redis, and ``SMTPServer``,
the mail server as the worker sees it, which a test can switch off.
"""

import os
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from apps.painlogs.services import ResultInput, followup_record, workout_log
from tests.factories import library_exercise


def logged_session(patient, item, *, days_ago, set_values, pain=1, after=1, **extras):
    """One session of one prescribed exercise, ``days_ago`` days back, rated 25 h later."""
    performed = timezone.now() - timedelta(days=days_ago)
    workout = workout_log(
        user=patient.user,
        performed_at=performed,
        results=[ResultInput(prescribed=item, set_values=set_values, pain_during=pain, **extras)],
    )
    if after is not None:
        followup_record(
            user=patient.user, workout=workout, pain=after, now=performed + timedelta(hours=25)
        )
    return workout


def builder_post(slug="banded-bridge-knees-out", *, dose=("3", "8", "10"), **overrides) -> dict:
    """The program builder's form as a browser posts it, with one exercise."""
    today = timezone.localdate()
    sets, low, high = dose
    return {
        "name": "Spring block",
        "sessions_per_week": "3",
        "start_date": today.isoformat(),
        "review_date": (today + timedelta(weeks=4)).isoformat(),
        "pain_ceiling": "3",
        "green_max": "2",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": "",
        "items-0-exercise": str(library_exercise(slug).pk),
        "items-0-sets": sets,
        "items-0-target_low": low,
        "items-0-target_high": high,
        "items-0-rep_hold_seconds": "",
        "items-0-notes": "Keep the band light",
        **overrides,
    }


def service_missing(reason: str) -> None:
    """Skip a test that needs a real server, unless GREENLIGHT_REQUIRE_SERVICES makes it fail."""
    if os.environ.get("GREENLIGHT_REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (GREENLIGHT_REQUIRE_SERVICES is set)")
    pytest.skip(reason)


class SMTPServer:
    """Django's test outbox behind a server a test can break: ``refuse(error)`` makes every send
    raise ``error`` (a dead host by default) until ``restore()``."""

    def __init__(self):
        self.error: Exception | None = None
        self.tries = 0

    def refuse(self, error: Exception | None = None) -> None:
        self.error = error or ConnectionRefusedError(111, "Connection refused")

    def restore(self) -> None:
        """The server is back, and the worker's pause after a dead server is over."""
        from apps.reminders.services.delivery import smtp_pause_clear

        self.error = None
        smtp_pause_clear()


SMTP = SMTPServer()


class SwitchableEmailBackend(EmailBackend):
    """``EMAIL_BACKEND`` for the ``smtp`` fixture: the locmem outbox, unless SMTP refuses."""

    def send_messages(self, messages):
        SMTP.tries += 1
        if SMTP.error is not None:
            raise SMTP.error
        return super().send_messages(messages)


@contextmanager
def broker_down(monkeypatch):
    """The broker refuses every publish of an outbox job, and tasks are not run in-process."""
    from kombu.exceptions import OperationalError

    from apps.reminders.services import outbox
    from apps.reminders.tasks import job_run

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(job_run, "apply_async", refuse)
    monkeypatch.setattr(outbox, "_broker_paused_until", 0.0)
    job_run.app.conf.task_always_eager = False
    try:
        yield
    finally:
        job_run.app.conf.task_always_eager = True
