"""Every main page, as clinicians and patients see it, passes axe-core's WCAG 2 A and AA rules
(contrast, labels, names, landmarks, focusable scroll regions) in real Chromium."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from apps.care.models import EducationCard
from apps.care.services import message_send, program_cards_set, visit_note_record
from tests.e2e.conftest import clinic_admin_pages, clinician_pages
from tests.e2e.test_core_loop import PHONE, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text()
RUN_AXE = """async () => (await axe.run(document, {runOnly: ["wcag2a", "wcag2aa"]}))
    .violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)"""


def violations(page, url) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    # Evaluated, not added as a <script>: the Content-Security-Policy refuses inline scripts,
    # and the page is checked as the policy leaves it.
    page.evaluate(AXE)
    return page.evaluate(RUN_AXE)


@pytest.fixture
def conversation(clinician, patient, program):
    message_send(author=patient.user, patient=patient, body="Sore after the hill run")
    message_send(author=clinician, patient=patient, body="Flat routes this week, please.")
    program_cards_set(
        clinician=clinician, program=program, cards=list(EducationCard.objects.all()[:2])
    )
    visit_note_record(
        clinician=clinician,
        patient=patient,
        visit_date=timezone.localdate(),
        kind="in_clinic",
        text="Assessment",
        manual_therapy=["soft_tissue"],
        next_visit_date=timezone.localdate() + timedelta(days=7),
    )


def test_clinician_pages_pass_axe(live_server, browser, clinician, patient, program, conversation):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server.url, clinician.email)
    paths = clinician_pages(patient, program)
    found = {path: violations(page, live_server.url + path) for path in paths}
    assert found == {path: [] for path in paths}


def test_clinic_admin_pages_pass_axe(live_server, browser, clinic_admin, patient):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server.url, clinic_admin.email)
    paths = clinic_admin_pages(patient)
    found = {path: violations(page, live_server.url + path) for path in paths}
    assert found == {path: [] for path in paths}


def test_patient_pages_pass_axe_on_a_phone(live_server, browser, patient, program, conversation):
    page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, live_server.url, patient.user.email)
    paths = [
        "/today/",
        "/history/",
        "/messages/",
        "/activities/new/",
        f"/patients/{patient.pk}/trend/",
        "/me/record-views/",
        f"/education/{EducationCard.objects.first().pk}/",
        f"/programs/{program.pk}/handout/",
    ]
    found = {path: violations(page, live_server.url + path) for path in paths}
    assert found == {path: [] for path in paths}
