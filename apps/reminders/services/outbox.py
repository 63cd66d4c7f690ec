"""The outbox: rows in the database are the pending work, the broker only wakes workers up.

Whatever must happen after a commit (an email, a check after a workout) is a row written in
that commit. Publishing its id on commit is a best-effort wake-up: if the broker is down the
request still succeeds, and the sweeper, every ``DELIVERY_SWEEP_SECONDS``, re-queues rows that
are due, not held by a worker, and not handed to the broker in the last
``DELIVERY_GRACE_SECONDS``, whoever created them.
"""

import logging
import time
from collections.abc import Collection
from datetime import datetime, timedelta
from functools import partial

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Job, Notification

logger = logging.getLogger(__name__)
# After a failed publish this process stops trying for a while: each try against a broker that
# does not answer costs a socket timeout, and the sweeper publishes the rows anyway.
BROKER_PAUSE_SECONDS = 10
DONE_JOBS_KEPT = timedelta(days=7)
_broker_paused_until = 0.0


def outbox_publish_on_commit(
    *, notification_ids: Collection[int] = (), job_ids: Collection[int] = ()
) -> None:
    if notification_ids or job_ids:
        transaction.on_commit(
            partial(outbox_publish, notification_ids=list(notification_ids), job_ids=list(job_ids))
        )


def outbox_publish(*, notification_ids: Collection[int] = (), job_ids: Collection[int] = ()) -> int:
    """Wake workers for these rows; never raises for a broker error. Returns how many went.

    Emails go as one message per ``DELIVERY_EMAIL_BATCH`` ids, and every message of the call
    through one producer (one broker connection): a morning's thousands of reminders cost a few
    thousand pushes, not a connection and a round trip each.
    """
    global _broker_paused_until
    from ..tasks import job_run, notification_emails_send

    size = settings.GREENLIGHT["DELIVERY_EMAIL_BATCH"]
    ids = list(notification_ids)
    messages: list[tuple[Task[..., object], list[int] | int]] = [
        (notification_emails_send, ids[i : i + size]) for i in range(0, len(ids), size)
    ]
    messages += [(job_run, pk) for pk in job_ids]
    if not messages or time.monotonic() < _broker_paused_until:
        return 0
    app = job_run.app
    if app.conf.task_always_eager:
        # Eager, the publish is the run: its errors are the task's own.
        for task, arg in messages:
            task.apply_async((arg,))
        return len(ids) + len(job_ids)
    rows = len(ids) + len(job_ids)
    sent = 0
    try:
        with app.producer_or_acquire() as producer:
            for task, arg in messages:
                task.apply_async((arg,), producer=producer, retry=False)
                sent += len(arg) if isinstance(arg, list) else 1
    except Exception:
        _broker_paused_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "Broker unreachable: %s of %s rows left for the sweeper",
            rows - sent,
            rows,
            exc_info=True,
        )
    return sent


def _claimable(queryset: QuerySet[Job] | QuerySet[Notification]) -> list[int]:
    """Up to a batch of due row ids, skipping rows another transaction holds (PostgreSQL)."""
    rows = queryset.select_for_update(skip_locked=True).values_list("pk", flat=True)
    return list(rows[: settings.GREENLIGHT["DELIVERY_BATCH"]])


def delivery_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Hand every due row nobody is working on to the broker again, in a flat number of queries.

    Emails: pending, due, lease expired or never taken, not queued within the grace period.
    Checks: pending, due, not queued within the grace period (a running one is locked).
    """
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.GREENLIGHT["DELIVERY_GRACE_SECONDS"])
    with transaction.atomic():
        emails = _claimable(
            Notification.objects.filter(
                email_status=Notification.EmailStatus.PENDING, email_next_attempt_at__lte=now
            )
            .filter(Q(email_lease_until__isnull=True) | Q(email_lease_until__lt=now))
            .filter(Q(email_queued_at__isnull=True) | Q(email_queued_at__lte=grace))
            .order_by("email_next_attempt_at")
        )
        jobs = _claimable(
            Job.objects.filter(status=Job.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=grace))
            .order_by("next_attempt_at")
        )
        if emails:
            Notification.objects.filter(pk__in=emails).update(email_queued_at=now)
        if jobs:
            Job.objects.filter(pk__in=jobs).update(queued_at=now)
        outbox_publish_on_commit(notification_ids=emails, job_ids=jobs)
    _done_jobs_prune(now)
    if emails or jobs:
        logger.info("Sweeper re-queued %s emails and %s checks", len(emails), len(jobs))
    return {"emails": len(emails), "jobs": len(jobs)}


def _done_jobs_prune(now: datetime) -> None:
    old = Job.objects.filter(status=Job.Status.DONE, updated_at__lt=now - DONE_JOBS_KEPT)
    Job.objects.filter(pk__in=old.values("pk")[:1000]).delete()


def outbox_settle(*, since: datetime) -> tuple[int, int]:
    """Mark what a bulk import of the past (the demo's weeks of history) owes as already handled.

    Its checks are done and its emails skipped, so no worker alerts or emails anyone about days
    long gone; the in-app notifications stay as they are. Returns (jobs, emails) settled.
    """
    jobs = Job.objects.filter(status=Job.Status.PENDING, created_at__gte=since).update(
        status=Job.Status.DONE, updated_at=timezone.now()
    )
    emails = Notification.objects.filter(
        email_status=Notification.EmailStatus.PENDING, created_at__gte=since
    ).update(email_status=Notification.EmailStatus.SKIPPED, updated_at=timezone.now())
    return jobs, emails
