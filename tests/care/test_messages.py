"""One thread per patient with their care team: who may read and write, notifications, receipts."""

import pytest
from django.urls import reverse

from apps.care.models import Message, VisitNote
from apps.care.services import message_notify, message_send
from apps.reminders.models import Notification
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FLARE = "20 minutes on the elliptical caused soreness for days. Should I stop?"


def thread_url(patient):
    return reverse("care:thread", args=[patient.pk])


def test_a_patient_message_reaches_the_care_team_once_in_app_and_by_email(
    patient, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(patient.user).post(reverse("care:mine"), {"body": FLARE})
    assert response.status_code == 302

    note = Notification.objects.get(recipient=clinician, kind="message")
    assert note.title == "New message from a patient"
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [clinician.email]
    # the email carries a link, never the message or the patient's name
    everything = email.subject + email.body + "".join(a[0] for a in email.alternatives)
    assert "elliptical" not in everything
    assert "soreness" not in everything
    assert patient.user.full_name not in everything
    assert thread_url(patient) in email.body


def test_notifying_again_for_the_same_message_sends_nothing_more(
    patient, clinician, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_send(author=patient.user, patient=patient, body=FLARE)
    with django_capture_on_commit_callbacks(execute=True):
        assert message_notify(message=message) == 0
    assert Notification.objects.filter(kind="message").count() == 1
    assert len(mailoutbox) == 1


def test_the_clinician_answers_and_the_patient_sees_the_reply_and_the_receipt(
    patient, clinician, django_capture_on_commit_callbacks
):
    message_send(author=patient.user, patient=patient, body=FLARE)
    clinician_client = client_for(clinician)

    page = clinician_client.get(thread_url(patient)).content.decode()
    assert FLARE in page
    assert "Record a note" in page
    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(thread_url(patient), {"body": "Keep it under 15 minutes this week."})

    patient_client = client_for(patient.user)
    today = patient_client.get(reverse("painlogs:today")).content.decode()
    assert 'Messages <span class="badge' in today  # the unread count in the navigation
    thread = patient_client.get(reverse("care:mine")).content.decode()
    assert "Keep it under 15 minutes this week." in thread
    assert f"Read by {clinician.full_name}" in thread  # the patient's message was read
    assert Notification.objects.get(recipient=patient.user).read_at is not None


def test_a_message_not_read_yet_says_so(patient, clinician):
    message_send(author=clinician, patient=patient, body="How did the run go?")
    page = client_for(clinician).get(thread_url(patient)).content.decode()
    assert "Sent, not read yet" in page


@pytest.mark.parametrize(
    ("body", "error"),
    [("   ", "Write a message before sending."), ("x" * 2001, "at most 2000 characters")],
)
def test_an_empty_or_overlong_message_is_refused_and_kept(patient, body, error):
    response = client_for(patient.user).post(reverse("care:mine"), {"body": body})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Message.objects.exists()
    if body.strip():
        assert body in response.content.decode()


def test_strangers_cannot_read_or_write_the_thread(
    patient, clinician, colleague, clinic_admin, other_patient, other_clinic_clinician, client
):
    message_send(author=patient.user, patient=patient, body=FLARE)
    url = thread_url(patient)
    # a colleague off the care team, a clinic admin off it, another patient, another clinic
    for stranger in (colleague, clinic_admin, other_patient.user, other_clinic_clinician):
        stranger_client = client_for(stranger)
        assert stranger_client.get(url).status_code == 404
        assert stranger_client.post(url, {"body": "hello"}).status_code == 404
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert Message.objects.count() == 1


def test_a_clinician_who_leaves_the_care_team_loses_the_thread_and_its_notifications(
    patient, clinician, colleague
):
    patient.care_team.add(colleague)
    assert client_for(colleague).get(thread_url(patient)).status_code == 200

    patient.care_team.remove(colleague)

    assert client_for(colleague).get(thread_url(patient)).status_code == 404
    message_send(author=patient.user, patient=patient, body=FLARE)
    assert not Notification.objects.filter(recipient=colleague, kind="message").exists()
    detail = client_for(colleague).get(reverse("patients:detail", args=[patient.pk]))
    assert detail.status_code == 404


def test_a_patient_message_becomes_a_note_on_the_timeline(patient, clinician, program):
    message = message_send(author=patient.user, patient=patient, body=FLARE)
    clinician_client = client_for(clinician)
    url = reverse("care:note_new", args=[patient.pk]) + f"?message={message.pk}"

    form = clinician_client.get(url).content.decode()
    assert FLARE in form  # quoted above the form
    assert "Re: message of" in form
    response = clinician_client.post(
        url,
        {
            "visit_date": "2026-11-18",
            "kind": "between_visits",
            "text": "Re: elliptical. Reduce to 15 min, review Friday.",
            "message": message.pk,
        },
    )
    assert response.status_code == 302
    note = VisitNote.objects.get()
    assert note.message == message
    page = clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "Note between visits with Alice Clinician" in page
    assert "Reduce to 15 min" in page


def test_a_message_from_another_thread_cannot_become_a_note_here(
    patient, clinician, other_patient, colleague
):
    theirs = message_send(author=other_patient.user, patient=other_patient, body="private")
    url = reverse("care:note_new", args=[patient.pk]) + f"?message={theirs.pk}"
    assert client_for(clinician).get(url).status_code == 404


def test_open_program_leads_to_the_program_builder(patient, clinician, program):
    message_send(author=patient.user, patient=patient, body=FLARE)
    page = client_for(clinician).get(thread_url(patient)).content.decode()
    assert reverse("programs:edit", args=[program.pk]) in page


def test_today_tells_the_patient_about_a_reply_until_they_read_it(patient, clinician):
    message_send(author=clinician, patient=patient, body="How did the run go?")
    patient_client = client_for(patient.user)
    today = patient_client.get(reverse("painlogs:today")).content.decode()
    assert "Your care team has written to you: 1 new message." in today

    patient_client.get(reverse("care:mine"))

    today = patient_client.get(reverse("painlogs:today")).content.decode()
    assert "Your care team has written to you" not in today
