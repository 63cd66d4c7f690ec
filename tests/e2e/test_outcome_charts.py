"""Questionnaire scores drawn in a real browser, under the Content-Security-Policy: the band of
the baseline ± the MCID, the score beyond it marked, and the scores on the weekly trend."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.outcomes.models import QuestionnaireResponse
from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import response_answer, response_complete, response_open
from tests.e2e.test_accessibility import violations
from tests.e2e.test_core_loop import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHART = """(id) => {
  const chart = Chart.getChart(document.getElementById(id));
  return chart.data.datasets.map((ds) => ({label: ds.label, data: ds.data, fill: ds.fill,
    style: ds.pointStyle, axis: ds.yAxisID || "y"}));
}"""


def hip_ratings(patient, values):
    questionnaire = questionnaire_for(clinic=patient.clinic, code="hip-rating")
    for weeks_ago, value in zip(range(len(values) * 2 - 2, -1, -2), values, strict=True):
        day = timezone.localdate() - timedelta(weeks=weeks_ago)
        response = response_open(patient=patient, questionnaire=questionnaire, due_date=day)
        response_answer(user=patient.user, response=response, answers={"hip-rating": value})
        response_complete(user=patient.user, response=response)
        at = timezone.now() - timedelta(weeks=weeks_ago)
        QuestionnaireResponse.objects.filter(pk=response.pk).update(completed_at=at)


def test_the_hip_rating_chart_draws_the_mcid_band_and_marks_the_rise(
    live_server, browser, clinician, patient, program, screenshot
):
    hip_ratings(patient, [55, 62, 78])
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors = []
    # A script error, or anything the Content-Security-Policy refused (a missing favicon is not).
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Refused" in m.text else None)
    log_in(page, live_server.url, clinician.email)

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(page.locator("#outcome-chart-0")).to_have_attribute("data-points", "3")
    scores, low, high = page.evaluate(CHART, "outcome-chart-0")

    assert scores["data"] == [55, 62, 78]
    assert scores["style"] == ["circle", "circle", "triangle"]
    assert (low["data"], high["data"]) == ([40, 40, 40], [70, 70, 70])
    assert high["fill"] == "-1"  # shaded between the two lines
    expect(
        page.get_by_text("Hip rating 55 → 78 (+23, better than the 15-point MCID)")
    ).to_be_visible()
    assert errors == []
    page.locator("#outcomes-title").scroll_into_view_if_needed()
    screenshot(page, "outcomes-patient-page")

    page.goto(f"{live_server.url}/patients/{patient.pk}/trend/")
    expect(page.locator("#weekly-pain-chart")).to_have_attribute("data-scores", "1")
    on_score_axis = [d for d in page.evaluate(CHART, "weekly-pain-chart") if d["axis"] == "score"]
    assert [d["label"] for d in on_score_axis] == ["Hip rating"]
    assert [v for v in on_score_axis[0]["data"] if v is not None] == [55, 62, 78]


def test_the_pages_with_scores_pass_axe(live_server, browser, clinician, patient, program):
    hip_ratings(patient, [55, 80])
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server.url, clinician.email)
    paths = [f"/patients/{patient.pk}/", f"/patients/{patient.pk}/trend/"]
    found = {path: violations(page, live_server.url + path) for path in paths}
    assert found == {path: [] for path in paths}
