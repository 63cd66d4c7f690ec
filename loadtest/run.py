"""The load test (`make loadtest`): gunicorn with production settings on PostgreSQL, two mixes.

Recreates the database LOADTEST_DATABASE_URL names, migrates and seeds it (`seed_loadtest`), starts
gunicorn as `config/gunicorn.py` configures it, runs Locust headless for each mix in turn
(patients logging workouts, then clinicians reading), prints requests/s, latency percentiles and
errors for each, and stops gunicorn. Every knob is an environment variable (README, Benchmarks).
"""

from __future__ import annotations

import csv
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "loadtest"
# User class in the locustfile, label, and what its requests are.
MIXES = [
    ("PatientLogging", "workout logging", "writes/s"),
    ("ClinicianReading", "clinician reading", "reads/s"),
]


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def settings() -> dict[str, str]:
    return {
        # Names of their own, not DATABASE_URL and CELERY_BROKER_URL: this database is dropped
        # and this Redis database flushed, which a developer's usual ones must never be.
        "database_url": setting(
            "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gl_load"
        ),
        "broker_url": setting("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/8"),
        "port": setting("LOADTEST_PORT", "8150"),
        "workers": setting("LOADTEST_WORKERS", "2"),
        "users": setting("LOADTEST_USERS", "8"),
        "seconds": setting("LOADTEST_SECONDS", "60"),
        "clinicians": setting("LOADTEST_CLINICIANS", "4"),
        "patients": setting("LOADTEST_PATIENTS", "100"),
        "weeks": setting("LOADTEST_WEEKS", "12"),
    }


def app_env(conf: dict[str, str]) -> dict[str, str]:
    """What a clinic sets in production, plus GREENLIGHT_RATE_LIMITS=off: one patient logging
    many workouts a minute would otherwise meet the per-user write limit, not the server's."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    return {
        **{k: v for k, v in os.environ.items() if k in keep},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": conf["database_url"],
        "CELERY_BROKER_URL": conf["broker_url"],
        "EMAIL_URL": "consolemail://",
        "GREENLIGHT_ALLOW_CONSOLE_EMAIL": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"https://127.0.0.1:{conf['port']}",
        "GREENLIGHT_RATE_LIMITS": "off",
        "PYTHONUNBUFFERED": "1",
    }


def database_recreate(url: str) -> None:
    """Drop and create the database; only one whose name says it is for load tests."""
    name = urlsplit(url).path.lstrip("/")
    if "load" not in name:
        sys.exit(f"refusing to recreate database {name!r}: its name must contain 'load'")
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    # Seeding inserts thousands of rows a statement (each through the history triggers): no
    # statement timeout for it, as for a long migrate; the server keeps its default.
    env = {**env, "DATABASE_STATEMENT_TIMEOUT_MS": "0"}
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def gunicorn_start(env: dict[str, str], conf: dict[str, str]) -> subprocess.Popen:
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    args = ["--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{conf['port']}"]
    return subprocess.Popen(  # noqa: S603 - our own command
        [str(BIN / "gunicorn"), *args, "--workers", conf["workers"]],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_healthy(base_url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}; see {OUT / 'gunicorn.log'}")
        try:
            health = requests.get(
                f"{base_url}/healthz/", headers={"X-Forwarded-Proto": "https"}, timeout=10
            )
            if health.status_code == 200:
                return
        except requests.RequestException:
            # Not listening yet, or a worker still importing Django on a busy machine.
            pass
        time.sleep(0.5)
    sys.exit(f"gunicorn did not become healthy; see {OUT / 'gunicorn.log'}")


def locust_run(user_class: str, base_url: str, conf: dict[str, str]) -> dict:
    prefix = OUT / user_class
    subprocess.run(  # noqa: S603 - our own command
        [
            str(BIN / "locust"),
            *("-f", "loadtest/locustfile.py", "--headless", "--only-summary"),
            *("--host", base_url, "-u", conf["users"], "-r", conf["users"]),
            *("-t", f"{conf['seconds']}s", "--csv", str(prefix), "--loglevel", "WARNING"),
            user_class,
        ],
        cwd=ROOT,
        env={**os.environ, "LOADTEST_SEED": str(OUT / "seed.json")},
        check=False,  # Locust exits 1 when any request failed; the summary reports them.
    )
    with open(f"{prefix}_stats.csv") as stats:
        return next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")


def summary_line(label: str, unit: str, row: dict) -> str:
    return (
        f"{label}: {float(row['Requests/s']):.1f} {unit}, "
        f"p50 {row['50%']} ms, p95 {row['95%']} ms, p99 {row['99%']} ms, "
        f"{row['Failure Count']} errors in {row['Request Count']} requests"
    )


def main() -> None:
    conf = settings()
    OUT.mkdir(parents=True, exist_ok=True)
    env = app_env(conf)
    base_url = f"http://127.0.0.1:{conf['port']}"
    database_recreate(conf["database_url"])
    redis.Redis.from_url(conf["broker_url"]).flushdb()
    manage(env, "migrate", "--noinput", "-v", "0")
    seed = ("--clinicians", conf["clinicians"], "--patients", conf["patients"])
    manage(env, "seed_loadtest", *seed, "--weeks", conf["weeks"], "--out", str(OUT / "seed.json"))
    server = gunicorn_start(env, conf)
    try:
        wait_healthy(base_url, server)
        rows = [(label, unit, locust_run(name, base_url, conf)) for name, label, unit in MIXES]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\n{conf['users']} users, {conf['seconds']} s per mix, {conf['workers']} gunicorn "
        f"workers, {os.cpu_count()} cores"
    )
    for label, unit, row in rows:
        print(summary_line(label, unit, row))


if __name__ == "__main__":
    main()
