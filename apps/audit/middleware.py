from typing import cast

from apps.accounts.models import User

from .services import (
    access_event,
    access_noted,
    audit_pending_start,
    audit_pending_write,
    auth_event_record,
)


class AuditMiddleware:
    """Writes what a request logged in one INSERT, after the view has answered.

    A response under 400 that showed patients (``access_note``) is an access row naming all of
    them; a 403, from Django or DRF alike, is a permission-denied row; auth events raised
    during the request join them. Running outside the view's transaction, the rows stay even
    when the view's work is rolled back (a refused sign-in).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        audit_pending_start(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        noted = access_noted(request)
        events = []
        if noted and signed_in and response.status_code < 400:
            events.append(
                access_event(
                    request=request,
                    user=cast(User, user),  # signed in
                    patient_ids=noted,
                    status_code=response.status_code,
                )
            )
        elif response.status_code == 403:
            auth_event_record(
                action="permission_denied",
                request=request,
                user=user if signed_in else None,
                status_code=403,
            )
        audit_pending_write(request, events)
        return response
