"""Stopping reminder emails from the email (RFC 8058): headers a mail client can act on, a link
that asks on GET and acts on POST, expires, cannot be altered, and names nobody."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.reminders.models import Notification
from apps.reminders.services import (
    notification_email_deliver,
    reminders_tick,
    unsubscribe_token,
    unsubscribe_url,
)
from tests.conftest import client_for
from tests.factories import PrescribedExerciseFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SITE = "https://greenlight.example.org"
ONE_CLICK = {"List-Unsubscribe": "One-Click"}
# Wednesday 18 November 2026, 08:00 in Los Angeles, where the patient lives: a program day.
WEDNESDAY_8AM_LA = datetime(2026, 11, 18, 16, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def mail_client():
    """What a mail provider's one-click POST is: no cookies, no session, no CSRF token."""
    return Client(enforce_csrf_checks=True)


def _note(patient, occurrence="2026-11-18"):
    return Notification.objects.create(
        recipient=patient.user,
        patient=patient,
        kind="workout_due",
        occurrence=occurrence,
        title="Your exercises are waiting for you today",
        link="/today/",
    )


def _emailed(patient, mailoutbox, occurrence) -> bool:
    """Whether a fresh reminder for ``patient`` goes out by email."""
    sent_before = len(mailoutbox)
    notification_email_deliver(notification_id=_note(patient, occurrence).pk)
    return len(mailoutbox) > sent_before


def _reminders_on(user) -> bool:
    user.refresh_from_db()
    return user.email_reminders


def _names_nobody(response, *users) -> bool:
    page = response.content.decode()
    return not any(who in page for user in users for who in (user.email, user.full_name))


def test_a_reminder_email_carries_one_click_unsubscribe_headers_with_a_signed_link(
    patient, mailoutbox, mail_client
):
    # given a reminder email
    notification_email_deliver(notification_id=_note(patient).pk)

    # then its headers offer a one-click unsubscribe to an absolute link, the footer's link
    sent = mailoutbox[0].message()
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https://greenlight\.example\.org/\S+)>", sent["List-Unsubscribe"])[1]
    assert link in mailoutbox[0].body
    assert patient.user.email not in link
    # and the link is signed: altered by one character it does nothing
    path = link.removeprefix(SITE)
    assert mail_client.post(path[:-2] + "x/", ONE_CLICK).status_code == 404
    assert _reminders_on(patient.user)
    # while as sent, the mail provider's POST turns this patient's reminder emails off
    assert mail_client.post(path, ONE_CLICK).status_code == 200
    assert not _reminders_on(patient.user)


def test_opening_the_link_asks_first_changes_nothing_and_names_nobody(client, patient, mailoutbox):
    # when the patient, a link scanner or a mail client's preview opens the link
    url = unsubscribe_url(patient.user.pk)
    page = client.get(url)
    client.head(url)

    # then a page asks, with a button that posts to the same link
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r"<h1[^>]*>Stop reminder emails\?</h1>", html)
    assert re.search(r'<form method="post">.*<button[^>]*type="submit"', html, re.S)
    # and shows no address and no name, and no cache keeps it
    assert _names_nobody(page, patient.user)
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    # and the emails keep coming
    assert _reminders_on(patient.user)
    assert _emailed(patient, mailoutbox, "after-the-get")


@pytest.mark.parametrize(
    "post",
    [
        {"data": "List-Unsubscribe=One-Click", "content_type": "application/x-www-form-urlencoded"},
        {"data": ONE_CLICK},  # multipart/form-data, which RFC 8058 allows too
    ],
    ids=["urlencoded", "multipart"],
)
def test_a_one_click_post_without_a_session_stops_emails_but_not_in_app_reminders(
    mail_client, patient, clinician, mailoutbox, django_capture_on_commit_callbacks, post
):
    # given a patient on a daily program with reminders at 07:30
    patient.reminder_time = time(7, 30)
    patient.save()
    program = ProgramFactory(
        patient=patient, created_by=clinician, sessions_per_week=7, start_date=date(2026, 11, 1)
    )
    PrescribedExerciseFactory(program=program)

    # when the mail provider posts the one-click body, with no cookie and no CSRF token
    response = mail_client.post(unsubscribe_url(patient.user.pk), **post)

    # then it is done, and the next reminder shows in the app but is not emailed
    assert response.status_code == 200
    assert "Reminder emails are off" in response.content.decode()
    with (
        time_machine.travel(WEDNESDAY_8AM_LA, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_tick(now=WEDNESDAY_8AM_LA)
    reminder = Notification.objects.get(recipient=patient.user, kind="workout_due")
    assert reminder.email_status == "skipped"
    assert mailoutbox == []


def test_the_confirmation_button_stops_emails_and_can_be_undone(mail_client, clinician):
    # given the page the link opens, in a browser that checks CSRF like any other
    url = unsubscribe_url(clinician.pk)
    form = mail_client.get(url).content.decode()
    action = re.search(r'name="action" value="(\w+)"', form)[1]

    # when the button is pressed
    off = mail_client.post(url, {"action": action})

    # then emails are off, and the page's own button turns them on again
    assert "Reminder emails are off" in off.content.decode()
    assert not _reminders_on(clinician)
    undo = re.search(r'name="action" value="(\w+)"', off.content.decode())[1]
    on = mail_client.post(url, {"action": undo})
    assert "Reminder emails are on again" in on.content.decode()
    assert _reminders_on(clinician)


def test_a_link_works_for_60_days_then_is_gone_and_changes_nothing(
    mail_client, patient, mailoutbox
):
    # given a link sent on 1 March
    sent_at = datetime(2026, 3, 1, 9, tzinfo=UTC)
    with time_machine.travel(sent_at, tick=False):
        url = unsubscribe_url(patient.user.pk)

    # then 59 days later it still asks
    with time_machine.travel(sent_at + timedelta(days=59), tick=False):
        assert mail_client.get(url).status_code == 200
    # but 61 days later it is gone, says so, and leaves the emails on
    with time_machine.travel(sent_at + timedelta(days=61), tick=False):
        page = mail_client.get(url)
        posted = mail_client.post(url, ONE_CLICK)
    assert (page.status_code, posted.status_code) == (410, 410)
    assert "This link has expired" in posted.content.decode()
    assert _names_nobody(posted, patient.user)
    assert _reminders_on(patient.user)
    assert _emailed(patient, mailoutbox, "after-expiry")


def test_the_link_lifetime_is_a_setting(settings, mail_client, patient):
    settings.GREENLIGHT = {**settings.GREENLIGHT, "UNSUBSCRIBE_LINK_DAYS": 7}
    sent_at = datetime(2026, 3, 1, 9, tzinfo=UTC)
    with time_machine.travel(sent_at, tick=False):
        url = unsubscribe_url(patient.user.pk)

    with time_machine.travel(sent_at + timedelta(days=8), tick=False):
        assert mail_client.post(url, ONE_CLICK).status_code == 410
    assert _reminders_on(patient.user)


def _tampered(how, patient, other_patient):
    user_id, stamp, signature = unsubscribe_token(patient.user.pk).split(":")
    return {
        # the id is readable, but another account's id does not carry this signature
        "another id": f"{other_patient.user.pk}:{stamp}:{signature}",
        "altered signature": f"{user_id}:{stamp}:{signature[:-2]}xx",
        "no timestamp": f"{user_id}:{signature}",
        "made up": "no-such-token",
    }[how]


@pytest.mark.parametrize("how", ["another id", "altered signature", "no timestamp", "made up"])
def test_a_tampered_link_is_not_found_and_changes_nothing(mail_client, patient, other_patient, how):
    url = reverse("reminders:unsubscribe", args=[_tampered(how, patient, other_patient)])

    responses = [mail_client.get(url), mail_client.post(url, ONE_CLICK)]

    assert [r.status_code for r in responses] == [404, 404]
    assert _reminders_on(patient.user)
    assert _reminders_on(other_patient.user)


def test_a_link_for_a_deleted_account_is_not_found(mail_client, patient):
    url = unsubscribe_url(patient.user.pk)
    User.objects.filter(pk=patient.user.pk).delete()

    assert mail_client.post(url, ONE_CLICK).status_code == 404


def test_a_stranger_with_someones_link_affects_only_that_account_and_learns_nothing(
    patient, other_patient
):
    # given Olive, signed in, holding a link from Pat's email
    olive = Client(enforce_csrf_checks=True)
    olive.force_login(other_patient.user)
    url = unsubscribe_url(patient.user.pk)

    # when she opens it and presses the button
    asked = olive.get(url)
    done = olive.post(url, {"action": "unsubscribe"})

    # then Pat's emails stop, hers do not, and neither page says whose link it was
    assert (asked.status_code, done.status_code) == (200, 200)
    assert not _reminders_on(patient.user)
    assert _reminders_on(other_patient.user)
    assert _names_nobody(asked, patient.user)
    assert _names_nobody(done, patient.user)


def test_invitation_and_password_emails_carry_no_unsubscribe_headers(
    client, clinic_admin, patient, mailoutbox, django_capture_on_commit_callbacks
):
    # Transactional: someone asked for them, and turning them off would lock people out.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(clinic_admin).post(
            reverse("accounts:team"),
            {"full_name": "Nina New", "email": "nina@riverside.test", "role": "clinician"},
        )
        client.post(reverse("accounts:password_reset"), {"email": patient.user.email})

    assert sorted(m.to[0] for m in mailoutbox) == ["nina@riverside.test", patient.user.email]
    for sent in mailoutbox:
        assert sent.message()["List-Unsubscribe"] is None
        assert sent.message()["List-Unsubscribe-Post"] is None
