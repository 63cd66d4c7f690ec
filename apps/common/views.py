from django.db import connection
from django.http import JsonResponse
from django.views import defaults


def healthz(request):
    """Liveness for the container: the app answers and the database responds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    """JSON under /api/ (clients parse it), the normal page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
