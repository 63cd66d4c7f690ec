"""GET /healthz/ answers JSON within 2 s, 200 or 503, whatever its dependencies do.

Failures are real: a port that refuses connections (127.0.0.1:1) and a server that accepts and
never answers. A test of a working Redis needs one (a ``redis://`` CELERY_BROKER_URL), and is
skipped without it unless GREENLIGHT_REQUIRE_SERVICES=1.
"""

import os
import socket
import threading
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse

from tests.helpers import service_missing

pytestmark = pytest.mark.django_db

REFUSING = "127.0.0.1:1"
DB_PASSWORD = "s3cret-db-pass"  # noqa: S105 - must never reach the response


def _get(client):
    url = reverse("healthz")
    started = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - started


def _postgres_at(monkeypatch, port):
    """The app's database settings, pointed at a PostgreSQL server on this local port.

    psycopg really connects, so this needs no PostgreSQL of its own. The request's own
    connection was opened before and keeps its settings; only the check's fresh one moves.
    """
    moved = {
        **connection.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": port,
        "NAME": "greenlight",
        "USER": "greenlight",
        "PASSWORD": DB_PASSWORD,
        "OPTIONS": {},
    }
    monkeypatch.setitem(connections.settings, DEFAULT_DB_ALIAS, moved)


@pytest.fixture
def silent_server():
    """A TCP server on a random local port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in held:
        conn.close()


def test_all_checks_pass_with_200_json_not_cached_and_without_login(client):
    response, _ = _get(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "cache"}
    for result in body["checks"].values():
        assert result["ok"] is True
        assert isinstance(result["ms"], int)
        assert "error" not in result


def test_a_database_that_refuses_connections_is_503_naming_it(client, monkeypatch):
    _postgres_at(monkeypatch, 1)

    response, _ = _get(client)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["error"] == "OperationalError: Connection refused"
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert DB_PASSWORD not in response.content.decode()
    assert REFUSING not in response.content.decode()


def test_a_broker_that_refuses_connections_is_503_naming_it(client, settings):
    settings.CELERY_BROKER_URL = f"redis://:broker-pass@{REFUSING}/0"

    response, _ = _get(client)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["ok"] is False
    assert "Connection refused" in body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] is True
    assert "broker-pass" not in response.content.decode()


def test_hanging_dependencies_still_get_a_503_within_2_seconds(
    client, settings, monkeypatch, silent_server
):
    # given a broker and a database that accept connections and never answer
    # (a first request loads the URLconf and views, which a running server has long done)
    assert _get(client)[0].status_code == 200
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server}/0"
    _postgres_at(monkeypatch, silent_server)

    response, elapsed = _get(client)

    assert elapsed < 2.0
    assert response.status_code == 503
    checks = response.json()["checks"]
    # the broker's client gives up after its own 0.8 s read timeout (or, on a loaded host, the
    # deadline cuts it off first)...
    assert checks["broker"]["ok"] is False
    assert checks["broker"]["error"].startswith(
        ("TimeoutError", "OperationalError: Timeout", "timed out")
    )
    # ...PostgreSQL's connect timeout is never under 2 s, so the deadline cuts it off
    assert checks["database"] == {"ok": False, "ms": 1200, "error": "timed out"}
    assert checks["cache"]["ok"] is True


def test_a_reachable_redis_broker_passes(client, settings):
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        service_missing("CELERY_BROKER_URL is not a redis:// URL")
    settings.CELERY_BROKER_URL = url

    response, _ = _get(client)

    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["ok"] is True


def test_a_missing_filesystem_broker_folder_fails(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "gone"),
        "data_folder_out": str(tmp_path),
    }

    response, _ = _get(client)

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["error"] == (
        "CheckFailed: queue folder is missing or not writable"
    )
