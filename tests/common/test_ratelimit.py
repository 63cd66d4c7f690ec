"""Per-user limits on invitations and writes, browser and API alike (OWASP ASVS 5.0 V2.4.1).

The tests set small limits of their own to stay quick; the defaults are checked as values.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from apps.common.ratelimit import TOO_OFTEN, parse_rate, rate_limit_hit, user_rate_limited
from tests.conftest import mfa_pass

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    """Two writes and two invitations an hour per user, switched on whatever the environment."""
    settings.GREENLIGHT = {
        **settings.GREENLIGHT,
        "RATE_LIMITS": {
            **settings.GREENLIGHT["RATE_LIMITS"],
            "PER_USER_ENABLED": True,
            "PER_USER": {"writes": "2/hour", "invitations": "2/hour"},
        },
    }
    return settings.GREENLIGHT["RATE_LIMITS"]


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _activity(**overrides) -> dict:
    return {
        "kind": "run",
        "description": "Canal loop",
        # Yesterday: never in the future, whatever the patient's zone (Pat lives in Los Angeles).
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "duration_minutes": "25",
        "pain_during": "2",
        **overrides,
    }


def test_v2_4_1_rate_limit_hit_counts_until_the_limit_then_refuses():
    assert [rate_limit_hit("t:key", 3, 3600) for _ in range(5)] == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert parse_rate("120/hour") == (120, 3600)


def test_v2_4_1_the_default_per_user_limits():
    from config.settings import base

    limits = base.GREENLIGHT["RATE_LIMITS"]
    assert limits["PER_USER"] == {"writes": "120/hour", "invitations": "30/hour"}
    assert limits["PER_USER_ENABLED"] is True


def test_v2_4_1_the_api_answers_too_many_activities_with_429_json(limits, patient):
    client = _api(patient.user)
    for _ in range(2):
        assert client.post("/api/v1/activities/", _activity(), format="json").status_code == 201

    response = client.post("/api/v1/activities/", _activity(), format="json")

    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 3600
    assert patient.activities.count() == 2
    # reading is not limited
    assert client.get("/api/v1/activities/").status_code == 200


def test_v2_4_1_messages_and_workouts_share_the_write_limit_in_the_api(limits, patient, program):
    client = _api(patient.user)
    url = f"/api/v1/patients/{patient.pk}/messages/"
    assert client.post(url, {"body": "Hip feels fine"}, format="json").status_code == 201
    assert client.post(url, {"body": "Still fine"}, format="json").status_code == 201

    assert client.post(url, {"body": "Third"}, format="json").status_code == 429
    assert client.post("/api/v1/workouts/", {}, format="json").status_code == 429


def test_v2_4_1_the_browser_says_too_often_and_keeps_what_was_typed(
    limits, patient_client, patient
):
    url = reverse("painlogs:activity_new")
    for _ in range(2):
        assert patient_client.post(url, _activity()).status_code == 302

    response = patient_client.post(url, _activity(description="Hilly route"))

    assert response.status_code == 200
    assert escape(TOO_OFTEN) in response.content.decode()
    assert response.context["form"]["description"].value() == "Hilly route"
    assert patient.activities.count() == 2


def test_v2_4_1_browser_and_api_count_against_one_limit(limits, patient_client, patient):
    assert patient_client.post(reverse("painlogs:activity_new"), _activity()).status_code == 302
    assert patient_client.post(reverse("care:mine"), {"body": "Hello"}).status_code == 302

    response = _api(patient.user).post("/api/v1/activities/", _activity(), format="json")

    assert response.status_code == 429


def test_v2_4_1_one_users_writes_do_not_limit_another(limits, patient, other_patient):
    for _ in range(3):
        _api(patient.user).post("/api/v1/activities/", _activity(), format="json")

    response = _api(other_patient.user).post("/api/v1/activities/", _activity(), format="json")

    assert response.status_code == 201


def test_v2_4_1_a_clinic_admin_inviting_too_many_clinicians_is_told_so(limits, clinic_admin):
    client = Client()
    client.force_login(clinic_admin)
    mfa_pass(client, clinic_admin)
    url = reverse("accounts:team")
    for n in range(2):
        data = {"full_name": f"New {n}", "email": f"new{n}@riverside.test", "role": "clinician"}
        assert client.post(url, data).status_code == 302

    response = client.post(
        url, {"full_name": "Third", "email": "third@riverside.test", "role": "clinician"}
    )

    assert response.status_code == 200
    assert escape(TOO_OFTEN) in response.content.decode()
    assert 'value="third@riverside.test"' in response.content.decode()


def test_v2_4_1_a_clinician_adding_too_many_patients_through_the_api_gets_429(limits, clinician):
    client = _api(clinician)
    body = {
        "full_name": "New Patient",
        "timezone": "UTC",
        "date_of_birth": "1990-01-01",
        "condition": "fai",
        "affected_side": "left",
    }
    statuses = [
        client.post(
            "/api/v1/patients/", {**body, "email": f"p{n}@example.com"}, format="json"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [201, 201, 429]


def test_v2_4_1_rate_limits_off_lifts_the_per_user_write_limits(limits, patient):
    limits["PER_USER_ENABLED"] = False
    client = _api(patient.user)

    statuses = {
        client.post("/api/v1/activities/", _activity(), format="json").status_code for _ in range(4)
    }

    assert statuses == {201}


def test_a_write_is_allowed_when_the_cache_is_unreachable(settings, patient):
    # Given the shared cache (Redis in production) refusing connections
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    # when a patient's write is counted, then it is allowed, not an error
    assert user_rate_limited("writes", patient.user) is False
