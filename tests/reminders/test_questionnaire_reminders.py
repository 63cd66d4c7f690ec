"""A due questionnaire is opened and the patient reminded once, at their reminder time in their
own zone, by a link that says nothing of their health."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from apps.outcomes.models import QuestionnaireResponse
from apps.outcomes.services import response_answer, response_complete, schedule_set
from apps.reminders.models import Notification
from apps.reminders.services import reminders_tick

pytestmark = pytest.mark.django_db

# Wednesday 18 November 2026: 07:00 in Los Angeles is 15:00 UTC.
BEFORE_7AM_LA = datetime(2026, 11, 18, 14, 59, tzinfo=UTC)
AFTER_7AM_LA = datetime(2026, 11, 18, 15, 1, tzinfo=UTC)


@pytest.fixture
def hip_rating_due(clinician, patient, program):
    patient.reminder_time = time(7, 0)
    patient.save()
    schedule_set(clinician=clinician, program=program, code="hip-rating", at_start=True)
    return patient


def tick(capture, now):
    with time_machine.travel(now, tick=False), capture(execute=True):
        return reminders_tick(now=now)


def _reminders(patient):
    return Notification.objects.filter(recipient=patient.user, kind="questionnaire_due")


def test_the_reminder_comes_at_the_local_reminder_time_once(
    hip_rating_due, mailoutbox, django_capture_on_commit_callbacks
):
    tick(django_capture_on_commit_callbacks, BEFORE_7AM_LA)
    assert not _reminders(hip_rating_due).exists()
    assert not QuestionnaireResponse.objects.exists()

    tick(django_capture_on_commit_callbacks, AFTER_7AM_LA)
    tick(django_capture_on_commit_callbacks, AFTER_7AM_LA + timedelta(minutes=5))

    response = QuestionnaireResponse.objects.get()
    [note] = _reminders(hip_rating_due)
    assert note.link == f"/questionnaires/{response.pk}/"
    emails = [m for m in mailoutbox if m.subject == note.title]
    assert len(emails) == 1
    body = emails[0].body
    assert f"/questionnaires/{response.pk}/" in body
    for health in ("hip", "Hip", "rating", "pain"):
        assert health not in note.title


def test_a_sent_questionnaire_is_not_reminded_the_next_day(
    hip_rating_due, django_capture_on_commit_callbacks
):
    tick(django_capture_on_commit_callbacks, AFTER_7AM_LA)
    response = QuestionnaireResponse.objects.get()
    response_answer(user=hip_rating_due.user, response=response, answers={"hip-rating": 80})
    response_complete(user=hip_rating_due.user, response=response)

    tick(django_capture_on_commit_callbacks, AFTER_7AM_LA + timedelta(days=1))
    assert _reminders(hip_rating_due).count() == 1
