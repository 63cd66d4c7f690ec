from celery import shared_task
from django.utils import timezone

from .services import audit_retention_purge


@shared_task(max_retries=0, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def audit_retention() -> int:
    """Daily: drop audit rows past AUDIT_RETENTION_YEARS (idempotent: a rerun finds none)."""
    return audit_retention_purge(now=timezone.now())
