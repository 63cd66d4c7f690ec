"""A request that cannot reach the database gets a quick 503, never a hang or a bare 500."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from tests.api.clients import as_user
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _unreachable(*args, **kwargs):
    raise OperationalError('connection failed: connection to server at "db" timed out')


def test_an_api_request_gets_a_503_in_json(clinician, monkeypatch):
    monkeypatch.setattr("apps.patients.api.patients_for", _unreachable)

    response = as_user(clinician).get("/api/v1/patients/")

    assert response.status_code == 503
    assert response.json() == {"detail": "Service temporarily unavailable."}
    assert response["Retry-After"] == "30"


def test_a_page_gets_a_plain_503_page(clinician_client, monkeypatch):
    monkeypatch.setattr("apps.review.views.patient_roster", _unreachable)

    response = clinician_client.get(reverse("patients:list"))

    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()


def test_a_failure_while_loading_the_session_is_a_503_too(clinician, monkeypatch):
    # given a signed-in browser whose session cannot be read (a middleware, not the view)
    client = Client(raise_request_exception=False)
    assert client.login(email=clinician.email, password=PASSWORD)
    monkeypatch.setattr(SessionStore, "load", _unreachable)

    response = client.get("/api/v1/me/")

    assert response.status_code == 503
    assert response.json() == {"detail": "Service temporarily unavailable."}


@pytest.mark.urls("tests.common.slow_urls")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_stuck_on_the_database_past_its_deadline_gets_a_503(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the deadline cuts a PostgreSQL socket")
    settings.DATABASE_REQUEST_DEADLINE = 0.5
    try:
        response = Client(raise_request_exception=False).get("/api/v1/stalled/")
    finally:
        connection.close()  # the test client keeps the cut connection; drop it
    assert response.status_code == 503
    assert response.json() == {"detail": "Service temporarily unavailable."}
