"""Failed sign-in lockout, per account and per client address (ASVS 5.0 V6.3.1).

Every door that checks a password (the browser login, the admin login, the API token endpoint)
goes through ``authenticate()``, so the lock sits in the authentication backend and the count in
Django's ``user_login_failed`` signal. Both live in the cache, which production shares between
workers (Redis): a guesser spreading attempts over workers or processes meets one count.

django-axes was the candidate library, but it has one failure limit for every lockout
parameter, and here an address (a clinic's shared NAT) may fail five times as often as one
account before it is locked.
"""

import logging
import math
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.crypto import salted_hmac

from apps.common.ratelimit import client_address, counter_incr

logger = logging.getLogger(__name__)

LOCKED_OUT = "Too many failed sign-ins. Try again in {minutes} or reset your password."
# Set on the request by the backend, so that the door can say "locked out", not "wrong password".
REQUEST_ATTR = "greenlight_lockout_seconds"


def _limits() -> dict:
    return settings.GREENLIGHT["RATE_LIMITS"]["LOGIN"]


def account_key(username: str) -> str:
    """The account's name in cache keys and logs: keyed, so a log reader cannot reverse it."""
    return salted_hmac("greenlight.lockout", username.strip().lower()).hexdigest()[:20]


def _subjects(request, username: str | None) -> list[tuple[str, str, int]]:
    """(kind, identity, failure limit) of everything a failed sign-in counts against."""
    limits = _limits()
    subjects = []
    if username:
        subjects.append(("account", account_key(username), limits["ACCOUNT_FAILURES"]))
    address = client_address(request) if request is not None else ""
    if address:
        subjects.append(("address", address, limits["ADDRESS_FAILURES"]))
    return subjects


def _locked_key(kind: str, identity: str) -> str:
    return f"lockout:locked:{kind}:{identity}"


def _failures_key(kind: str, identity: str) -> str:
    return f"lockout:failures:{kind}:{identity}"


def lockout_remaining(request, username: str | None) -> int:
    """Seconds until the account and the address may sign in again; 0 if neither is locked."""
    keys = [_locked_key(kind, ident) for kind, ident, _ in _subjects(request, username)]
    now = time.time()
    return max([math.ceil(until - now) for until in cache.get_many(keys).values()] + [0])


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return LOCKED_OUT.format(minutes=f"{minutes} minute{'s' if minutes != 1 else ''}")


def login_failure_record(request, username: str | None) -> None:
    """Count a failed sign-in; at the limit, lock the account or the address."""
    window = _limits()["WINDOW_MINUTES"] * 60
    for kind, identity, limit in _subjects(request, username):
        failures = counter_incr(_failures_key(kind, identity), timeout=window)
        if failures >= limit:
            _lock(kind, identity, failures=failures, request=request, username=username)


def _lock(kind: str, identity: str, *, failures: int, request, username: str | None) -> None:
    seconds = _limits()["LOCKOUT_MINUTES"] * 60
    cache.set(_locked_key(kind, identity), time.time() + seconds, timeout=seconds)
    # After the lock, a fresh count: the window's failures are paid for.
    cache.delete(_failures_key(kind, identity))
    from apps.audit.receivers import lockout_recorded  # the audit app imports this module

    lockout_recorded(request, username)
    logger.warning(
        "Sign-in lockout: %s locked for %d minutes after %d failed sign-ins "
        "(account %s, address %s)",
        kind,
        seconds // 60,
        failures,
        account_key(username) if username else "-",
        client_address(request) if request is not None else "-",
    )


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Django's ``user_login_failed``: count it, unless the attempt met a lock already."""
    if getattr(request, REQUEST_ATTR, 0):
        return
    username = credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)
    login_failure_record(request, username)


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing a locked-out account or address even with the right password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        remaining = lockout_remaining(request, username)
        if remaining:
            if request is not None:
                setattr(request, REQUEST_ATTR, remaining)
            raise PermissionDenied  # authenticate() stops here and reports a failed sign-in
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None and username:
            # The right password ends the account's count; the address's count goes on, or one
            # account of their own would let a guesser reset it.
            cache.delete(_failures_key("account", account_key(username)))
        return user
