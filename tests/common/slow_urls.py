"""A page whose database link goes silent mid-request, for the request deadline test."""

import time

from django.db import connection
from django.http import JsonResponse
from django.urls import path


def stalled(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    # Stands in for a query stuck on a paused link: longer than the request's deadline.
    time.sleep(1.5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [path("api/v1/stalled/", stalled)]
