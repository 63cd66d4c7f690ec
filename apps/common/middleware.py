import zoneinfo

from django.utils import timezone
from django.utils.cache import patch_cache_control

from apps.common.api import is_api_request


class UserTimezoneMiddleware:
    """Render dates in the signed-in user's zone: patients live in different zones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = getattr(request.user, "timezone", "") if request.user.is_authenticated else ""
        if tz_name:
            timezone.activate(zoneinfo.ZoneInfo(tz_name))
        else:
            timezone.deactivate()
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """Keep patient data out of shared and browser caches.

    A page for a signed-in user, or any API answer, may hold health data; ``no-store`` stops a
    proxy or the back button on a shared computer from showing it to the next person. Static
    files never reach this middleware (WhiteNoise answers them first) and keep their long cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api_request(request) or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
