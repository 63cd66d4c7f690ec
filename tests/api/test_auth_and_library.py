from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from apps.exercises.services import exercise_create
from tests.factories import PASSWORD, totp_code, totp_enrol

pytestmark = pytest.mark.django_db


def token_for(user) -> str:
    """Sign in through the API as an app would: a clinician sends their app's code too."""
    if user.mfa_required:
        totp_enrol(user)
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"
    )
    if user.mfa_required:
        assert response.status_code == 200, response.content
        response = APIClient().post(
            "/api/v1/auth/token/mfa/",
            {"mfa_token": response.json()["mfa_token"], "code": totp_code()},
            format="json",
        )
    assert response.status_code == 201, response.content
    return response.json()["token"]


def bearer(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_token_works_until_it_expires(patient):
    token = token_for(patient.user)
    assert bearer(token).get("/api/v1/me/").json()["patient_id"] == patient.pk
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert bearer(token).get("/api/v1/me/").status_code == 401


def test_logout_revokes_the_token(clinician):
    token = token_for(clinician)
    assert bearer(token).post("/api/v1/auth/logout/").status_code == 204
    assert bearer(token).get("/api/v1/me/").status_code == 401


def test_wrong_password_is_a_401_with_a_message(clinician):
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": clinician.email, "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "don't match" in response.json()["detail"]


def test_missing_fields_are_named(clinician):
    response = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_me_describes_a_clinician(clinician):
    me = bearer(token_for(clinician)).get("/api/v1/me/").json()
    assert (me["role"], me["clinic"], me["patient_id"]) == ("clinician", "Riverside Physio", None)


def test_anonymous_gets_401_on_me_and_the_library():
    assert APIClient().get("/api/v1/me/").status_code == 401
    assert APIClient().get("/api/v1/exercises/").status_code == 401


def test_library_filters_and_hides_other_clinics_exercises(clinician, other_clinic_clinician):
    exercise_create(
        clinician=other_clinic_clinician,
        name="Secret sled push",
        region="hip",
        instructions="Push.",
        dose_kind="reps",
        default_sets=3,
        default_target_low=8,
        default_target_high=10,
    )
    client = bearer(token_for(clinician))
    names = [e["name"] for e in client.get("/api/v1/exercises/?page_size=100").json()["results"]]
    assert "Secret sled push" not in names
    trunk = client.get("/api/v1/exercises/?progression=trunk").json()["results"]
    assert [e["level"] for e in trunk] == [1, 2, 3]
    progressions = client.get("/api/v1/progressions/").json()["results"]
    assert progressions[0]["slug"] == "hip-adductors"
    assert len(progressions) == 9


def test_clinician_creates_a_clinic_exercise_and_a_patient_cannot(clinician, patient):
    body = {
        "name": "Wall sit",
        "region": "hip",
        "instructions": "Sit on the wall.",
        "dose_kind": "hold",
        "default_sets": 3,
        "default_target_low": 20,
        "default_target_high": 30,
    }
    created = bearer(token_for(clinician)).post("/api/v1/exercises/", body, format="json")
    assert created.status_code == 201
    assert created.json()["own"] is True
    refused = bearer(token_for(patient.user)).post("/api/v1/exercises/", body, format="json")
    assert refused.status_code == 403


def test_low_above_high_is_a_400_on_the_field(clinician):
    body = {
        "name": "Odd",
        "region": "hip",
        "instructions": "x",
        "dose_kind": "reps",
        "default_sets": 3,
        "default_target_low": 12,
        "default_target_high": 8,
    }
    response = bearer(token_for(clinician)).post("/api/v1/exercises/", body, format="json")
    assert response.status_code == 400
    assert "default_target_high" in response.json()


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/auth/token/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "/static/vendor/swagger-ui-dist-5.35.0/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


def test_the_token_endpoint_is_throttled(clinician, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    # given a limit of 3 attempts a minute (production default: 10)
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    cache.clear()
    client = APIClient()
    wrong = {"email": clinician.email, "password": "guess"}
    codes = [client.post("/api/v1/auth/token/", wrong, format="json").status_code for _ in range(4)]
    # then guesses are refused, and the fourth is throttled before any password check
    assert codes == [401, 401, 401, 429]
    cache.clear()
