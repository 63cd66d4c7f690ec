import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("patients:preferences")


def test_patient_chooses_time_pauses_and_turns_off_email(patient_client, patient):
    response = patient_client.post(
        URL, {"reminder_time": "06:45", "reminders_paused": "on"}, follow=True
    )
    assert "Reminder settings saved." in response.content.decode()
    patient.refresh_from_db()
    patient.user.refresh_from_db()
    assert patient.reminder_time.strftime("%H:%M") == "06:45"
    assert patient.reminders_paused is True
    assert patient.user.email_reminders is False


def test_a_bad_time_is_refused_and_the_choices_kept(patient_client, patient):
    response = patient_client.post(URL, {"reminder_time": "25:99", "reminders_paused": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid time" in page
    assert 'name="reminders_paused" id="id_reminders_paused" checked' in page
    patient.refresh_from_db()
    assert patient.reminders_paused is False


def test_clinicians_and_strangers_cannot_use_the_patient_settings(clinician_client, client):
    assert clinician_client.get(URL).status_code == 403
    assert client.get(URL).status_code == 302


def test_the_saved_time_shows_in_the_time_box_and_saving_unchanged_keeps_it(
    patient_client, patient
):
    import re
    from datetime import time

    patient.reminder_time = time(7, 30)
    patient.save()

    page = patient_client.get(URL).content.decode()
    box = re.search(r'<input type="time" name="reminder_time"[^>]*>', page)

    assert box is not None, "a real time box"
    assert 'value="07:30"' in box[0]  # what <input type=time> reads, not "7:30 a.m."
    # the page sent back as it was shown saves without "This field is required"
    response = patient_client.post(URL, {"reminder_time": "07:30"}, follow=True)
    assert "Reminder settings saved." in response.content.decode()
    patient.refresh_from_db()
    assert patient.reminder_time == time(7, 30)
