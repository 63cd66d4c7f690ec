"""Messages in a real browser: the patient writes on a phone, the clinician answers, and the
patient sees the reply, with the read receipt and the unread count along the way."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_core_loop import PHONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORRY = "20 minutes on the elliptical caused soreness for days. Should I stop?"
ANSWER = "Soreness that settles is OK. Keep it to 10 minutes this week and log how it feels."


def test_patient_writes_clinician_answers_patient_sees_the_reply(
    live_server, browser, screenshot, clinician, patient
):
    # Given the patient on a phone, writing to their care team
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    log_in(mobile, live_server.url, patient.user.email)
    mobile.get_by_role("button", name="Toggle navigation").click()
    mobile.get_by_role("link", name="Messages").click()
    mobile.get_by_label("Your message").fill(WORRY)
    mobile.get_by_role("button", name="Send").click()
    expect(mobile.get_by_text(WORRY)).to_be_visible()
    expect(mobile.get_by_text("Sent, not read yet")).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # When the clinician sees the notification, opens the thread and answers
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    log_in(page, live_server.url, clinician.email)
    page.get_by_role("link", name="Notifications 1 unread").click()
    page.wait_for_load_state("load")
    screenshot(page, "clinician-notifications")
    page.get_by_role("button", name="Open New message from a patient").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text(WORRY)).to_be_visible()
    expect(page.get_by_role("link", name="Record a note")).to_be_visible()
    page.get_by_label("Your message").fill(ANSWER)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text(ANSWER)).to_be_visible()

    # Then the patient sees the reply, and that their message was read
    mobile.goto(f"{live_server.url}/today/")
    mobile.get_by_role("button", name="Toggle navigation").click()
    expect(mobile.get_by_role("link", name="Messages 1 unread")).to_be_visible()
    mobile.get_by_role("link", name="Messages 1 unread").click()
    expect(mobile.get_by_text(ANSWER)).to_be_visible()
    expect(mobile.get_by_text(f"Read by {clinician.full_name}")).to_be_visible()
    screenshot(mobile, "patient-messages-phone")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
