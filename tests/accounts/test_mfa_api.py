"""API sign-in respects second factors; tokens and devices are listed and ended by their owner
(OWASP ASVS 5.0 V6.4, V7.4.5, V7.5.2)."""

import time

import pytest
import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.factories import PASSWORD, totp_code, totp_enrol

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
MFA = "/api/v1/auth/token/mfa/"


def _password_step(user, password=PASSWORD):
    return APIClient().post(TOKEN, {"email": user.email, "password": password}, format="json")


def _code_step(ticket, code):
    return APIClient().post(MFA, {"mfa_token": ticket, "code": code}, format="json")


def _bearer(token) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def test_v6_4_a_clinician_without_mfa_gets_no_api_token(clinician):
    response = _password_step(clinician)

    assert response.status_code == 403
    assert "Two-factor authentication is required" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=clinician).exists()


def test_v6_4_the_token_comes_after_the_code(clinician):
    totp_enrol(clinician)

    # the password alone gives a ticket, not a token
    first = _password_step(clinician)
    assert first.status_code == 200
    assert first.json()["mfa_required"] is True
    assert "token" not in first.json()
    assert not AuthToken.objects.filter(user=clinician).exists()

    # the ticket and the app's code give a token that works
    second = _code_step(first.json()["mfa_token"], totp_code())
    assert second.status_code == 201
    assert _bearer(second.json()["token"]).get("/api/v1/me/").json()["email"] == clinician.email


def test_v6_6_1_a_wrong_code_is_401_and_ten_lock_the_account_even_for_the_right_code(clinician):
    totp_enrol(clinician)
    ticket = _password_step(clinician).json()["mfa_token"]
    wrong = f"{(int(totp_code()) + 1) % 1_000_000:06d}"

    answers = [_code_step(ticket, wrong).status_code for _ in range(10)]

    assert answers[:9] == [401] * 9
    assert answers[9] == 429
    locked = _code_step(ticket, totp_code())
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.json()["detail"]
    assert not AuthToken.objects.filter(user=clinician).exists()


def test_v6_4_a_ticket_expires_after_five_minutes(clinician):
    totp_enrol(clinician)
    ticket = _password_step(clinician).json()["mfa_token"]

    with time_machine.travel(time.time() + 301, tick=False):
        response = _code_step(ticket, totp_code())

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_v6_4_a_password_change_voids_an_open_ticket(clinician):
    totp_enrol(clinician)
    ticket = _password_step(clinician).json()["mfa_token"]
    clinician.set_password("another-long-password")
    clinician.save()

    assert _code_step(ticket, totp_code()).status_code == 401


def test_v6_4_a_forged_ticket_is_refused(clinician):
    totp_enrol(clinician)

    assert _code_step(f"{clinician.pk}:forged", totp_code()).status_code == 401


def test_v6_5_1_a_recovery_code_gives_one_token_once(clinician):
    totp_enrol(clinician)
    code = RecoveryCodes.activate(clinician).generate_codes()[0]

    first = _code_step(_password_step(clinician).json()["mfa_token"], code)
    again = _code_step(_password_step(clinician).json()["mfa_token"], code)

    assert first.status_code == 201
    assert again.status_code == 401


def test_a_patient_without_mfa_signs_in_in_one_step(patient):
    response = _password_step(patient.user)

    assert response.status_code == 201
    assert response.json()["token"]


def test_the_schema_documents_both_steps(client):
    schema = client.get(reverse("api-schema")).content.decode()

    assert "/api/v1/auth/token/mfa/" in schema
    assert "mfa_token" in schema


def test_v7_4_5_an_owner_lists_and_revokes_their_tokens_and_a_stranger_cannot(
    patient, other_patient
):
    mine, first = AuthToken.objects.create(patient.user)
    _, second = AuthToken.objects.create(patient.user)
    theirs, _ = AuthToken.objects.create(other_patient.user)

    listed = _bearer(first).get("/api/v1/auth/tokens/").json()
    assert {row["token_key"] for row in listed} == {
        t.token_key for t in AuthToken.objects.filter(user=patient.user)
    }
    assert [row["current"] for row in listed if row["token_key"] == mine.token_key] == [True]
    assert first not in str(listed)  # never the whole token

    # a stranger cannot revoke it, nor learn it exists
    stranger = _bearer(AuthToken.objects.create(other_patient.user)[1])
    assert stranger.delete(f"/api/v1/auth/tokens/{mine.token_key}/").status_code == 404
    assert _bearer(first).get("/api/v1/me/").status_code == 200

    # the owner revokes it from another of their tokens, and it stops working
    assert _bearer(second).delete(f"/api/v1/auth/tokens/{mine.token_key}/").status_code == 204
    assert _bearer(first).get("/api/v1/me/").status_code == 401
    # and someone else's token is not theirs to revoke
    assert _bearer(second).delete(f"/api/v1/auth/tokens/{theirs.token_key}/").status_code == 404


def test_v7_5_2_the_security_page_lists_devices_and_tokens_and_ends_them(clinician):
    here, phone = client_for(clinician), client_for(clinician)
    token, _ = AuthToken.objects.create(clinician)
    assert UserSession.objects.filter(user=clinician).count() == 2

    page = here.get(reverse("accounts:security")).content.decode()
    assert "This device" in page
    assert f"{token.token_key}…" in page

    # signing the phone out from here ends its session
    other = UserSession.objects.exclude(session_key=here.session.session_key).get(user=clinician)
    here.post(reverse("accounts:session_end", args=[other.pk]))
    assert phone.get(reverse("accounts:security"))["Location"].startswith(reverse("accounts:login"))

    # revoking the token from the page ends it
    here.post(reverse("accounts:token_revoke", args=[token.token_key]))
    assert not AuthToken.objects.filter(pk=token.pk).exists()


def test_a_stranger_cannot_see_or_end_someone_elses_devices_or_tokens(clinician, colleague):
    client_for(clinician)
    device = UserSession.objects.get(user=clinician)
    token, _ = AuthToken.objects.create(clinician)
    stranger = client_for(colleague)

    page = stranger.get(reverse("accounts:security")).content.decode()
    assert token.token_key not in page
    assert stranger.post(reverse("accounts:session_end", args=[device.pk])).status_code == 404
    refused = stranger.post(reverse("accounts:token_revoke", args=[token.token_key]), follow=True)
    assert "does not exist" in refused.content.decode()
    assert UserSession.objects.filter(pk=device.pk).exists()
    assert AuthToken.objects.filter(pk=token.pk).exists()


def test_the_security_page_needs_a_sign_in(client):
    response = client.get(reverse("accounts:security"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
