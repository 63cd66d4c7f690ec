"""No token, reset or invitation link, diagnosis or pain rating in any log line at INFO or above.

Each flow runs with every record captured (caplog at DEBUG on the root logger); the records
have passed the console handler's redacting filter, as an operator's log would.
"""

import logging
import re
import sys
from datetime import timedelta
from smtplib import SMTPRecipientsRefused
from types import SimpleNamespace

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from gunicorn.config import Config

from apps.common.logging import RedactingGunicornLogger, RedactSecretsFilter, redact
from apps.painlogs.models import Workout
from apps.reminders.models import Job, Notification
from apps.reminders.services import job_run, notification_email_deliver, unsubscribe_token
from tests.conftest import mfa_pass
from tests.factories import PASSWORD
from tests.helpers import logged_session

RESET_PATH = "/accounts/password/reset/MTI/cz8k1b-4f2a9d0c7e31b5a6f8d9e0c1b2a3f4e5/"
INVITE_PATH = "/accounts/invite/MTI/cz8k1b-4f2a9d0c7e31b5a6f8d9e0c1b2a3f4e5/"
UNSUBSCRIBE_PATH = "/notifications/unsubscribe/12:1tAbcD:q1w2e3r4t5y6u7i8o9p0/"
SECRETS = ["cz8k1b-4f2a9d0c7e31b5a6f8d9e0c1b2a3f4e5", "12:1tAbcD:q1w2e3r4t5y6u7i8o9p0"]


# --- the filter and gunicorn's access log, on their own ------------------------------------------


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (f"Not Found: {RESET_PATH}", SECRETS[0]),
        (f'"GET {INVITE_PATH} HTTP/1.1" 200', SECRETS[0]),
        (f"Not Found: {UNSUBSCRIBE_PATH}", SECRETS[1]),
        ("Authorization: Bearer 5f1e9c0d2b7a4e3f8c6d1b0a9e8f7c6d", "5f1e9c0d2b7a4e3f"),
        ("GET /api/v1/me/?token=5f1e9c0d2b7a&page=2", "5f1e9c0d2b7a"),
        ('{"token": "5f1e9c0d2b7a", "expiry": null}', "5f1e9c0d2b7a"),
        ("broker at redis://:hunter2-pass@cache:6379/0 is down", "hunter2-pass"),
    ],
)
def test_redact_hides_the_secret_and_keeps_the_rest(line, secret):
    redacted = redact(line)

    assert secret not in redacted
    assert "[redacted]" in redacted
    assert redacted.split("[redacted]")[0] == line.split(secret)[0]


def test_the_filter_rewrites_the_message_and_the_traceback():
    try:
        raise ValueError(f"no route for {RESET_PATH}")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (RESET_PATH,), None
        )
        record.exc_info = sys.exc_info()

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == "Not Found: /accounts/password/reset/MTI/[redacted]/"
    assert SECRETS[0] not in logging.Formatter().format(record)


def test_gunicorn_access_lines_hide_reset_links_referers_and_bearer_tokens():
    cfg = Config()
    cfg.set("accesslog", "-")
    log = RedactingGunicornLogger(cfg)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(handler.format(record))
    log.access_log.addHandler(handler)
    cfg.set("access_log_format", '%(r)s "%(f)s" %({authorization}i)s %(U)s')
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": UNSUBSCRIBE_PATH,
        "PATH_INFO": UNSUBSCRIBE_PATH,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://greenlight.example{INVITE_PATH}",
        "REMOTE_ADDR": "10.0.0.9",
    }
    request = SimpleNamespace(headers=[("Authorization", "Bearer 5f1e9c0d2b7a4e3f")])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])

    log.access(response, request, environ, timedelta(milliseconds=12))

    assert len(lines) == 1
    assert "GET /notifications/unsubscribe/[redacted]/ HTTP/1.1" in lines[0]
    assert "/accounts/invite/MTI/[redacted]/" in lines[0]
    for secret in [*SECRETS, "5f1e9c0d2b7a4e3f"]:
        assert secret not in lines[0]


# --- whole flows, as users go through them -----------------------------------------------------

DIAGNOSIS = "cam-type FAI with a labral tear, right hip"
PAIN_PHRASES = ["pain 9", "9/10"]


@pytest.fixture
def logs(caplog):
    """Every record from the test, as the console handler left it; at INFO and above."""
    caplog.set_level(logging.DEBUG)

    def lines():
        records = [r for r in caplog.records if r.levelno >= logging.INFO]
        return [r.getMessage() + (r.exc_text or "") for r in records]

    return lines


def assert_clean(lines: list[str], secrets: list[str]) -> None:
    # Each flow logs something (a 404 at least): a test that captured nothing proves nothing.
    assert lines, "nothing was logged"
    for line in lines:
        for secret in secrets:
            assert secret not in line, f"{secret!r} in log line {line!r}"


def _emailed_link(mail, pattern: str) -> str:
    return re.search(rf"https?://\S+?({pattern})", mail.body).group(1)


@pytest.mark.django_db
def test_logins_and_password_reset_links_stay_out_of_the_logs(
    client, patient, mailoutbox, django_capture_on_commit_callbacks, logs
):
    # a successful and a failed login
    client.post(reverse("accounts:login"), {"login": patient.user.email, "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"login": patient.user.email, "password": "nope"})
    # a reset request, the emailed link followed, a 404 under it and a tampered copy
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": patient.user.email})
    link = _emailed_link(mailoutbox[0], r"/accounts/password/reset/[^/\s]+/[^/\s]+/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert client.get(link, follow=True).status_code == 200
    assert client.get(link + "again/").status_code == 404
    client.get(link.replace(token, token[:-3] + "xyz"))
    # and the link a week and a day later, expired
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        expired = client.get(link, follow=True)
    assert "This link has expired" in expired.content.decode()

    assert_clean(logs(), [token, link, PASSWORD])


@pytest.mark.django_db
def test_an_invitation_link_stays_out_of_the_logs(
    client, clinic_admin, mailoutbox, django_capture_on_commit_callbacks, logs
):
    client.force_login(clinic_admin)
    mfa_pass(client, clinic_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:team"),
            {"full_name": "Nina New", "email": "nina@riverside.test", "role": "clinician"},
        )
    client.logout()
    link = _emailed_link(mailoutbox[0], r"/accounts/invite/[^/\s]+/[^/\s]+/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert client.get(link, follow=True).status_code == 200
    assert client.get(link + "x/").status_code == 404

    assert_clean(logs(), [token, link])


@pytest.mark.django_db
def test_api_tokens_stay_out_of_the_logs(client, patient, logs):
    def token_post(password):
        body = {"email": patient.user.email, "password": password}
        return client.post(reverse("api:token"), body, content_type="application/json")

    def me(token):
        return client.get(reverse("api:me"), headers={"authorization": f"Bearer {token}"})

    token = token_post(PASSWORD).json()["token"]
    assert me(token).status_code == 200
    assert token_post("wrong").status_code == 401
    assert me(token + "x").status_code == 401

    assert_clean(logs(), [token, PASSWORD])


@pytest.mark.django_db
def test_a_red_workout_and_its_alert_log_no_pain_diagnosis_or_unsubscribe_token(
    patient, patient_client, program, clinician, django_capture_on_commit_callbacks, logs
):
    # given a patient with a diagnosis and a quiet session three days ago (a baseline of 1)
    patient.diagnosis = DIAGNOSIS
    patient.save(update_fields=["diagnosis"])
    bridge, plank = program.items.order_by("order")
    logged_session(patient, bridge, days_ago=3, set_values=[8, 8, 8], pain=1, after=1)
    # when the patient logs a red workout in the browser (pain 9), the alert task running eagerly
    post = {"note": ""}
    for rx, sets in ((bridge, ["10", "9", "8"]), (plank, ["30", "25", "20"])):
        post |= {f"ex{rx.pk}_set{n}": value for n, value in enumerate(sets, start=1)}
        post |= {f"ex{rx.pk}_pain": "9", f"ex{rx.pk}_note": ""}
    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(reverse("painlogs:today"), post)
    workout = Workout.objects.get(patient=patient, pain_during=9)
    # and rates it 9 again the next day: a jump above the baseline, alerting with its reasons
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        with django_capture_on_commit_callbacks(execute=True):
            patient_client.post(
                reverse("painlogs:followup", args=[workout.pk]), {"followup_pain": "9"}
            )
    # and a mistyped unsubscribe link is a 404
    token = unsubscribe_token(patient.user.pk)
    patient_client.get(reverse("reminders:unsubscribe", args=[token + "x"]))

    assert Notification.objects.filter(kind="clinician_alert", recipient=clinician).exists()
    assert_clean(logs(), [DIAGNOSIS, *PAIN_PHRASES, token])


@pytest.mark.django_db
def test_an_email_the_server_refuses_logs_the_notification_not_the_address(
    patient, monkeypatch, logs
):
    # given an SMTP server that names the address in every refusal
    address = patient.user.email
    note = Notification.objects.create(
        recipient=patient.user, patient=patient, kind="workout_due", occurrence="o", title="t"
    )

    def refuse(message, *args, **kwargs):
        raise SMTPRecipientsRefused({address: (550, f"<{address}>: unknown user".encode())})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)

    # when every attempt of the retry ladder fails, until the row is marked failed
    now = timezone.now()
    for _ in range(20):
        notification_email_deliver(notification_id=note.pk, now=now)
        note.refresh_from_db()
        if note.email_status != "pending":
            break
        now = note.email_next_attempt_at

    assert note.email_status == "failed"
    assert address in note.email_last_error  # the row keeps what the server said
    assert any(f"{note.pk}" in line and "SMTPRecipientsRefused" in line for line in logs())
    assert_clean(logs(), [address])


@pytest.mark.django_db
def test_a_refused_reset_email_logs_neither_the_address_nor_the_link(
    patient, smtp, mailoutbox, django_capture_on_commit_callbacks, logs
):
    # given an SMTP server that refuses the recipient, quoting the address, until the last try
    address = patient.user.email
    smtp.refuse(SMTPRecipientsRefused({address: (550, f"<{address}>: unknown user".encode())}))
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:password_reset"), {"email": address})
    job = Job.objects.get()
    for _ in range(4):
        job_run(job_id=job.pk, now=Job.objects.get().next_attempt_at)
    smtp.restore()
    # when the next try goes through
    job_run(job_id=job.pk, now=Job.objects.get().next_attempt_at)

    link = _emailed_link(mailoutbox[0], r"/accounts/password/reset/[^/\s]+/[^/\s]+/")
    assert any(f"Email job {job.pk}" in line and "SMTPRecipientsRefused" in line for line in logs())
    assert_clean(logs(), [address, link, link.rstrip("/").rsplit("/", 1)[1]])
