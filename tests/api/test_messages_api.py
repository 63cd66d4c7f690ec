"""The thread over the API: same rules as the browser (scoped, notified once, 400 per field)."""

import pytest

from apps.care.models import Message
from apps.care.services import message_send
from apps.reminders.models import Notification
from tests.api.clients import as_user

pytestmark = pytest.mark.django_db


def url(patient, suffix=""):
    return f"/api/v1/patients/{patient.pk}/messages/{suffix}"


def test_a_patient_writes_and_the_clinician_reads_newest_first_with_receipts(
    patient, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = as_user(patient.user).post(
            url(patient), {"body": "Sore after the hike"}, format="json"
        )
    assert sent.status_code == 201, sent.content
    assert sent.json()["author_name"] == "Pat Quennell"
    assert Notification.objects.filter(recipient=clinician, kind="message").count() == 1
    assert "Sore after the hike" not in mailoutbox[0].body

    message_send(author=clinician, patient=patient, body="Rest a day, then easy walk.")
    clinician_api = as_user(clinician)
    assert clinician_api.post(url(patient, "read/"), format="json").json() == {"read": 1}
    thread = as_user(patient.user).get(url(patient)).json()["results"]
    assert [m["body"] for m in thread] == ["Rest a day, then easy walk.", "Sore after the hike"]
    assert thread[1]["read_by"][0]["reader_name"] == "Alice Clinician"
    assert thread[0]["read_by"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": "   "}, "body"),
        ({"body": "x" * 2001}, "body"),
        ({}, "body"),
        ({"body": 5}, "body"),
    ],
)
def test_a_bad_message_is_a_400_on_its_field(patient, body, field):
    response = as_user(patient.user).post(url(patient), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Message.objects.exists()


def test_strangers_find_no_thread(
    patient, colleague, clinic_admin, other_patient, other_clinic_clinician
):
    message_send(author=patient.user, patient=patient, body="private")
    for stranger in (colleague, clinic_admin, other_patient.user, other_clinic_clinician):
        api = as_user(stranger)
        assert api.get(url(patient)).status_code == 404
        assert api.post(url(patient), {"body": "hi"}, format="json").status_code == 404
        assert api.post(url(patient, "read/"), format="json").status_code == 404
    assert Message.objects.count() == 1
