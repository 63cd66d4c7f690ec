from celery import shared_task

from .services import statuses_refresh_all


@shared_task(max_retries=0, ignore_result=True)
def statuses_refresh_task() -> int:
    """The scheduler's round: what time alone changes (missed sessions, reds ageing out)."""
    return statuses_refresh_all()
