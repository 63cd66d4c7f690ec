"""The project's URLs and error handlers, plus views that fail on purpose (test_error_pages)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path
from rest_framework.views import APIView

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("a bug")


def refuse(request):
    raise PermissionDenied


def reject(request):
    raise SuspiciousOperation("a forged request")


class ApiCrash(APIView):
    def get(self, request):
        raise RuntimeError("a bug in the API")


FAILURES = {"crash": crash, "refuse": refuse, "reject": reject}

urlpatterns = [
    *(path(f"{name}/", view) for name, view in FAILURES.items()),
    *(path(f"api/{name}/", view) for name, view in FAILURES.items()),
    path("api/v1/crash/", ApiCrash.as_view()),
    *project_urlpatterns,
]
