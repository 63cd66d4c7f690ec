"""Password-reset requests are limited per email and per address (OWASP ASVS 5.0 V6.3.1, V2.4.1).

Over a limit the page looks the same and no email goes out, so the limit tells no one whether an
account exists.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_limits(settings):
    settings.GREENLIGHT = {
        **settings.GREENLIGHT,
        "RATE_LIMITS": {
            **settings.GREENLIGHT["RATE_LIMITS"],
            "TRUSTED_PROXIES": [],
            "PASSWORD_RESET": {"PER_EMAIL": "5/hour", "PER_ADDRESS": "20/hour"},
        },
    }


def _reset(email, address="198.51.100.1"):
    return Client().post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_v6_3_1_the_sixth_reset_for_one_email_in_an_hour_sends_no_email(patient):
    for n in range(5):
        response = _reset(patient.user.email, address=f"198.51.100.{n}")
        assert response.status_code == 302
    assert len(mail.outbox) == 5

    response = _reset(patient.user.email, address="198.51.100.99")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 5


def test_v6_3_1_the_limit_per_email_ignores_case(patient):
    for _ in range(5):
        _reset(patient.user.email.upper())

    _reset(patient.user.email)

    assert len(mail.outbox) == 5


def test_v2_4_1_twenty_resets_from_one_address_then_no_more_emails(patient, clinician):
    # given 20 requests from one address, for addresses that mostly have no account
    for n in range(20):
        _reset(f"someone{n}@example.com", address="203.0.113.4")

    # then a real account's reset from that address sends nothing; from another it does
    assert _reset(patient.user.email, address="203.0.113.4").status_code == 302
    assert len(mail.outbox) == 0
    _reset(clinician.email, address="203.0.113.5")
    assert len(mail.outbox) == 1


def test_v2_4_1_rate_limits_off_does_not_lift_the_reset_limit(settings, patient):
    settings.GREENLIGHT["RATE_LIMITS"]["PER_USER_ENABLED"] = False
    for _ in range(6):
        _reset(patient.user.email)

    assert len(mail.outbox) == 5
