"""patient_create: the account, the profile and the one-time invitation link."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.patients.models import Patient
from apps.patients.services import patient_create

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Gentle-hip-hinges-2026"


def _create(clinician, **overrides):
    fields = {
        "clinician": clinician,
        "email": "Nora.New@Example.com",
        "full_name": "Nora New",
        "date_of_birth": date(1990, 4, 2),
        "condition": "fai",
        "affected_side": "left",
        "timezone": "Europe/Paris",
        **overrides,
    }
    return patient_create(**fields)


def _invite_path(email) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/invite/[^\s\"<]+/)", email.body)
    assert match, email.body
    return match.group(1)


def test_a_new_patient_gets_exactly_one_invite_email(
    clinician, mailoutbox, django_capture_on_commit_callbacks
):
    # when a clinician adds a patient
    with django_capture_on_commit_callbacks(execute=True):
        patient = _create(clinician)

    # then one email goes to the patient, with a link to set their password
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["nora.new@example.com"]
    assert "/accounts/invite/" in email.body
    assert "Alice Clinician" in email.body
    assert patient.user.email == "nora.new@example.com"
    assert patient.user.timezone == "Europe/Paris"
    assert not patient.user.has_usable_password()
    assert list(patient.care_team.all()) == [clinician]


def test_no_email_is_sent_before_the_transaction_commits(
    clinician, mailoutbox, django_capture_on_commit_callbacks
):
    # the patient row could still be rolled back: the email waits for the commit
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _create(clinician)

    assert mailoutbox == []
    assert len(callbacks) == 1


def test_the_invite_link_works_once(clinician, mailoutbox, django_capture_on_commit_callbacks):
    # given the invitation email
    with django_capture_on_commit_callbacks(execute=True):
        _create(clinician)
    link = _invite_path(mailoutbox[0])

    # when the patient opens it and chooses a password
    browser = Client()
    form_page = browser.get(link, follow=True)
    assert form_page.status_code == 200
    assert "This link has expired" not in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    assert set_password_url.endswith("/set-password/")
    done = browser.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    # then they are signed in, and can log in again later with that password
    assert done.status_code == 200
    assert "Your password is set" in done.content.decode()
    assert Client().login(email="nora.new@example.com", password=NEW_PASSWORD)

    # and the same link no longer works
    again = Client().get(link, follow=True)
    assert again.status_code == 200
    assert "expired" in again.content.decode()
    assert "new_password1" not in again.content.decode()


def test_the_invite_link_expires_after_a_week(
    clinician, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _create(clinician)
    link = _invite_path(mailoutbox[0])

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        page = Client().get(link, follow=True)

    assert page.status_code == 200
    assert "This link has expired" in page.content.decode()
    assert "new_password1" not in page.content.decode()


def test_a_duplicate_email_is_refused_on_the_email_field(
    clinician, patient, mailoutbox, django_capture_on_commit_callbacks
):
    # given pat@example.com already has an account
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as error,
    ):
        _create(clinician, email="PAT@example.com")

    assert error.value.message_dict["email"] == ["This email can't be used for a new patient."]
    assert User.objects.filter(email__iexact="pat@example.com").count() == 1
    assert mailoutbox == []


def test_an_invalid_timezone_is_refused(clinician, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as error,
    ):
        _create(clinician, timezone="Mars/Olympus_Mons")

    assert "timezone" in error.value.message_dict
    assert not User.objects.filter(email="nora.new@example.com").exists()
    assert mailoutbox == []


def test_a_care_team_with_another_clinics_clinician_is_refused(
    clinician, other_clinic_clinician, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as error,
    ):
        _create(clinician, care_team=[clinician, other_clinic_clinician])

    # and the message does not name the stranger
    assert error.value.message_dict["care_team"] == [
        "Choose clinicians of this clinic for the care team."
    ]
    assert not Patient.objects.filter(user__email="nora.new@example.com").exists()
    assert mailoutbox == []


def test_a_care_team_can_include_a_colleague(clinician, colleague):
    patient = _create(clinician, care_team=[clinician, colleague])

    assert set(patient.care_team.all()) == {clinician, colleague}
    assert patient.clinic == clinician.clinic


def test_a_patient_cannot_add_patients(patient, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        _create(patient.user)

    assert not User.objects.filter(email="nora.new@example.com").exists()
    assert mailoutbox == []
