"""Second factors: required for clinicians, optional for patients (OWASP ASVS 5.0 V6.4-V6.6, V7.5).

Codes are computed in the test from the authenticator's secret, as a phone app would.
"""

import re
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import client_for, totp_activate
from tests.factories import PASSWORD, UserFactory, totp_code, totp_enrol

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
STAGE = reverse("mfa_authenticate")


def _password_step(client: Client, user, password: str = PASSWORD):
    return client.post(LOGIN, {"login": user.email, "password": password})


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_v6_4_mfa_required_a_clinician_without_mfa_reaches_no_patient_page_until_enrolled(
    client, clinician, patient, django_capture_on_commit_callbacks
):
    # when a clinician with no second factor signs in with the right password
    response = _password_step(client, clinician)

    # then they are sent to set one up, and every patient page and API call sends them there
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    for path in [
        reverse("patients:list"),
        reverse("patients:detail", args=[patient.pk]),
        reverse("review:triage"),
    ]:
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked["Location"] == reverse("mfa_index")
    api = client.get(f"/api/v1/patients/{patient.pk}/")
    assert api.status_code == 403
    assert "Two-factor authentication is required" in api.json()["detail"]
    assert "Pat Quennell" not in api.content.decode()

    # when they enrol an authenticator app (the code computed from the page's secret)
    totp_activate(client, django_capture_on_commit_callbacks)

    # then the same session reaches patients, and recovery codes were made for them
    assert client.get(reverse("patients:detail", args=[patient.pk])).status_code == 200
    assert Authenticator.objects.filter(user=clinician, type="recovery_codes").exists()


def test_v6_4_mfa_required_the_enrolment_page_explains_why(client, clinician):
    _password_step(client, clinician)

    page = client.get(reverse("patients:list"), follow=True).content.decode()

    assert "Your clinic protects patient data with two-factor authentication" in page
    assert reverse("mfa_activate_totp") in page


def test_v6_5_totp_secret_is_stored_encrypted(
    client, clinician, django_capture_on_commit_callbacks
):
    _password_step(client, clinician)
    secret = totp_activate(client, django_capture_on_commit_callbacks)

    stored = Authenticator.objects.get(user=clinician, type="totp").data["secret"]

    assert secret not in stored


def test_v6_6_1_a_wrong_totp_code_is_refused_and_the_right_one_signs_in(client, clinician):
    totp_enrol(clinician)

    # the password alone leads to the second step, not into the app
    response = _password_step(client, clinician)
    assert response["Location"] == STAGE
    assert not _signed_in(client)
    assert client.get(reverse("patients:list"))["Location"].startswith(LOGIN)

    # a wrong code is refused with a message, and nobody is signed in
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"
    refused = client.post(STAGE, {"code": wrong})
    assert refused.status_code == 200
    assert "Incorrect code" in refused.content.decode()
    assert not _signed_in(client)

    # the right code signs in
    accepted = client.post(STAGE, {"code": totp_code()}, follow=True)
    assert _signed_in(client)
    assert accepted.request["PATH_INFO"] == reverse("patients:list")


def test_v6_6_3_a_totp_code_cannot_be_used_twice(clinician):
    totp_enrol(clinician)
    code = totp_code()
    first, second = Client(), Client()
    _password_step(first, clinician)
    first.post(STAGE, {"code": code})
    assert _signed_in(first)

    _password_step(second, clinician)
    replay = second.post(STAGE, {"code": code})

    assert "Incorrect code" in replay.content.decode()
    assert not _signed_in(second)


def test_v6_5_1_a_recovery_code_works_once(clinician):
    totp_enrol(clinician)
    codes = RecoveryCodes.activate(clinician).generate_codes()

    first = Client()
    _password_step(first, clinician)
    first.post(STAGE, {"code": codes[0]})
    assert _signed_in(first)

    again = Client()
    _password_step(again, clinician)
    refused = again.post(STAGE, {"code": codes[0]})
    assert "Incorrect code" in refused.content.decode()
    assert not _signed_in(again)
    # the next one still works
    again.post(STAGE, {"code": codes[1]})
    assert _signed_in(again)


def test_v6_4_3_a_password_reset_does_not_skip_the_second_factor(
    client, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    totp_enrol(clinician)

    # when the clinician resets their password through the emailed link
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": clinician.email})
    link = re.search(r"https?://\S+?(/accounts/password/reset/\S+/)", mailoutbox[0].body)[1]
    form = client.get(link, follow=True)
    new = "a-fresh-clinic-password"
    client.post(form.request["PATH_INFO"], {"new_password1": new, "new_password2": new})

    # then the reset signed nobody in, and the new password still needs the code
    assert not _signed_in(client)
    assert _password_step(client, clinician, new)["Location"] == STAGE
    assert not _signed_in(client)
    client.post(STAGE, {"code": totp_code()})
    assert _signed_in(client)


def test_v6_4_a_session_that_skipped_the_second_factor_is_signed_out(clinician, patient):
    # given a clinician with an authenticator, signed in some way that skipped it
    totp_enrol(clinician)
    browser = Client()
    browser.force_login(clinician)

    # then the first page sends them to sign in again, and the session is over
    response = browser.get(reverse("patients:detail", args=[patient.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert not _signed_in(browser)


def test_mfa_is_optional_for_patients_and_offered_on_their_pages(client, patient):
    response = _password_step(client, patient.user)
    assert response["Location"] == reverse("home")
    today = client.get(reverse("painlogs:today"))
    assert today.status_code == 200

    security = client.get(reverse("accounts:security")).content.decode()
    assert "Set up two-factor authentication" in security
    preferences = client.get(reverse("patients:preferences")).content.decode()
    assert reverse("accounts:security") in preferences


def test_a_patient_who_enrols_needs_the_code_from_then_on(
    client, patient, django_capture_on_commit_callbacks
):
    _password_step(client, patient.user)
    totp_activate(client, django_capture_on_commit_callbacks)
    client.post(reverse("accounts:logout"))

    assert _password_step(client, patient.user)["Location"] == STAGE
    assert not _signed_in(client)


def test_v6_4_staff_need_a_second_factor_for_the_admin_too(clinic):
    staff = UserFactory(clinic=clinic, is_staff=True, is_superuser=True)
    browser = Client()
    _password_step(browser, staff)

    assert browser.get("/admin/")["Location"] == reverse("mfa_index")


def test_v7_5_1_changing_second_factors_asks_to_reauthenticate_after_five_minutes(clinician):
    browser = client_for(clinician)
    with time_machine.travel(time.time() + 6 * 60, tick=False):
        response = browser.get(reverse("mfa_deactivate_totp"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        # the password confirms it is still them
        again = browser.post(response["Location"], {"password": PASSWORD}, follow=True)
        assert again.request["PATH_INFO"] == reverse("mfa_deactivate_totp")


def test_v7_4_3_turning_off_the_second_factor_ends_other_sessions_and_tokens(clinician):
    # given a clinician signed in on two computers and in an app
    here, elsewhere = client_for(clinician), client_for(clinician)
    _, token = AuthToken.objects.create(clinician)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/").status_code == 200

    # when they turn their authenticator app off on one computer (confirming their password)
    asked = here.post(reverse("mfa_deactivate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    response = here.post(asked["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=clinician, type="totp").exists()

    # then the other computer and the app are signed out, and this one must enrol again
    assert elsewhere.get(reverse("accounts:security"))["Location"].startswith(LOGIN)
    assert api.get("/api/v1/me/").status_code == 401
    assert here.get(reverse("patients:list"))["Location"] == reverse("mfa_index")


def test_legacy_tokens_of_clinicians_do_not_outlive_the_mfa_requirement(clinician):
    """A token made before second factors existed was revoked by the migration that added them."""
    from importlib import import_module

    from django.apps import apps as global_apps

    migration = import_module("apps.accounts.migrations.0004_revoke_clinician_tokens")
    _, token = AuthToken.objects.create(clinician)
    migration.revoke_clinician_tokens(global_apps, schema_editor=None)

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/").status_code == 401


def test_v6_3_1_wrong_codes_at_the_second_step_lock_the_account_like_wrong_passwords(clinician):
    totp_enrol(clinician)
    browser = Client()
    _password_step(browser, clinician)
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"

    for _ in range(10):
        browser.post(STAGE, {"code": wrong})
    locked = browser.post(STAGE, {"code": totp_code()})

    assert "Too many failed sign-ins" in locked.content.decode()
    assert not _signed_in(browser)
