from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from apps.common.decorators import clinic_admin_required
from apps.common.forms import form_submit

from .forms import ClinicianInviteForm
from .selectors import clinicians_for
from .services import clinician_create


@login_required
def home(request):
    if request.user.is_patient:
        return redirect("painlogs:today")
    return redirect("patients:list")


class InviteConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed one-time link: set a password and start using Greenlight."""

    template_name = "accounts/invite_confirm.html"
    post_reset_login = True
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, "Your password is set. Welcome to Greenlight!")
        return super().form_valid(form)


@clinic_admin_required
def team(request):
    form = ClinicianInviteForm(request.POST or None)
    user = form_submit(request, form, lambda data: clinician_create(admin=request.user, **data))
    if user:
        messages.success(request, f"{user.full_name} is invited: they'll get an email link.")
        return redirect("accounts:team")
    return render(
        request, "accounts/team.html", {"form": form, "clinicians": clinicians_for(request.user)}
    )
