"""Production smoke test: the shipped stack, run as a clinic runs it, walked as its users walk it.

``make smoke`` (part of ``make test``) builds a fresh virtualenv with the project installed
non-editable from the lock and points ``SMOKE_PYTHON`` at it. This module then runs
``collectstatic`` and ``check --deploy`` with production settings, migrates and seeds the demo
clinic, starts gunicorn and a Celery worker, and signs in as every demo role to fetch every
page they can reach and every API GET operation: no 5xx, and the security headers everywhere.
"""

import os
import re
import time
from pathlib import Path

import pytest

from .crawl import ApiWalk, Visitor, api_token
from .stack import WORK, Services, Stack, smtp_sink

pytestmark = pytest.mark.smoke

PASSWORD = "greenlight-demo"  # noqa: S105 - the demo accounts' documented password
ROLES = {
    "clinician": "sam@demo.greenlight.test",
    "clinic admin": "admin@demo.greenlight.test",
    "patient Maya": "maya@demo.greenlight.test",
    "patient Tom": "tom@demo.greenlight.test",
    "patient Priya": "priya@demo.greenlight.test",
}
FIGURES: dict[str, object] = {}
# The program handout and its PDF: made on the server, with the drawings found under production's
# static files.
HANDOUT = re.compile(r"/programs/\d+/handout(/|\.pdf)$")


@pytest.fixture(scope="module")
def inbox():
    inbox, controller = smtp_sink()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture(scope="module")
def stack(inbox):
    python = os.environ.get("SMOKE_PYTHON")
    if not python:
        pytest.fail("Run the smoke test with `make smoke`: it builds the production virtualenv.")
    WORK.mkdir(parents=True, exist_ok=True)
    for old in WORK.glob("*.log"):
        old.unlink()
    started = time.monotonic()
    stack = Stack(Path(python), Services.from_environment(), inbox.port)
    stack.manage("collectstatic", "--noinput", "--clear")
    stack.manage("check", "--deploy", "--fail-level", "WARNING")
    stack.manage("migrate", "--noinput")
    stack.manage("seed_demo")
    stack.start_web()
    stack.start_worker()
    try:
        FIGURES["health"] = stack.wait_healthy()
        FIGURES["setup seconds"] = round(time.monotonic() - started, 1)
        yield stack
    finally:
        stack.stop()
        FIGURES["total seconds"] = round(time.monotonic() - started, 1)
        _report(stack)


def _report(stack: Stack) -> None:
    pages = sum(v for k, v in FIGURES.items() if k.startswith("pages "))
    print(f"\nProduction smoke test on {stack.services.description}:")
    for key, value in FIGURES.items():
        print(f"  {key}: {value}")
    print(f"  pages in all: {pages}")


def test_health_reports_every_dependency(stack):
    health = FIGURES["health"]

    assert health["status"] == "ok"
    assert set(health["checks"]) == {"database", "broker", "cache"}


def test_anonymous_pages_carry_the_headers_and_errors_use_the_layout(stack):
    visitor = Visitor(stack.base_url, "anonymous")

    visitor.walk("/")
    not_found = visitor.request("GET", "/no-such-page/")
    api_not_found = visitor.request("GET", "/api/v1/no-such-thing/")

    FIGURES["pages anonymous"] = len(visitor.visited)
    assert not visitor.problems, "\n".join(map(str, visitor.problems))
    assert visitor.visited["/"] == 302
    assert visitor.visited["/accounts/login/?next=/"] == 200
    assert not_found.status_code == 404
    assert 'aria-label="Main"' in not_found.text  # the site's own navigation
    assert api_not_found.status_code == 404
    assert api_not_found.json() == {"detail": "Not found."}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_user_can_reach_works(stack, role):
    visitor = Visitor(stack.base_url, role)
    visitor.login(ROLES[role], PASSWORD)

    visitor.walk("/")

    FIGURES[f"pages {role}"] = len(visitor.visited)
    assert not visitor.problems, "\n".join(map(str, visitor.problems))
    assert len(visitor.visited) >= 5, visitor.visited
    server_errors = {p: s for p, s in visitor.visited.items() if s >= 500}
    assert not server_errors
    handouts = {p: s for p, s in visitor.visited.items() if HANDOUT.match(p)}
    # Linked from the patient's Today and the clinician's patient page (the PDF link is the
    # clinician's; the patient's PDF is a form). The demo's clinic admin treats nobody.
    if role != "clinic admin":
        assert 200 in handouts.values(), handouts
    if role == "clinician":
        assert any(p.endswith(".pdf") and s == 200 for p, s in handouts.items()), handouts


@pytest.mark.parametrize("role", list(ROLES))
def test_every_api_read_works(stack, role):
    visitor = Visitor(stack.base_url, role)
    token = api_token(stack.base_url, ROLES[role], PASSWORD)
    schema = visitor.request("GET", "/api/schema/?format=json").json()

    statuses = ApiWalk(visitor, token).run(schema)

    FIGURES[f"api operations {role}"] = len([s for s in statuses.values() if s])
    assert not visitor.problems, "\n".join(map(str, visitor.problems))
    # 0: no id to fill in. The demo's clinic admin is on no care team, so every list of records
    # is empty for them and no record is reachable without emergency access (break-glass).
    unreachable = {p for p, s in statuses.items() if s == 0}
    if role == "clinic admin":
        assert unreachable, statuses
        assert all("{" in p for p in unreachable), statuses
    else:
        assert not unreachable, statuses
    assert all(s < 500 for s in statuses.values()), statuses
    # /me/ answers are the caller's own (a clinician has no record of their own to export: 404)
    lists = [p for p in statuses if "{" not in p and not p.startswith("/api/v1/me/")]
    assert all(statuses[p] in (200, 403) for p in lists), statuses


def test_the_worker_delivers_email_through_smtp(stack, inbox):
    # Given a patient's care team, when the clinician writes to her through the API
    visitor = Visitor(stack.base_url, "clinician")
    visitor.login(ROLES["clinician"], PASSWORD)
    maya = next(
        p
        for p in visitor.request("GET", "/api/v1/patients/").json()["results"]
        if p["email"] == ROLES["patient Maya"]
    )
    csrf = visitor.cookies["csrftoken"]
    sent = visitor.request(
        "POST",
        f"/api/v1/patients/{maya['id']}/messages/",
        json={"body": "How did the bridges feel this week?"},
        headers={"X-CSRFToken": csrf},
    )
    assert sent.status_code == 201, sent.text

    # then the worker emails her a link, never the text
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _to(inbox, ROLES["patient Maya"]):
        stack.assert_running()
        time.sleep(0.5)
    emails = _to(inbox, ROLES["patient Maya"])
    assert emails, f"no email reached the SMTP server\n{stack.logs()}"
    assert "bridges" not in emails[0].as_string()


def _to(inbox, address):
    return [m for m in inbox.messages if address in str(m["To"])]


def test_logs_hold_no_tracebacks(stack):
    time.sleep(1)  # let the processes flush what the walks above logged

    logs = {p.name: p.read_text(errors="replace") for p in WORK.glob("*.log")}

    assert logs
    assert not [name for name, text in logs.items() if "Traceback" in text], stack.logs()
