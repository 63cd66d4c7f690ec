from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.painlogs.models import Workout
from apps.patients.models import Patient
from apps.reminders import services
from apps.reminders.models import Notification
from apps.reminders.services import notification_email_deliver, reminders_tick
from tests.conftest import client_for
from tests.factories import (
    PatientFactory,
    PrescribedExerciseFactory,
    ProgramFactory,
    WorkoutFactory,
)

pytestmark = pytest.mark.django_db

# Wednesday 18 November 2026, 16:00 UTC = 08:00 in Los Angeles, where the patient lives.
WEDNESDAY_8AM_LA = datetime(2026, 11, 18, 16, 0, tzinfo=UTC)


@pytest.fixture
def morning_patient(patient, program):
    """An active patient: reminders at 07:30, last session on Tuesday 17 November (a rest day)."""
    patient.reminder_time = time(7, 30)
    patient.save()
    WorkoutFactory(
        patient=patient,
        performed_at=datetime(2026, 11, 17, 18, tzinfo=UTC),
        local_date=date(2026, 11, 17),
        followup_pain=0,
        followup_at=datetime(2026, 11, 18, 18, tzinfo=UTC),
    )
    return patient


def tick(capture, now):
    with time_machine.travel(now, tick=False), capture(execute=True):
        return reminders_tick(now=now)


def test_workout_reminder_fires_once_after_the_local_time(
    morning_patient, mailoutbox, django_capture_on_commit_callbacks
):
    # given a patient whose 07:30 reminder time has passed on a program day (Wednesday)
    # when the scheduler ticks twice
    tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA)
    tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA + timedelta(minutes=1))

    # then exactly one reminder exists and exactly one email went out, with no health details
    notes = Notification.objects.filter(recipient=morning_patient.user, kind="workout_due")
    assert [n.occurrence for n in notes] == ["2026-11-18"]
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "/today/" in body
    assert "pain" not in body.lower()
    assert "/notifications/unsubscribe/" in body


def test_no_reminder_before_the_local_time(morning_patient, django_capture_on_commit_callbacks):
    tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA - timedelta(hours=1))  # 07:00 LA
    assert not Notification.objects.exists()


def test_no_reminder_when_the_workout_is_already_logged(
    morning_patient, django_capture_on_commit_callbacks
):
    WorkoutFactory(
        patient=morning_patient,
        performed_at=WEDNESDAY_8AM_LA - timedelta(minutes=30),
        local_date=date(2026, 11, 18),
    )
    tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA)
    assert not Notification.objects.filter(kind="workout_due").exists()


def test_no_reminder_on_a_rest_day_or_while_paused(
    morning_patient, django_capture_on_commit_callbacks
):
    tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA + timedelta(days=1))  # Thursday
    morning_patient.reminders_paused = True
    morning_patient.save()
    tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA + timedelta(days=2))  # Friday
    assert not Notification.objects.exists()


def test_24_hour_check_links_straight_to_the_rating_form(
    patient, mailoutbox, django_capture_on_commit_callbacks
):
    workout = WorkoutFactory(patient=patient, performed_at=WEDNESDAY_8AM_LA - timedelta(hours=25))
    tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA)
    tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA + timedelta(hours=1))

    note = Notification.objects.get(kind="followup_due")
    assert note.link == reverse("painlogs:followup", args=[workout.pk])
    assert len(mailoutbox) == 1
    assert note.link in mailoutbox[0].body


def test_no_24_hour_check_once_rated(patient, django_capture_on_commit_callbacks):
    WorkoutFactory(
        patient=patient,
        performed_at=WEDNESDAY_8AM_LA - timedelta(hours=25),
        followup_pain=1,
        followup_at=WEDNESDAY_8AM_LA - timedelta(hours=1),
    )
    tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA)
    assert not Notification.objects.exists()
    assert Workout.objects.count() == 1


def _note(patient):
    return Notification.objects.create(
        recipient=patient.user,
        patient=patient,
        kind="workout_due",
        occurrence="2026-11-18",
        title="Your exercises are waiting for you today",
        link="/today/",
    )


def test_a_redelivered_task_does_not_send_twice(patient, mailoutbox):
    note = _note(patient)
    assert notification_email_deliver(notification_id=note.pk) is True
    assert notification_email_deliver(notification_id=note.pk) is False
    assert len(mailoutbox) == 1


def test_in_app_list_shows_unread_count_and_a_stranger_cannot_open_it(patient, other_patient):
    note = _note(patient)
    own = client_for(patient.user)
    page = own.get(reverse("reminders:list")).content.decode()
    assert "Your exercises are waiting for you today" in page
    assert '1<span class="visually-hidden"> unread</span>' in page

    stranger = client_for(other_patient.user)
    assert "waiting for you" not in stranger.get(reverse("reminders:list")).content.decode()
    assert stranger.post(reverse("reminders:open", args=[note.pk])).status_code == 404

    response = own.post(reverse("reminders:open", args=[note.pk]))
    assert response["Location"] == "/today/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_inactivity_nudge_once_per_stretch_after_three_days(
    morning_patient, django_capture_on_commit_callbacks
):
    # given a last workout on Sunday 15 November (local)
    Workout.objects.filter(patient=morning_patient).delete()
    WorkoutFactory(
        patient=morning_patient,
        performed_at=datetime(2026, 11, 15, 18, tzinfo=UTC),
        local_date=date(2026, 11, 15),
    )
    # when ticks run on Tuesday (2 days), Wednesday (3 days) and Thursday morning
    for days in (-1, 0, 1):
        tick(django_capture_on_commit_callbacks, WEDNESDAY_8AM_LA + timedelta(days=days))
    # then one nudge, for the stretch that began on the 15th
    nudges = Notification.objects.filter(kind="inactivity")
    assert [n.occurrence for n in nudges] == ["since-2026-11-15"]


def _patients_due(count, clinician, now):
    for _ in range(count):
        patient = PatientFactory(
            user__timezone="UTC",
            care_team=[clinician],
            reminder_time=(now - timedelta(minutes=5)).time(),
        )
        program = ProgramFactory(patient=patient, created_by=clinician, sessions_per_week=7)
        PrescribedExerciseFactory(program=program)
        WorkoutFactory(patient=patient, performed_at=now - timedelta(hours=25))


def test_one_tick_costs_the_same_queries_for_3_or_30_patients(
    clinician, django_capture_on_commit_callbacks
):
    counts = []
    for size in (3, 30):
        Patient.objects.all().delete()
        now = WEDNESDAY_8AM_LA + timedelta(days=7 * len(counts))
        _patients_due(size, clinician, now)
        with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as queries:
            made = reminders_tick(now=now)
        counts.append(len(queries))
        # every patient got both a workout reminder and a 24-hour check this tick
        assert made == 2 * size
    assert counts[0] == counts[1]


def test_recording_3_or_2500_reminders_costs_the_same_queries_and_keeps_existing_rows(patient):
    """The tick's insert is one statement however many rows are due (no batches)."""
    user = patient.user
    earlier = Notification.objects.create(
        recipient=user, patient=patient, kind="workout_due", occurrence="day-0", title="x", link="/"
    )
    Notification.objects.filter(pk=earlier.pk).update(email_status="sent", email_attempts=1)
    counts = []
    for size in (3, 2500):
        due = [
            services.Due(user.pk, patient.pk, "workout_due", f"day-{i}", "Time", "/today/")
            for i in range(size)
        ]
        since = timezone.now()
        with CaptureQueriesContext(connection) as queries:
            fresh = services.notifications_record(due, since=since)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Notification.objects.filter(recipient=user).count() == 2500
    # the row that existed already is neither duplicated nor reset to pending
    earlier.refresh_from_db()
    assert (earlier.email_status, earlier.email_attempts, earlier.title) == ("sent", 1, "x")
    new = Notification.objects.get(recipient=user, occurrence="day-2499")
    assert new.pk in fresh
    assert (new.email_status, new.email_attempts, new.patient_id) == ("pending", 0, patient.pk)
    assert new.created_at >= since
    assert new.email_next_attempt_at == new.created_at
    assert new.email_message_id().startswith(f"<notification.{new.pk}.")


# Monday 23 November 2026, 08:30 in London (UTC+0 in winter).
MONDAY_0830_LONDON = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


def test_weekly_digest_on_monday_morning_in_the_clinicians_zone(
    clinician, colleague, patient, program, mailoutbox, django_capture_on_commit_callbacks
):
    # given Pat (on Alice's team) with no session in the last 7 days; Carl has nobody to review
    for hours in (-1, 0, 2):  # 07:30, 08:30 and 10:30 London time
        tick(django_capture_on_commit_callbacks, MONDAY_0830_LONDON + timedelta(hours=hours))

    digests = Notification.objects.filter(kind="weekly_digest")
    assert [(d.recipient, d.occurrence) for d in digests] == [(clinician, "2026-W48")]
    assert digests.get().link == "/patients/?attention=1"
    sent_to = [m.to for m in mailoutbox if "digest" in m.subject]
    assert sent_to == [[clinician.email]]


def test_no_digest_on_other_days(clinician, patient, program, django_capture_on_commit_callbacks):
    tick(django_capture_on_commit_callbacks, MONDAY_0830_LONDON + timedelta(days=1))
    assert not Notification.objects.filter(kind="weekly_digest").exists()


@pytest.mark.parametrize(
    ("day", "expected_utc"),
    [
        (date(2026, 3, 8), datetime(2026, 3, 8, 14, 30, tzinfo=UTC)),  # spring forward, PDT
        (date(2026, 11, 1), datetime(2026, 11, 1, 15, 30, tzinfo=UTC)),  # fall back, PST
    ],
)
def test_ticking_all_day_through_a_dst_change_reminds_once_at_0730_local(
    clinician, day, expected_utc, django_capture_on_commit_callbacks
):
    # given a Los Angeles patient on a daily program with reminders at 07:30
    patient = PatientFactory(
        user__timezone="America/Los_Angeles", care_team=[clinician], reminder_time=time(7, 30)
    )
    program = ProgramFactory(
        patient=patient,
        created_by=clinician,
        sessions_per_week=7,
        start_date=day - timedelta(days=1),
    )
    PrescribedExerciseFactory(program=program)
    WorkoutFactory(
        patient=patient,
        performed_at=expected_utc - timedelta(days=1, hours=2),
        local_date=day - timedelta(days=1),
        followup_pain=0,
        followup_at=expected_utc - timedelta(hours=20),
    )
    # when the scheduler ticks every 15 minutes from local midnight to midnight
    start = datetime.combine(day, time(0), tzinfo=UTC) + timedelta(hours=7)
    firsts = []
    for step in range(4 * 26):
        moment = start + timedelta(minutes=15 * step)
        tick(django_capture_on_commit_callbacks, moment)
        if Notification.objects.filter(kind="workout_due").exists() and not firsts:
            firsts.append(moment)
    # then exactly one reminder, first seen at the tick of 07:30 local
    reminders = Notification.objects.filter(kind="workout_due")
    assert [r.occurrence for r in reminders] == [day.isoformat()]
    assert firsts == [expected_utc]
