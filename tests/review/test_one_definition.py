"""One definition of "needs attention": the status, triage, the roster, the weekly digest and the
clinician alerts agree on who needs a look and why, fed the same history through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.programs.services import ItemInput, program_assign
from apps.reminders.models import Notification
from apps.reminders.services import clinician_alert_check
from apps.review.models import PatientStatus
from apps.review.selectors import attention_counts
from tests.conftest import client_for
from tests.factories import PatientFactory, library_exercise
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


def _patient(clinician, name):
    patient = PatientFactory(
        user__full_name=name, user__clinic=clinician.clinic, care_team=[clinician]
    )
    program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate() - timedelta(days=20),
        review_date=timezone.localdate() + timedelta(days=20),
        pain_ceiling=5,  # a 24-hour 4 is yellow: a flare without a red
        sessions_per_week=3,
        items=[ItemInput(exercise=library_exercise("banded-bridge-knees-out"))],
    )
    return patient


def _sessions(patient, history):
    item = patient.programs.get().items.get()
    return [
        logged_session(patient, item, days_ago=d, set_values=[8] * 3, pain=p, after=a)
        for d, p, a in history
    ]


@pytest.fixture
def practice(clinician):
    """Four patients, one of each kind, and the last workout of each."""
    steady, red, flare, silent = (
        _patient(clinician, n) for n in ("Steady Sue", "Red Rita", "Flare Fay", "Silent Sam")
    )
    last = {
        steady: _sessions(steady, [(6, 1, 1), (4, 1, 1), (2, 1, 1)])[-1],
        red: _sessions(red, [(6, 1, 1), (4, 1, 1), (2, 7, 2)])[-1],
        flare: _sessions(flare, [(6, 1, 1), (4, 1, 1), (2, 1, 4)])[-1],
    }
    return {"steady": steady, "red": red, "flare": flare, "silent": silent, "last": last}


def test_status_triage_roster_digest_and_alerts_agree(clinician, practice, mailoutbox):
    expected = {
        "Red Rita": "1 red session in 7 days",
        "Flare Fay": "24-hour pain 4/10 against a recent baseline of 1.0",
        "Silent Sam": "no session in 7 days (3 sessions missed in 7 days)",
    }

    # the stored status, kept by the services
    statuses = PatientStatus.objects.select_related("patient__user")
    flagged = {s.patient.user.full_name: s.attention_reasons for s in statuses if s.needs_attention}
    assert flagged == {name: [why] for name, why in expected.items()}

    # triage and the roster list exactly them, with the same words
    client = client_for(clinician)
    for url in ("/patients/triage/", "/patients/?attention=1"):
        page = client.get(url).content.decode()
        for name, why in expected.items():
            assert name in page, (url, name)
            assert why[0].upper() + why[1:] in page, (url, why)
        assert "Steady Sue" not in page, url

    # the digest counts them
    assert attention_counts([clinician.pk]) == {clinician.pk: 3}

    # the alerts go out for the sessions that made them so, and only those
    for workout in practice["last"].values():
        clinician_alert_check(workout_id=workout.pk)
    alerted = set(
        Notification.objects.filter(kind=Notification.Kind.CLINICIAN_ALERT).values_list(
            "patient__user__full_name", flat=True
        )
    )
    assert alerted == {"Red Rita", "Flare Fay"}  # a silent patient has no session to alert on
