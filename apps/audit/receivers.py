"""Authentication signals into the audit log. Only ids and keyed hashes are kept."""

from django.contrib.auth import get_user_model

from apps.accounts.lockout import account_key

from .services import auth_event_record


def on_logged_in(sender, request, user, **kwargs) -> None:
    auth_event_record(action="login_succeeded", request=request, user=user)


def _account(username: str | None) -> dict:
    """The user named by a sign-in attempt; an unknown name only as its keyed hash."""
    if not username:
        return {}
    user = get_user_model().objects.filter(email__iexact=username.strip()).first()
    return {"user": user} if user else {"account_key": account_key(username)}


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    User = get_user_model()
    username = credentials.get("username") or credentials.get(User.USERNAME_FIELD)
    auth_event_record(action="login_failed", request=request, **_account(username))


def lockout_recorded(request, username: str | None) -> None:
    """apps.accounts.lockout locked an account or a client address."""
    auth_event_record(action="lockout", request=request, **_account(username))


def on_mfa_used(sender, request, user, authenticator, **kwargs) -> None:
    auth_event_record(action="mfa_succeeded", request=request, user=user)


def on_mfa_failed(sender, request, user, authenticator, **kwargs) -> None:
    auth_event_record(action="mfa_failed", request=request, user=user)
