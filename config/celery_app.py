import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from celery import Celery, Task
from celery.signals import after_setup_logger, after_setup_task_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

logger = logging.getLogger(__name__)
_paused: ContextVar[bool] = ContextVar("greenlight_tasks_paused", default=False)


class GreenlightTask(Task):
    """Every task of the project: publishes as usual, except inside ``tasks_paused()``."""

    def apply_async(self, *args, **kwargs):
        if _paused.get():
            logger.debug("Not queued while tasks are paused: %s", self.name)
            return None
        return super().apply_async(*args, **kwargs)


@contextmanager
def tasks_paused() -> Iterator[None]:
    """Queue no task, even from on-commit callbacks of transactions closed inside the block.

    For bulk writes through the services whose follow-ups nobody needs, such as the demo
    seed's weeks of history: alerts and emails about it would only flood a local worker.
    """
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


app = Celery("greenlight", task_cls=GreenlightTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _redact_worker_logs(logger, **kwargs):
    """The worker replaces Django's handlers with its own: give those the same redaction."""
    from apps.common.logging import RedactSecretsFilter

    for handler in logger.handlers:
        handler.addFilter(RedactSecretsFilter())
