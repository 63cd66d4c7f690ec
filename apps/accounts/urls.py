from allauth.account import views as account_views
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import RateLimitedPasswordResetForm

app_name = "accounts"


def _done(name):
    return reverse_lazy(f"accounts:{name}")


urlpatterns = [
    # django-allauth's sign-in: the password, then the second factor (apps/accounts/mfa.py).
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(
            template_name="accounts/form_page.html",
            success_url=_done("password_change_done"),
            extra_context={"title": "Change your password"},
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message_page.html",
            extra_context={"title": "Password changed", "text": "Your password has been changed."},
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/form_page.html",
            form_class=RateLimitedPasswordResetForm,  # queues the email: apps/accounts/emails.py
            success_url=_done("password_reset_done"),
            extra_context={
                "title": "Reset your password",
                "intro": "Enter your email and we'll send you a link to choose a new password.",
            },
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message_page.html",
            extra_context={
                "title": "Check your email",
                "text": "If an account uses that address, a reset link is on its way.",
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/invite_confirm.html",
            success_url=_done("password_reset_complete"),
            extra_context={"title": "Choose a new password"},
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message_page.html",
            extra_context={
                "title": "Password reset",
                "text": "Your password is set. You can log in.",
            },
        ),
        name="password_reset_complete",
    ),
    path("invite/<uidb64>/<token>/", views.InviteConfirmView.as_view(), name="invite_confirm"),
    path("security/", views.security, name="security"),
    path("security/devices/<int:pk>/end/", views.session_end, name="session_end"),
    path("security/tokens/<str:token_key>/revoke/", views.token_revoke, name="token_revoke"),
    path("team/", views.team, name="team"),
    path(
        "team/<int:pk>/deactivate/",
        views.team_member_status,
        {"action": "deactivate"},
        name="team_member_deactivate",
    ),
    path(
        "team/<int:pk>/reactivate/",
        views.team_member_status,
        {"action": "reactivate"},
        name="team_member_reactivate",
    ),
]
