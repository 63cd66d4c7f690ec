from django.contrib import admin
from django.urls import include, path

from apps.accounts.views import home
from apps.common.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("accounts/", include("apps.accounts.urls")),
    path("patients/", include("apps.patients.urls")),
    path("library/", include("apps.exercises.urls")),
    path("", include("apps.programs.urls")),
    path("", include("apps.painlogs.urls")),
    path("notifications/", include("apps.reminders.urls")),
    path("admin/", admin.site.urls),
]
