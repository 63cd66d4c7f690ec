"""Counting requests in Django's cache, which production shares between workers (Redis).

One counter per key and fixed window: ``rate_limit_hit`` counts this attempt and says whether it
went over. Browser views (``form_submit``), services and the API's throttles all use it, so a
user's workouts logged in the browser and through the app count against the same limit.
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

TOO_OFTEN = "You're doing that too often; try again in a few minutes."
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/hour" → (120, 3600), as DRF writes its rates."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0].lower()]


def _window(period: int, now: float) -> tuple[int, int]:
    """The current window's number and the seconds until the next one starts."""
    return int(now // period), period - int(now % period)


def rate_limit_hit(key: str, limit: int, period: int) -> bool:
    """Count one attempt under ``key``; True when it is beyond ``limit`` in this window.

    Fails open: with the cache (Redis) unreachable, a patient's workout must still be saved,
    so the attempt is allowed and the outage logged.
    """
    window, remaining = _window(period, time.time())
    try:
        return counter_incr(f"rl:{key}:{window}", timeout=remaining + 1) > limit
    except Exception as error:  # noqa: BLE001 - any cache backend's connection error
        logger.warning("Rate limit not counted, cache unavailable: %s", type(error).__name__)
        return False


def counter_incr(key: str, *, timeout: int) -> int:
    """Atomically add one (Redis INCR, locmem's lock), starting at zero with ``timeout``."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # it expired between add and incr: this is the first of a new window
        cache.add(key, 1, timeout=timeout)
        return 1


def rate_limits() -> dict:
    return settings.GREENLIGHT["RATE_LIMITS"]


def user_rate_limited(scope: str, user) -> bool:
    """Count a write of ``scope`` ("writes", "invitations") by ``user``; True if over the limit.

    ``GREENLIGHT_RATE_LIMITS=off`` (load tests) switches these per-user limits off; the sign-in
    lockout and the password-reset limits have no such switch.
    """
    limits = rate_limits()
    if not limits["PER_USER_ENABLED"]:
        return False
    limit, period = parse_rate(limits["PER_USER"][scope])
    return rate_limit_hit(f"user:{scope}:{user.pk}", limit, period)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or from X-Forwarded-For only via a trusted proxy.

    Walking X-Forwarded-For from the right, every hop added by one of
    GREENLIGHT_TRUSTED_PROXIES is skipped; the first other address is the client. Without
    trusted proxies the header is ignored, so a client cannot rotate it to escape a limit.
    """
    meta = getattr(request, "META", {})
    address = meta.get("REMOTE_ADDR", "")
    trusted = rate_limits()["TRUSTED_PROXIES"]
    if not trusted:
        return address
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    while _is_trusted(address, trusted) and hops:
        address = hops.pop()
    return address


def _is_trusted(address: str, trusted: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in trusted)


class UserWriteThrottle(BaseThrottle):
    """DRF throttle for an authenticated user's POSTs, on the same counters as the browser."""

    scope = "writes"

    def allow_request(self, request, view):
        if request.method != "POST" or getattr(view, "action", "create") != "create":
            return True
        if not request.user.is_authenticated:
            return True
        return not user_rate_limited(self.scope, request.user)

    def wait(self):
        _, period = parse_rate(rate_limits()["PER_USER"][self.scope])
        return _window(period, time.time())[1]


class UserInvitationThrottle(UserWriteThrottle):
    scope = "invitations"
