"""Who and what wrote a change: the context pghistory attaches to every event.

pghistory prefixes each write statement with ``set_config(...)`` inside the same round trip,
so the context costs no query of its own. That SQL is PostgreSQL's: on SQLite no context is
entered (and nothing is captured).
"""

import functools
from contextlib import nullcontext

import pghistory
import pghistory.middleware
from django.db import connection
from pghistory import runtime

from apps.common.api import is_api_request


def history_captured() -> bool:
    """The history is written by PostgreSQL triggers: on other databases there is none."""
    return connection.vendor == "postgresql"


def history_context(**metadata):
    """``pghistory.context`` on PostgreSQL, nothing elsewhere."""
    return pghistory.context(**metadata) if history_captured() else nullcontext()


def worker_context(func):
    """Run a task under a context of its own: the actor is the system, not a person.

    A task run eagerly inside a request (tests) joins that request's context instead.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if hasattr(runtime._tracker, "value"):
            return func(*args, **kwargs)
        with history_context(source="worker", actor="system", user=None, task=func.__name__):
            return func(*args, **kwargs)

    return wrapper


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """pghistory's middleware (user id, path) plus whether the request came by the API."""

    def get_context(self, request) -> dict:
        context = super().get_context(request)
        source = "api" if is_api_request(request) else "browser"
        return {**context, "source": source, "path": request.path}

    def __call__(self, request):
        if not history_captured():
            return self.get_response(request)
        return super().__call__(request)
