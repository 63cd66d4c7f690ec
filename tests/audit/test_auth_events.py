"""Sign-ins, second factors, lockouts, API tokens and refusals land in the audit log, with ids
and keyed hashes only: no password, no token, no email."""

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from apps.accounts.lockout import account_key
from apps.audit.models import AuditEvent
from tests.conftest import client_for
from tests.factories import PASSWORD, totp_code, totp_enrol

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
STAGE = reverse("mfa_authenticate")
TOKEN = "/api/v1/auth/token/"


def _auth_rows():
    return list(AuditEvent.objects.filter(kind="auth").order_by("pk"))


def _actions():
    return [(row.action, row.user_id) for row in _auth_rows()]


def _all_values() -> str:
    return repr(list(AuditEvent.objects.values()))


def test_a_browser_sign_in_and_a_wrong_password_are_logged_without_the_password(patient):
    client = Client()

    client.post(LOGIN, {"login": patient.user.email, "password": "wrong-guess-123"})
    client.post(LOGIN, {"login": patient.user.email, "password": PASSWORD})

    assert _actions() == [("login_failed", patient.user.pk), ("login_succeeded", patient.user.pk)]
    assert "wrong-guess-123" not in _all_values()
    assert PASSWORD not in _all_values()
    assert patient.user.email not in _all_values()


def test_an_unknown_account_is_named_only_by_its_keyed_hash(db):
    Client().post(LOGIN, {"login": "nobody@example.test", "password": "whatever-123"})

    [row] = _auth_rows()
    assert (row.action, row.user_id) == ("login_failed", None)
    assert row.account_key == account_key("nobody@example.test")
    assert "nobody@example.test" not in _all_values()


def test_second_factor_success_and_failure_are_logged(clinician):
    totp_enrol(clinician)
    client = Client()
    client.post(LOGIN, {"login": clinician.email, "password": PASSWORD})

    client.post(STAGE, {"code": "000000"})
    client.post(STAGE, {"code": totp_code()})

    actions = [a for a, _ in _actions()]
    assert "mfa_failed" in actions
    assert "mfa_succeeded" in actions
    assert actions.index("mfa_failed") < actions.index("mfa_succeeded")
    assert {user for _, user in _actions()} == {clinician.pk}


def test_a_lockout_is_logged(patient):
    client = Client()
    for _ in range(10):
        client.post(LOGIN, {"login": patient.user.email, "password": "wrong-guess-123"})

    assert ("lockout", patient.user.pk) in _actions()


def test_issuing_and_revoking_api_tokens_is_logged_without_the_token(patient):
    client = Client()
    issued = client.post(
        TOKEN,
        {"email": patient.user.email, "password": PASSWORD},
        content_type="application/json",
    )
    token = issued.json()["token"]
    key = AuthToken.objects.get(user=patient.user).token_key

    revoked = client.delete(
        f"/api/v1/auth/tokens/{key}/", headers={"Authorization": f"Bearer {token}"}
    )

    assert revoked.status_code == 204
    assert [a for a in _actions() if a[0].startswith("token")] == [
        ("token_issued", patient.user.pk),
        ("token_revoked", patient.user.pk),
    ]
    assert token not in _all_values()


def test_a_permission_denial_is_logged_for_browser_and_api(patient):
    http = client_for(patient.user)

    assert http.get("/patients/").status_code == 403
    assert http.post("/api/v1/patients/", {}, content_type="application/json").status_code == 403

    rows = [r for r in _auth_rows() if r.action == "permission_denied"]
    assert [(r.route, r.method, r.channel, r.user_id) for r in rows] == [
        ("patients:list", "GET", "page", patient.user.pk),
        ("api:patient-list", "POST", "api", patient.user.pk),
    ]


def test_the_api_second_step_logs_its_code_checks(clinician):
    totp_enrol(clinician)
    client = Client()

    def first_step():
        return client.post(
            TOKEN, {"email": clinician.email, "password": PASSWORD}, content_type="application/json"
        ).json()["mfa_token"]

    def second_step(code):
        return client.post(
            "/api/v1/auth/token/mfa/",
            {"mfa_token": first_step(), "code": code},
            content_type="application/json",
        )

    assert second_step("000000").status_code == 401
    assert second_step(totp_code()).status_code == 201

    assert _actions() == [
        ("mfa_failed", clinician.pk),
        ("mfa_succeeded", clinician.pk),
        ("token_issued", clinician.pk),
    ]
