from celery import shared_task

from .services import tokens_expired_delete


@shared_task(max_retries=0, acks_late=True, ignore_result=True)
def tokens_expired_delete_task() -> int:
    """Daily: API tokens past their expiry (idempotent, so a repeat deletes nothing more)."""
    return tokens_expired_delete()
