"""An activity dated years back (1999 and 2001 were accepted) is refused with a field message:
in the API and in the browser, with the rest of what was entered kept."""

import pytest
from django.urls import reverse

from apps.painlogs.models import Activity
from tests.api.clients import as_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["1999-05-01", "2001-01-01"])
def test_an_activity_from_years_back_is_a_400_on_its_date(patient, day):
    body = {"kind": "run", "date": day, "duration_minutes": 30, "pain_during": 1}

    response = as_user(patient.user).post("/api/v1/activities/", body, format="json")

    assert response.status_code == 400
    assert response.json()["date"][0].startswith("Log activities of the last 30 days")
    assert not Activity.objects.exists()


def test_the_activity_form_shows_the_date_error_and_keeps_the_rest(patient_client):
    response = patient_client.post(
        reverse("painlogs:activity_new"),
        {
            "kind": "walk",
            "description": "Along the canal",
            "date": "2001-01-01",
            "duration_minutes": "45",
            "pain_during": "1",
        },
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "Log activities of the last 30 days" in page
    assert 'value="Along the canal"' in page
    assert 'value="45"' in page
    assert not Activity.objects.exists()
