"""The production stack as a clinic runs it, on this machine: no mocks, no Docker.

A fresh virtualenv with the project installed non-editable from the lock (as the Dockerfile
does), production settings, gunicorn and a real Celery worker, on the machine's PostgreSQL and
Redis when they are configured (as in CI), else on SQLite and the file broker.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

import requests
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "smoke"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An SMTP sink that keeps every message, as the clinic's mail relay would accept them."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


@dataclass
class Services:
    """Where the stack keeps its data: the real PostgreSQL and Redis in CI."""

    database_url: str
    broker_url: str
    cache_url: str
    description: str

    @classmethod
    def from_environment(cls) -> Services:
        database = os.environ.get("DATABASE_URL", "")
        broker = os.environ.get("CELERY_BROKER_URL", "")
        if database.startswith("postgres"):
            base, _, _name = database.rpartition("/")
            database = _postgres_recreate(base, "greenlight_smoke")
        elif os.environ.get("GREENLIGHT_REQUIRE_SERVICES"):
            raise RuntimeError(
                "GREENLIGHT_REQUIRE_SERVICES is set but DATABASE_URL is not PostgreSQL"
            )
        else:
            db_file = WORK / "db.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_file}{suffix}").unlink(missing_ok=True)
            database = f"sqlite:///{db_file}"
        if broker.startswith("redis://"):
            # Databases of their own so that a test run's other workers never take these tasks.
            base = broker.rsplit("/", 1)[0]
            broker, cache = f"{base}/14", f"{base}/15"
            _redis_flush(broker)
            _redis_flush(cache)
        elif os.environ.get("GREENLIGHT_REQUIRE_SERVICES"):
            raise RuntimeError(
                "GREENLIGHT_REQUIRE_SERVICES is set but CELERY_BROKER_URL is not Redis"
            )
        else:
            broker, cache = "filesystem://", "locmemcache://"
        kind = "PostgreSQL" if database.startswith("postgres") else "SQLite"
        return cls(database, broker, cache, f"{kind}, broker {broker.split(':')[0]}")


def _postgres_recreate(server_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


def _redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@dataclass
class Stack:
    python: Path
    services: Services
    smtp_port: int
    port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """Only what a clinic sets (README's required variables); nothing from the test run."""
        keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
        return {
            **{k: v for k, v in os.environ.items() if k in keep},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.services.database_url,
            "CELERY_BROKER_URL": self.services.broker_url,
            "CACHE_URL": self.services.cache_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"https://127.0.0.1:{self.port}",
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        """Run a management command as the image would; raise with its output if it fails."""
        result = subprocess.run(  # noqa: S603 - our own command
            [str(self.python), "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result

    def start(self, name: str, args: list[str]) -> None:
        log = open(WORK / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(  # noqa: S603 - our own command
            [str(self.python.parent / args[0]), *args[1:]],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(proc)

    def start_web(self) -> None:
        self.start(
            "gunicorn",
            [
                "gunicorn",
                "config.wsgi:application",
                "--config",
                "config/gunicorn.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
            ],
        )

    def start_worker(self) -> None:
        self.start(
            "worker",
            [
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--without-mingle",
                "--without-gossip",
            ],
        )

    def wait_healthy(self, timeout: float = 60) -> dict:
        """The health endpoint, as the container's health check calls it, until all is ok."""
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            self.assert_running()
            try:
                response = requests.get(
                    f"{self.base_url}/healthz/",
                    headers={"X-Forwarded-Proto": "https"},
                    timeout=5,
                )
                last = response.json()
                if response.status_code == 200:
                    return last
            except (requests.ConnectionError, ValueError):
                pass
            time.sleep(0.5)
        raise AssertionError(f"the stack did not become healthy: {last}\n{self.logs()}")

    def assert_running(self) -> None:
        for proc in self.processes:
            if proc.poll() is not None:
                raise AssertionError(f"{proc.args[0]} exited with {proc.returncode}\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-6000:]}"
            for path in sorted(WORK.glob("*.log"))
        )

    def stop(self) -> None:
        for proc in self.processes:
            proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def smtp_sink() -> tuple[Inbox, Controller]:
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return inbox, controller
