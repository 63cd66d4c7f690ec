"""Under the Content-Security-Policy the site still works in real Chromium: the browser blocks
nothing on the main pages, the API docs or the admin (an inline script or style it refused would
be a broken chart, menu or page)."""

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.care.models import EducationCard
from tests.e2e.conftest import clinic_admin_pages, clinician_pages
from tests.e2e.test_core_loop import PHONE, log_in
from tests.factories import PASSWORD, totp_code, totp_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Init scripts run before the page's own, outside its policy, and see every violation.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile}:${event.lineNumber})`
  );
});
"""


def recording_page(browser, **options):
    context = browser.new_context(**options)
    context.add_init_script(RECORD_VIOLATIONS)
    return context.new_page()


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.cspViolations")


def visit(page, url) -> list[str]:
    page.goto(url)
    return violations(page)


def test_clinician_pages_break_no_rule(live_server, browser, clinician, patient, program):
    page = recording_page(browser, viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, clinician.email)
    paths = clinician_pages(patient, program)

    found = {path: visit(page, live_server.url + path) for path in paths}

    assert found == {path: [] for path in paths}


def test_clinic_admin_pages_break_no_rule(live_server, browser, clinic_admin, patient):
    page = recording_page(browser, viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, clinic_admin.email)
    paths = clinic_admin_pages(patient)

    found = {path: visit(page, live_server.url + path) for path in paths}

    assert found == {path: [] for path in paths}


def test_patient_pages_break_no_rule_on_a_phone(live_server, browser, patient, program):
    page = recording_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, live_server.url, patient.user.email)
    paths = [
        "/today/",
        "/history/",
        "/messages/",
        "/activities/new/",
        "/patients/me/reminders/",
        f"/patients/{patient.pk}/trend/",
        f"/education/{EducationCard.objects.first().pk}/",
        f"/programs/{program.pk}/handout/",
    ]

    found = {path: visit(page, live_server.url + path) for path in paths}

    assert found == {path: [] for path in paths}
    # The phone menu opens: Bootstrap's collapse runs under the policy.
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.get_by_role("link", name="History")).to_be_visible()


def test_api_docs_show_the_api_under_the_policy(live_server, browser):
    page = recording_page(browser, viewport={"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/api/docs/")

    # Swagger UI's script ran and fetched the schema: the operations are listed, and one runs.
    page.locator('.opblock-summary-path[data-path="/api/v1/me/"]').click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tr.response .response-col_status")
    expect(status).to_contain_text("401")
    assert violations(page) == []


def test_admin_signs_in_under_the_policy(live_server, browser):
    root = User.objects.create_superuser(email="root@riverside.test", password=PASSWORD)
    totp_enrol(root)
    page = recording_page(browser, viewport={"width": 1280, "height": 900})

    # the admin's login leads to the one sign-in page: password, then the app's code
    login = visit(page, f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Email").fill("root@riverside.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    login += violations(page)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    index = violations(page)
    add_group = visit(page, f"{live_server.url}/admin/auth/group/add/")

    assert (login, index, add_group) == ([], [], [])
    expect(page.get_by_role("heading", name="Add group")).to_be_visible()


def test_not_found_page_goes_back(live_server, browser, clinician):
    page = recording_page(browser, viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, clinician.email)
    visit(page, f"{live_server.url}/library/")

    blocked = visit(page, f"{live_server.url}/no-such-page/")
    page.get_by_role("button", name="Go back").click()

    assert blocked == []
    expect(page).to_have_url(f"{live_server.url}/library/")
