import logging
import os
import socket
import sys
import threading
import time
import zoneinfo
from contextlib import contextmanager

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control

from apps.common.api import is_api_request


class UserTimezoneMiddleware:
    """Render dates in the signed-in user's zone: patients live in different zones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = getattr(request.user, "timezone", "") if request.user.is_authenticated else ""
        if tz_name:
            timezone.activate(zoneinfo.ZoneInfo(tz_name))
        else:
            timezone.deactivate()
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """Keep patient data out of shared and browser caches.

    A page for a signed-in user, or any API answer, may hold health data; ``no-store`` stops a
    proxy or the back button on a shared computer from showing it to the next person. Static
    files never reach this middleware (WhiteNoise answers them first) and keep their long cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api_request(request) or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


DATABASE_DOWN = (OperationalError, InterfaceError)
UNAVAILABLE = "Service temporarily unavailable."
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A request that cannot reach the database gets a quick 503, never a hang or a bare 500.

    Connection and query errors become 503 (JSON under /api/, a plain page elsewhere) wherever
    they happen: in the view, or in a middleware below this one (sessions, the user). A request
    still waiting on the database after ``DATABASE_REQUEST_DEADLINE`` seconds, as on a paused or
    partitioned link where neither ``statement_timeout`` (server side) nor ``connect_timeout``
    applies, has its connection cut so that it fails now, before gunicorn kills the worker
    without an answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with _watchdog().guard(connections[DEFAULT_DB_ALIAS], settings.DATABASE_REQUEST_DEADLINE):
            response = self.get_response(request)
        if getattr(request, "_database_unavailable", False):
            return database_unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.warning("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable_response(request)
        return None


def database_unavailable_response(request) -> HttpResponse:
    if is_api_request(request):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(render_to_string("common/unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@receiver(got_request_exception, dispatch_uid="greenlight.database_unavailable")
def _flag_database_unavailable(sender, request=None, **kwargs):
    """An error raised inside another middleware reaches us only as a 500; remember its cause."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_DOWN):
        logger.warning("Database unavailable for %s: %s", request.path, sys.exc_info()[1])
        request._database_unavailable = True


class _Watchdog:
    """One thread per process that cuts the database socket of requests past their deadline."""

    def __init__(self):
        self._lock = threading.Lock()
        self._guarded: dict[int, tuple[float, object]] = {}
        self._thread = threading.Thread(target=self._run, name="db-deadline", daemon=True)
        self._thread.start()

    @contextmanager
    def guard(self, wrapper, seconds: float):
        if wrapper.vendor != "postgresql" or not seconds:
            yield
            return
        key = id(wrapper)
        with self._lock:
            self._guarded[key] = (time.monotonic() + seconds, wrapper)
        try:
            yield
        finally:
            with self._lock:
                self._guarded.pop(key, None)

    def _run(self):
        while True:
            time.sleep(0.25)
            now = time.monotonic()
            with self._lock:
                late = [(k, w) for k, (at, w) in self._guarded.items() if at <= now]
                for key, _ in late:
                    del self._guarded[key]
            for _, wrapper in late:
                _sever(wrapper)


def _sever(wrapper) -> None:
    """Shut the socket down: the blocked query fails at once with an OperationalError."""
    raw = wrapper.connection
    if raw is None or raw.closed:
        return
    logger.warning("Request over its database deadline: cutting its connection")
    try:
        with socket.socket(fileno=os.dup(raw.fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already gone


_watchdogs: dict[int, _Watchdog] = {}


def _watchdog() -> _Watchdog:
    # Started lazily in each process: a thread does not survive gunicorn's fork.
    pid = os.getpid()
    if pid not in _watchdogs:
        _watchdogs[pid] = _Watchdog()
    return _watchdogs[pid]
