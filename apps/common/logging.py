"""Keep secrets out of log lines: one ``redact`` for Django's log records and gunicorn's access log.

A password-reset, invitation or unsubscribe link is a working key to an account for days, and a
request path is logged whole (Django's "Not Found: /path", gunicorn's access line, a Referer
header sent by the page that link opened). So the token segments of those paths, Bearer tokens,
``token=``/``password=`` pairs and the password in a URL are replaced before a line is written.
"""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

REDACTED = "[redacted]"

_PATTERNS = [
    # /accounts/password/reset/<uidb64>/<token>/ and /accounts/invite/<uidb64>/<token>/
    (re.compile(r"(/(?:password/reset|invite)/[^/\s]+/)[^/\s?#\"']+"), rf"\1{REDACTED}"),
    # /notifications/unsubscribe/<signed token>/
    (re.compile(r"(/unsubscribe/)[^/\s?#\"']+"), rf"\1{REDACTED}"),
    (re.compile(r"(\bBearer\s+)[^\s\"',;]+", re.IGNORECASE), rf"\1{REDACTED}"),
    (
        re.compile(r"([\w-]*(?:token|password|secret)[\"']?\s*[=:]\s*[\"']?)[^\s&\"',;}]+", re.I),
        rf"\1{REDACTED}",
    ),
    # scheme://user:password@host
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]+@", re.IGNORECASE), rf"\1{REDACTED}@"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrite a record's message (and its traceback) with the secrets replaced.

    Attached to a handler, it changes the record in place, so handlers after it on the same
    logger see the redacted text too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # The formatter reuses exc_text when set; an exception's text can quote a path too.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger with the access line's request, Referer and headers redacted.

    Use it with ``--logger-class apps.common.logging.RedactingGunicornLogger`` (or
    ``logger_class`` in a gunicorn config file). The error log, which can quote a request
    line, gets the same filter.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if not any(isinstance(f, RedactSecretsFilter) for f in handler.filters):
                handler.addFilter(RedactSecretsFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(v) if isinstance(v, str) else v for key, v in atoms.items()}
