from django.db.models import QuerySet

from .models import User


def clinicians_for(user: User) -> QuerySet[User]:
    """The clinic's clinicians, visible to its clinicians only."""
    if not user.is_authenticated or not user.is_clinician or user.clinic_id is None:
        return User.objects.none()
    return User.objects.filter(
        clinic_id=user.clinic_id, role__in=[User.Role.CLINICIAN, User.Role.CLINIC_ADMIN]
    ).order_by("full_name")


def care_team_choices_for(user: User) -> QuerySet[User]:
    """Who can join a care team: the clinic's clinicians still working here (not deactivated)."""
    return clinicians_for(user).filter(is_active=True)
