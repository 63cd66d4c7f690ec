import zoneinfo

from django.utils import timezone


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
