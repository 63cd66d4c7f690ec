"""A clinician emails the patient a link to the handout: the link and a generic sentence only,
never the program's content, the pain limit or the condition."""

import pytest
from django.urls import reverse

from apps.programs.services import program_end
from apps.reminders.models import Notification
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def email_url(program) -> str:
    return reverse("handouts:email", args=[program.pk])


def test_the_patient_gets_a_link_and_nothing_about_their_health(
    clinician_client, patient, program, mailoutbox, settings, django_capture_on_commit_callbacks
):
    # Given a patient with hip impingement whose program has a ceiling of 3
    settings.SITE_URL = "https://greenlight.riverside.test"
    handout = reverse("handouts:page", args=[program.pk])

    # When their clinician emails them the handout
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(email_url(program))

    # Then one email reaches the patient with the link to sign in and view it
    assert response.status_code == 302
    assert response["Location"] == handout
    assert [m.to for m in mailoutbox] == [[patient.user.email]]
    email = mailoutbox[0]
    bodies = [email.subject, email.body, *(content for content, _ in email.alternatives)]
    assert f"https://greenlight.riverside.test{handout}" in email.body
    # and nothing in it says what the program holds or why
    for part in bodies:
        for secret in [
            *(item.exercise.name for item in program.items.all()),
            "pain limit",
            f"{program.pain_ceiling}/10",
            patient.get_condition_display(),
            patient.diagnosis or "no diagnosis",
        ]:
            assert secret.lower() not in part.lower()
    page = clinician_client.get(handout).content.decode()
    assert "The link is on its way to Pat" in page


def test_a_second_click_the_same_day_sends_nothing_more(
    clinician_client, program, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(email_url(program))
        clinician_client.post(email_url(program))

    assert len(mailoutbox) == 1
    assert (
        "already emailed the link today"
        in clinician_client.get(reverse("handouts:page", args=[program.pk])).content.decode()
    )


def test_a_patient_who_turned_emails_off_finds_it_in_notifications(
    clinician_client, patient, program, mailoutbox, django_capture_on_commit_callbacks
):
    patient.user.email_reminders = False
    patient.user.save()

    with django_capture_on_commit_callbacks(execute=True):
        clinician_client.post(email_url(program), follow=True)

    assert mailoutbox == []
    note = Notification.objects.get(recipient=patient.user)
    assert note.link == reverse("handouts:page", args=[program.pk])


def test_the_button_is_for_the_care_team_on_an_active_program(
    clinician_client, patient_client, program
):
    page = reverse("handouts:page", args=[program.pk])

    assert "Email the link to Pat Quennell" in clinician_client.get(page).content.decode()
    assert "Email the link" not in patient_client.get(page).content.decode()


def test_an_ended_program_is_not_emailed(clinician, clinician_client, program, mailoutbox):
    program_end(clinician=clinician, program=program, reason="Discharged")

    response = clinician_client.post(email_url(program), follow=True)

    assert "This program has ended." in response.content.decode()
    assert mailoutbox == []
    assert not Notification.objects.filter(occurrence__startswith="handout").exists()


@pytest.mark.parametrize("who", ["other_clinic_clinician", "colleague"])
def test_a_clinician_off_the_care_team_cannot_email_it(who, program, mailoutbox, request):
    response = client_for(request.getfixturevalue(who)).post(email_url(program))

    assert response.status_code == 404
    assert mailoutbox == []


def test_a_patient_cannot_email_it(patient_client, program, mailoutbox):
    assert patient_client.post(email_url(program)).status_code == 403
    assert mailoutbox == []


def test_the_email_is_a_post(clinician_client, program):
    assert clinician_client.get(email_url(program)).status_code == 405
