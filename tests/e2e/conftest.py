import os
import shutil
from importlib import import_module
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself
# (fixtures creating users) are plain synchronous code and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("GREENLIGHT_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (GREENLIGHT_REQUIRE_BROWSER is set) but not found.")
        pytest.skip("Chromium not installed (apt-get install chromium); .ci/run installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


def _reference_data_load() -> None:
    """The exercise library, education cards, starter templates and questionnaire definitions,
    as their data migrations load them."""
    from django.apps import apps

    for module, loader in (
        ("apps.exercises.migrations.0002_load_library", "load_library"),
        ("apps.care.migrations.0002_load_cards", "load_cards"),
        (
            "apps.program_templates.migrations.0002_load_starter_templates",
            "load_starter_templates",
        ),
        ("apps.outcomes.migrations.0002_load_definitions", "load"),
    ):
        getattr(import_module(module), loader)(apps, None)


@pytest.fixture(autouse=True)
def reference_data(request):
    """Browser tests run in flushed transactional databases: reload what migrations put there.

    Serialized rollback should restore it, but on PostgreSQL, with other tests run before them,
    the second browser test onwards found the library empty (cause not pinned down). Loading
    the idempotent data here makes each browser test independent of the order.
    """
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("transactional_db")
    _reference_data_load()


def clinic_admin_pages(patient) -> list[str]:
    """A clinic admin's own pages, on a patient whose care team they are not on."""
    return [
        "/patients/clinic/",
        f"/patients/{patient.pk}/care-team/",
        f"/patients/{patient.pk}/emergency-access/",
        f"/patients/{patient.pk}/erase/",
        f"/patients/{patient.pk}/audit/",
        "/accounts/team/",
        "/clinic/questionnaires/",
    ]


def _sent_questionnaire(patient, program):
    """A PSFS the patient sent, so that the clinician's page of its answers has something."""
    from apps.outcomes.models import QuestionnaireSchedule
    from apps.outcomes.selectors import questionnaire_for
    from apps.outcomes.services import response_answer, response_complete, response_open

    response = response_open(
        patient=patient,
        questionnaire=questionnaire_for(clinic=patient.clinic, code="psfs"),
        due_date=program.start_date,
        occasion="start",
        schedule=QuestionnaireSchedule.objects.get_or_create(program=program, code="psfs")[0],
    )
    if response.status == "completed":  # asked for a second time in the same test
        return response
    answers = {"activity-name-1": "Running 5 km", "activity-rating-1": 4}
    response_answer(user=patient.user, response=response, answers=answers)
    return response_complete(user=patient.user, response=response)


def clinician_pages(patient, program) -> list[str]:
    """The clinician's main pages, for the checks every page must pass (CSP, accessibility)."""
    from apps.program_templates.models import ProgramTemplate

    starter = ProgramTemplate.objects.filter(clinic__isnull=True).first()
    sent = _sent_questionnaire(patient, program)
    return [
        "/patients/triage/",
        "/patients/triage/?show=all",
        "/patients/",
        "/patients/new/",
        f"/patients/{patient.pk}/",
        f"/patients/{patient.pk}/edit/",
        f"/patients/{patient.pk}/trend/",
        f"/patients/{patient.pk}/export/summary/",
        f"/patients/{patient.pk}/audit/",
        f"/patients/{patient.pk}/messages/",
        f"/patients/{patient.pk}/notes/new/",
        f"/programs/{program.pk}/edit/",
        f"/programs/{program.pk}/cards/",
        f"/programs/{program.pk}/end/",
        f"/programs/{program.pk}/questionnaires/",
        f"/questionnaire-responses/{sent.pk}/",
        f"/programs/{program.pk}/save-as-template/",
        f"/patients/{patient.pk}/programs/new/?template={starter.pk}",
        "/program-templates/",
        f"/programs/{program.pk}/handout/",
        f"/library/{program.items.first().exercise_id}/",
        f"/prescriptions/{program.items.first().pk}/media/new/",
        "/education/",
        "/library/",
        "/notifications/",
        "/accounts/security/",
        "/accounts/two-factor/",
        "/accounts/two-factor/totp/deactivate/",
        "/accounts/two-factor/webauthn/",
        "/accounts/devices/",
    ]
