"""An operator sets up a clinic from the command line; its admin takes it from there."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.accounts.models import Clinic, User
from tests.conftest import totp_activate

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "hip-clinic-admin-2026"  # noqa: S105


@pytest.fixture
def create_clinic(django_capture_on_commit_callbacks):
    """Run the command as an operator would; emails sent on commit land in the outbox."""

    def run(**options) -> str:
        options = {"name": "Northside Hip Clinic", "admin_email": "lead@northside.test", **options}
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("create_clinic", stdout=out, **options)
        return out.getvalue()

    return run


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/invite/\S+/", message.body).group(0)


def test_creates_the_clinic_and_its_admin_without_a_password_and_emails_an_invitation(
    create_clinic, mailoutbox
):
    out = create_clinic(admin_name="Nora North", timezone="Europe/London")

    admin = User.objects.get(email="lead@northside.test")
    assert "Created clinic “Northside Hip Clinic”" in out
    assert admin.role == User.Role.CLINIC_ADMIN
    assert (admin.clinic.name, admin.clinic.timezone) == ("Northside Hip Clinic", "Europe/London")
    assert (admin.full_name, admin.timezone) == ("Nora North", "Europe/London")
    assert not admin.has_usable_password()
    assert [m.to for m in mailoutbox] == [["lead@northside.test"]]
    assert "Northside Hip Clinic is set up on Greenlight, with you as its admin" in (
        mailoutbox[0].body
    )


def test_running_twice_creates_nothing_new_and_resends_the_unused_invitation(
    create_clinic, mailoutbox
):
    create_clinic()
    out = create_clinic()

    assert Clinic.objects.filter(name="Northside Hip Clinic").count() == 1
    assert User.objects.filter(email="lead@northside.test").count() == 1
    assert "already exist: nothing created" in out
    assert "emailed again" in out
    assert len(mailoutbox) == 2


def test_running_again_after_the_admin_chose_a_password_sends_nothing(create_clinic, mailoutbox):
    create_clinic()
    admin = User.objects.get(email="lead@northside.test")
    admin.set_password(NEW_PASSWORD)
    admin.save()

    out = create_clinic(name="  northside hip clinic ", admin_email="Lead@Northside.test")

    assert "nothing created" in out
    assert "no invitation was sent" in out
    assert len(mailoutbox) == 1
    assert Clinic.objects.count() == 1


def test_invited_admin_sets_a_password_logs_in_and_invites_a_clinician(
    create_clinic, mailoutbox, client, django_capture_on_commit_callbacks
):
    create_clinic(admin_name="Nora North")

    form_page = client.get(_link(mailoutbox[0]), follow=True)
    client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    client.post(reverse("accounts:logout"))
    logged_in = client.post(
        reverse("accounts:login"),
        {"login": "lead@northside.test", "password": NEW_PASSWORD},
        follow=True,
    )
    # an admin sets up a second factor before anything else
    assert logged_in.request["PATH_INFO"] == reverse("mfa_index")
    totp_activate(client, django_capture_on_commit_callbacks)
    patients = client.get(reverse("patients:list"))
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            reverse("accounts:team"),
            {"full_name": "Sam Physio", "email": "sam@northside.test", "role": "clinician"},
            follow=True,
        )

    assert patients.status_code == 200
    assert "Sam Physio is invited" in invited.content.decode()
    clinician = User.objects.get(email="sam@northside.test")
    assert clinician.clinic.name == "Northside Hip Clinic"
    assert mailoutbox[-1].to == ["sam@northside.test"]
    assert "Nora North at Northside Hip Clinic has set you up" in mailoutbox[-1].body


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"admin_email": "not-an-email"}, "“not-an-email” is not a valid email address."),
        ({"timezone": "Mars/Olympus"}, "“Mars/Olympus” is not a known time zone"),
        ({"name": "   "}, "Give the clinic a name."),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_created(
    create_clinic, mailoutbox, options, message
):
    with pytest.raises(CommandError, match=re.escape(message)):
        create_clinic(**options)

    assert not Clinic.objects.filter(name="Northside Hip Clinic").exists()
    assert not User.objects.filter(email="lead@northside.test").exists()
    assert mailoutbox == []


def test_an_email_of_another_clinic_is_refused(create_clinic, clinician, mailoutbox):
    with pytest.raises(CommandError, match="already used by someone of another clinic"):
        create_clinic(admin_email=clinician.email)

    assert not Clinic.objects.filter(name="Northside Hip Clinic").exists()
    assert mailoutbox == []


def test_an_email_with_another_role_in_the_same_clinic_is_refused(create_clinic, clinician):
    with pytest.raises(CommandError, match="with another role"):
        create_clinic(name=clinician.clinic.name, admin_email=clinician.email)

    clinician.refresh_from_db()
    assert clinician.role == User.Role.CLINICIAN


def test_an_existing_clinic_name_with_a_new_admin_email_is_refused(create_clinic, mailoutbox):
    create_clinic()

    with pytest.raises(CommandError, match="already exists with another admin"):
        create_clinic(admin_email="someone.else@northside.test")

    assert not User.objects.filter(email="someone.else@northside.test").exists()
    assert len(mailoutbox) == 1
