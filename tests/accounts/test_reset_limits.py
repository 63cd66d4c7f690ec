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


@pytest.fixture
def reset(django_capture_on_commit_callbacks):
    """Ask for a reset from ``address``; the worker sends what it owes after the commit."""

    def post(email, address="198.51.100.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address
            )

    return post


def test_v6_3_1_the_sixth_reset_for_one_email_in_an_hour_sends_no_email(patient, reset):
    for n in range(5):
        response = reset(patient.user.email, address=f"198.51.100.{n}")
        assert response.status_code == 302
    assert len(mail.outbox) == 5

    response = reset(patient.user.email, address="198.51.100.99")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 5


def test_v6_3_1_the_limit_per_email_ignores_case(patient, reset):
    for _ in range(5):
        reset(patient.user.email.upper())

    reset(patient.user.email)

    assert len(mail.outbox) == 5


def test_v2_4_1_twenty_resets_from_one_address_then_no_more_emails(patient, clinician, reset):
    # given 20 requests from one address, for addresses that mostly have no account
    for n in range(20):
        reset(f"someone{n}@example.com", address="203.0.113.4")

    # then a real account's reset from that address sends nothing; from another it does
    assert reset(patient.user.email, address="203.0.113.4").status_code == 302
    assert len(mail.outbox) == 0
    reset(clinician.email, address="203.0.113.5")
    assert len(mail.outbox) == 1


def test_v2_4_1_rate_limits_off_does_not_lift_the_reset_limit(settings, patient, reset):
    settings.GREENLIGHT["RATE_LIMITS"]["PER_USER_ENABLED"] = False
    for _ in range(6):
        reset(patient.user.email)

    assert len(mail.outbox) == 5
