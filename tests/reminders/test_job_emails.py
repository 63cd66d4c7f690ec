"""Account emails as outbox rows (invitations, password resets): claimed, sent, then marked,
on the same retry ladder, lease and SMTP pause as notifications."""

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from apps.reminders.models import Job
from apps.reminders.services import job_emails, job_run, jobs_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 18, 16, 0, tzinfo=UTC)


@pytest.fixture
def invitee(clinic):
    nina = UserFactory(clinic=clinic, email="nina@riverside.test", full_name="Nina New")
    nina.set_unusable_password()
    nina.save()
    return nina


def _invitation(invitee, inviter) -> int:
    (pk,) = jobs_create(
        patient_id=None,
        work=[(Job.Kind.INVITATION_EMAIL, invitee.pk)],
        requested_by_id=inviter.pk,
    )
    return pk


def test_every_attempt_of_an_invitation_carries_the_same_message_id(
    invitee, clinic_admin, smtp, mailoutbox
):
    smtp.refuse(smtplib.SMTPDataError(451, b"try again later"))
    with time_machine.travel(T0, tick=False):
        pk = _invitation(invitee, clinic_admin)
        assert job_run(job_id=pk) is False
    smtp.restore()

    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assert job_run(job_id=pk) is True

    job = Job.objects.get(pk=pk)
    assert (job.status, job.attempts) == ("done", 2)
    assert mailoutbox[0].message()["Message-ID"] == job.email_message_id()
    assert job.email_message_id().startswith(f"<job.{pk}.")


def test_a_refused_invitation_is_retried_for_hours_then_failed_never_lost(
    invitee, clinic_admin, smtp, mailoutbox
):
    smtp.refuse(smtplib.SMTPDataError(451, b"try again later"))
    with time_machine.travel(T0, tick=False):
        pk = _invitation(invitee, clinic_admin)
    waits, moment = [], T0
    for _ in range(6):
        with time_machine.travel(moment, tick=False):
            assert job_run(job_id=pk) is False
        job = Job.objects.get(pk=pk)
        if job.status == "pending":
            waits.append(job.next_attempt_at - moment)
            moment = job.next_attempt_at

    assert [w.total_seconds() / 60 for w in waits] == [1, 5, 15, 60, 180]
    assert (job.status, job.attempts, smtp.tries) == ("failed", 6, 6)
    assert "451" in job.last_error
    assert mailoutbox == []


def test_an_unreachable_smtp_server_defers_account_emails_without_spending_attempts(
    invitee, clinic_admin, patient, smtp, mailoutbox
):
    smtp.refuse()  # connection refused: the process pauses sending
    first = _invitation(invitee, clinic_admin)
    (second,) = jobs_create(
        patient_id=None, work=[(Job.Kind.PASSWORD_RESET_EMAIL, patient.user.pk)]
    )

    assert job_run(job_id=first) is False
    assert job_run(job_id=second) is False

    assert smtp.tries == 1  # the second email did not wait on the dead server
    rows = Job.objects.in_bulk([first, second])
    assert (rows[first].attempts, rows[second].attempts) == (1, 0)
    assert rows[second].status == "pending"
    assert mailoutbox == []


def test_an_email_whose_worker_died_mid_send_is_sent_again_once_its_lease_ends(
    invitee, clinic_admin, smtp, mailoutbox, settings
):
    # given a worker that claimed the row at T0 and died before marking it
    with time_machine.travel(T0, tick=False):
        pk = _invitation(invitee, clinic_admin)
        assert job_emails._claim(pk, T0) is not None
    lease = timedelta(seconds=settings.GREENLIGHT["EMAIL_LEASE_SECONDS"])

    # when its message comes back while the lease holds, nothing is sent
    with time_machine.travel(T0 + lease - timedelta(seconds=1), tick=False):
        assert job_run(job_id=pk) is False
    assert mailoutbox == []
    # and after the lease it is sent, once
    with time_machine.travel(T0 + lease, tick=False):
        assert job_run(job_id=pk) is True
        assert job_run(job_id=pk) is False
    assert [m.to for m in mailoutbox] == [["nina@riverside.test"]]
    assert Job.objects.get(pk=pk).attempts == 2


def test_an_invitation_no_longer_needed_is_done_without_an_email(
    invitee, clinic_admin, smtp, mailoutbox
):
    # given Nina chose a password (through an earlier link) before this row was sent
    pk = _invitation(invitee, clinic_admin)
    invitee.set_password("Gentle-hip-hinges-2026")
    invitee.save()

    assert job_run(job_id=pk) is False

    assert Job.objects.get(pk=pk).status == "done"
    assert mailoutbox == []


def test_a_failed_password_reset_is_offered_to_no_one(patient, clinician, clinic_admin):
    # the person asks again from the login page; a link hours late is no help
    from apps.reminders.selectors import failed_jobs_for

    Job.objects.create(
        kind=Job.Kind.PASSWORD_RESET_EMAIL, object_id=patient.user.pk, status="failed"
    )

    for user in (patient.user, clinician, clinic_admin):
        assert not failed_jobs_for(user).exists()
