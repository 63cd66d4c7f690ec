"""The scheduler's tick: who is due a reminder now, in their own zone, recorded once."""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.outcomes.selectors import responses_awaiting
from apps.outcomes.services import questionnaires_due_open_many
from apps.review.selectors import attention_counts

from .. import selectors
from ..models import Notification
from ..rules import local_days_around, local_moment, workout_reminder_due
from .outbox import outbox_publish_on_commit

logger = logging.getLogger(__name__)
FOLLOWUP_HOURS = settings.GREENLIGHT["FOLLOWUP_AFTER_HOURS"]
INACTIVITY_DAYS = settings.GREENLIGHT["INACTIVITY_DAYS"]
# A reminder missed by more than this (worker down for a day) is stale: better none than late.
WORKOUT_REMINDER_WINDOW = timedelta(hours=6)
FOLLOWUP_PROMPT_WINDOW_HOURS = 24
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


def _workouts_due(now: datetime, candidates: list[Mapping[str, Any]]) -> list[Due]:
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


def _inactive_due(now: datetime, candidates: list[Mapping[str, Any]]) -> list[Due]:
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


def _questionnaires_due(now: datetime, candidates: list[Mapping[str, Any]]) -> list[Due]:
    """At each patient's reminder time, open what their schedules owe, then remind once per
    unsent questionnaire (the occurrence is the response, so a reminder is never repeated)."""
    days = {}
    for row in candidates:
        today = local_days_around(now, row["tz"])[1]
        at = local_moment(today, row["at"], row["tz"])
        if at <= now < at + WORKOUT_REMINDER_WINDOW:
            days[row["patient_id"]] = today
    if not days:
        return []
    questionnaires_due_open_many(days)
    return [
        Due(
            user_id,
            patient_id,
            Notification.Kind.QUESTIONNAIRE_DUE,
            f"response-{pk}",
            # A link only: which questionnaire, let alone its answers, is health data.
            "Your care team has a few questions for you",
            reverse("outcomes:answer", args=[pk]),
        )
        for pk, patient_id, user_id in responses_awaiting(list(days))
    ]


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
    counts = attention_counts(due_ids) if due_ids else {}
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


def _insert_ignoring_conflicts(due: list[Due], *, queued: datetime) -> None:
    """One INSERT for every row, whatever their number: the tick's cost in queries is fixed.

    The rows travel as arrays (PostgreSQL) or one JSON document (SQLite) rather than as one
    parameter per field, so neither a batch size nor the driver's parameter limit splits them.
    A row whose (recipient, kind, occurrence) exists already is skipped by the unique key.
    """
    if not due:
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    insert = (
        f"INSERT INTO {table} (recipient_id, patient_id, kind, occurrence, title, link, "
        "created_at, updated_at, email_status, email_attempts, email_last_error, "
        "email_next_attempt_at, email_queued_at) SELECT "
    )
    stamp = connection.ops.adapt_datetimefield_value(queued)
    fixed: list[Any] = [stamp, stamp, Notification.EmailStatus.PENDING, 0, "", stamp, stamp]
    rows = [(d.recipient_id, d.patient_id, d.kind, d.occurrence, d.title, d.link) for d in due]
    if connection.vendor == "postgresql":
        sql = insert + (
            "r, p, k, o, t, l, %s, %s, %s, %s, %s, %s, %s FROM unnest(%s::bigint[], "
            "%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) AS d(r, p, k, o, t, l) "
            "ON CONFLICT DO NOTHING"
        )
        params = fixed + [list(column) for column in zip(*rows, strict=True)]
    else:
        picks = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(6))
        sql = insert + f"{picks}, %s, %s, %s, %s, %s, %s, %s FROM json_each(%s) "
        sql += "WHERE true ON CONFLICT DO NOTHING"  # "WHERE true": SQLite's upsert grammar
        params = fixed + [json.dumps(rows)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def notifications_record(due: list[Due], *, since: datetime) -> list[int]:
    """Insert what is due; rows that already exist are left alone (the unique key decides).

    Each new row is its email's outbox entry. Returns the ids of pending rows among them created
    from ``since`` on, to be emailed. Two ticks racing may both return a row: the email's claim
    refuses to send it twice.
    """
    _insert_ignoring_conflicts(due, queued=timezone.now())
    fresh = Notification.objects.filter(
        kind__in={d.kind for d in due},
        created_at__gte=since,
        email_status=Notification.EmailStatus.PENDING,
        email_attempts=0,
    )
    fresh.filter(recipient__email_reminders=False).update(
        email_status=Notification.EmailStatus.SKIPPED
    )
    return list(fresh.values_list("id", flat=True))


def reminders_tick(*, now: datetime | None = None) -> int:
    """Create every reminder due now and queue its email; safe to run twice (idempotent)."""
    now = now or timezone.now()
    started = timezone.now()
    candidates = selectors.reminder_candidates()
    due = (
        _workouts_due(now, candidates)
        + _inactive_due(now, candidates)
        + _followups_due(now)
        + _questionnaires_due(now, candidates)
        + _digests_due(now)
    )
    if not due:
        return 0
    with transaction.atomic():
        ids = notifications_record(due, since=started)
        outbox_publish_on_commit(notification_ids=ids)
    return len(ids)
