"""Second factors (django-allauth's mfa): who must use one, and what a session has proven.

Clinicians, clinic admins and staff must sign in with a second factor (TOTP or a passkey;
recovery codes are the fallback): until they enrol, every page but enrolment and sign-out sends
them to the "Two-factor authentication" page, and the API refuses them. A session remembers that
it passed a second factor, so the check costs no query once passed.
"""

import time

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare

from apps.common.api import is_api_request

TICKET_SALT = "greenlight.api.mfa-ticket"
TICKET_SECONDS = 300
# Set in the session when it signs in with a second factor or enrols one.
MFA_SESSION_KEY = "greenlight_mfa_at"
STRONG_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# What a person who still has to enrol may open: enrolment, re-authentication, sign-out.
ENROLMENT_URL_NAMES = {"account_logout", "logout", "account_reauthenticate", "login"}
ENROL_FIRST = (
    "Your clinic protects patient data with two-factor authentication: set it up to continue."
)
API_ENROL_FIRST = (
    "Two-factor authentication is required for clinicians: set it up in the web app "
    "(Account security), then sign in again."
)


def mfa_enrolled(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=STRONG_TYPES).exists()


def mfa_ticket_issue(user) -> str:
    """Step one of the API sign-in, passed: a short-lived ticket for step two (the code).

    Signed with the user's session hash, so a password change in between voids it.
    """
    return signing.dumps(
        {"user": user.pk, "hash": user.get_session_auth_hash()}, salt=TICKET_SALT, compress=True
    )


def mfa_ticket_user(ticket: str):
    """The user a valid, unexpired ticket names; None otherwise."""
    from .models import User

    try:
        data = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_SECONDS)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(
        user.get_session_auth_hash(), data.get("hash", "")
    ):
        return None
    return user


def mfa_code_accept(user, code: str) -> bool:
    """Check a TOTP or recovery code as the sign-in page does (each code works once)."""
    for authenticator in Authenticator.objects.filter(user=user).exclude(
        type=Authenticator.Type.WEBAUTHN
    ):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False


def session_mfa_verified(request) -> bool:
    """Did this session pass a second factor: at sign-in (allauth's record) or by enrolling?"""
    if request.session.get(MFA_SESSION_KEY):
        return True
    records = get_authentication_records(request, request.user)
    if any(record.get("method") == "mfa" for record in records):
        session_mfa_mark(request)
        return True
    return False


def session_mfa_mark(request) -> None:
    request.session[MFA_SESSION_KEY] = time.time()


def on_authenticator_used(sender, request, user, authenticator, **kwargs) -> None:
    """A code, passkey or recovery code was accepted in this session (sign-in or re-auth)."""
    if request is not None:
        session_mfa_mark(request)


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    """Enrolling proves the factor (its first code or its passkey): this session is verified."""
    if request is not None and authenticator.type in STRONG_TYPES:
        session_mfa_mark(request)
        # allauth reports it after the commit, which may come after the response was made.
        request.session.save()


def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    """Turning a second factor off ends every other session and every API token (ASVS V7.4.3).

    The remover's own session goes on; if no factor is left, a person who must have one is
    sent to enrol again.
    """
    from .services import user_sessions_end, user_tokens_revoke

    user_tokens_revoke(user=user)
    keep = request.session.session_key if request is not None else None
    user_sessions_end(user=user, keep_session_key=keep)
    if request is not None:
        update_session_auth_hash(request, user)
        if not mfa_enrolled(user):
            request.session.pop(MFA_SESSION_KEY, None)


def on_authentication_failed(sender, request, user, authenticator, **kwargs) -> None:
    """A wrong second-factor code counts towards the account's and address's lockout."""
    from .lockout import login_failure_record

    login_failure_record(request, user.email)


class MfaRequiredMiddleware:
    """Clinicians, clinic admins and staff reach nothing but enrolment without a second factor.

    A session of theirs that did not pass one is either enrolling (no factor yet: sent to the
    two-factor page) or signed in some other way while a factor exists (signed out, to sign
    in with it). Patients pass: for them it is optional.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not user.mfa_required or session_mfa_verified(request):
            return None
        match = request.resolver_match
        name = match.url_name if match else ""
        if name in ENROLMENT_URL_NAMES or name.startswith("mfa_"):
            return None
        if mfa_enrolled(user):
            logout(request)
            if is_api_request(request):
                return JsonResponse({"detail": API_ENROL_FIRST}, status=403)
            messages.info(request, "Please sign in again with your second factor.")
            return redirect_to_login(request.get_full_path())
        if is_api_request(request):
            return JsonResponse({"detail": API_ENROL_FIRST}, status=403)
        messages.info(request, ENROL_FIRST)
        return redirect("mfa_index")
