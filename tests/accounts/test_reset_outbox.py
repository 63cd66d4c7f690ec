"""Password-reset emails go through the outbox: the request writes a row, a worker sends it.

Whatever SMTP or the broker are doing, whoever asks sees "Check your email", and an unknown
address writes nothing and looks the same. The link is made by the worker when it sends.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.reminders.models import Job
from apps.reminders.services import delivery_sweep
from tests.helpers import broker_down

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-hip-password"  # noqa: S105


def _ask(email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return Client().post(reverse("accounts:password_reset"), {"email": email}, follow=True)


def _sweep_at(moment, django_capture_on_commit_callbacks):
    with time_machine.travel(moment), django_capture_on_commit_callbacks(execute=True):
        delivery_sweep()


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+?/\S+?/)", message.body)[1]


def _reset_with(link: str) -> bool:
    """Follow the emailed link and choose a new password; True if the page says it is set."""
    browser = Client()
    form = browser.get(link, follow=True)
    if "new_password1" not in form.content.decode():
        return False
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    return "Your password is set. You can log in." in done.content.decode()


def test_a_reset_asked_while_smtp_is_down_says_check_your_email_and_is_sent_once_it_is_back(
    patient, smtp, mailoutbox, django_capture_on_commit_callbacks
):
    # given an SMTP server that refuses connections
    smtp.refuse()

    # when the patient asks for a reset
    page = _ask(patient.user.email, django_capture_on_commit_callbacks)

    # then the page is the usual one, and the email waits in the outbox
    assert page.redirect_chain == [(reverse("accounts:password_reset_done"), 302)]
    assert "If an account uses that address, a reset link is on its way." in page.content.decode()
    job = Job.objects.get()
    assert (job.kind, job.status, job.object_id) == (
        "password_reset_email",
        "pending",
        patient.user.pk,
    )
    assert mailoutbox == []

    # when SMTP is back and the sweeper runs (twice)
    smtp.restore()
    _sweep_at(timezone.now() + timedelta(minutes=3), django_capture_on_commit_callbacks)
    _sweep_at(timezone.now() + timedelta(minutes=10), django_capture_on_commit_callbacks)

    # then one email went out, and its link sets the new password
    assert [m.to for m in mailoutbox] == [[patient.user.email]]
    assert mailoutbox[0].subject == "Reset your Greenlight password"
    assert mailoutbox[0].message()["Message-ID"] == job.email_message_id()
    assert _reset_with(_link(mailoutbox[0]))
    assert Client().login(email=patient.user.email, password=NEW_PASSWORD)


def test_a_reset_for_an_unknown_email_writes_no_row_and_shows_the_same_page(
    clinician, smtp, mailoutbox, django_capture_on_commit_callbacks
):
    known = _ask(clinician.email, django_capture_on_commit_callbacks)
    owed = Job.objects.count()
    unknown = _ask("nobody@example.com", django_capture_on_commit_callbacks)

    assert (unknown.redirect_chain, unknown.content) == (known.redirect_chain, known.content)
    assert (owed, Job.objects.count()) == (1, 1)
    assert [m.to for m in mailoutbox] == [[clinician.email]]


def test_the_worker_makes_the_link_when_it_sends_and_the_row_never_holds_it(
    patient, smtp, mailoutbox, django_capture_on_commit_callbacks
):
    # given a reset asked on day 0 that the worker only sends on day 6 (the broker was lost)
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        Client().post(reverse("accounts:password_reset"), {"email": patient.user.email})
    assert mailoutbox == []
    _sweep_at(start + timedelta(days=6), django_capture_on_commit_callbacks)

    # then the link works on day 10, a week from the email, not from the request
    link = _link(mailoutbox[0])
    with time_machine.travel(start + timedelta(days=10)):
        assert _reset_with(link)
    # and neither the token nor the link was ever stored
    token = link.rstrip("/").rsplit("/", 1)[1]
    row = Job.objects.values().get()
    assert not any(token in str(value) for value in row.values())


def test_a_reset_while_the_broker_is_down_says_check_your_email_and_waits_for_the_sweeper(
    patient, smtp, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    with broker_down(monkeypatch):
        page = _ask(patient.user.email, django_capture_on_commit_callbacks)
    assert "a reset link is on its way" in page.content.decode()
    assert mailoutbox == []

    monkeypatch.undo()
    _sweep_at(timezone.now() + timedelta(minutes=3), django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [[patient.user.email]]


def test_a_reset_for_an_account_deactivated_before_the_worker_ran_is_not_sent(
    clinician, smtp, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        Client().post(reverse("accounts:password_reset"), {"email": clinician.email})
    clinician.is_active = False
    clinician.save()

    _sweep_at(timezone.now() + timedelta(minutes=3), django_capture_on_commit_callbacks)

    assert mailoutbox == []
    assert Job.objects.get().status == "done"
