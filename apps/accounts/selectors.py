from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from knox.models import AuthToken

from .models import User


def clinicians_for(user: User) -> QuerySet[User]:
    """The clinic's clinicians, visible to its clinicians only."""
    if not user.is_authenticated or not user.is_clinician or user.clinic_id is None:
        return User.objects.none()
    return User.objects.filter(
        clinic_id=user.clinic_id, role__in=[User.Role.CLINICIAN, User.Role.CLINIC_ADMIN]
    ).order_by("full_name")


def team_for(user: User) -> QuerySet[User]:
    """The Team page's rows: the clinic's clinicians, each with the id of its invitation that
    could not be delivered, if any (``undelivered_invitation``; only an admin sees those)."""
    from apps.reminders.selectors import failed_invitations_for

    undelivered = failed_invitations_for(user).filter(object_id=OuterRef("pk")).values("pk")
    return clinicians_for(user).annotate(undelivered_invitation=Subquery(undelivered[:1]))


def care_team_choices_for(user: User) -> QuerySet[User]:
    """Who can join a care team: the clinic's clinicians still working here (not deactivated)."""
    return clinicians_for(user).filter(is_active=True)


def security_overview(user: User) -> dict[str, object]:
    """What the Account security page shows: second factors, devices and API tokens."""

    authenticators = list(Authenticator.objects.filter(user=user))
    kinds = {a.type for a in authenticators}
    codes = [a for a in authenticators if a.type == Authenticator.Type.RECOVERY_CODES]
    return {
        "totp": Authenticator.Type.TOTP in kinds,
        "passkeys": sum(a.type == Authenticator.Type.WEBAUTHN for a in authenticators),
        "recovery_codes_left": sum(len(RecoveryCodes(a).get_unused_codes()) for a in codes),
        "devices": UserSession.objects.purge_and_list(user),
        "tokens": list(
            AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")
        ),
    }
