from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory, ProgramFactory, WorkoutFactory

pytestmark = pytest.mark.django_db


def _under_care(clinician, name, *, days=20):
    patient = PatientFactory(
        user__full_name=name, user__clinic=clinician.clinic, care_team=[clinician]
    )
    start = timezone.localdate() - timedelta(days=days)
    ProgramFactory(patient=patient, created_by=clinician, sessions_per_week=3, start_date=start)
    return patient


def test_needs_attention_lists_red_silent_or_unprescribed_patients_only(
    clinician_client, clinician
):
    steady = _under_care(clinician, "Steady Sue")
    for days in (1, 3, 5):
        WorkoutFactory(patient=steady, performed_at=timezone.now() - timedelta(days=days))
    flaring = _under_care(clinician, "Flaring Fred")
    WorkoutFactory(patient=flaring, performed_at=timezone.now() - timedelta(days=2), light="red")
    _under_care(clinician, "Silent Sam")  # three sessions a week, none in 20 days
    _under_care(clinician, "Starting Stan", days=0)  # started today: nothing missed yet
    PatientFactory(user__full_name="New Nora", user__clinic=clinician.clinic, care_team=[clinician])

    page = clinician_client.get(reverse("patients:list") + "?attention=1").content.decode()

    assert "Flaring Fred" in page
    assert "1 red session in 7 days" in page
    assert "Silent Sam" in page
    assert "No session in 7 days (3 sessions missed in 7 days)" in page
    assert "New Nora" in page
    assert "No program assigned yet" in page
    assert "Steady Sue" not in page
    assert "Starting Stan" not in page
    assert 'aria-current="page" href="/patients/?attention=1"' in page
