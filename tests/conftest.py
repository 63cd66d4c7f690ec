"""Shared personas, as healthchecks does with Alice / Bob / Charlie.

``clinician`` treats ``patient``; ``other_patient`` is another patient of the same clinic with a
different clinician; ``other_clinic_clinician`` and ``other_clinic_patient`` belong to a clinic
that must never see ours.
"""

import re
import time
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from apps.accounts.mfa import MFA_SESSION_KEY
from apps.accounts.models import User
from apps.programs.services import ItemInput, program_assign

from .factories import (
    PASSWORD,
    ClinicFactory,
    PatientFactory,
    UserFactory,
    library_exercise,
    totp_code,
    totp_enrol,
)
from .helpers import SMTP, SMTPServer, service_missing


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Lockout and rate-limit counts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded photos and videos land in the test's own folder, never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def smtp(settings, mailoutbox) -> SMTPServer:
    """The mail server the worker sends through (emails land in ``mailoutbox``); a test can make
    it refuse and bring it back."""
    settings.EMAIL_BACKEND = "tests.helpers.SwitchableEmailBackend"
    SMTP.restore()
    SMTP.tries = 0
    yield SMTP
    SMTP.restore()


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
        user__full_name="Pat Quennell",
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
    """An active program: a bridge (3 × 8–10 reps) and a side plank (3 × 20–30 s hold).

    It started on 1 March 2026 (or two weeks ago, if that is earlier): tests set at fixed dates
    in 2026 (March and November) log workouts under it, and no workout may predate its program.
    """
    today = timezone.localdate()
    return program_assign(
        clinician=clinician,
        patient=patient,
        start_date=min(today - timedelta(days=14), date(2026, 3, 1)),
        review_date=today + timedelta(days=28),
        items=[
            ItemInput(exercise=library_exercise("banded-bridge-knees-out")),
            ItemInput(exercise=library_exercise("side-plank-knee")),
        ],
    )


@pytest.fixture
def postgres():
    """For what only PostgreSQL has (the history triggers, the audit log's append-only trigger):
    skipped on SQLite, a failure when GREENLIGHT_REQUIRE_SERVICES is set (CI)."""
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL triggers are under test (set DATABASE_URL)")


def client_for(user) -> Client:
    """A browser signed in as ``user``; clinicians as after their second factor too."""
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    if user.mfa_required:
        mfa_pass(client, user)
    return client


def totp_activate(client: Client, capture) -> str:
    """Enrol an authenticator app as a person would: read the key off the page, type a code.

    allauth reports the new factor after the commit (``capture`` runs those callbacks).
    """
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = re.search(r'id="authenticator-secret">([A-Z2-7]+)<', page.content.decode())[1]
    with capture(execute=True):
        done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert done.status_code == 302, done.content.decode()[:2000]
    return secret


def mfa_pass(client, user) -> None:
    """The user has an authenticator app and this session signed in with it."""
    totp_enrol(user)
    session = client.session
    session[MFA_SESSION_KEY] = time.time()
    session.save()


@pytest.fixture
def clinician_client(clinician):
    return client_for(clinician)


@pytest.fixture
def patient_client(patient):
    return client_for(patient.user)


# Hypothesis: the properties are about values, not speed; on a loaded CI machine the default
# 200 ms deadline per example fails tests for the machine's sake.
hypothesis_settings.register_profile("greenlight", deadline=None)
hypothesis_settings.load_profile("greenlight")
