"""The exercise drawings in a real browser: all of them load, and a patient's phone shows them.

The contact sheet (test-artifacts/illustrations-contact-sheet.png) is for a person to look at:
every library drawing with its name, to check that each pose reads as the exercise it names.
"""

from html import escape

import pytest
from django.templatetags.static import static
from playwright.sync_api import expect

from apps.exercises.illustrations import illustration_path
from apps.exercises.models import Exercise

from .test_core_loop import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 812}
LOADED = "img => img.complete && img.naturalWidth > 0"


def contact_sheet(base_url: str) -> str:
    cells = []
    for e in Exercise.objects.filter(clinic__isnull=True).order_by("progression__order", "level"):
        src = base_url + static(illustration_path(e.slug))
        cells.append(
            f'<figure><img src="{src}" alt="{escape(e.name)}" width="344" height="140">'
            f"<figcaption>{escape(e.name)} <small>({e.slug})</small></figcaption></figure>"
        )
    return (
        "<!doctype html><html lang='en'><head><title>Exercise drawings</title><style>"
        "body{font:13px sans-serif;margin:12px}"
        "main{display:grid;grid-template-columns:repeat(3,344px);gap:14px 18px}"
        "figure{margin:0}figcaption{margin-top:2px}small{color:#555}"
        f"</style></head><body><main>{''.join(cells)}</main></body></html>"
    )


def test_contact_sheet_of_every_drawing(live_server, browser, screenshot):
    page = browser.new_page(viewport={"width": 1140, "height": 900})
    page.set_content(contact_sheet(live_server.url), wait_until="load")

    images = page.locator("img")
    expect(images).to_have_count(30)
    for i in range(images.count()):
        image = images.nth(i)
        assert image.evaluate(LOADED), f"{image.get_attribute('src')} did not load"
    screenshot(page, "illustrations-contact-sheet")
    page.close()


def test_patient_sees_the_drawings_on_a_phone(live_server, browser, screenshot, patient, program):
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, live_server.url, patient.user.email)

    drawings = page.get_by_role("img", name="Line drawing: start and end position", exact=False)
    expect(drawings).to_have_count(2)
    for i in range(2):
        drawing = drawings.nth(i)
        drawing.scroll_into_view_if_needed()  # they load lazily
        expect(drawing).to_be_visible()
        page.wait_for_function(LOADED, arg=drawing.element_handle())
        box = drawing.bounding_box()
        assert box is not None
        # Big enough to see the pose, and inside the card on a 375-pixel screen.
        assert 250 <= box["width"] <= PHONE["width"] - 24
        assert box["x"] >= 0
    expect(drawings.nth(0)).to_have_accessible_name(
        "Line drawing: start and end position of Bridge with a band around the knees"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "patient-today-drawings-phone")
    phone.close()
