from django.db.models import QuerySet

from .models import User


def clinicians_for(user: User) -> QuerySet[User]:
    """The clinic's clinicians, visible to its clinicians only."""
    if not user.is_authenticated or not user.is_clinician or user.clinic_id is None:
        return User.objects.none()
    return User.objects.filter(
        clinic_id=user.clinic_id, role__in=[User.Role.CLINICIAN, User.Role.CLINIC_ADMIN]
    ).order_by("full_name")
