"""Errors show the site's own page in a browser and a JSON body under /api/ (clients parse it)."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from apps.common.security import security_header_problems

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.common.failing_urls")]

HEADINGS = {
    400: "Something was wrong with that request",
    403: "You can't open this page",
    404: "Page not found",
    500: "Something went wrong on our side",
}
DETAILS = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "Server error.",
}
# Where each error happens: a view that fails on purpose (tests/common/failing_urls.py), or a
# path that matches no route.
FAILING_PATHS = {400: "reject/", 403: "refuse/", 404: "no-such-page/", 500: "crash/"}


@pytest.fixture
def browser_client(clinician_client):
    # As in production: the exception becomes the error page instead of failing the test.
    clinician_client.raise_request_exception = False
    return clinician_client


@pytest.mark.parametrize("status", list(FAILING_PATHS))
def test_a_browser_gets_the_error_page_in_the_site_layout(browser_client, status):
    response = browser_client.get(f"/{FAILING_PATHS[status]}")

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert HEADINGS[status] in html
    assert 'class="navbar-brand fw-semibold" href="/"' in html
    assert 'href="/">Go to the home page</a>' in html
    assert security_header_problems(response, private=True) == []


@pytest.mark.parametrize("status", list(FAILING_PATHS))
def test_an_api_client_gets_json_for_the_same_error(browser_client, status):
    response = browser_client.get(f"/api/{FAILING_PATHS[status]}")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": DETAILS[status]}
    assert security_header_problems(response, private=True) == []


def test_a_crash_inside_an_api_view_is_json_too(browser_client):
    response = browser_client.get("/api/v1/crash/")

    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}


def test_not_found_offers_a_way_back(browser_client):
    response = browser_client.get("/no-such-page/")

    assert b"data-go-back" in response.content
    assert b"js/go_back.js" in response.content


def test_a_signed_in_person_keeps_their_navigation_on_a_not_found_page(browser_client):
    response = browser_client.get("/no-such-page/")

    assert b"Alice Clinician" in response.content
    assert b'href="/patients/triage/"' in response.content


def test_the_server_error_page_renders_without_a_request():
    # Django renders 500.html with an empty context: no request, user or messages.
    html = render_to_string("500.html")

    assert HEADINGS[500] in html
    assert 'href="/">Go to the home page</a>' in html


def test_an_expired_form_explains_itself_in_the_site_layout():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "pat@example.com"})

    assert response.status_code == 403
    assert b"That form has expired" in response.content
    assert b'href="/">Go to the home page</a>' in response.content
