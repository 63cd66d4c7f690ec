from datetime import UTC, date, datetime, timedelta

import pytest

from tests.api.clients import as_user
from tests.factories import ProgramFactory, WorkoutFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_weeks(clinician, patient):
    """Known sessions in the weeks of Monday 2 and Monday 9 November 2026 (3 a week prescribed)."""
    ProgramFactory(
        patient=patient,
        created_by=clinician,
        start_date=date(2026, 11, 2),
        review_date=date(2026, 12, 2),
        sessions_per_week=3,
    )
    rows = [  # (day, during, 24 h after, light)
        (date(2026, 11, 2), 2, 1, "green"),
        (date(2026, 11, 4), 3, 5, "red"),
        (date(2026, 11, 4), 1, None, "green"),
        (date(2026, 11, 10), 4, None, "red"),
    ]
    for day, during, after, light in rows:
        moment = datetime(day.year, day.month, day.day, 18, tzinfo=UTC)
        WorkoutFactory(
            patient=patient,
            performed_at=moment,
            local_date=day,
            pain_during=during,
            followup_pain=after,
            followup_at=moment if after is not None else None,
            light=light,
        )
    return patient


def test_weekly_trend_on_known_data(clinician, two_weeks):
    url = f"/api/v1/patients/{two_weeks.pk}/trend/?from=2026-11-02&to=2026-11-12&bucket=week"
    weeks = as_user(clinician).get(url).json()
    assert weeks == [
        {
            "start": "2026-11-02",
            "during_mean": 2.0,
            "during_max": 3,
            "after_mean": 3.0,
            "after_max": 5,
            "sessions": 2,
            "prescribed": 3,
            "green": 2,
            "yellow": 0,
            "red": 1,
        },
        # 9–12 November: four days of the week in range, so 2 of 3 sessions prescribed
        {
            "start": "2026-11-09",
            "during_mean": 4.0,
            "during_max": 4,
            "after_mean": None,
            "after_max": None,
            "sessions": 1,
            "prescribed": 2,
            "green": 0,
            "yellow": 0,
            "red": 1,
        },
    ]


def test_daily_trend_merges_two_sessions_on_one_day(clinician, two_weeks):
    url = f"/api/v1/patients/{two_weeks.pk}/trend/?from=2026-11-04&to=2026-11-04&bucket=day"
    (day,) = as_user(clinician).get(url).json()
    assert (day["during_mean"], day["during_max"], day["sessions"]) == (2.0, 3, 1)
    assert (day["green"], day["red"], day["prescribed"]) == (1, 1, 1)


def test_bad_trend_parameters_are_400s(clinician, two_weeks):
    url = f"/api/v1/patients/{two_weeks.pk}/trend/"
    assert "bucket" in as_user(clinician).get(url + "?bucket=month").json()
    assert "date_to" in as_user(clinician).get(url + "?from=2026-11-10&to=2026-11-01").json()
    assert "date_from" in as_user(clinician).get(url + "?from=yesterday").json()


def test_the_patient_sees_their_trend_and_strangers_get_404(
    two_weeks, other_patient, other_clinic_clinician, colleague
):
    url = f"/api/v1/patients/{two_weeks.pk}/trend/?from=2026-11-02&to=2026-11-12"
    assert len(as_user(two_weeks.user).get(url).json()) == 2
    for stranger in (other_patient.user, other_clinic_clinician, colleague):
        assert as_user(stranger).get(url).status_code == 404


def test_trend_without_dates_covers_the_last_12_weeks(clinician, patient, program):
    # given one session two days ago (clear of the day boundary in the patient's zone)
    WorkoutFactory(patient=patient, performed_at=datetime.now(UTC) - timedelta(days=2))
    weeks = as_user(clinician).get(f"/api/v1/patients/{patient.pk}/trend/").json()
    assert sum(w["sessions"] for w in weeks) == 1


def test_the_api_and_the_weekly_trend_page_give_the_same_week(clinician, two_weeks):
    """One rounding and one adherence count: the API's week is the page's week."""
    from apps.review.trend import weekly_trend

    moment = datetime(2026, 11, 6, 18, tzinfo=UTC)
    WorkoutFactory(patient=two_weeks, performed_at=moment, local_date=moment.date(), pain_during=3)
    api = as_user(clinician).get(
        f"/api/v1/patients/{two_weeks.pk}/trend/?from=2026-11-02&to=2026-11-08&bucket=week"
    )
    (served,) = api.json()
    page_weeks = weekly_trend(two_weeks, today=date(2026, 11, 8), weeks=1)
    (shown,) = page_weeks

    assert served["during_mean"] == shown.during_mean == 2.2  # (2 + 3 + 1 + 3) / 4
    assert served["after_mean"] == shown.after_mean == 3.0
    assert (served["sessions"], served["prescribed"]) == (shown.sessions, shown.prescribed)
