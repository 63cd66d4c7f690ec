import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("patients:new")


def test_no_side_is_preselected(clinician_client):
    page = clinician_client.get(URL).content.decode()
    select = re.search(r'<select name="affected_side".*?</select>', page, re.S)[0]

    assert re.findall(r'<option value="(\w+)"[^>]*selected', select) == []
    assert "Choose the side</option>" in select


def test_a_patient_added_without_a_side_is_refused_and_the_rest_kept(clinician_client, clinician):
    response = clinician_client.post(
        URL,
        {
            "full_name": "Nadia Newcomer",
            "email": "nadia@example.com",
            "timezone": "Europe/London",
            "condition": "fai",
            "reminder_time": "18:00",
            "care_team": [clinician.pk],
        },
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "Choose the affected side." in page
    assert 'value="Nadia Newcomer"' in page
    assert 'value="nadia@example.com"' in page
