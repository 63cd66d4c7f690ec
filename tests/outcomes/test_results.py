"""Scores where clinicians look: the patient page, the stored status, and nobody else's."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.outcomes.selectors import outcome_series, questionnaire_for, series_by_patient
from apps.outcomes.services import response_answer, response_complete, response_open
from apps.review.models import PatientStatus
from tests.api.clients import as_user
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def answered(patient, code, answers, due):
    questionnaire = questionnaire_for(clinic=patient.clinic, code=code)
    response = response_open(patient=patient, questionnaire=questionnaire, due_date=due)
    response_answer(user=patient.user, response=response, answers=answers)
    return response_complete(user=patient.user, response=response)


def psfs(*ratings):
    return {f"activity-rating-{n}": r for n, r in enumerate(ratings, 1)}


def test_a_psfs_worse_beyond_its_mcid_flags_the_patient_as_soon_as_it_is_sent(patient):
    answered(patient, "psfs", psfs(6, 6), date(2026, 11, 2))
    answered(patient, "psfs", psfs(4, 3), date(2026, 11, 16))

    status = PatientStatus.objects.get(patient=patient)
    texts = [r["text"] for r in status.reasons if r["kind"] == "outcome_worse"]
    assert len(texts) == 1
    assert texts[0].startswith("PSFS down 2.5 since ")
    assert texts[0].endswith("(MCID 2)")
    assert status.needs_attention


def test_a_psfs_within_its_mcid_is_no_reason(patient):
    answered(patient, "psfs", psfs(6, 6), date(2026, 11, 2))
    answered(patient, "psfs", psfs(5, 5), date(2026, 11, 16))

    status = PatientStatus.objects.get(patient=patient)
    assert not [r for r in status.reasons if r["kind"] == "outcome_worse"]


def test_the_patient_page_shows_each_score_with_its_change_and_a_table(patient, clinician):
    answered(patient, "hip-rating", {"hip-rating": 55}, date(2026, 11, 2))
    answered(patient, "hip-rating", {"hip-rating": 80}, date(2026, 11, 16))

    page = client_for(clinician).get(reverse("patients:detail", args=[patient.pk]))

    html = page.content.decode()
    assert "Hip rating 55 → 80 (+25, better than the 15-point MCID)" in html
    assert 'id="outcome-chart-0"' in html
    assert "Show Hip rating as a table" in html
    assert "js/outcome_charts.js" in html


def test_a_page_without_scores_has_no_outcomes_section(patient, clinician):
    page = client_for(clinician).get(reverse("patients:detail", args=[patient.pk]))
    assert "outcome-data" not in page.content.decode()


def test_a_stranger_sees_no_scores(patient, other_clinic_clinician, colleague):
    answered(patient, "hip-rating", {"hip-rating": 55}, date(2026, 11, 2))

    assert outcome_series(patient.user, patient)[0].label == "Hip rating"
    assert outcome_series(other_clinic_clinician, patient) == []
    page = client_for(other_clinic_clinician).get(reverse("patients:detail", args=[patient.pk]))
    assert page.status_code == 404


def test_the_series_of_many_patients_cost_one_query(
    patient, other_patient, django_assert_num_queries
):
    answered(patient, "hip-rating", {"hip-rating": 55}, date(2026, 11, 2))
    answered(other_patient, "psfs", psfs(6), date(2026, 11, 2))
    with django_assert_num_queries(1):
        found = series_by_patient([patient.pk, other_patient.pk])
    assert [s.label for s in found[patient.pk]] == ["Hip rating"]
    assert [s.label for s in found[other_patient.pk]] == ["PSFS"]


def weekly_data(html: str) -> list[dict]:
    return json.loads(re.search(r'id="weekly-trend-data"[^>]*>(.*?)</script>', html, re.S)[1])


def test_the_weekly_trend_shows_the_patient_their_own_scores_next_to_pain(patient, program):
    today = timezone.localdate()
    answered(patient, "psfs", psfs(6, 6), today)
    answered(patient, "hip-rating", {"hip-rating": 70}, today)

    page = client_for(patient.user).get(reverse("patients:trend", args=[patient.pk]))

    html = page.content.decode()
    assert "Your questionnaire scores" in html
    # scored today, so in this week's entry, PSFS on the 0–100 axis as ten times its mean
    assert weekly_data(html)[-1]["scores"] == {"PSFS (×10)": 60.0, "Hip rating": 70.0}


def test_a_stranger_gets_no_trend_and_no_scores(patient, program, other_clinic_clinician):
    answered(patient, "hip-rating", {"hip-rating": 70}, timezone.localdate())
    page = client_for(other_clinic_clinician).get(reverse("patients:trend", args=[patient.pk]))
    assert page.status_code == 404


def test_the_status_api_carries_the_worse_score_as_a_reason_needing_attention(
    clinician, patient, other_clinic_clinician
):
    answered(patient, "psfs", psfs(6, 6), date(2026, 11, 2))
    answered(patient, "psfs", psfs(3, 3), date(2026, 11, 16))
    url = f"/api/v1/patients/{patient.pk}/status/"

    body = as_user(clinician).get(url).json()

    (reason,) = [r for r in body["reasons"] if r["kind"] == "outcome_worse"]
    assert reason["text"].startswith("PSFS down 3 since ")
    assert (reason["weight"], reason["attention"]) == (2, True)
    assert as_user(other_clinic_clinician).get(url).status_code == 404
