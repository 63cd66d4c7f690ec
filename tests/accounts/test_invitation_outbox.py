"""Invitations go through the outbox: the request writes a row, a worker sends the email.

A dead SMTP server or broker never fails the page that invites; the email goes out once they
are back, exactly once, with a link that works. One that keeps failing is shown to whoever can
act on it (the clinic admins for a clinician, the care team for a patient), with Send again.
"""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.reminders.models import Job
from apps.reminders.services import delivery_sweep
from tests.api.clients import as_user
from tests.conftest import client_for
from tests.factories import ClinicFactory, PatientFactory, UserFactory
from tests.helpers import broker_down

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Gentle-hip-hinges-2026"  # noqa: S105
NINA = {"full_name": "Nina New", "email": "nina@riverside.test", "role": "clinician"}


def _invite(admin, django_capture_on_commit_callbacks, **fields):
    """The admin invites a colleague on the Team page; the commit's wake-up runs the worker."""
    with django_capture_on_commit_callbacks(execute=True):
        return client_for(admin).post(reverse("accounts:team"), {**NINA, **fields}, follow=True)


def _sweep_later(django_capture_on_commit_callbacks, minutes=3):
    """The sweeper's run a few minutes on, past the first retry and the broker's grace."""
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=minutes)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        delivery_sweep()


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invite/\S+?/\S+?/)", message.body).group(1)


def _choose_password(link: str) -> bool:
    """The invitee follows the link and sets a password; True if the page says it is set."""
    browser = Client()
    form = browser.get(link, follow=True)
    if "new_password1" not in form.content.decode():
        return False
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    return "Your password is set" in done.content.decode()


def _can_log_in(email: str) -> bool:
    return Client().login(email=email, password=NEW_PASSWORD)


def test_an_invitation_while_smtp_is_down_answers_normally_and_is_sent_once_smtp_is_back(
    clinic_admin, smtp, mailoutbox, django_capture_on_commit_callbacks
):
    # given an SMTP server that refuses connections
    smtp.refuse()

    # when the admin invites a clinician
    page = _invite(clinic_admin, django_capture_on_commit_callbacks)

    # then the page says they are invited, as always, and the email waits in the outbox
    assert page.redirect_chain == [(reverse("accounts:team"), 302)]
    assert "Nina New is invited: they&#x27;ll get an email link." in page.content.decode()
    job = Job.objects.get(kind="invitation_email")
    nina = User.objects.get(email="nina@riverside.test")
    assert (job.status, job.object_id, job.patient_id) == ("pending", nina.pk, None)
    assert job.attempts == 1
    assert mailoutbox == []

    # when SMTP is back and the sweeper runs
    smtp.restore()
    _sweep_later(django_capture_on_commit_callbacks)
    _sweep_later(django_capture_on_commit_callbacks, minutes=10)  # a second sweep sends nothing

    # then exactly one invitation went out, from Ada, and its link sets Nina's password
    assert [m.to for m in mailoutbox] == [["nina@riverside.test"]]
    assert "Ada Admin at Riverside Physio has set you up" in mailoutbox[0].body
    assert mailoutbox[0].message()["Message-ID"] == Job.objects.get().email_message_id()
    assert _choose_password(_link(mailoutbox[0]))
    assert _can_log_in("nina@riverside.test")


def test_a_patient_added_through_the_api_while_smtp_is_down_is_201_and_invited_later(
    clinician, smtp, mailoutbox, django_capture_on_commit_callbacks
):
    smtp.refuse()
    body = {
        "full_name": "Nora New",
        "email": "nora@example.com",
        "timezone": "Europe/Paris",
        "date_of_birth": "1990-02-03",
        "condition": "fai",
        "affected_side": "left",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(clinician).post("/api/v1/patients/", body, format="json")

    assert response.status_code == 201, response.content
    job = Job.objects.get(kind="invitation_email")
    assert (job.status, job.patient_id) == ("pending", response.json()["id"])

    smtp.restore()
    _sweep_later(django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [["nora@example.com"]]
    assert "Alice Clinician at Riverside Physio" in mailoutbox[0].body
    assert _choose_password(_link(mailoutbox[0]))
    assert _can_log_in("nora@example.com")


def test_an_invitation_while_the_broker_is_down_waits_in_the_database_for_the_sweeper(
    clinic_admin, smtp, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    with broker_down(monkeypatch):
        page = _invite(clinic_admin, django_capture_on_commit_callbacks)
    assert "Nina New is invited" in page.content.decode()
    assert Job.objects.get(kind="invitation_email").status == "pending"
    assert mailoutbox == []

    monkeypatch.undo()
    _sweep_later(django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [["nina@riverside.test"]]


def test_the_link_is_made_when_the_email_is_sent_so_its_week_starts_then(
    clinic_admin, smtp, mailoutbox, django_capture_on_commit_callbacks
):
    # given an invitation written on day 0 whose email the worker only sends on day 6
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        client_for(clinic_admin).post(reverse("accounts:team"), NINA)
    job = Job.objects.get()
    assert mailoutbox == []
    with (
        time_machine.travel(start + timedelta(days=6)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        delivery_sweep()

    # then on day 10 (four days after the email, ten after the request) the link still works
    with time_machine.travel(start + timedelta(days=10)):
        assert _choose_password(_link(mailoutbox[0]))
    assert _can_log_in("nina@riverside.test")
    # and the row never held the token or the link
    token = _link(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]
    row = Job.objects.filter(pk=job.pk).values().get()
    assert not any(token in str(value) for value in row.values())


def test_the_operator_sets_up_a_clinic_while_smtp_is_down_and_the_admin_is_invited_later(
    smtp, mailoutbox, django_capture_on_commit_callbacks
):
    smtp.refuse()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_clinic", name="Northside Hip Clinic", admin_email="lead@north.test", stdout=out
        )

    assert "Created clinic “Northside Hip Clinic”" in out.getvalue()
    assert "will be emailed a link" in out.getvalue()
    assert Job.objects.get().status == "pending"

    smtp.restore()
    _sweep_later(django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [["lead@north.test"]]
    assert "Northside Hip Clinic is set up on Greenlight, with you as its admin" in (
        mailoutbox[0].body
    )


@pytest.fixture
def failed_invitation(clinic_admin):
    """Nina's invitation, which the worker gave up on after six refusals."""
    nina = UserFactory(
        clinic=clinic_admin.clinic, email="nina@riverside.test", full_name="Nina New"
    )
    nina.set_unusable_password()
    nina.save()
    return Job.objects.create(
        kind="invitation_email",
        object_id=nina.pk,
        requested_by=clinic_admin,
        status="failed",
        attempts=6,
        last_error="SMTPDataError: (451, b'try again later')",
    )


def test_the_clinic_admin_sees_a_failed_invitation_on_the_team_page_and_sends_it_again(
    clinic_admin, failed_invitation, smtp, mailoutbox, django_capture_on_commit_callbacks
):
    admin = client_for(clinic_admin)
    team = admin.get(reverse("accounts:team")).content.decode()
    assert "Invitation not delivered" in team
    assert 'Send again<span class="visually-hidden"> the invitation to Nina New' in team

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("reminders:job_run_again", args=[failed_invitation.pk]), follow=True
        )

    assert response.redirect_chain == [(reverse("accounts:team"), 302)]
    assert "The invitation email will be sent again." in response.content.decode()
    assert "Invitation not delivered" not in response.content.decode()
    failed_invitation.refresh_from_db()
    assert (failed_invitation.status, failed_invitation.attempts) == ("done", 1)
    assert [m.to for m in mailoutbox] == [["nina@riverside.test"]]
    assert _choose_password(_link(mailoutbox[0]))
    assert _can_log_in("nina@riverside.test")


@pytest.fixture
def other_clinic_admin():
    return UserFactory(
        clinic=ClinicFactory(name="Elsewhere Physio"),
        role=User.Role.CLINIC_ADMIN,
        email="eve@elsewhere.test",
    )


@pytest.mark.parametrize("who", ["other_clinic_admin", "colleague", "patient"])
def test_a_stranger_cannot_see_or_send_again_a_failed_clinician_invitation(
    request, who, failed_invitation, mailoutbox
):
    user = request.getfixturevalue(who)
    client = client_for(getattr(user, "user", user))

    team = client.get(reverse("accounts:team"))
    resend = client.post(reverse("reminders:job_run_again", args=[failed_invitation.pk]))

    assert "Nina New" not in team.content.decode()
    assert resend.status_code == 404
    failed_invitation.refresh_from_db()
    assert failed_invitation.status == "failed"
    assert mailoutbox == []


@pytest.fixture
def failed_patient_invitation(clinician):
    nora = PatientFactory(
        user__clinic=clinician.clinic,
        user__full_name="Nora New",
        user__email="nora@example.com",
        care_team=[clinician],
    )
    nora.user.set_unusable_password()
    nora.user.save()
    job = Job.objects.create(
        kind="invitation_email",
        patient=nora,
        object_id=nora.user.pk,
        requested_by=clinician,
        status="failed",
        attempts=6,
    )
    return nora, job


def test_the_care_team_sees_a_failed_patient_invitation_and_sends_it_again(
    clinician_client,
    failed_patient_invitation,
    smtp,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    nora, job = failed_patient_invitation
    page = clinician_client.get(reverse("patients:detail", args=[nora.pk])).content.decode()
    assert "The invitation email to Nora New could not be delivered" in page
    assert "automatic check" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(reverse("reminders:job_run_again", args=[job.pk]))

    assert response["Location"] == reverse("patients:detail", args=[nora.pk])
    assert [m.to for m in mailoutbox] == [["nora@example.com"]]
    assert _choose_password(_link(mailoutbox[0]))
    assert _can_log_in("nora@example.com")


@pytest.mark.parametrize("who", ["other_clinic_clinician", "colleague"])
def test_a_stranger_cannot_send_again_a_failed_patient_invitation(
    request, who, failed_patient_invitation, mailoutbox
):
    nora, job = failed_patient_invitation
    client = client_for(request.getfixturevalue(who))

    assert client.get(reverse("patients:detail", args=[nora.pk])).status_code == 404
    assert client.post(reverse("reminders:job_run_again", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == "failed"
    assert mailoutbox == []
