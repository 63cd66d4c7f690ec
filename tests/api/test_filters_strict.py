import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(clinician):
    client = APIClient()
    client.force_authenticate(clinician)
    return client


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/workouts/?patient=-4.5e246", "patient"),  # was a database overflow (500)
        ("/api/v1/workouts/?patient=99999999999999999999", "patient"),
        ("/api/v1/activities/?patient=abc", "patient"),
        ("/api/v1/workouts/?date_to=", "date_to"),
        ("/api/v1/workouts/?light=purple", "light"),
        ("/api/v1/exercises/?progression=a&progression=b", "progression"),
        ("/api/v1/exercises/?progression=%00", "progression"),
        ("/api/v1/exercises/?progression=0.5", "progression"),
    ],
)
def test_bad_filters_are_400s_naming_the_filter(api, url, field):
    response = api.get(url)
    assert response.status_code == 400
    assert field in response.json()


def test_an_empty_page_number_is_a_400(api):
    response = api.get("/api/v1/exercises/?page=")
    assert response.status_code == 400
    assert "page" in response.json()


def test_unknown_api_url_is_a_json_404(api):
    response = api.get("/api/v1/programs/null,null/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_text_fields_refuse_numbers(api):
    body = {
        "name": "Wall sit",
        "region": "hip",
        "instructions": 0,
        "dose_kind": "hold",
        "default_sets": 3,
        "default_target_low": 20,
        "default_target_high": 30,
    }
    response = api.post("/api/v1/exercises/", body, format="json")
    assert response.status_code == 400
    assert "instructions" in response.json()
