"""Signing in and resetting a password tell nothing about which accounts exist (ASVS 5.0 V6.3.8).

A wrong password for a real account, an unknown email, and the right password of a deactivated
account all get the same answer, byte for byte, on the login page and the token endpoint.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

UNKNOWN = "nobody-here@example.com"


@pytest.fixture
def attempts(clinician):
    """(email, password) pairs that must all fail the same way."""
    gone = UserFactory(email="gone@riverside.test", clinic=clinician.clinic, is_active=False)
    return [
        (clinician.email, "not-the-password-at-all"),
        (UNKNOWN, "not-the-password-at-all"),
        (gone.email, PASSWORD),
    ]


def _login_page(email: str, password: str) -> str:
    """The page after a failed login, less what differs by design: the CSRF token and the
    email the person typed (kept in the field so they can fix a typo)."""
    response = Client().post(reverse("accounts:login"), {"login": email, "password": password})
    assert response.status_code == 200
    page = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", page)


def test_v6_3_8_the_login_page_fails_the_same_for_known_unknown_and_inactive(attempts):
    pages = [_login_page(email, password) for email, password in attempts]

    assert "Please enter a correct email and password" in pages[0]
    assert pages[1] == pages[0]
    assert pages[2] == pages[0]


def test_v6_3_8_the_token_endpoint_fails_the_same_for_known_unknown_and_inactive(attempts):
    answers = []
    for email, password in attempts:
        response = APIClient().post(
            "/api/v1/auth/token/", {"email": email, "password": password}, format="json"
        )
        assert response.status_code == 401
        answers.append((response.content, response["WWW-Authenticate"]))

    assert answers[1] == answers[0]
    assert answers[2] == answers[0]


def test_v6_3_8_password_reset_shows_the_same_page_for_known_and_unknown(
    clinician, mailoutbox, django_capture_on_commit_callbacks
):
    def reset(email):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                reverse("accounts:password_reset"), {"email": email}, follow=True
            )
        return response.redirect_chain, response.content

    # the same redirect and the same "if an account exists" page, whoever asks
    known, unknown = reset(clinician.email), reset(UNKNOWN)

    assert known == unknown
    assert b"If an account uses that address" in known[1]
    # and only the real account gets an email
    assert [m.to for m in mailoutbox] == [[clinician.email]]
