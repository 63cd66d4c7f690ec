"""The core loop in a real browser: assign a program, log a workout on a phone, see the chart."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from tests.factories import PASSWORD, totp_code, totp_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def log_in(page, base_url, email):
    """Sign in as a person would; clinicians have an authenticator app and type its code."""
    user = User.objects.get(email=email)
    if user.mfa_required:
        totp_enrol(user)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    if user.mfa_required:
        expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_load_state("load")


def test_clinician_assigns_patient_logs_clinician_sees_chart(
    live_server, browser, screenshot, clinician, patient
):
    # Given a clinician on the patient's care team, who assigns a two-exercise program
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    log_in(page, live_server.url, clinician.email)
    page.get_by_role("link", name="Pat Quennell").click()
    page.get_by_role("link", name="Assign a program").click()
    # The builder's script must be running before a choice can prefill the dose.
    page.wait_for_load_state("load")
    page.locator("#id_items-0-exercise").select_option(
        label="1. Bridge with a band around the knees"
    )
    expect(page.locator("#id_items-0-sets")).to_have_value("3")  # prefilled from the library
    page.get_by_role("button", name="Add another exercise").click()
    page.locator("#id_items-1-exercise").select_option(label="1. Side plank from knee and elbow")
    page.locator("#id_items-1-target_high").fill("25")
    page.get_by_role("button", name="Save program").click()
    expect(page.get_by_text("is saved and visible to Pat")).to_be_visible()
    expect(page.get_by_text("3 × 20–25 s hold")).to_be_visible()

    # When the patient logs today's workout on a phone-sized screen
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    log_in(mobile, live_server.url, patient.user.email)
    expect(mobile.get_by_role("heading", name=re.compile("Bridge with a band"))).to_be_visible()
    cards = mobile.locator("section.exercise-card")
    # nothing is prefilled: the patient says they did each one as prescribed, then the pain
    cards.nth(0).get_by_label(re.compile("as prescribed")).check()
    cards.nth(0).locator("label", has_text=re.compile(r"^2$")).click()
    cards.nth(1).get_by_label(re.compile("as prescribed")).check()
    cards.nth(1).locator("label", has_text=re.compile(r"^1$")).click()
    mobile.get_by_label("Anything to tell your clinician?").fill("Felt strong today")
    screenshot(mobile, "patient-today-phone")
    mobile.get_by_role("button", name="Save workout").click()
    expect(mobile.get_by_text("Workout logged. Green")).to_be_visible()
    # The page fits the phone: nothing wider than the viewport.
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Then the clinician sees the session on the pain chart
    page.reload()
    chart = page.locator("#pain-chart")
    expect(chart).to_have_attribute("data-points", "1")
    during = page.evaluate(
        "Chart.getChart(document.getElementById('pain-chart')).data.datasets[0].data"
    )
    assert during == [2]
    expect(page.get_by_text("Felt strong today")).to_be_visible()
    screenshot(page, "clinician-patient-page")
    desk.close()
    phone.close()
