from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.common.decorators import clinic_admin_required
from apps.common.forms import form_submit

from .forms import ClinicianInviteForm
from .selectors import clinicians_for, security_overview, team_for
from .services import (
    clinician_create,
    user_deactivate,
    user_password_changed,
    user_reactivate,
    user_token_revoke,
)


@login_required
def home(request):
    if request.user.is_patient:
        return redirect("painlogs:today")
    return redirect("patients:list")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password: this session goes on; every other session and API token ends."""

    def form_valid(self, form):
        response = super().form_valid(form)  # saves, and keeps this session's hash current
        user_password_changed(user=form.user, keep_session_key=self.request.session.session_key)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed reset link: a new password ends every session and API token."""

    def form_valid(self, form):
        response = super().form_valid(form)  # an invitation signs the new user in: kept
        user_password_changed(user=form.user, keep_session_key=self.request.session.session_key)
        return response


class InviteConfirmView(PasswordResetConfirmView):
    """The emailed one-time link: set a password and start using Greenlight."""

    template_name = "accounts/invite_confirm.html"
    post_reset_login = True
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, "Your password is set. Welcome to Greenlight!")
        return super().form_valid(form)


@login_required
def security(request):
    """Account security: second factors, password, signed-in devices and API tokens."""
    overview = security_overview(request.user)
    return render(request, "accounts/security.html", {"overview": overview})


@login_required
@require_POST
def token_revoke(request, token_key):
    try:
        user_token_revoke(user=request.user, token_key=token_key)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The token is revoked: the app that used it is signed out.")
    return redirect("accounts:security")


@login_required
@require_POST
def session_end(request, pk):
    """Sign one of your own other devices out (someone else's is a 404)."""
    device = get_object_or_404(
        UserSession.objects.filter(user=request.user).exclude(
            session_key=request.session.session_key
        ),
        pk=pk,
    )
    device.end()
    messages.success(request, "That device is signed out.")
    return redirect("accounts:security")


@clinic_admin_required
def team(request):
    form = ClinicianInviteForm(request.POST or None)
    user = form_submit(
        request,
        form,
        lambda data: clinician_create(admin=request.user, **data),
        rate_limit="invitations",
    )
    if user:
        messages.success(request, f"{user.full_name} is invited: they'll get an email link.")
        return redirect("accounts:team")
    return render(
        request, "accounts/team.html", {"form": form, "clinicians": team_for(request.user)}
    )


TEAM_STATUS_ACTIONS = {
    "deactivate": (
        user_deactivate,
        "Deactivate {name}?",
        "{name} will be signed out everywhere at once, their app tokens stop working, and they "
        "can't sign in until you reactivate them. Their patients keep their other clinicians.",
        "{name} is deactivated and signed out everywhere.",
    ),
    "reactivate": (
        user_reactivate,
        "Reactivate {name}?",
        "{name} will be able to sign in again with their password. Sessions and app tokens "
        "ended at deactivation stay ended.",
        "{name} is active again and can sign in.",
    ),
}


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def team_member_status(request, pk, action):
    """Deactivate or reactivate a colleague: GET asks to confirm, POST does it."""
    member = get_object_or_404(clinicians_for(request.user).exclude(pk=request.user.pk), pk=pk)
    service, title, text, done = TEAM_STATUS_ACTIONS[action]
    if request.method == "POST":
        try:
            service(admin=request.user, user=member)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done.format(name=member.full_name))
        return redirect("accounts:team")
    context = {
        "member": member,
        "action": action,
        "title": title.format(name=member.full_name),
        "text": text.format(name=member.full_name),
    }
    return render(request, "accounts/team_member_status.html", context)
