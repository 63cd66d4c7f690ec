"""Failed sign-in lockout, per account and per address (OWASP ASVS 5.0 V6.3.1, V6.1.1).

Each test sets the limits it relies on (the defaults: 10 per account, 50 per address, in 15
minutes, locked for 15 minutes), whatever the test settings or environment say.
"""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.common.ratelimit import client_address
from tests.factories import PASSWORD, UserFactory, totp_enrol

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "Too many failed sign-ins. Try again in 15 minutes or reset your password."
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def real_limits(settings):
    limits = settings.GREENLIGHT["RATE_LIMITS"]
    settings.GREENLIGHT = {
        **settings.GREENLIGHT,
        "RATE_LIMITS": {
            **limits,
            "TRUSTED_PROXIES": [],
            "LOGIN": {
                "ACCOUNT_FAILURES": 10,
                "ADDRESS_FAILURES": 50,
                "WINDOW_MINUTES": 15,
                "LOCKOUT_MINUTES": 15,
            },
        },
    }
    return settings


def _browser_login(client, email, password, **extra):
    return client.post(reverse("accounts:login"), {"login": email, "password": password}, **extra)


def _token(client, email, password, **extra):
    return client.post(
        TOKEN_URL, {"email": email, "password": password}, content_type="application/json", **extra
    )


def test_v6_3_1_ten_failed_browser_sign_ins_lock_the_account_even_for_the_right_password(
    clinician,
):
    client = Client()
    for _ in range(10):
        response = _browser_login(client, clinician.email, "wrong-guess-123")
        assert LOCKED_TEXT not in response.content.decode()

    response = _browser_login(client, clinician.email, PASSWORD)

    assert LOCKED_TEXT in response.content.decode()
    assert SESSION_KEY not in client.session


def test_v6_3_1_nine_failures_then_the_right_password_signs_in_and_starts_a_fresh_count(
    clinician,
):
    client = Client()
    for _ in range(9):
        _browser_login(client, clinician.email, "wrong-guess-123")

    _browser_login(client, clinician.email, PASSWORD)
    assert SESSION_KEY in client.session

    # the count began again: nine more failures do not lock the account
    other = Client()
    for _ in range(9):
        _browser_login(other, clinician.email, "wrong-guess-123")
    _browser_login(other, clinician.email, PASSWORD)
    assert SESSION_KEY in other.session


def test_v6_3_1_the_account_count_is_shared_by_every_address_and_every_door(clinician):
    # given failures spread over many addresses and both the browser and the API
    for n in range(10):
        address = {"REMOTE_ADDR": f"198.51.100.{n}"}
        if n % 2:
            _browser_login(Client(), clinician.email, "wrong-guess-123", **address)
        else:
            _token(Client(), clinician.email, "wrong-guess-123", **address)

    # then the account is locked from a fresh address too
    response = _token(Client(), clinician.email, PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429


def test_v6_3_1_the_api_answers_a_lockout_with_429_json_and_retry_after(patient):
    client = Client()
    for _ in range(10):
        assert _token(client, patient.user.email, "wrong-guess-123").status_code == 401

    response = _token(client, patient.user.email, PASSWORD)

    assert response.status_code == 429
    assert response.json()["detail"].startswith(LOCKED_TEXT)
    assert 890 <= int(response["Retry-After"]) <= 900
    assert "token" not in response.json()


def test_v6_3_1_the_admin_login_is_the_same_locked_door(clinic):
    staff = UserFactory(clinic=clinic, is_staff=True, is_superuser=True)
    client = Client()

    # the admin's own login form is gone: it sends to the one sign-in page
    form = client.get("/admin/login/?next=/admin/")
    assert form.status_code == 302
    assert form["Location"].startswith(reverse("accounts:login"))
    client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert SESSION_KEY not in client.session

    # where ten failures lock the account, the right password included
    for _ in range(10):
        _browser_login(client, staff.email, "wrong-guess-123")
    response = _browser_login(client, staff.email, PASSWORD)
    assert LOCKED_TEXT in response.content.decode()
    assert SESSION_KEY not in client.session


def test_v6_3_1_fifty_failures_from_one_address_lock_that_address_for_every_account(clinician):
    totp_enrol(clinician)
    # given 50 failed sign-ins from one address, each for a different (unknown) account
    for n in range(50):
        _token(Client(), f"guess{n}@example.com", "wrong-guess-123", REMOTE_ADDR="192.0.2.7")

    # then even a valid account cannot sign in from there; from elsewhere it can
    assert _token(Client(), clinician.email, PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 429
    # (the password step passes: an enrolled clinician is asked for the code next)
    assert _token(Client(), clinician.email, PASSWORD, REMOTE_ADDR="192.0.2.8").status_code == 200


def test_v6_3_1_a_rotating_x_forwarded_for_does_not_escape_the_address_lockout(clinician):
    for n in range(50):
        _token(
            Client(),
            f"guess{n}@example.com",
            "wrong-guess-123",
            HTTP_X_FORWARDED_FOR=f"10.0.{n}.1",
        )

    response = _token(Client(), clinician.email, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


def test_v6_3_1_x_forwarded_for_is_believed_only_from_a_trusted_proxy(real_limits, rf):
    real_limits.GREENLIGHT["RATE_LIMITS"]["TRUSTED_PROXIES"] = ["10.0.0.0/8"]
    spoofed = "6.6.6.6, 198.51.100.20"

    via_proxy = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR=spoofed)
    direct = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=spoofed)

    # the proxy appended the address it saw; what the client wrote before that is not believed
    assert client_address(via_proxy) == "198.51.100.20"
    assert client_address(direct) == "203.0.113.5"


def test_v6_3_1_the_lock_ends_after_the_cool_off(clinician):
    totp_enrol(clinician)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(10):
            _token(Client(), clinician.email, "wrong-guess-123")
        assert _token(Client(), clinician.email, PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert _token(Client(), clinician.email, PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert _token(Client(), clinician.email, PASSWORD).status_code == 200


def test_v6_1_1_the_limits_are_settings(real_limits, clinician):
    real_limits.GREENLIGHT["RATE_LIMITS"]["LOGIN"]["ACCOUNT_FAILURES"] = 3
    for _ in range(3):
        _token(Client(), clinician.email, "wrong-guess-123")

    assert _token(Client(), clinician.email, PASSWORD).status_code == 429


def test_v6_1_1_the_defaults_are_ten_per_account_and_fifty_per_address():
    from config.settings import base

    limits = base.GREENLIGHT["RATE_LIMITS"]
    assert limits["LOGIN"] == {
        "ACCOUNT_FAILURES": 10,
        "ADDRESS_FAILURES": 50,
        "WINDOW_MINUTES": 15,
        "LOCKOUT_MINUTES": 15,
    }
    assert limits["TRUSTED_PROXIES"] == []


def test_v6_3_1_rate_limits_off_never_turns_off_the_login_lockout(real_limits, clinician):
    real_limits.GREENLIGHT["RATE_LIMITS"]["PER_USER_ENABLED"] = False
    for _ in range(10):
        _browser_login(Client(), clinician.email, "wrong-guess-123")

    assert _token(Client(), clinician.email, PASSWORD).status_code == 429


def test_v6_3_1_a_lockout_is_logged_at_warning_without_the_password_or_the_email(clinician, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(10):
        _token(Client(), clinician.email, "wrong-guess-123", REMOTE_ADDR="198.51.100.77")

    warnings = [r for r in caplog.records if r.name == "apps.accounts.lockout"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    line = warnings[0].getMessage()
    assert "Sign-in lockout: account locked for 15 minutes after 10 failed sign-ins" in line
    assert "198.51.100.77" in line
    everything = " ".join(r.getMessage() for r in caplog.records)
    assert "wrong-guess-123" not in everything
    assert clinician.email not in everything
