"""A patient answers a 12-item questionnaire on a phone, leaves halfway, comes back and finds
their answers kept; the pages pass axe."""

import json

import pytest
from playwright.sync_api import expect

from apps.outcomes.models import QuestionnaireResponse
from apps.outcomes.services import questionnaire_import, schedule_set
from tests.e2e.test_accessibility import violations
from tests.e2e.test_core_loop import log_in
from tests.outcomes.test_import import _worded

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def ihot_due(clinician, patient, program):
    """iHOT-12 with the clinic's (placeholder-worded) copy, asked at the program's start."""
    questionnaire_import(text=json.dumps(_worded("ihot-12")), clinic=patient.clinic)
    schedule_set(clinician=clinician, program=program, code="ihot-12", at_start=True)
    schedule_set(clinician=clinician, program=program, code="hip-rating", at_start=True)


def _answer(page, number: int, value: int) -> None:
    expect(page.get_by_test_id("question-position")).to_have_text(f"Question {number} of 12")
    page.get_by_label("Your answer, 0 to 100").fill(str(value))
    page.get_by_role("button", name="Next").click()


def test_a_patient_leaves_halfway_and_finds_their_answers_kept(
    live_server, browser, patient, ihot_due
):
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, live_server.url, patient.user.email)
    card = page.get_by_test_id("questionnaires")
    expect(card).to_contain_text("Questionnaires to answer")
    card.get_by_role("link", name="iHOT-12").click()

    # six answers, then the patient leaves for Today
    for number in range(1, 7):
        _answer(page, number, 10 * number)
    page.goto(f"{live_server.url}/today/")
    expect(page.get_by_test_id("questionnaires")).to_contain_text("6 of 12 answered")

    # coming back resumes at question 7, and Back shows what was answered before
    page.get_by_test_id("questionnaires").get_by_role("link", name="iHOT-12").click()
    expect(page.get_by_test_id("question-position")).to_have_text("Question 7 of 12")
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_test_id("question-position")).to_have_text("Question 6 of 12")
    expect(page.get_by_label("Your answer, 0 to 100")).to_have_value("60")
    page.get_by_role("button", name="Next").click()
    # the slider moves the number too
    page.locator("input[type=range]").fill("70")
    expect(page.get_by_label("Your answer, 0 to 100")).to_have_value("70")
    page.get_by_role("button", name="Next").click()
    for number in range(8, 13):
        _answer(page, number, 70)

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("your answers are sent")).to_be_visible()
    response = QuestionnaireResponse.objects.get(questionnaire__code="ihot-12")
    assert response.status == "completed"
    assert response.scores == {"total": pytest.approx((10 + 20 + 30 + 40 + 50 + 60 + 6 * 70) / 12)}


def test_questionnaire_pages_pass_axe_on_a_phone(live_server, browser, patient, ihot_due):
    page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, live_server.url, patient.user.email)  # Today opens what is due
    ihot = QuestionnaireResponse.objects.get(questionnaire__code="ihot-12")
    rating = QuestionnaireResponse.objects.get(questionnaire__code="hip-rating")
    paths = [
        "/today/",
        f"/questionnaires/{ihot.pk}/?q=1",
        f"/questionnaires/{ihot.pk}/?q=review",
        f"/questionnaires/{rating.pk}/",
    ]
    found = {path: violations(page, live_server.url + path) for path in paths}
    assert found == {path: [] for path in paths}
