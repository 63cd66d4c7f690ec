from django.http import JsonResponse
from django.views import defaults


def not_found(request, exception=None):
    """JSON under /api/ (clients parse it), the normal page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
