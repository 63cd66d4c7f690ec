import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.signing import TimestampSigner
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.painlogs.rules import alert_reasons, baseline

from . import selectors
from .models import Notification
from .rules import local_days_around, local_moment, workout_reminder_due

logger = logging.getLogger(__name__)
FOLLOWUP_HOURS = settings.GREENLIGHT["FOLLOWUP_AFTER_HOURS"]
INACTIVITY_DAYS = settings.GREENLIGHT["INACTIVITY_DAYS"]
# A reminder missed by more than this (worker down for a day) is stale: better none than late.
WORKOUT_REMINDER_WINDOW = timedelta(hours=6)
FOLLOWUP_PROMPT_WINDOW_HOURS = 24
BATCH = 1000
DIGEST_AT = time(8, 0)
DIGEST_WINDOW = timedelta(hours=6)


@dataclass(frozen=True)
class Due:
    recipient_id: int
    patient_id: int | None
    kind: str
    occurrence: str
    title: str
    link: str


def _workouts_due(now: datetime, candidates: list[dict]) -> list[Due]:
    if not candidates:
        return []
    logged = selectors.workout_days_since(now.date() - timedelta(days=2))
    due = []
    for row in candidates:
        for day in local_days_around(now, row["tz"]):
            at = workout_reminder_due(day, row["at"], row["tz"], row["sessions_per_week"])
            fresh = at is not None and at <= now < at + WORKOUT_REMINDER_WINDOW
            if fresh and day >= row["start_date"] and (row["patient_id"], day) not in logged:
                due.append(
                    Due(
                        row["user_id"],
                        row["patient_id"],
                        Notification.Kind.WORKOUT_DUE,
                        day.isoformat(),
                        "Your exercises are waiting for you today",
                        reverse("painlogs:today"),
                    )
                )
    return due


def _inactive_due(now: datetime, candidates: list[dict]) -> list[Due]:
    """One nudge per inactive stretch: the occurrence is the date the stretch began."""
    last_days = selectors.last_workout_days()
    due = []
    for row in candidates:
        today = local_days_around(now, row["tz"])[1]
        last = max(last_days.get(row["patient_id"]) or row["start_date"], row["start_date"])
        at = local_moment(today, row["at"], row["tz"])
        if (today - last).days >= INACTIVITY_DAYS and at <= now:
            due.append(
                Due(
                    row["user_id"],
                    row["patient_id"],
                    Notification.Kind.INACTIVITY,
                    f"since-{last.isoformat()}",
                    "It's been a few days: a short session keeps your progress going",
                    reverse("painlogs:today"),
                )
            )
    return due


def _digests_due(now: datetime) -> list[Due]:
    """Monday morning in each clinician's own zone, when some of their patients need a look."""
    due_ids, weeks = [], {}
    for row in selectors.clinician_zones():
        today = local_days_around(now, row["timezone"])[1]
        at = local_moment(today, DIGEST_AT, row["timezone"])
        if today.weekday() == 0 and at <= now < at + DIGEST_WINDOW:
            due_ids.append(row["id"])
            year, week, _ = today.isocalendar()
            weeks[row["id"]] = f"{year}-W{week:02d}"
    counts = selectors.attention_counts(due_ids, now=now) if due_ids else {}
    return [
        Due(
            pk,
            None,
            Notification.Kind.WEEKLY_DIGEST,
            weeks[pk],
            "Your weekly digest: patients who may need your attention",
            reverse("patients:list") + "?attention=1",
        )
        for pk in due_ids
        if counts.get(pk)
    ]


def _followups_due(now: datetime) -> list[Due]:
    rows = selectors.followups_missing(
        now=now, hours=FOLLOWUP_HOURS, window_hours=FOLLOWUP_PROMPT_WINDOW_HOURS
    )
    return [
        Due(
            r["user_id"],
            r["patient_id"],
            Notification.Kind.FOLLOWUP_DUE,
            f"workout-{r['id']}",
            "How does your hip feel a day after your workout?",
            reverse("painlogs:followup", args=[r["id"]]),
        )
        for r in rows
    ]


def notifications_record(due: list[Due], *, since: datetime) -> list[int]:
    """Insert what is due; rows that already exist are left alone (the unique key decides).

    Returns the ids of pending rows among them created from ``since`` on, to be emailed. Two
    ticks racing may both return a row: the email task itself refuses to send twice.
    """
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=d.recipient_id,
                patient_id=d.patient_id,
                kind=d.kind,
                occurrence=d.occurrence,
                title=d.title,
                link=d.link,
            )
            for d in due
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    kinds = {d.kind for d in due}
    return list(
        Notification.objects.filter(
            kind__in=kinds,
            created_at__gte=since,
            email_status=Notification.EmailStatus.PENDING,
            email_attempts=0,
            recipient__email_reminders=True,
        ).values_list("id", flat=True)
    )


def reminders_tick(*, now: datetime | None = None) -> int:
    """Create every reminder due now and queue its email; safe to run twice (idempotent)."""
    from .tasks import notification_email_send

    now = now or timezone.now()
    started = timezone.now()
    candidates = selectors.reminder_candidates()
    due = (
        _workouts_due(now, candidates)
        + _inactive_due(now, candidates)
        + _followups_due(now)
        + _digests_due(now)
    )
    if not due:
        return 0
    with transaction.atomic():
        ids = notifications_record(due, since=started)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: notification_email_send.delay(pk))
    return len(ids)


def unsubscribe_token(user_id: int) -> str:
    return TimestampSigner(salt="greenlight.unsubscribe").sign(str(user_id))


def unsubscribe_url(user_id: int) -> str:
    path = reverse("reminders:unsubscribe", args=[unsubscribe_token(user_id)])
    return settings.SITE_URL.rstrip("/") + path


class DeliveryError(Exception):
    """The email could not be sent this time; the task retries with backoff."""


def notification_email_deliver(*, notification_id: int, final_attempt: bool) -> bool:
    """Send one notification's email exactly once; record every failure.

    The row is locked while sending so that two workers handling the same message (a
    redelivery) cannot both send it. Returns True when this call sent it.
    """
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .get(pk=notification_id)
        )
        if note.email_status == Notification.EmailStatus.SENT or not note.recipient.email_reminders:
            return False
        note.email_attempts += 1
        try:
            _send(note)
        except Exception as error:
            note.email_last_error = f"{type(error).__name__}: {error}"[:500]
            if final_attempt:
                note.email_status = Notification.EmailStatus.FAILED
                logger.error("Reminder %s not delivered: %s", note.pk, note.email_last_error)
            note.save(
                update_fields=["email_attempts", "email_last_error", "email_status", "updated_at"]
            )
            failed = True
        else:
            note.email_status, note.email_sent_at = Notification.EmailStatus.SENT, timezone.now()
            note.save(
                update_fields=["email_attempts", "email_status", "email_sent_at", "updated_at"]
            )
            failed = False
    if failed:
        raise DeliveryError(note.email_last_error)
    return True


def _send(note: Notification) -> None:
    context = {
        "note": note,
        "name": note.recipient.get_short_name(),
        "url": settings.SITE_URL.rstrip("/") + note.link,
        "unsubscribe": unsubscribe_url(note.recipient_id),
    }
    send_mail(
        subject=note.title,
        message=render_to_string("emails/reminder.txt", context),
        html_message=render_to_string("emails/reminder.html", context),
        from_email=None,
        recipient_list=[note.recipient.email],
    )


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])


def email_unsubscribe(*, user, subscribed: bool = False) -> None:
    """One click from an email turns reminder emails off; the page offers to undo it."""
    user.email_reminders = subscribed
    user.save(update_fields=["email_reminders"])


ALERT_BASELINE_DAYS = 14


def clinician_alert_check(*, workout_id: int, now: datetime | None = None) -> int:
    """Tell the care team about a session that needs attention, once per workout and clinician.

    Runs after a workout is logged and again after its 24-hour rating: one occurrence key per
    workout means a session that turns red the next morning alerts once, not twice.
    """
    from .tasks import notification_email_send

    now = now or timezone.now()
    workout = selectors.workout_with_team(workout_id)
    reasons = alert_reasons(
        light=workout.light,
        followup_pain=workout.followup_pain,
        recent_baseline=baseline(selectors.recent_followups(workout, days=ALERT_BASELINE_DAYS)),
        reds_last_7_days=selectors.reds_since(workout.patient_id, now - timedelta(days=7)),
    )
    if not reasons:
        return 0
    created = 0
    with transaction.atomic():
        for clinician in workout.patient.care_team.all():
            note, new = Notification.objects.get_or_create(
                recipient=clinician,
                kind=Notification.Kind.CLINICIAN_ALERT,
                occurrence=f"workout-{workout.pk}",
                defaults={
                    "patient": workout.patient,
                    "title": "A patient of yours may need attention",
                    "link": reverse("patients:detail", args=[workout.patient_id]),
                },
            )
            if new and clinician.email_reminders:
                created += 1
                transaction.on_commit(lambda pk=note.pk: notification_email_send.delay(pk))
    logger.info("Alert for workout %s (%s): %s clinicians", workout.pk, "; ".join(reasons), created)
    return created


def notifications_send(*, recipients: list[tuple], kind: str, occurrence: str, patient=None) -> int:
    """One in-app notification per (user, title, link), each emailed once, after the commit.

    The unique (recipient, kind, occurrence) row makes a second call a no-op. Titles go into
    emails, so they never carry health details. Returns how many emails were queued.
    """
    from .tasks import notification_email_send

    queued = 0
    with transaction.atomic():
        for user, title, link in recipients:
            note, new = Notification.objects.get_or_create(
                recipient=user,
                kind=kind,
                occurrence=occurrence,
                defaults={"patient": patient, "title": title, "link": link},
            )
            if new and user.email_reminders:
                queued += 1
                transaction.on_commit(lambda pk=note.pk: notification_email_send.delay(pk))
    return queued


def program_change_notify(*, change) -> int:
    """Tell the patient and the care team that a program moved a level, once per change."""
    patient = change.prescribed.program.patient
    recipients = [(patient.user, "Your exercise program has changed", reverse("painlogs:today"))]
    recipients += [
        (
            clinician,
            "A patient's program was progressed automatically",
            reverse("patients:detail", args=[patient.pk]),
        )
        for clinician in patient.care_team.all()
    ]
    return notifications_send(
        recipients=recipients,
        kind=Notification.Kind.PROGRAM_CHANGE,
        occurrence=f"change-{change.pk}",
        patient=patient,
    )
