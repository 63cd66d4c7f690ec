from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory, WorkoutFactory

pytestmark = pytest.mark.django_db


def test_needs_attention_lists_red_or_silent_patients_only(clinician_client, clinician, patient):
    steady = PatientFactory(
        user__full_name="Steady Sue", user__clinic=clinician.clinic, care_team=[clinician]
    )
    WorkoutFactory(patient=steady, performed_at=timezone.now() - timedelta(days=1), light="green")
    flaring = PatientFactory(
        user__full_name="Flaring Fred", user__clinic=clinician.clinic, care_team=[clinician]
    )
    WorkoutFactory(patient=flaring, performed_at=timezone.now() - timedelta(days=2), light="red")
    # Pat Runner (the `patient` fixture) has never logged a session.

    page = clinician_client.get(reverse("patients:list") + "?attention=1").content.decode()

    assert "Flaring Fred" in page
    assert "Pat Runner" in page
    assert "Steady Sue" not in page
    assert 'aria-current="page" href="/patients/?attention=1"' in page
