"""The weekly trend page: pain, sessions, volume, activities and level changes per local week."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.painlogs.services import ResultInput, activity_log, followup_record, workout_log
from apps.programs.services import ItemInput, prescription_level_change, program_assign
from apps.review.trend import trend_chart_data, weekly_trend
from tests.conftest import client_for
from tests.factories import library_exercise

pytestmark = pytest.mark.django_db

# Wednesday 18 Nov 2026, noon in Los Angeles (the patient's zone).
NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def program(clinician, patient):
    return program_assign(
        clinician=clinician,
        patient=patient,
        start_date=date(2026, 10, 26),
        review_date=date(2026, 12, 31),
        sessions_per_week=3,
        items=[
            ItemInput(exercise=library_exercise("banded-bridge-knees-out")),
            ItemInput(exercise=library_exercise("side-plank-knee")),
            ItemInput(
                exercise=library_exercise("conversational-pace-running"),
                caution_acknowledged=True,
            ),
        ],
    )


def log(patient, program, at, *, pain, after=None, minutes=15):
    bridge, plank, run = program.items.all()
    workout = workout_log(
        user=patient.user,
        performed_at=at,
        results=[
            ResultInput(prescribed=bridge, set_values=[10, 10, 10], pain_during=pain),
            ResultInput(prescribed=plank, set_values=[30, 30, 30], pain_during=pain),
            ResultInput(prescribed=run, set_values=[minutes], pain_during=pain),
        ],
    )
    if after is not None:
        followup_record(
            user=patient.user, workout=workout, pain=after, now=at + timedelta(hours=25)
        )
    return workout


@pytest.fixture
def logs(clinician, patient, program):
    # week of 2 Nov: a green and a red session
    log(patient, program, datetime(2026, 11, 3, 18, tzinfo=UTC), pain=2, after=1)
    log(patient, program, datetime(2026, 11, 5, 18, tzinfo=UTC), pain=4, after=3, minutes=20)
    # week of 9 Nov: two workouts on Sunday 15 Nov in Los Angeles, the second one already
    # Monday 16 Nov in UTC: one session day, in the week of 9 Nov
    log(patient, program, datetime(2026, 11, 15, 20, tzinfo=UTC), pain=1, after=1)
    log(patient, program, datetime(2026, 11, 16, 6, 30, tzinfo=UTC), pain=3)
    activity_log(
        user=patient.user, kind="run", date=date(2026, 11, 8), duration_minutes=45, pain_during=2
    )
    activity_log(
        user=patient.user, kind="bike", date=date(2026, 11, 9), duration_minutes=30, pain_during=1
    )
    bridge = program.items.first()
    # Sunday 8 Nov, 23:30 in Los Angeles (already Monday in UTC): the week of 2 Nov
    prescription_level_change(
        item=bridge,
        direction="progress",
        reason="top reached",
        by=clinician,
        now=datetime(2026, 11, 9, 7, 30, tzinfo=UTC),
    )
    prescription_level_change(
        item=bridge,
        direction="regress",
        reason="red twice",
        by=clinician,
        now=datetime(2026, 11, 10, 7, 0, tzinfo=UTC),
    )


def weeks_by_start(patient, weeks=4):
    return {w.start: w for w in weekly_trend(patient, today=date(2026, 11, 18), weeks=weeks)}


def test_every_week_of_the_range_is_there_monday_first_empty_ones_too(patient, logs):
    weeks = weeks_by_start(patient)
    assert list(weeks) == [
        date(2026, 10, 26),
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    empty = weeks[date(2026, 10, 26)]
    assert (empty.sessions, empty.prescribed, empty.during_max) == (0, 3, None)
    # the current week so far (Monday to Wednesday) expects 2 of its 3 sessions
    assert weeks[date(2026, 11, 16)].prescribed == 2


def test_pain_is_the_mean_and_worst_during_and_24_hours_after(patient, logs):
    week = weeks_by_start(patient)[date(2026, 11, 2)]
    assert (week.during_mean, week.during_max) == (3.0, 4)
    assert (week.after_mean, week.after_max) == (2.0, 3)
    assert week.lights == {"green": 1, "yellow": 0, "red": 1}
    assert (week.sessions, week.prescribed) == (2, 3)


def test_weeks_follow_the_patients_zone_not_utc(patient, logs):
    weeks = weeks_by_start(patient)
    sunday = weeks[date(2026, 11, 9)]
    assert sunday.sessions == 1  # two workouts on one local day
    assert sunday.lights == {"green": 1, "yellow": 1, "red": 0}
    assert (sunday.during_mean, sunday.during_max, sunday.after_max) == (2.0, 3, 1)
    assert weeks[date(2026, 11, 16)].sessions == 0
    changes = {start: [c.direction for c in w.changes] for start, w in weeks.items()}
    assert changes[date(2026, 11, 2)] == ["progress"]
    assert changes[date(2026, 11, 9)] == ["regress"]


def test_volume_is_what_was_done_per_kind_and_activities_are_summed(patient, logs):
    week = weeks_by_start(patient)[date(2026, 11, 2)]
    assert (week.reps, week.hold_seconds, week.run_minutes) == (60, 180, 35)
    assert week.activity_minutes == 45
    assert weeks_by_start(patient)[date(2026, 11, 9)].activity_minutes == 30


def test_the_clinician_sees_the_weekly_table_and_chart_data(clinician_client, patient, logs):
    response = clinician_client.get(reverse("patients:trend", args=[patient.pk]) + "?weeks=4")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Weekly trend: Pat Quennell" in page
    assert '2 / 3 <span class="small text-body-secondary">(67 %)</span>' in page
    assert "3.0 / 4" in page  # pain during in the week of 2 Nov
    assert "Bike 30 min" in page
    assert "progressed “Bridge with a band around the knees”" in page
    assert '"changes": ["\\u2191' in page  # the chart's marker for the progression


def test_chart_dates_are_written_as_on_the_rest_of_the_site(clinician_client, patient, logs):
    trend = clinician_client.get(reverse("patients:trend", args=[patient.pk]) + "?weeks=4")
    assert '"label": "2 Nov"' in trend.content.decode()  # not "Nov 2" from the browser's locale
    detail = clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert '"label": "3 Nov"' in detail
    # the table under the pain chart: "3 Nov", not "2026-11-03"
    assert "<tr><td>3 Nov</td><td>2</td>" in detail
    assert "<td>2026-11-03</td>" not in detail


def test_the_patient_sees_their_own_progress(patient, logs):
    response = client_for(patient.user).get(reverse("patients:trend", args=[patient.pk]))
    assert response.status_code == 200
    assert "Your weekly progress" in response.content.decode()


def test_a_bad_range_falls_back_to_twelve_weeks_and_says_so(clinician_client, patient, logs):
    response = clinician_client.get(reverse("patients:trend", args=[patient.pk]) + "?weeks=9999")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Showing the last 12 weeks." in page
    # weeks before the program started on 26 Oct are left out
    assert page.count('<th scope="row">') == 4


def test_weeks_before_the_care_started_are_left_out(patient, logs):
    assert min(weeks_by_start(patient, weeks=12)) == date(2026, 10, 26)


def test_strangers_cannot_see_the_trend(
    patient, logs, colleague, other_patient, other_clinic_clinician, client
):
    url = reverse("patients:trend", args=[patient.pk])
    for stranger in (colleague, other_patient.user, other_clinic_clinician):
        assert client_for(stranger).get(url).status_code == 404
    assert client.get(url).status_code == 302  # anonymous: to the login page


def test_the_page_reads_the_same_number_of_queries_for_a_month_or_half_a_year(
    clinician, clinician_client, patient, program, logs
):
    url = reverse("patients:trend", args=[patient.pk])
    with CaptureQueriesContext(connection) as short:
        clinician_client.get(url + "?weeks=4")
    # half a year of history needs a program that ran that long (no workout predates its program)
    program.start_date = (NOW - timedelta(days=180)).date()
    program.save()
    for days_ago in range(20, 180, 3):
        log(patient, program, NOW - timedelta(days=days_ago), pain=2, after=2)
    with CaptureQueriesContext(connection) as long:
        clinician_client.get(url + "?weeks=26")
    assert len(long) == len(short)


def test_each_week_keeps_the_ceiling_in_force_then(patient, program, logs):
    # given the clinician raised the ceiling from 3 to 4 this week
    program.pain_ceiling = 4
    program.save()
    weeks = weekly_trend(patient, today=date(2026, 11, 18), weeks=4)
    chart = {row["start"]: row["ceiling"] for row in trend_chart_data(weeks, ceiling=4)}
    assert chart["2026-11-02"] == 3  # the red session at 4 stays above its line
    assert chart["2026-11-16"] == 4  # no workout yet: the current ceiling
