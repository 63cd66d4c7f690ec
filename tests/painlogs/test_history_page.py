"""The patient's history page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.painlogs.services import activity_log
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
URL = reverse("painlogs:history")


@pytest.fixture
def ride(patient):
    return activity_log(
        user=patient.user,
        kind="bike",
        date=timezone.localdate() - timedelta(days=2),
        duration_minutes=40,
        pain_during=2,
        description="Hill loop with Sam",
    )


def test_each_activity_shows_its_description(patient_client, ride):
    page = patient_client.get(URL).content.decode()
    assert "Bike (Hill loop with Sam), 40 min, pain 2" in page


def test_another_patient_does_not_see_it(other_patient, ride):
    page = client_for(other_patient.user).get(URL).content.decode()
    assert "Hill loop with Sam" not in page
