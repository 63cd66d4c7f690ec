"""The handout in a real browser: the patient finds it from Today, prints it without the site's
navigation, and downloads the PDF on the paper they chose."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.test_core_loop import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_patient_prints_their_program_and_downloads_it_on_letter_paper(
    live_server, browser, screenshot, patient, program
):
    # Given the patient on Today
    page = browser.new_context(viewport={"width": 1024, "height": 900}).new_page()
    log_in(page, live_server.url, patient.user.email)
    page.goto(f"{live_server.url}/today/")

    # When they follow "Print your program"
    page.get_by_role("link", name="Print your program").click()

    # Then the handout lists their exercises, with a Print button (the script ran under the CSP)
    expect(page.get_by_role("heading", name="Home exercise program")).to_be_visible()
    expect(
        page.get_by_role("heading", name="1. Bridge with a band around the knees")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    screenshot(page, "handout-screen")
    # And on paper the navigation and the buttons are gone, the program stays
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
    expect(page.get_by_text("Your pain limit is 3/10")).to_be_visible()
    screenshot(page, "handout-print")
    page.emulate_media(media="screen")

    # When they choose US Letter and download the PDF
    page.get_by_label("Paper size").select_option("letter")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    download = download_info.value

    # Then it is named after the program, not the patient, and is Letter-sized
    assert download.suggested_filename == f"greenlight-program-{program.pk}-letter.pdf"
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages} == {
        (612, 792)
    }
