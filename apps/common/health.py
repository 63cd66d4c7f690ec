"""GET /healthz/: can this instance reach its database, broker and cache right now?

Load balancers and uptime monitors call it often and act on its status code, so it answers
within ``DEADLINE`` whatever a dependency does: the checks run side by side in threads, each
client with its own short timeout, and a check still running at the deadline has failed.
"""

import logging
import os
import re
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import load_backend
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

from .logging import redact

logger = logging.getLogger(__name__)

# Seconds. Probes commonly give up after 2 s; answering by 1.2 s leaves room for a loaded host.
CLIENT_TIMEOUT = 0.8
DEADLINE = 1.2


class CheckFailed(Exception):
    """The dependency answered, but not as it should."""


def database_settings(db: dict) -> dict:
    """A database's settings for a fresh connection with a short connect timeout."""
    options = dict(db["OPTIONS"])
    # A pooled connection would prove little and ignore the timeout: always connect anew.
    options.pop("pool", None)
    if db["ENGINE"] == "django.db.backends.postgresql":
        options["connect_timeout"] = CLIENT_TIMEOUT
    return {**db, "OPTIONS": options}


def database_check() -> None:
    # Not django.db.connection: in a worker thread that would open a per-thread connection
    # that nobody closes. This one is opened, used once and closed here.
    db = database_settings(connections.settings[DEFAULT_DB_ALIAS])
    wrapper = load_backend(db["ENGINE"]).DatabaseWrapper(db, "healthz")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        wrapper.close()


def broker_check() -> None:
    url = settings.CELERY_BROKER_URL
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    if url.startswith("filesystem://"):
        folders = {options.get("data_folder_in"), options.get("data_folder_out")}
        if not all(
            folder and os.path.isdir(folder) and os.access(folder, os.W_OK) for folder in folders
        ):
            raise CheckFailed("queue folder is missing or not writable")
        return
    timeouts = {"socket_timeout": CLIENT_TIMEOUT, "socket_connect_timeout": CLIENT_TIMEOUT}
    with Connection(
        url, connect_timeout=CLIENT_TIMEOUT, transport_options={**options, **timeouts}
    ) as conn:
        conn.ensure_connection(max_retries=0)


def cache_check() -> None:
    # A key of its own per call: instances sharing one cache must not read each other's value.
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise CheckFailed("a value just set was not read back")


CHECKS: dict[str, Callable[[], None]] = {
    "database": database_check,
    "broker": broker_check,
    "cache": cache_check,
}


def _short_error(error: Exception) -> str:
    """The exception class and the last clause of its message: no hosts, URLs or passwords."""
    lines = str(error).strip().splitlines()
    clause = re.split(r": |\. ", lines[0])[-1].strip() if lines else ""
    return f"{type(error).__name__}: {redact(clause)}"[:120] if clause else type(error).__name__


def _run(check: Callable[[], None]) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as error:
        return {"ok": False, "ms": _ms_since(started), "error": _short_error(error)}
    finally:
        # Whatever the check touched through django.db in this thread is closed with it.
        connections.close_all()
    return {"ok": True, "ms": _ms_since(started)}


def _ms_since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def checks_run(deadline: float = DEADLINE) -> dict[str, dict]:
    """Each check's result, ``{"ok", "ms"}`` plus ``"error"`` when it failed."""
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="healthz")
    futures = {name: pool.submit(_run, check) for name, check in CHECKS.items()}
    wait(futures.values(), timeout=deadline)
    # Not waiting for a hung check: its thread ends when its client's own timeout fires.
    pool.shutdown(wait=False)
    timed_out = {"ok": False, "ms": round(deadline * 1000), "error": "timed out"}
    return {name: f.result() if f.done() else timed_out for name, f in futures.items()}


@transaction.non_atomic_requests
@never_cache
def healthz(request):
    """200 when every check passes, else 503; JSON either way, no login, never cached."""
    checks = checks_run()
    failed = [name for name, result in checks.items() if not result["ok"]]
    for name in failed:
        logger.warning("Health check %s failed: %s", name, checks[name]["error"])
    return JsonResponse(
        {"status": "fail" if failed else "ok", "checks": checks}, status=503 if failed else 200
    )
