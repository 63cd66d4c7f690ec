"""The printable handout: the page and its PDF for every demo program, who may open them, its
pictures, and the email that only links to it."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apps.audit.models import AuditEvent
from apps.exercises import illustrations
from apps.exercises.models import Exercise
from apps.programs.models import Program
from apps.programs.services import ItemInput, program_assign, program_end
from tests.conftest import client_for, mfa_pass
from tests.factories import library_exercise

pytestmark = pytest.mark.django_db

# PDF points (1/72 in): ISO A4 is 210 × 297 mm, US Letter 8.5 × 11 in.
PAGE_SIZES = {"a4": (595, 842), "letter": (612, 792)}
BRIDGE = "Bridge with a band around the knees"
PLANK = "Side plank from knee and elbow"


def pdf_pages(response) -> list:
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content)).pages


def pdf_text(response) -> str:
    """The PDF's text with its line breaks undone: a long name may wrap over two lines."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf_pages(response)))


def text_x(response, starting: str) -> float:
    """Where (points from the left edge) the first line starting with ``starting`` is set."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.startswith(starting):
            found.append(tm[4])

    for page in pdf_pages(response):
        page.extract_text(visitor_text=visit)
    return found[0]


def page_of(program) -> str:
    return reverse("handouts:page", args=[program.pk])


def pdf_of(program) -> str:
    return reverse("handouts:pdf", args=[program.pk])


def demo_browser(user) -> Client:
    """Signed in as a demo account (their password is the demo's, not the suite's)."""
    browser = Client()
    browser.force_login(user)
    if user.mfa_required:
        mfa_pass(browser, user)
    return browser


@pytest.fixture
def drawings(tmp_path, settings):
    """A line drawing for the bridge, and none for the plank, where drawings are looked for."""
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "banded-bridge-knees-out.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 120" width="200" height="120">'
        "<title>Bridge</title>"
        '<path d="M20 100 L90 50 L170 100" fill="none" stroke="#000" stroke-width="6"/></svg>'
    )
    # Only these drawings: the project's own (static/exercises/) would draw the plank too.
    settings.STATICFILES_DIRS = [tmp_path]
    illustrations._exists.cache_clear()
    yield tmp_path / "exercises"
    illustrations._exists.cache_clear()


# --- Every demo program -------------------------------------------------------------------------


def test_every_demo_program_has_a_handout_page_and_pdf_for_its_patient_and_clinician():
    # Given the demo clinic: Sam and his three patients, each with a program
    call_command("seed_demo", stdout=io.StringIO())
    programs = list(Program.objects.select_related("patient__user").order_by("pk"))
    sam = programs[0].patient.care_team.get()
    assert len(programs) == 3

    for program in programs:
        names = [item.exercise.name for item in program.items.all()]
        limit = f"Your pain limit is {program.pain_ceiling}/10"
        for user in (program.patient.user, sam):
            browser = demo_browser(user)
            # When the patient or their clinician opens the handout
            page = browser.get(page_of(program))

            # Then it lists every exercise and the patient's pain limit
            assert page.status_code == 200
            html = page.content.decode()
            assert all(name in html for name in names)
            assert limit in html
            # And the PDF, on either paper, holds the same
            for paper, size in PAGE_SIZES.items():
                pdf = browser.get(pdf_of(program), {"paper": paper})
                assert pdf.status_code == 200
                assert {
                    (round(p.mediabox.width), round(p.mediabox.height)) for p in pdf_pages(pdf)
                } == {size}
                text = pdf_text(pdf)
                assert [name for name in names if name not in text] == []
                assert limit in text


# --- What it says -------------------------------------------------------------------------------


def test_the_handout_gives_the_program_s_own_bands_the_24_hour_check_and_how_to_sign_in(
    patient_client, program, settings
):
    # Given a program whose clinician set green to 1 and the ceiling to 4
    settings.SITE_URL = "https://greenlight.riverside.test"
    Program.objects.filter(pk=program.pk).update(green_max=1, pain_ceiling=4)

    # When the patient downloads the handout
    text = pdf_text(patient_client.get(pdf_of(program)))

    # Then the PDF states those bands, what to do in each, and how to get in (no password)
    assert "Your pain limit is 4/10" in text
    assert "Green, pain 0–1/10" in text
    assert "Yellow, pain 2–4/10" in text
    assert "Red, pain 5–10/10: Too much." in text
    assert "24 hours later" in text
    assert "https://greenlight.riverside.test/accounts/login/" in text
    assert "pat@example.com" in text
    assert "3 × 8–10 reps" in text
    assert "correct-horse" not in text


def test_a_ceiling_of_ten_has_no_red_and_green_up_to_the_ceiling_has_no_yellow(
    patient_client, program
):
    Program.objects.filter(pk=program.pk).update(green_max=10, pain_ceiling=10)

    text = pdf_text(patient_client.get(pdf_of(program)))

    assert "Green, pain 0–10/10" in text
    assert "Yellow," not in text
    assert "Red," not in text


def test_the_clinician_s_notes_and_a_run_s_step_rate_are_on_the_handout(
    clinician, patient, patient_client
):
    run = library_exercise("conversational-pace-running")
    program = program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate(),
        review_date=timezone.localdate(),
        items=[
            ItemInput(exercise=library_exercise(), notes="Slow on the way down"),
            ItemInput(exercise=run, baseline_step_rate=160),
        ],
    )

    html = patient_client.get(page_of(program)).content.decode()
    text = pdf_text(patient_client.get(pdf_of(program)))

    for shown in (html, text):
        assert "From your clinician: Slow on the way down" in shown
        assert "Aim for about 176 steps per minute" in shown


def test_a_long_program_runs_over_pages_with_every_exercise(clinician, patient, patient_client):
    # Given a program of twelve exercises, far more than a page holds
    exercises = list(Exercise.objects.filter(clinic__isnull=True).order_by("pk")[:12])
    program = program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate(),
        review_date=timezone.localdate(),
        items=[ItemInput(exercise=e, caution_acknowledged=True) for e in exercises],
    )

    pdf = patient_client.get(pdf_of(program))

    assert len(pdf_pages(pdf)) >= 3
    text = pdf_text(pdf)
    assert [e.name for e in exercises if e.name not in text] == []
    assert text.index("12. ") > text.index("11. ") > text.index("1. ")


def test_an_ended_program_s_handout_says_so(clinician, patient_client, program):
    program_end(clinician=clinician, program=program, reason="Discharged")

    page = patient_client.get(page_of(program))

    assert page.status_code == 200
    assert "This program has ended" in page.content.decode()
    assert "This program has ended" in pdf_text(patient_client.get(pdf_of(program)))


# --- Pictures -----------------------------------------------------------------------------------


def test_an_exercise_with_a_drawing_shows_it_and_one_without_shows_none(
    drawings, patient_client, program
):
    html = patient_client.get(page_of(program)).content.decode()
    pdf = patient_client.get(pdf_of(program))

    # The bridge has its picture on the page, and its text sits beside it in the PDF
    assert re.search(r'<img class="handout-picture" src="[^"]*exercises/banded-bridge', html)
    assert html.count('class="handout-picture"') == 1  # the plank has none: no broken image
    assert text_x(pdf, f"1. {BRIDGE}") > text_x(pdf, f"2. {PLANK}") + 100


def test_a_drawing_the_pdf_cannot_read_leaves_the_exercise_without_a_picture(
    drawings, patient_client, program
):
    (drawings / "banded-bridge-knees-out.svg").write_text("<svg this is not")

    pdf = patient_client.get(pdf_of(program))

    assert pdf.status_code == 200
    assert BRIDGE in pdf_text(pdf)


# --- The download -------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["", "a3", "A4'; drop", "letter" * 50])
def test_an_unknown_paper_size_gets_an_a4_pdf(patient_client, program, paper):
    pdf = patient_client.get(pdf_of(program), {"paper": paper})

    assert pdf.status_code == 200
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in pdf_pages(pdf)} == {
        PAGE_SIZES["a4"]
    }


def test_the_pdf_is_a_download_named_without_the_patient_and_is_never_cached(
    patient_client, program
):
    pdf = patient_client.get(pdf_of(program), {"paper": "letter"})
    page = patient_client.get(page_of(program))

    assert pdf["Content-Disposition"] == (
        f'attachment; filename="greenlight-program-{program.pk}-letter.pdf"'
    )
    assert "pat" not in pdf["Content-Disposition"].lower()
    for response in (pdf, page):
        assert "no-store" in response["Cache-Control"]


# --- Who may open it ----------------------------------------------------------------------------


@pytest.mark.parametrize("stranger", ["other_clinic_clinician", "colleague", "clinic_admin"])
def test_a_clinician_off_the_care_team_gets_404(stranger, program, request):
    browser = client_for(request.getfixturevalue(stranger))

    for url in (page_of(program), pdf_of(program)):
        response = browser.get(url)
        assert response.status_code == 404
        assert b"Pat Quennell" not in response.content


def test_another_patient_gets_404(program, other_patient):
    browser = client_for(other_patient.user)

    for url in (page_of(program), pdf_of(program)):
        assert browser.get(url).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, program):
    for url in (page_of(program), pdf_of(program)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_each_open_is_in_the_access_log(patient_client, patient, program):
    patient_client.get(page_of(program))
    patient_client.get(pdf_of(program))

    rows = AuditEvent.objects.filter(kind="access").order_by("pk")
    assert [r.patient_ids for r in rows] == [[patient.pk], [patient.pk]]
    assert [r.route for r in rows] == ["handouts:page", "handouts:pdf"]


# --- Where it is linked -------------------------------------------------------------------------


def test_the_patient_s_today_and_the_clinician_s_patient_page_link_to_it(
    patient_client, clinician_client, patient, program
):
    today = patient_client.get(reverse("painlogs:today")).content.decode()
    detail = clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()

    assert f'href="{page_of(program)}">Print your program</a>' in today
    assert f'href="{page_of(program)}">Handout</a>' in detail
    assert f'href="{pdf_of(program)}">PDF' in detail
