"""Error reports to Sentry that carry no health data.

Request bodies, query strings, SQL parameters, log arguments and local variables are where
pain ratings, diagnoses, notes and one-time tokens sit while Greenlight works. ``scrub_event``
keeps what locates a bug (exception types, code locations, the route, the user's id) and
drops the rest before an event leaves the server. It is a pure function on the event dict.
"""

import copy
import re
from typing import Any, cast

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

# Headers that help to reproduce a bug without naming anyone or carrying a credential.
SAFE_HEADERS = frozenset(
    {"accept", "content-length", "content-type", "host", "user-agent", "x-forwarded-proto"}
)
# Invitation and password-reset links carry a one-time token: /<uidb64>/<timestamp>-<hmac>/.
TOKEN_IN_PATH = re.compile(r"/[0-9A-Za-z_-]+/[0-9a-z]+-[0-9a-f]{20,}")
# PostgreSQL adds the offending row to constraint errors ("DETAIL: Failing row contains ...").
SQL_DETAIL = re.compile(r"\s*DETAIL:.*", re.DOTALL)


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's ``before_send``: the event without bodies, cookies, variables or people."""
    event = copy.deepcopy(event)
    if "request" in event:
        event["request"] = _request_scrubbed(event["request"])
    if "user" in event:
        event["user"] = {"id": event["user"]["id"]} if "id" in event["user"] else {}
    for frame in _frames(event):
        frame.pop("vars", None)
    for exception in event.get("exception", {}).get("values", []):
        if isinstance(exception.get("value"), str):
            exception["value"] = SQL_DETAIL.sub("", exception["value"])
    event["breadcrumbs"] = _breadcrumbs_scrubbed(event.get("breadcrumbs"))
    if "logentry" in event:
        # The template names what happened; its arguments may be anything.
        event["logentry"] = {"message": event["logentry"].get("message", "")}
    event.get("extra", {}).pop("celery-job", None)
    return event


def _request_scrubbed(request: dict) -> dict:
    headers = request.get("headers") or {}
    return {
        "method": request.get("method"),
        "url": TOKEN_IN_PATH.sub("/[uid]/[token]", (request.get("url") or "").split("?")[0]),
        "headers": {k: v for k, v in headers.items() if k.lower() in SAFE_HEADERS},
    }


def _frames(event: dict):
    """Stack frames of the exceptions and of the threads, where local variables are kept."""
    for key in ("exception", "threads"):
        for value in event.get(key, {}).get("values", []):
            yield from (value.get("stacktrace") or {}).get("frames", [])


def _breadcrumbs_scrubbed(breadcrumbs):
    """Keep the trail (what kind of step, when) without messages, SQL or their parameters."""
    if not breadcrumbs:
        return {"values": []}
    values = breadcrumbs["values"] if isinstance(breadcrumbs, dict) else breadcrumbs
    kept = ("type", "category", "level", "timestamp")
    return {"values": [{k: crumb[k] for k in kept if k in crumb} for crumb in values]}


def sentry_init(*, dsn: str, environment: str) -> None:
    """Report errors of the web app and the worker, through ``scrub_event`` only."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        # Sentry types the event as a TypedDict; scrub_event works on it as a plain dict.
        before_send=cast(Any, scrub_event),
    )
