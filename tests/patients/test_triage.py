from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.care.services import message_send, thread_mark_read
from apps.patients.management.commands.bench_triage import seed_patients
from apps.patients.triage import TriageRow, attention_score, is_flare
from tests.conftest import client_for
from tests.factories import PatientFactory, ProgramFactory, WorkoutFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:triage")
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_flare_is_a_jump_over_the_14_day_baseline():
    quiet = [(NOW - timedelta(days=d), 1) for d in (10, 8, 6, 4)]
    assert is_flare([*quiet, (NOW - timedelta(days=1), 3)], now=NOW)
    assert not is_flare([*quiet, (NOW - timedelta(days=1), 2)], now=NOW)
    assert not is_flare([(NOW - timedelta(days=1), 9)], now=NOW)  # no baseline yet
    # a jump more than a week old is no longer a current flare
    old_quiet = [(NOW - timedelta(days=d), 1) for d in (20, 18, 16)]
    assert not is_flare([*old_quiet, (NOW - timedelta(days=9), 5)], now=NOW)


def test_the_score_puts_reds_and_flares_first():
    calm = TriageRow(patient=None, to_progress=["Bridge"])
    flaring = TriageRow(patient=None, reds_7d=1, flare=True)
    assert attention_score(flaring) > attention_score(calm) > 0
    assert attention_score(TriageRow(patient=None)) == 0


def test_dashboard_orders_patients_by_need(clinician_client, clinician):
    now = timezone.now()
    calm = PatientFactory(
        user__full_name="Calm Carla", user__clinic=clinician.clinic, care_team=[clinician]
    )
    red = PatientFactory(
        user__full_name="Red Rita", user__clinic=clinician.clinic, care_team=[clinician]
    )
    for patient in (calm, red):
        ProgramFactory(
            patient=patient,
            created_by=clinician,
            sessions_per_week=2,
            start_date=(now - timedelta(days=30)).date(),
        )
        for day in (1, 3, 5):
            WorkoutFactory(
                patient=patient,
                performed_at=now - timedelta(days=day),
                local_date=(now - timedelta(days=day)).date(),
                followup_pain=1,
                followup_at=now - timedelta(days=day) + timedelta(hours=25),
            )
    WorkoutFactory(
        patient=red,
        performed_at=now - timedelta(days=2),
        light="red",
        pain_during=6,
        local_date=(now - timedelta(days=2)).date(),
    )

    page = clinician_client.get(URL).content.decode()

    assert page.index("Red Rita") < page.index("Calm Carla")
    assert "1 red in 7 days" in page
    assert "1 without a 24-hour rating" in page


def test_query_count_is_the_same_for_5_and_500_patients(clinician_client, clinician):
    now = timezone.now()
    counts, rows = [], []
    for total in (5, 500):
        seed_patients(clinician, total - sum(rows), weeks=4, now=now, seed=total)
        with CaptureQueriesContext(connection) as queries:
            page = clinician_client.get(URL).content.decode()
        counts.append(len(queries))
        rows.append(page.count('data-testid="triage-row"'))
    assert rows == [5, 500]
    assert counts[0] == counts[1]


def test_strangers_and_patients_cannot_see_the_dashboard(
    client, patient_client, patient, clinician, other_clinic_clinician
):
    from tests.conftest import client_for

    assert patient_client.get(URL).status_code == 403
    assert client.get(URL).status_code == 302
    page = client_for(other_clinic_clinician).get(URL).content.decode()
    assert "Pat Runner" not in page


def test_an_unread_patient_message_moves_them_up_until_it_is_read(clinician, clinic_admin, patient):
    quiet = PatientFactory(
        user__full_name="Aaron Quiet", user__clinic=clinician.clinic, care_team=[clinician]
    )
    message_send(author=patient.user, patient=patient, body="My hip clicks on stairs")
    client = client_for(clinician)

    page = client.get(URL).content.decode()
    assert page.index("Pat Runner") < page.index(quiet.user.full_name)
    assert "1 unread message" in page
    # a clinic admin off the care team sees the patient, never the message count
    assert "1 unread message" not in client_for(clinic_admin).get(URL).content.decode()

    thread_mark_read(reader=clinician, patient=patient)
    page = client.get(URL).content.decode()
    assert "1 unread message" not in page
    assert page.index(quiet.user.full_name) < page.index("Pat Runner")


def test_a_first_level_exercise_to_make_easier_counts_like_a_regression(clinician, patient):
    from apps.patients.triage import triage_rows
    from apps.programs.services import ItemInput, program_assign
    from tests.factories import library_exercise
    from tests.helpers import logged_session

    program = program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate() - timedelta(days=20),
        review_date=timezone.localdate() + timedelta(days=20),
        items=[ItemInput(exercise=library_exercise("banded-bridge-knees-out"))],  # level 1
    )
    for days_ago, pain in ((3, 5), (2, 6)):
        logged_session(
            patient, program.items.get(), days_ago=days_ago, set_values=[8] * 3, pain=pain, after=5
        )

    (row,) = triage_rows(clinician, now=timezone.now())

    assert row.to_regress == ["Bridge with a band around the knees"]
    page = client_for(clinician).get(reverse("patients:triage")).content.decode()
    assert "Regress or reduce: Bridge with a band around the knees" in page
