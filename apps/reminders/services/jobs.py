"""Work owed after a change, run from the outbox: checks (clinician alert, automatic progression)
here, account emails (invitation, password reset) in job_emails.py."""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.common.services import require

from .. import selectors
from ..models import Job
from ..rules import retry_delay
from .job_emails import job_email_deliver
from .outbox import outbox_publish_on_commit

logger = logging.getLogger(__name__)


def _clinician_alert_check(workout_id: int) -> None:
    from .alerts import clinician_alert_check

    clinician_alert_check(workout_id=workout_id)


def _auto_progression_check(patient_id: int) -> None:
    from apps.programs.services import auto_progression_check

    auto_progression_check(patient_id=patient_id)


JOB_HANDLERS: dict[str, Callable[[int], None]] = {
    Job.Kind.CLINICIAN_ALERT_CHECK: _clinician_alert_check,
    Job.Kind.AUTO_PROGRESSION_CHECK: _auto_progression_check,
}


def jobs_create(
    *, patient_id: int | None, work: Sequence[tuple[str, int]], requested_by_id: int | None = None
) -> list[int]:
    """Record work owed by a change in the caller's transaction; wake a worker on commit."""
    now = timezone.now()
    jobs = Job.objects.bulk_create(
        [
            Job(
                kind=kind,
                patient_id=patient_id,
                object_id=pk,
                requested_by_id=requested_by_id,
                queued_at=now,
            )
            for kind, pk in work
        ]
    )
    ids = [job.pk for job in jobs]
    outbox_publish_on_commit(job_ids=ids)
    return ids


def job_run(*, job_id: int, now: datetime | None = None) -> bool:
    """Run one due check and mark it done in the same transaction; True if this call ran it.

    The row stays locked while the check runs, so a duplicate message skips it; a crash rolls
    back both the check's writes and the mark, and the row is simply due again. A check that
    raises is retried on the ``DELIVERY_RETRY_MINUTES`` ladder, then marked failed. An email
    row is claimed, sent and marked instead (job_emails.py), with no transaction open meanwhile.
    """
    if Job.objects.filter(pk=job_id, kind__in=Job.EMAIL_KINDS).exists():
        return job_email_deliver(job_id=job_id, now=now)
    now = now or timezone.now()
    job = None
    try:
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(pk=job_id, status=Job.Status.PENDING, next_attempt_at__lte=now)
                .first()
            )
            if job is None:
                return False
            try:
                JOB_HANDLERS[job.kind](job.object_id)
            except ObjectDoesNotExist:
                logger.info("%s: its object is gone, nothing to check", job)
            job.status, job.attempts = Job.Status.DONE, job.attempts + 1
            job.save(update_fields=["status", "attempts", "updated_at"])
    except Exception as error:
        if job is None:
            raise  # the database itself failed: the task retries, the sweeper is behind it
        _job_failure_record(job.pk, error)
        return False
    return True


def _job_failure_record(job_id: int, error: Exception) -> None:
    logger.exception("Check %s failed", job_id)
    job = Job.objects.get(pk=job_id)
    job.attempts += 1
    job.last_error = f"{type(error).__name__}: {error}"[:500]
    job.queued_at = None
    delay = retry_delay(job.attempts, settings.GREENLIGHT["DELIVERY_RETRY_MINUTES"])
    if delay is None:
        job.status = Job.Status.FAILED
        logger.error("%s gave up after %s attempts: %s", job, job.attempts, job.last_error)
    else:
        job.next_attempt_at = timezone.now() + delay
    job.save(
        update_fields=[
            "attempts",
            "last_error",
            "queued_at",
            "status",
            "next_attempt_at",
            "updated_at",
        ]
    )


@transaction.atomic
def job_retry(*, user: User, job: Job) -> None:
    """Run a failed check, or send a failed email, again with a fresh set of attempts: for
    those who may see it failed (``failed_jobs_for``)."""
    require(
        selectors.failed_jobs_for(user).filter(pk=job.pk).exists(),
        "Only a check that could not run, or an email that could not be sent, can be retried.",
    )
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.PENDING, attempts=0, next_attempt_at=now, queued_at=now, updated_at=now
    )
    outbox_publish_on_commit(job_ids=[job.pk])
