"""Shared personas, as healthchecks does with Alice / Bob / Charlie.

``clinician`` treats ``patient``; ``other_patient`` is another patient of the same clinic with a
different clinician; ``other_clinic_clinician`` and ``other_clinic_patient`` belong to a clinic
that must never see ours.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.programs.services import ItemInput, program_assign

from .factories import PASSWORD, ClinicFactory, PatientFactory, UserFactory, library_exercise


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Lockout and rate-limit counts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clinic():
    return ClinicFactory(name="Riverside Physio")


@pytest.fixture
def clinician(clinic):
    return UserFactory(clinic=clinic, full_name="Alice Clinician", email="alice@riverside.test")


@pytest.fixture
def colleague(clinic):
    return UserFactory(clinic=clinic, full_name="Carl Colleague", email="carl@riverside.test")


@pytest.fixture
def clinic_admin(clinic):
    return UserFactory(
        clinic=clinic,
        role=User.Role.CLINIC_ADMIN,
        full_name="Ada Admin",
        email="ada@riverside.test",
    )


@pytest.fixture
def patient(clinic, clinician):
    return PatientFactory(
        user__clinic=clinic,
        user__full_name="Pat Runner",
        user__email="pat@example.com",
        user__timezone="America/Los_Angeles",
        care_team=[clinician],
    )


@pytest.fixture
def other_patient(clinic, colleague):
    return PatientFactory(
        user__clinic=clinic,
        user__full_name="Olive Other",
        user__email="olive@example.com",
        care_team=[colleague],
    )


@pytest.fixture
def other_clinic_clinician():
    return UserFactory(
        clinic=ClinicFactory(name="Elsewhere Physio"),
        full_name="Bob Stranger",
        email="bob@elsewhere.test",
    )


@pytest.fixture
def other_clinic_patient(other_clinic_clinician):
    return PatientFactory(
        user__clinic=other_clinic_clinician.clinic, care_team=[other_clinic_clinician]
    )


@pytest.fixture
def program(clinician, patient):
    """An active program: a bridge (3 × 8–10 reps) and a side plank (3 × 20–30 s hold)."""
    today = timezone.localdate()
    return program_assign(
        clinician=clinician,
        patient=patient,
        start_date=today - timedelta(days=14),
        review_date=today + timedelta(days=28),
        items=[
            ItemInput(exercise=library_exercise("banded-bridge-knees-out")),
            ItemInput(exercise=library_exercise("side-plank-knee")),
        ],
    )


def client_for(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def clinician_client(clinician):
    return client_for(clinician)


@pytest.fixture
def patient_client(patient):
    return client_for(patient.user)
