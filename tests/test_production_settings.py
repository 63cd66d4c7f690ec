"""Production settings refuse to start half-configured, each in a fresh interpreter.

Settings are read once per process, so every case loads them in a subprocess with exactly the
environment it describes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PREFIXES = ("DJANGO_", "EMAIL_", "CACHE_", "CELERY_", "SENTRY_", "GREENLIGHT_", "DATABASE_")
COMPLETE = {
    "DJANGO_SECRET_KEY": "a-long-random-production-key-for-tests",
    "EMAIL_URL": "smtp+tls://greenlight:secret@smtp.example.org:587",
}
SHOW = (
    "import json; from django.conf import settings as s; import sentry_sdk; "
    "print(json.dumps({'email': s.EMAIL_BACKEND, 'email_host': s.EMAIL_HOST, "
    "'email_timeout': s.EMAIL_TIMEOUT, 'cache': s.CACHES['default'], "
    "'sentry': sentry_sdk.get_client().is_active(), "
    "'sentry_pii': sentry_sdk.get_client().options.get('send_default_pii'), "
    "'sentry_before_send': getattr(sentry_sdk.get_client().options.get('before_send'), "
    "'__name__', None)}))"
)


def _settings(module="config.settings.production", code=SHOW, **variables):
    """Load a settings module with only these variables (an empty one counts as unset)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES)}
    # Empty values also mask whatever a developer's .env file would supply.
    environ.update({"DJANGO_SECRET_KEY": "", "EMAIL_URL": "", "CACHE_URL": "", "SENTRY_DSN": ""})
    environ.update(DJANGO_SETTINGS_MODULE=module, **variables)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _loaded(**variables) -> dict:
    result = _settings(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "EMAIL_URL"])
def test_production_names_the_missing_required_variable(missing):
    given = {k: v for k, v in COMPLETE.items() if k != missing}

    result = _settings(**given)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set {missing}:" in result.stderr


def test_production_refuses_console_email_unless_allowed():
    refused = _settings(**{**COMPLETE, "EMAIL_URL": "consolemail://"})
    allowed = _loaded(
        **{**COMPLETE, "EMAIL_URL": "consolemail://", "GREENLIGHT_ALLOW_CONSOLE_EMAIL": "1"}
    )

    assert refused.returncode != 0
    assert "GREENLIGHT_ALLOW_CONSOLE_EMAIL=1" in refused.stderr
    assert allowed["email"] == "django.core.mail.backends.console.EmailBackend"


def test_production_sends_through_the_smtp_url_with_a_timeout():
    default = _loaded(**COMPLETE)
    slower = _loaded(**COMPLETE, EMAIL_TIMEOUT="30")

    assert default["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert default["email_host"] == "smtp.example.org"
    assert (default["email_timeout"], slower["email_timeout"]) == (10, 30)


def test_production_cache_defaults_to_the_brokers_redis_so_throttles_span_workers():
    on_redis = _loaded(**COMPLETE, CELERY_BROKER_URL="redis://127.0.0.1:6379/5")
    chosen = _loaded(
        **COMPLETE, CELERY_BROKER_URL="redis://127.0.0.1:6379/5", CACHE_URL="redis://cache:6379/1"
    )
    on_files = _loaded(**COMPLETE)

    assert on_redis["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert on_redis["cache"]["LOCATION"] == "redis://127.0.0.1:6379/5"
    assert chosen["cache"]["LOCATION"] == "redis://cache:6379/1"
    assert on_files["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_sentry_starts_only_with_a_dsn_and_scrubs_every_event():
    without = _loaded(**COMPLETE)
    with_dsn = _loaded(**COMPLETE, SENTRY_DSN="https://public@sentry.example.org/1")

    assert without["sentry"] is False
    assert with_dsn["sentry"] is True
    assert with_dsn["sentry_pii"] is False
    assert with_dsn["sentry_before_send"] == "scrub_event"


def test_local_sqlite_runs_in_wal_mode(tmp_path):
    """The web server and the worker share the file: WAL keeps readers off the writer's lock."""
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = _settings(
        module="config.settings.local",
        code=code,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"
