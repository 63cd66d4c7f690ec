"""A photo filmed in clinic, from the clinician's upload to the patient's Today, in Chromium
under the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_content_security_policy import recording_page, violations
from tests.e2e.test_core_loop import PHONE, log_in
from tests.factories import image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_photo_filmed_in_clinic_shows_on_the_patients_today(
    live_server, browser, screenshot, clinician, patient, program
):
    # given Alice on Pat's page, who films Pat's bridge in clinic
    desk = recording_page(browser, viewport={"width": 1280, "height": 900})
    log_in(desk, live_server.url, clinician.email)
    desk.goto(f"{live_server.url}/patients/{patient.pk}/")
    item = program.items.first()
    desk.locator(f'a[href="/prescriptions/{item.pk}/media/new/"]').click()
    expect(
        desk.get_by_role("heading", name=f"Filmed in clinic: {item.exercise.name}")
    ).to_be_visible()
    desk.get_by_label("Photo or video").set_input_files(
        {"name": "IMG_2041.JPG", "mimeType": "image/jpeg", "buffer": image_bytes(size=(640, 480))}
    )
    desk.get_by_label("Caption").fill("Knees over the toes at the top")
    desk.get_by_role("button", name="Upload").click()
    expect(desk.get_by_text("Photo added")).to_be_visible()
    assert violations(desk) == []

    # when Pat opens Today on the phone
    phone = recording_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(phone, live_server.url, patient.user.email)
    phone.goto(f"{live_server.url}/today/")

    # then the bridge's card shows the photo, loaded under the policy
    photo = phone.get_by_role("img", name="Knees over the toes at the top")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 480
    assert violations(phone) == []
    screenshot(phone, "media-today")
