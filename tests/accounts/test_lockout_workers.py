"""The lockout holds across workers: two gunicorn processes sharing Redis (ASVS 5.0 V6.3.1).

Needs PostgreSQL (both servers must see the test database) and Redis at CACHE_URL, or
redis://127.0.0.1:6379/9. Elsewhere skipped, unless GREENLIGHT_REQUIRE_SERVICES=1 makes that a
failure.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import PASSWORD, UserFactory
from tests.helpers import service_missing

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("CACHE_URL", "") or "redis://127.0.0.1:6379/9"
FAILURES = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def _post_token(port: int, email: str, password: str, forwarded_for: str):
    request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
        f"http://127.0.0.1:{port}/api/v1/auth/token/",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded_for},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def _wait_listening(port: int, proc, timeout=30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited early: {proc.stdout.read()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail("gunicorn did not start listening")


@pytest.fixture
def two_servers():
    """Two separate gunicorn servers on the test database, sharing one Redis cache."""
    if connection.vendor != "postgresql":
        service_missing("the servers need the PostgreSQL test database")
    if not REDIS_URL.startswith("redis://") or not _redis_up():
        service_missing(f"no Redis at {REDIS_URL}")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CACHE_URL": REDIS_URL,
        "LOGIN_LOCKOUT_ACCOUNT_FAILURES": str(FAILURES),
        # The address limit and the per-address throttle stay out of the way: every request
        # comes from 127.0.0.1, across test runs, and this test is about the account.
        "LOGIN_LOCKOUT_ADDRESS_FAILURES": "100000",
        "API_AUTH_THROTTLE": "100000/minute",
        "GREENLIGHT_TRUSTED_PROXIES": "",
    }
    processes, ports = [], []
    for _ in range(2):
        port = _free_port()
        proc = subprocess.Popen(  # noqa: S603 - our own server command
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(proc)
        ports.append(port)
    try:
        for port, proc in zip(ports, processes, strict=True):
            _wait_listening(port, proc)
        yield ports
    finally:
        for proc in processes:
            proc.terminate()
            proc.wait(timeout=20)


def test_v6_3_1_failures_spread_over_two_workers_and_rotating_addresses_lock_the_account(
    two_servers,
):
    # a fresh account each run, so earlier runs' counts in the shared Redis do not matter
    user = UserFactory(email=f"lockout-{uuid.uuid4().hex[:12]}@riverside.test")
    first, second = two_servers

    # when failed sign-ins alternate between the two servers, each from a "new" address
    statuses = [
        _post_token((first, second)[n % 2], user.email, "wrong-guess-123", f"10.{n}.0.1")[0]
        for n in range(FAILURES)
    ]

    # then each server saw only half of them, yet the account is locked on both
    assert statuses == [401] * FAILURES
    for port in (first, second):
        status, headers, body = _post_token(port, user.email, PASSWORD, "10.250.0.1")
        assert status == 429, body
        assert body["detail"].startswith("Too many failed sign-ins.")
        assert int(headers["Retry-After"]) > 0
