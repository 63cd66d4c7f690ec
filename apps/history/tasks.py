from celery import shared_task

from . import services
from .context import worker_context


@shared_task(max_retries=0, acks_late=True, ignore_result=True)
@worker_context
def history_prune() -> int:
    """Beat's daily retention run: idempotent, so a repeat deletes nothing more."""
    return services.history_prune()
