"""Nothing is dropped silently: what could not be delivered shows in-app and can be retried."""

import pytest
from django.urls import reverse

from apps.reminders.models import Job, Notification
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_alert(patient, clinician):
    return Notification.objects.create(
        recipient=clinician,
        patient=patient,
        kind="clinician_alert",
        occurrence="workout-1",
        title="A patient of yours may need attention",
        link=f"/patients/{patient.pk}/",
        email_status="failed",
        email_attempts=6,
        email_last_error="SMTPDataError: (451, b'try again later')",
    )


@pytest.fixture
def failed_check(patient):
    return Job.objects.create(
        kind="clinician_alert_check", patient=patient, object_id=1, status="failed", attempts=6
    )


def test_the_care_team_sees_what_could_not_be_delivered_on_the_patient_page(
    clinician_client, patient, failed_alert, failed_check
):
    page = clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "1 email about Pat Quennell could not be delivered" in page
    assert "1 automatic check could not run" in page
    assert "alice@riverside.test" in page


def test_the_care_team_sends_a_failed_email_again_and_it_goes_out(
    clinician_client, patient, failed_alert, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(reverse("reminders:send_again", args=[failed_alert.pk]))
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])
    failed_alert.refresh_from_db()
    assert (failed_alert.email_status, failed_alert.email_attempts) == ("sent", 1)
    assert [m.to for m in mailoutbox] == [["alice@riverside.test"]]


def test_a_clinic_admin_on_the_care_team_can_send_it_again_too(
    clinic_admin, patient, failed_alert, mailoutbox
):
    patient.care_team.add(clinic_admin)
    response = client_for(clinic_admin).post(
        reverse("reminders:send_again", args=[failed_alert.pk])
    )
    assert response.status_code == 302
    failed_alert.refresh_from_db()
    assert failed_alert.email_status == "pending"


def test_a_clinic_admin_off_the_care_team_cannot(clinic_admin, failed_alert, mailoutbox):
    response = client_for(clinic_admin).post(
        reverse("reminders:send_again", args=[failed_alert.pk])
    )
    assert response.status_code == 404
    failed_alert.refresh_from_db()
    assert failed_alert.email_status == "failed"


@pytest.mark.parametrize("who", ["other_clinic_clinician", "colleague", "other_patient"])
def test_a_stranger_cannot_see_or_send_again_a_failed_email(
    request, who, patient, failed_alert, failed_check
):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    client = client_for(user)

    resend = client.post(reverse("reminders:send_again", args=[failed_alert.pk]))
    rerun = client.post(reverse("reminders:job_run_again", args=[failed_check.pk]))

    assert (resend.status_code, rerun.status_code) == (404, 404)
    failed_alert.refresh_from_db()
    failed_check.refresh_from_db()
    assert (failed_alert.email_status, failed_check.status) == ("failed", "failed")
    page = client.get(reverse("reminders:list")).content.decode()
    assert "Email not delivered" not in page


def test_a_patient_sees_their_own_undelivered_email_and_can_send_it_again(patient):
    own = Notification.objects.create(
        recipient=patient.user,
        patient=patient,
        kind="workout_due",
        occurrence="2026-11-18",
        title="Your exercises are waiting for you today",
        link="/today/",
        email_status="failed",
    )
    client = client_for(patient.user)
    assert "Email not delivered" in client.get(reverse("reminders:list")).content.decode()
    response = client.post(reverse("reminders:send_again", args=[own.pk]))
    assert response["Location"] == reverse("reminders:list")


def test_the_care_team_runs_a_failed_check_again(
    clinician_client, patient, program, failed_check, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(reverse("reminders:job_run_again", args=[failed_check.pk]))
    assert response.status_code == 302
    failed_check.refresh_from_db()
    assert (failed_check.status, failed_check.attempts) == ("done", 1)
