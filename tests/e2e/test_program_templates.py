"""A program built from a template, and the builder's search, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from apps.exercises.models import Exercise
from apps.program_templates.models import ProgramTemplate
from apps.programs.selectors import active_program
from tests.e2e.test_core_loop import log_in
from tests.factories import ExerciseFactory, library_exercise

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1280, "height": 900}
FAI_STARTER = "Hip strength, phase 1 (FAI)"


class Counted:
    """The clinician's actions on the page: each click, fill, selection or key press is one."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator, action: str, **kwargs):
        self.count += 1
        return getattr(locator, action)(**kwargs)


def test_a_five_exercise_program_from_a_template_in_under_ten_actions(
    live_server, browser, clinician, patient
):
    page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(page, live_server.url, clinician.email)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    act = Counted()

    act(page.get_by_role("link", name="Assign a program"), "click")
    act(page.get_by_label("A template"), "select_option", label=f"{FAI_STARTER} (starter)")
    act(page.get_by_role("button", name="Use template"), "click")
    expect(page.get_by_text(f"Started from the template “{FAI_STARTER}”")).to_be_visible()
    act(page.get_by_role("button", name="Save program"), "click")

    expect(page.get_by_text("is saved and visible to Pat")).to_be_visible()
    assert act.count < 10
    template = ProgramTemplate.objects.get(clinic__isnull=True, name=FAI_STARTER)
    program = active_program(patient)
    saved = [(i.exercise_id, i.sets, i.target_low, i.target_high) for i in program.items.all()]
    expected = [(i.exercise_id, i.sets, i.target_low, i.target_high) for i in template.items.all()]
    assert len(saved) == 5
    assert saved == expected


def test_the_search_finds_by_caution_shows_it_before_picking_and_adds_with_the_keyboard(
    live_server, browser, screenshot, clinician, patient
):
    page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(page, live_server.url, clinician.email)
    page.goto(f"{live_server.url}/patients/{patient.pk}/programs/new/")
    search = page.get_by_role("combobox", name=re.compile("Name, progression"))
    screenshot(page, "builder-search")

    search.fill("deep hip flexion squat")
    options = page.get_by_role("listbox", name="Exercises in the library").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Caution for this patient: Deep hip flexion")

    search.fill("side plank knee")
    # the drawing is in the list before picking, beside the name
    drawing = page.get_by_role("option").filter(has_text="Side plank from knee").locator("img")
    expect(drawing).to_have_attribute("src", re.compile(r"exercises/side-plank-knee.*\.svg"))
    search.press("ArrowDown")
    search.press("ArrowUp")
    search.press("Enter")

    row = page.locator("#items .item-form").first
    expect(row.locator('select[name$="-exercise"]')).to_have_value(
        str(_exercise_pk("side-plank-knee"))
    )
    expect(row.get_by_label("From (seconds)")).to_have_value("20")
    expect(page.get_by_role("status")).to_have_text(re.compile("added as exercise 1"))


def _exercise_pk(slug: str) -> int:
    return library_exercise(slug).pk


def test_the_search_stays_quick_with_a_library_of_hundreds(
    live_server, browser, clinician, patient
):
    own = ExerciseFactory.create_batch(150, clinic=clinician.clinic)
    page = browser.new_context(viewport=DESKTOP).new_page()
    log_in(page, live_server.url, clinician.email)
    page.goto(f"{live_server.url}/patients/{patient.pk}/programs/new/")
    listbox = page.get_by_role("listbox", name="Exercises in the library")
    library = Exercise.objects.filter(clinic__isnull=True).count()
    expect(listbox.get_by_role("option")).to_have_count(150 + library)

    page.get_by_label("Region", exact=True).select_option(label="Hip")
    search = page.get_by_role("combobox", name=re.compile("Name, progression"))
    search.fill(own[-1].name)

    expect(listbox.get_by_role("option")).to_have_count(1)
    search.press("Enter")
    expect(page.locator("#id_items-0-exercise")).to_have_value(str(own[-1].pk))
