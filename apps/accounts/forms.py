from typing import TYPE_CHECKING

from allauth.account import forms as allauth_forms
from allauth.core import context
from allauth.mfa.base import forms as mfa_forms
from django import forms
from django.contrib.auth.forms import PasswordResetForm

from apps.common.ratelimit import client_address, parse_rate, rate_limit_hit, rate_limits

from .lockout import account_key, lockout_message, lockout_remaining
from .models import User
from .services import user_password_reset_queue

if TYPE_CHECKING:
    from allauth.mfa.base.forms import AuthenticateForm as _Base
else:
    _Base = object


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form: email and password; the lockout speaks through the adapter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email"
        self.fields["login"].widget.attrs.update(autocomplete="username", placeholder="")
        self.fields["password"].help_text = ""  # the page links "Forgot your password?"
        self.fields["password"].widget.attrs.update(placeholder="")


class LockoutMixin(_Base):
    """A second-factor code is refused while the account or address is locked out, and each
    wrong code counts towards the lock as a wrong password does (ASVS V6.3.1)."""

    def clean_code(self):
        request = context.request
        remaining = lockout_remaining(request, self.user.email)
        if remaining:
            raise forms.ValidationError(lockout_message(remaining), code="locked_out")
        return super().clean_code()


class MfaAuthenticateForm(LockoutMixin, mfa_forms.AuthenticateForm):
    pass


class MfaReauthenticateForm(LockoutMixin, mfa_forms.ReauthenticateForm):
    pass


class RateLimitedPasswordResetForm(PasswordResetForm):
    """The reset email goes through the outbox: this request only writes its row, a worker
    renders and sends it (apps/accounts/emails.py), so a dead SMTP server or broker never fails
    the request. Django's own ``get_users`` decides who may reset (active, with a password).

    Over the limit per address or per email, the page looks the same but nothing is owed.
    Saying "too many requests" would tell which addresses have accounts, and the limit keeps
    anyone from filling a person's inbox with reset links (ASVS 5.0 V6.3.1, V2.4.1).
    """

    def save(self, *args, request=None, **kwargs):
        if self._over_limit(request):
            return
        user_password_reset_queue(users=self.get_users(self.cleaned_data["email"]))

    def _over_limit(self, request) -> bool:
        limits = rate_limits()["PASSWORD_RESET"]
        email = self.cleaned_data["email"]
        # Both are counted on every request, so neither count can be spent through the other.
        over_email = rate_limit_hit(
            f"reset:email:{account_key(email)}", *parse_rate(limits["PER_EMAIL"])
        )
        over_address = rate_limit_hit(
            f"reset:address:{client_address(request)}", *parse_rate(limits["PER_ADDRESS"])
        )
        return over_email or over_address


class ClinicianInviteForm(forms.Form):
    full_name = forms.CharField(max_length=200)
    email = forms.EmailField()
    role = forms.ChoiceField(
        choices=[(User.Role.CLINICIAN, "Clinician"), (User.Role.CLINIC_ADMIN, "Clinic admin")]
    )
