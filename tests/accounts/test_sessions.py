"""How long a browser session lasts, per role (OWASP ASVS 5.0 V7.3.1 idle, V7.3.2 absolute)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MONDAY_9AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


def _signed_out(response, message: str | None = None) -> bool:
    """Sent to the login page, with ``message`` shown there."""
    if response.status_code != 302 or not response["Location"].startswith(
        reverse("accounts:login")
    ):
        return False
    return message is None or message in _flash(response)


def _flash(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_v7_3_1_a_clinician_idle_for_31_minutes_is_signed_out(clock, clinician):
    browser = client_for(clinician)
    assert browser.get(reverse("patients:list")).status_code == 200

    # when they come back after 31 minutes away
    clock.shift(timedelta(minutes=31))
    response = browser.get(reverse("patients:list"))

    # then they are sent to sign in, told why, and the page they wanted is kept
    assert _signed_out(response, "You were signed out after 30 minutes without activity.")
    assert "next=/patients/" in response["Location"]
    page = browser.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    # and the session is over for good
    assert _signed_out(browser.get(reverse("patients:list")))


def test_v7_3_1_a_clinician_idle_for_29_minutes_stays_in(clock, clinician):
    browser = client_for(clinician)

    clock.shift(timedelta(minutes=29))

    assert browser.get(reverse("patients:list")).status_code == 200


def test_v7_3_2_an_active_clinician_stays_in_for_12_hours_then_signs_in_again(clock, clinician):
    browser = client_for(clinician)

    # active every 20 minutes for 11 hours: never signed out
    for _ in range(11 * 3):
        clock.shift(timedelta(minutes=20))
        assert browser.get(reverse("patients:list")).status_code == 200

    # still active, up to 12 hours after signing in
    for minutes in (20, 40, 59):
        clock.move_to(MONDAY_9AM + timedelta(hours=11, minutes=minutes))
        assert browser.get(reverse("patients:list")).status_code == 200
    clock.move_to(MONDAY_9AM + timedelta(hours=12, minutes=1))
    response = browser.get(reverse("patients:list"))

    assert _signed_out(response, "Your session has ended; please sign in again.")


def test_v7_3_2_a_clinic_admin_has_the_clinician_limits(clock, clinic_admin):
    browser = client_for(clinic_admin)

    clock.shift(timedelta(minutes=31))

    assert _signed_out(browser.get(reverse("accounts:team")))


def test_v7_3_1_a_patient_idle_for_29_days_stays_in(clock, patient):
    browser = client_for(patient.user)

    clock.shift(timedelta(days=29))

    assert browser.get(reverse("painlogs:today")).status_code == 200


def test_v7_3_2_a_patient_session_ends_after_30_days_even_if_active(clock, patient):
    browser = client_for(patient.user)
    for _ in range(30):
        clock.shift(timedelta(days=1))
        assert browser.get(reverse("painlogs:today")).status_code == 200

    clock.shift(timedelta(minutes=1))
    response = browser.get(reverse("painlogs:today"))

    assert _signed_out(response, "Your session has ended; please sign in again.")


def test_v7_3_1_a_session_used_by_the_api_ends_too_with_a_401_or_403_not_a_redirect(
    clock, clinician
):
    browser = client_for(clinician)
    assert browser.get("/api/v1/me/").status_code == 200

    clock.shift(timedelta(minutes=31))
    response = browser.get("/api/v1/me/")

    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/json"


def test_v7_3_last_activity_is_written_at_most_once_a_minute(clock, clinician):
    browser = client_for(clinician)
    browser.get(reverse("patients:list"))
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value

    # requests within the minute leave the session row alone
    clock.shift(timedelta(seconds=30))
    response = browser.get(reverse("patients:list"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies

    # the first request after a minute records the activity
    clock.shift(timedelta(seconds=31))
    response = browser.get(reverse("patients:list"))
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == cookie


def test_v7_3_the_session_cookie_lives_as_long_as_the_longest_session():
    assert settings.SESSION_COOKIE_AGE == 30 * 24 * 3600


def test_an_api_call_with_a_bearer_token_starts_no_session(clinician):
    _, token = AuthToken.objects.create(clinician)
    api = APIClient()

    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()
