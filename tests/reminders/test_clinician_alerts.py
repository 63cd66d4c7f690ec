from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.painlogs.services import ResultInput, followup_record, workout_log
from apps.reminders.models import Notification

pytestmark = pytest.mark.django_db


def log(patient, program, pain, *, when):
    results = [
        ResultInput(prescribed=item, set_values=[8, 8, 8], pain_during=pain)
        for item in program.items.all()
    ]
    return workout_log(user=patient.user, results=results, performed_at=when)


def alerts():
    return Notification.objects.filter(kind="clinician_alert")


def test_a_red_session_alerts_the_care_team_once_with_a_link_and_no_health_details(
    patient, program, clinician, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workout = log(patient, program, 6, when=timezone.now() - timedelta(hours=30))
    with django_capture_on_commit_callbacks(execute=True):
        followup_record(user=patient.user, workout=workout, pain=7)

    assert [a.recipient for a in alerts()] == [clinician]  # the colleague is not on the team
    assert alerts().get().link == reverse("patients:detail", args=[patient.pk])
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [clinician.email]
    assert "7" not in mailoutbox[0].body.split("http")[0]  # no rating in the text


def test_green_turned_red_by_its_24_hour_rating_alerts_then(
    patient, program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workout = log(patient, program, 1, when=timezone.now() - timedelta(hours=25))
    assert not alerts().exists()
    with django_capture_on_commit_callbacks(execute=True):
        followup_record(user=patient.user, workout=workout, pain=5)
    assert alerts().count() == 1


def test_a_jump_above_baseline_alerts_even_within_the_ceiling(
    patient, program, django_capture_on_commit_callbacks
):
    # given two weeks of sessions rated 0 at 24 h, and a ceiling of 3
    start = timezone.now() - timedelta(days=12)
    for day in range(0, 10, 2):
        with time_machine.travel(start + timedelta(days=day, hours=25)):
            w = log(patient, program, 0, when=start + timedelta(days=day))
            followup_record(user=patient.user, workout=w, pain=0)
    assert not alerts().exists()
    # when a session is rated 2 the next day: still green, but 2 above the baseline
    with django_capture_on_commit_callbacks(execute=True):
        w = log(patient, program, 1, when=timezone.now() - timedelta(hours=26))
        followup_record(user=patient.user, workout=w, pain=2)
    assert alerts().count() == 1


def test_quiet_sessions_alert_nobody(patient, program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w = log(patient, program, 1, when=timezone.now() - timedelta(hours=25))
        followup_record(user=patient.user, workout=w, pain=1)
    assert not alerts().exists()
