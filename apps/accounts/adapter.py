"""Greenlight's hooks into django-allauth: sign-in, second factors, devices."""

import base64
import hashlib
import secrets
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate

from apps.common.ratelimit import client_address

from .lockout import REQUEST_ATTR, lockout_message
from .middleware import UNKNOWN_ADDRESS


class AccountAdapter(DefaultAccountAdapter):
    # The same words for an unknown email, a wrong password and a deactivated account.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": ("Please enter a correct email and password."),
    }

    def is_open_for_signup(self, request) -> bool:
        """No sign-up: clinics create clinicians and patients by invitation."""
        return False

    def get_client_ip(self, request) -> str:
        """The address the lockout counts: X-Forwarded-For only from GREENLIGHT_TRUSTED_PROXIES."""
        return client_address(request) or UNKNOWN_ADDRESS

    def authentication_failed(self, request, **credentials) -> None:
        """Say "locked out" rather than "wrong password" when the backend refused a lockout."""
        seconds = getattr(request, REQUEST_ATTR, 0)
        if seconds:
            raise forms.ValidationError(lockout_message(seconds), code="locked_out")

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in within ACCOUNT_REAUTHENTICATION_TIMEOUT counts as a re-authentication.

        So a clinician sent to enrol a second factor right after signing in is not asked for
        the password again; five minutes later, changing a factor asks for it (ASVS V7.5.1).
        """
        from allauth.account.internal.flows.login import get_authentication_records
        from allauth.core import context

        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        records = get_authentication_records(request, request.user)
        latest = max((record.get("at", 0) for record in records), default=0)
        return time.time() - latest >= settings.ACCOUNT_REAUTHENTICATION_TIMEOUT

    def reauthenticate(self, user, password: str) -> bool:
        """Confirm the password of the signed-in user (through the lockout backend, as at login)."""
        from allauth.core import context

        again = authenticate(context.request, email=user.email, password=password)
        return again is not None and again.pk == user.pk


def _fernet() -> MultiFernet:
    """Keys derived from SECRET_KEY, then each of SECRET_KEY_FALLBACKS (rotation keeps working)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"mfa:{key}".encode()).digest()))
            for key in keys
        ]
    )


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted (ASVS V6.5.x): a database dump alone cannot mint codes."""

    def get_totp_issuer(self) -> str:
        return settings.MFA_TOTP_ISSUER

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _fernet().decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            # A secret the keys cannot open (SECRET_KEY replaced without a fallback) matches no
            # code (a fresh random one each time): the person uses a recovery code, or an admin
            # resets their second factor.
            return base64.b32encode(secrets.token_bytes(20)).decode()
