"""Pages with patient data are never kept by a browser or proxy cache; static files are."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_not_stored(clinician_client):
    response = clinician_client.get("/patients/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_api_answer_is_not_stored_even_without_a_session(client):
    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert "no-store" in response["Cache-Control"]


def test_a_public_page_for_a_visitor_may_be_cached(client):
    response = client.get("/accounts/password/reset/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_keep_their_cache_for_a_signed_in_user(clinician_client):
    response = clinician_client.get("/static/css/greenlight.css")

    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "max-age" in response["Cache-Control"]
