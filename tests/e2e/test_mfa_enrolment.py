"""A clinician's first sign-in in a real browser: set up an authenticator app, then sign in with
it. The code is computed in the test from the key shown on the page, as a phone app would."""

import time

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_clinician_enrols_totp_then_signs_in_with_it(live_server, browser, screenshot, clinician):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # Given a clinician without a second factor who signs in with their password
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Then they are asked to set one up before anything else
    expect(page.get_by_text("Your clinic protects patient data with two-factor")).to_be_visible()
    page.goto(f"{live_server.url}/patients/")
    expect(page).to_have_url(f"{live_server.url}/accounts/two-factor/")

    # When they scan the QR code (here: read the key) and type the app's code
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#authenticator-secret").inner_text().strip()
    screenshot(page, "clinician-totp-setup")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on").click()

    # Then they see their recovery codes, and the patient list opens
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes").inner_text()
    assert len(codes.split()) == 10
    page.get_by_role("link", name="Patients").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()

    # And next time, the password alone is not enough: the app's code signs them in
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    # the enrolment code may not be used again: wait for the app's next one
    time.sleep(30 - time.time() % 30 + 0.5)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/patients/")
