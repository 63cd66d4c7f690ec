"""No token, reset or invitation link, diagnosis or pain rating in any log line at INFO or above.

Each flow runs with every record captured (caplog at DEBUG on the root logger); the records
have passed the console handler's redacting filter, as an operator's log would.
"""

import logging
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from apps.common.logging import RedactingGunicornLogger, RedactSecretsFilter, redact

RESET_PATH = "/accounts/password/reset/MTI/cz8k1b-4f2a9d0c7e31b5a6f8d9e0c1b2a3f4e5/"
INVITE_PATH = "/accounts/invite/MTI/cz8k1b-4f2a9d0c7e31b5a6f8d9e0c1b2a3f4e5/"
UNSUBSCRIBE_PATH = "/notifications/unsubscribe/12:1tAbcD:q1w2e3r4t5y6u7i8o9p0/"
SECRETS = ["cz8k1b-4f2a9d0c7e31b5a6f8d9e0c1b2a3f4e5", "12:1tAbcD:q1w2e3r4t5y6u7i8o9p0"]


# --- the filter and gunicorn's access log, on their own ------------------------------------------


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (f"Not Found: {RESET_PATH}", SECRETS[0]),
        (f'"GET {INVITE_PATH} HTTP/1.1" 200', SECRETS[0]),
        (f"Not Found: {UNSUBSCRIBE_PATH}", SECRETS[1]),
        ("Authorization: Bearer 5f1e9c0d2b7a4e3f8c6d1b0a9e8f7c6d", "5f1e9c0d2b7a4e3f"),
        ("GET /api/v1/me/?token=5f1e9c0d2b7a&page=2", "5f1e9c0d2b7a"),
        ('{"token": "5f1e9c0d2b7a", "expiry": null}', "5f1e9c0d2b7a"),
        ("broker at redis://:hunter2-pass@cache:6379/0 is down", "hunter2-pass"),
    ],
)
def test_redact_hides_the_secret_and_keeps_the_rest(line, secret):
    redacted = redact(line)

    assert secret not in redacted
    assert "[redacted]" in redacted
    assert redacted.split("[redacted]")[0] == line.split(secret)[0]


def test_the_filter_rewrites_the_message_and_the_traceback():
    try:
        raise ValueError(f"no route for {RESET_PATH}")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (RESET_PATH,), None
        )
        record.exc_info = sys.exc_info()

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == "Not Found: /accounts/password/reset/MTI/[redacted]/"
    assert SECRETS[0] not in logging.Formatter().format(record)


def test_gunicorn_access_lines_hide_reset_links_referers_and_bearer_tokens():
    cfg = Config()
    cfg.set("accesslog", "-")
    log = RedactingGunicornLogger(cfg)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(handler.format(record))
    log.access_log.addHandler(handler)
    cfg.set("access_log_format", '%(r)s "%(f)s" %({authorization}i)s %(U)s')
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": UNSUBSCRIBE_PATH,
        "PATH_INFO": UNSUBSCRIBE_PATH,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://greenlight.example{INVITE_PATH}",
        "REMOTE_ADDR": "10.0.0.9",
    }
    request = SimpleNamespace(headers=[("Authorization", "Bearer 5f1e9c0d2b7a4e3f")])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])

    log.access(response, request, environ, timedelta(milliseconds=12))

    assert len(lines) == 1
    assert "GET /notifications/unsubscribe/[redacted]/ HTTP/1.1" in lines[0]
    assert "/accounts/invite/MTI/[redacted]/" in lines[0]
    for secret in [*SECRETS, "5f1e9c0d2b7a4e3f"]:
        assert secret not in lines[0]
