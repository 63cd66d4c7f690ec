from celery import shared_task

from apps.history.context import worker_context

from .erasure import erasures_purge


@shared_task(max_retries=0, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
@worker_context
def erasure_purge() -> int:
    """Daily: delete erased patients' records whose retention has passed (idempotent)."""
    return erasures_purge()
