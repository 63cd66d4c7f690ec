"""What the Docker image relies on: its build step, its health check, its gunicorn settings."""

import io
import runpy
import socket
from pathlib import Path

import pytest
from django.core.management import call_command

from config import healthcheck

BASE_DIR = Path(__file__).resolve().parent.parent


def test_collectstatic_builds_the_hashed_manifest_the_image_serves(settings, tmp_path):
    """The image runs this at build time: a vendored file naming a missing one breaks it."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", "--noinput", stdout=io.StringIO())

    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/swagger-ui-dist-5.35.0/swagger-ui.*.css"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_health_check_passes_while_the_app_answers(live_server, monkeypatch):
    monkeypatch.setattr(healthcheck, "URL", f"{live_server.url}/healthz/")

    assert healthcheck.main() == 0


def test_health_check_fails_when_nothing_answers(monkeypatch):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setattr(healthcheck, "URL", f"http://127.0.0.1:{port}/healthz/")

    assert healthcheck.main() == 1


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("greenlight.example.org,localhost", "greenlight.example.org"),
        (".example.org", "healthcheck.example.org"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_health_check_asks_as_a_host_django_allows(allowed, host):
    assert healthcheck.probe_host(allowed) == host


def test_gunicorn_takes_its_workers_and_trusted_proxies_from_the_environment(monkeypatch):
    path = str(BASE_DIR / "config" / "gunicorn.py")
    default = runpy.run_path(path)
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("GUNICORN_FORWARDED_ALLOW_IPS", "10.0.0.2")
    tuned = runpy.run_path(path)

    assert (default["workers"], default["timeout"], default["accesslog"]) == (3, 60, "-")
    assert (tuned["workers"], tuned["forwarded_allow_ips"]) == (5, "10.0.0.2")
