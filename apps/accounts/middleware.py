import time
from datetime import UTC, datetime

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login

from apps.common.api import is_api_request
from apps.common.ratelimit import client_address

LOGIN_AT = "greenlight_login_at"
SEEN_AT = "greenlight_seen_at"
# The address shown for a sign-in without one (only tests' direct logins have none).
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104
USER_AGENT_MAX = UserSession._meta.get_field("user_agent").max_length
# Last-activity is written at most this often, not on every request.
SEEN_WRITE_SECONDS = 60


def session_limits(user) -> tuple[int, int]:
    """(idle seconds, absolute seconds) for the user's role; clinic admins count as clinicians."""
    limits = settings.GREENLIGHT["SESSIONS"]["patient" if user.is_patient else "clinician"]
    return limits["IDLE_MINUTES"] * 60, limits["ABSOLUTE_HOURS"] * 3600


def session_end_reason(session, user, now: float) -> str | None:
    """Why this session is over, in words for the person; None while it may go on."""
    idle, absolute = session_limits(user)
    if now - session.get(LOGIN_AT, now) > absolute:
        return "Your session has ended; please sign in again."
    if now - session.get(SEEN_AT, now) > idle:
        return f"You were signed out after {_duration(idle)} without activity."
    return None


def _duration(seconds: int) -> str:
    minutes = seconds // 60
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def session_started(sender, request, user, **kwargs) -> None:
    """At sign-in (Django's ``user_logged_in``): both clocks start now, whatever came before.

    The session joins the user's list of signed-in devices, whichever door it came through.
    """
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    if not request.session.session_key:
        request.session.save()
    meta = getattr(request, "META", {})
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": client_address(request) or UNKNOWN_ADDRESS,
            "user_agent": meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
            "last_seen_at": datetime.fromtimestamp(now, tz=UTC),
        },
    )


def _stamp(session, now: float) -> None:
    session.setdefault(LOGIN_AT, now)
    if now - session.get(SEEN_AT, 0) >= SEEN_WRITE_SECONDS:
        session[SEEN_AT] = now
        # The list of signed-in devices shows it as "last active".
        UserSession.objects.filter(session_key=session.session_key).update(
            last_seen_at=datetime.fromtimestamp(now, tz=UTC)
        )


class SessionLifetimeMiddleware:
    """End browser sessions after the role's idle timeout or absolute lifetime (ASVS V7.3).

    The session remembers when it signed in and when it was last used. API calls with a Bearer
    token never reach this check (DRF authenticates them in the view); their lifetime is the
    token's expiry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = time.time()
        user = request.user
        if user.is_authenticated:
            reason = session_end_reason(request.session, user, now)
            if reason:
                return self._sign_out(request, reason)
        response = self.get_response(request)
        # Only a session that signed someone in: a Bearer token's request (DRF sets its user
        # on the request too) must not start a session. One from before this middleware has
        # no stamps yet: its clocks start now.
        if SESSION_KEY in request.session:
            _stamp(request.session, now)
        return response

    def _sign_out(self, request, reason: str):
        logout(request)
        if is_api_request(request):
            return self.get_response(request)  # now anonymous: DRF answers 401 or 403
        messages.info(request, reason)
        return redirect_to_login(request.get_full_path())
