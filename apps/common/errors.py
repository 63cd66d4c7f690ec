"""Error handlers (config/urls.py): JSON under /api/, where clients parse the body, and the
site's own pages everywhere else."""

from django.http import JsonResponse
from django.views import defaults

from apps.common.api import is_api_request


def bad_request(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return JsonResponse(
            {"detail": "You do not have permission to perform this action."}, status=403
        )
    return defaults.permission_denied(request, exception)


def not_found(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Django renders 500.html without the request on purpose: a failing database or session
    # must not break the error page too, so the page cannot show who is signed in.
    if is_api_request(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)
