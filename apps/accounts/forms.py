from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from apps.common.ratelimit import client_address, parse_rate, rate_limit_hit, rate_limits

from .lockout import REQUEST_ATTR, account_key, lockout_message
from .models import User


class LockoutMessageMixin:
    """Say "locked out" rather than "wrong password" when the backend refused a lockout."""

    def get_invalid_login_error(self):
        seconds = getattr(self.request, REQUEST_ATTR, 0)
        if seconds:
            return forms.ValidationError(lockout_message(seconds), code="locked_out")
        return super().get_invalid_login_error()


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Over the limit per address or per email, the page looks the same but no email is sent.

    Saying "too many requests" would tell which addresses have accounts, and the limit keeps
    anyone from filling a person's inbox with reset links (ASVS 5.0 V6.3.1, V2.4.1).
    """

    def save(self, *args, request=None, **kwargs):
        if self._over_limit(request):
            return
        super().save(*args, request=request, **kwargs)

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
