from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.care.services import message_send, thread_mark_read
from apps.review.management.commands.bench_triage import seed_patients
from apps.review.rules import Flare, Status, WorkoutFact, flare_of, status_reasons
from apps.review.services import statuses_refresh_all
from tests.conftest import client_for
from tests.factories import PatientFactory, ProgramFactory, WorkoutFactory

pytestmark = pytest.mark.django_db
URL = reverse("review:triage")
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _w(pk, days_ago, after, light="green"):
    at = NOW - timedelta(days=days_ago)
    return WorkoutFact(pk, at, at.date(), light, after)


def test_flare_is_a_jump_over_the_14_day_baseline():
    quiet = [_w(n, d, 1) for n, d in enumerate((10, 8, 6, 4))]
    assert flare_of([*quiet, _w(9, 1, 3)], now=NOW) == Flare(9, 3, 1.0)
    assert flare_of([*quiet, _w(9, 1, 2)], now=NOW) is None
    assert flare_of([_w(9, 1, 9)], now=NOW) is None  # no baseline yet
    # a jump more than a week old is no longer a current flare
    old_quiet = [_w(n, d, 1) for n, d in enumerate((20, 18, 16))]
    assert flare_of([*old_quiet, _w(9, 9, 5)], now=NOW) is None


def _status(**values):
    status = Status(today=NOW.date(), green_max=2, pain_ceiling=3, **values)
    status.reasons = status_reasons(status)
    return status


def test_the_rank_puts_flares_and_reds_first_and_only_some_signals_need_attention():
    calm = _status(to_progress=["Bridge"], missing_24h=1)
    flaring = _status(reds_7d=1, flare=Flare(1, 6, 2.0))
    assert flaring.rank > calm.rank > 0
    assert flaring.needs_attention
    assert not calm.needs_attention  # a pending progression is news, not a worry
    assert _status().rank == 0


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

    page = clinician_client.get(URL + "?show=all").content.decode()

    assert page.index("Red Rita") < page.index("Calm Carla")
    assert "1 red session in 7 days" in page
    assert "1 24-hour rating missing" in page
    # by default triage lists only who needs attention
    default = clinician_client.get(URL).content.decode()
    assert "Red Rita" in default
    assert "Calm Carla" not in default


def test_a_page_costs_the_same_queries_for_5_or_130_patients_and_holds_50(
    clinician_client, clinician
):
    now = timezone.now()
    counts, rows = [], []
    for total in (5, 130):
        seed_patients(clinician, total - sum(rows), weeks=4, now=now, seed=total)
        statuses_refresh_all(now=now)  # the scheduler's round (seeding bypasses the services)
        with CaptureQueriesContext(connection) as queries:
            page = clinician_client.get(URL + "?show=all").content.decode()
        counts.append(len(queries))
        rows.append(page.count('data-testid="triage-row"'))
    assert rows == [5, 50]
    assert counts[0] == counts[1]
    last = clinician_client.get(URL + "?show=all&page=3").content.decode()
    assert last.count('data-testid="triage-row"') == 30
    assert "Page 3 of 3" in last


def test_filters_by_care_team_member(clinician, colleague, patient):
    theirs = PatientFactory(
        user__full_name="Colleague's Carl",
        user__clinic=clinician.clinic,
        care_team=[clinician, colleague],
    )
    client = client_for(clinician)

    page = client.get(URL, {"show": "all", "clinician": colleague.pk}).content.decode()

    assert theirs.user.full_name.replace("'", "&#x27;") in page
    assert "Pat Quennell" not in page


def test_strangers_and_patients_cannot_see_the_dashboard(
    client, patient_client, patient, clinician, other_clinic_clinician
):
    from tests.conftest import client_for

    assert patient_client.get(URL).status_code == 403
    assert client.get(URL).status_code == 302
    page = client_for(other_clinic_clinician).get(URL).content.decode()
    assert "Pat Quennell" not in page


def test_an_unread_patient_message_moves_them_up_until_it_is_read(clinician, clinic_admin, patient):
    quiet = PatientFactory(
        user__full_name="Aaron Quiet", user__clinic=clinician.clinic, care_team=[clinician]
    )
    message_send(author=patient.user, patient=patient, body="My hip clicks on stairs")
    client = client_for(clinician)

    page = client.get(URL).content.decode()
    assert page.index("Pat Quennell") < page.index(quiet.user.full_name)
    assert "1 unread message" in page
    # a clinic admin off the care team sees the patient, never the message count
    assert "1 unread message" not in client_for(clinic_admin).get(URL).content.decode()

    thread_mark_read(reader=clinician, patient=patient)
    page = client.get(URL).content.decode()
    assert "1 unread message" not in page
    assert page.index(quiet.user.full_name) < page.index("Pat Quennell")


def test_a_first_level_exercise_to_make_easier_counts_like_a_regression(clinician, patient):
    from apps.programs.services import ItemInput, program_assign
    from apps.review.selectors import status_for
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

    # the services kept the stored status current: no refresh here
    status = status_for(clinician, patient.pk)
    assert status.to_regress == ["Bridge with a band around the knees"]
    assert status.needs_attention
    page = client_for(clinician).get(reverse("review:triage")).content.decode()
    assert "The rule advises making easier: Bridge with a band around the knees" in page
