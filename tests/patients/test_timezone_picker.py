"""The time-zone picker: places grouped by region with readable names; any IANA name accepted."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from apps.common.timezones import timezone_groups
from apps.patients.models import Patient

pytestmark = pytest.mark.django_db
NEW = reverse("patients:new")


def _select(page: str) -> str:
    return re.search(r'<select name="timezone".*?</select>', page, re.S)[0]


def _new_patient(clinician, zone: str) -> dict:
    return {
        "full_name": "Nadia Newcomer",
        "email": "nadia@example.com",
        "date_of_birth": "1990-04-01",
        "condition": "fai",
        "affected_side": "left",
        "timezone": zone,
        "reminder_time": "18:00",
        "care_team": [clinician.pk],
    }


def test_zones_are_grouped_by_region_with_readable_names(clinician_client):
    select = _select(clinician_client.get(NEW).content.decode())

    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    assert groups[:3] == ["Africa", "America", "Antarctica"]
    assert {"Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"} <= set(groups)
    assert '<option value="UTC">UTC</option>' in select
    assert re.search(r'value="America/New_York">New York, United States \(UTC.\d\d:00\)<', select)
    # aliases kept for old systems are not offered: one Kolkata, no US/Eastern
    assert "Asia/Kolkata" in select
    assert "Asia/Calcutta" not in select
    assert "US/Eastern" not in select
    assert "Etc/GMT" not in select
    assert len(re.findall("<option", select)) < 450


def test_offsets_follow_daylight_saving_time():
    def berlin(moment):
        (europe,) = [places for region, places in timezone_groups(moment) if region == "Europe"]
        return dict(europe)["Europe/Berlin"]

    assert berlin(datetime(2026, 1, 15, tzinfo=UTC)) == "Berlin, Germany (UTC+01:00)"
    assert berlin(datetime(2026, 7, 15, tzinfo=UTC)) == "Berlin, Germany (UTC+02:00)"


def test_a_new_form_asks_for_the_browsers_zone_and_keeps_the_clinicians_without_it(
    clinician_client,
):
    select = _select(clinician_client.get(NEW).content.decode())
    assert "data-browser-default" in select
    assert re.search(r'<option value="Europe/London" selected>', select)


def test_a_refused_form_keeps_the_zone_entered(clinician_client, clinician):
    data = _new_patient(clinician, "Asia/Tokyo") | {"affected_side": ""}
    select = _select(clinician_client.post(NEW, data).content.decode())
    assert "data-browser-default" not in select
    assert re.search(r'<option value="Asia/Tokyo" selected>', select)


def test_an_alias_is_still_accepted_and_shown_when_editing(clinician_client, clinician):
    response = clinician_client.post(NEW, _new_patient(clinician, "US/Eastern"))
    assert response.status_code == 302
    patient = Patient.objects.get(user__email="nadia@example.com")
    assert patient.user.timezone == "US/Eastern"
    edit = clinician_client.get(reverse("patients:edit", args=[patient.pk]))
    select = _select(edit.content.decode())
    assert "data-browser-default" not in select
    assert re.search(r'<optgroup label="Other">\s*<option value="US/Eastern" selected>', select)


def test_an_unknown_zone_is_a_form_error(clinician_client, clinician):
    response = clinician_client.post(NEW, _new_patient(clinician, "Mars/Olympus_Mons"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a known time zone" in page
    assert 'value="Nadia Newcomer"' in page


def test_pages_name_the_zone_as_the_picker_does(clinician_client, patient_client, patient):
    detail = clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    trend = clinician_client.get(reverse("patients:trend", args=[patient.pk])).content.decode()
    settings = patient_client.get(reverse("patients:preferences")).content.decode()

    assert "· Los Angeles, United States time</div>" in detail
    assert "Weeks run Monday to Sunday in Los Angeles, United States time." in trend
    assert "Times are in Los Angeles, United States time." in settings
    for page in (detail, trend, settings):
        assert "America/Los_Angeles" not in page
