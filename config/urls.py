from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.forms import AdminLoginForm
from apps.accounts.views import home
from apps.common.health import healthz

# The admin's login says "locked out" too (the lock itself is in the authentication backend).
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("accounts/", include("apps.accounts.urls")),
    path("patients/", include("apps.patients.urls")),
    path("library/", include("apps.exercises.urls")),
    path("", include("apps.programs.urls")),
    path("", include("apps.painlogs.urls")),
    path("notifications/", include("apps.reminders.urls")),
    path("", include("apps.care.urls")),
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
