"""Passkeys in real Chromium: a clinician adds one (Chromium's virtual authenticator stands in
for the phone's fingerprint), then signs in with it instead of a code."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from playwright.sync_api import expect

from tests.e2e.test_core_loop import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


# The test server is plain http://localhost, which browsers treat as secure for passkeys.
@override_settings(MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN=True)
def test_a_clinician_adds_a_passkey_and_signs_in_with_it(live_server, browser, clinician):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _virtual_authenticator(page)
    log_in(page, live_server.url, clinician.email)

    # When they add a passkey from the two-factor page
    page.goto(f"{live_server.url}/accounts/two-factor/")
    page.get_by_role("link", name="Add a passkey").click()
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Security key added.")).to_be_visible()
    key = Authenticator.objects.get(user=clinician, type="webauthn")
    assert key.wrap().name == "Work laptop"

    # Then, signing in again, the passkey replaces the code
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Use a passkey or security key").click()
    expect(page).to_have_url(f"{live_server.url}/patients/")
