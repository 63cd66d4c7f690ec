from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(check):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


clinician_required = role_required(lambda user: user.is_clinician)
clinic_admin_required = role_required(lambda user: user.is_clinic_admin)
patient_required = role_required(lambda user: user.is_patient)
