from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.views import home
from apps.common.health import healthz
from apps.painlogs import urls as painlog_urls
from apps.patients import urls as patient_urls
from apps.review import urls as review_urls

# The admin signs in through the same door as everyone: password, lockout, second factor.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("accounts/", include("apps.accounts.urls")),
    # django-allauth's pages, under the names its views and templates use: sign-in and out,
    # re-authentication, second factors and signed-in devices. No sign-up, no email management.
    path("accounts/login/", account_views.login, name="account_login"),
    path("accounts/logout/", account_views.logout, name="account_logout"),
    path("accounts/reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    # allauth's links to password pages lead to Greenlight's (the paths above answer first).
    path(
        "accounts/password/change/",
        RedirectView.as_view(pattern_name="accounts:password_change"),
        name="account_change_password",
    ),
    path(
        "accounts/password/reset/",
        RedirectView.as_view(pattern_name="accounts:password_reset"),
        name="account_reset_password",
    ),
    path("accounts/two-factor/", include("allauth.mfa.urls")),
    path("accounts/devices/", include("allauth.usersessions.urls")),
    # The "patients" pages come from two apps: the records themselves (apps.patients) and the
    # pages that read a patient's status and history (apps.review, above the clinical apps).
    path("patients/", include((review_urls.patient_pages + patient_urls.urlpatterns, "patients"))),
    path("patients/", include("apps.review.urls")),
    path("", include("apps.records.urls")),
    path("", include("apps.audit.urls")),
    path("library/", include("apps.exercises.urls")),
    path("", include("apps.programs.urls")),
    path("", include((review_urls.painlogs_pages + painlog_urls.urlpatterns, "painlogs"))),
    path("notifications/", include("apps.reminders.urls")),
    path("", include("apps.care.urls")),
    path("", include("apps.program_templates.urls")),
    path("", include("apps.handouts.urls")),
    path("", include("apps.outcomes.urls")),
    # Photos and videos: every file through an access-checked view, never MEDIA_URL.
    path("", include("apps.media.urls")),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own URL, not inline, so the
    # Content-Security-Policy needs no 'unsafe-inline' for the docs either.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "apps.common.errors.bad_request"
handler403 = "apps.common.errors.permission_denied"
handler404 = "apps.common.errors.not_found"
handler500 = "apps.common.errors.server_error"
