from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken

from apps.audit.services import auth_event_record
from apps.common.services import model_validate_and_save, require
from apps.common.timezones import validate_timezone
from apps.patients.models import Patient
from apps.reminders.models import Job
from apps.reminders.services import jobs_create

from .models import Clinic, User
from .selectors import clinicians_for


def _one_time_link(view: str, user: User) -> str:
    """The token stops working once the password changes (or is first set), or after
    ``PASSWORD_RESET_TIMEOUT``; it is made when the email is sent, never stored."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse(view, kwargs={"uidb64": uid, "token": token})


def invite_link(user: User) -> str:
    return _one_time_link("accounts:invite_confirm", user)


def password_reset_link(user: User) -> str:
    return _one_time_link("accounts:password_reset_confirm", user)


def user_invitation_queue(
    *, user: User, invited_by: User | None, patient: Patient | None = None
) -> None:
    """Owe the invitation email: a row in the caller's transaction, sent by a worker.

    ``invited_by`` is None for a clinic's first admin; ``patient`` is the invitee's profile, so
    the care team sees an invitation that could not be delivered (a clinician's invitation has
    none: the clinic admins see it on the Team page).
    """
    jobs_create(
        patient_id=patient.pk if patient else None,
        work=[(Job.Kind.INVITATION_EMAIL, user.pk)],
        requested_by_id=invited_by.pk if invited_by else None,
    )


def user_password_reset_queue(*, users: Iterable[User]) -> int:
    """Owe a reset email to each account that asked: a row in the request's transaction.

    No account, no row: whoever asks sees the same page (the form does not tell).
    """
    owed = [(Job.Kind.PASSWORD_RESET_EMAIL, user.pk) for user in users]
    jobs_create(patient_id=None, work=owed)
    return len(owed)


def user_create_invited(
    *,
    invited_by: User | None,
    email: str,
    full_name: str,
    role: str,
    timezone: str = "UTC",
    clinic: Clinic | None = None,
) -> User:
    """A new account without a password; the invitee sets one through the emailed link.

    The account joins the inviter's clinic, or ``clinic`` for a first admin no one invited. The
    caller owes the invitation with ``user_invitation_queue``, once the profile it is about
    exists (a patient's).
    """
    email = User.objects.normalize_email(email).lower()
    # One message wherever the account is: it must not tell which clinic, or role, uses it.
    kind = "patient" if role == User.Role.PATIENT else "account"
    require(
        not User.objects.filter(email__iexact=email).exists(),
        f"This email can't be used for a new {kind}.",
        field="email",
    )
    clinic = invited_by.clinic if invited_by else clinic
    user = User(email=email, full_name=full_name, role=role, clinic=clinic, timezone=timezone)
    user.set_unusable_password()
    model_validate_and_save(user, exclude=["password"])
    return user


@transaction.atomic
def clinician_create(*, admin: User, email: str, full_name: str, role: str) -> User:
    require(admin.is_clinic_admin, "Only a clinic admin can add clinicians.")
    require(
        role in (User.Role.CLINICIAN, User.Role.CLINIC_ADMIN),
        "Choose clinician or clinic admin.",
        field="role",
    )
    user = user_create_invited(
        invited_by=admin, email=email, full_name=full_name, role=role, timezone=admin.timezone
    )
    user_invitation_queue(user=user, invited_by=admin)
    return user


@transaction.atomic
def clinic_create(
    *, name: str, timezone: str, admin_email: str, admin_name: str, admin_password: str
) -> User:
    """A clinic with its first admin and a known password, for the demo seed.

    Operators use ``clinic_onboard``, which invites the admin to choose a password instead.
    """
    clinic = model_validate_and_save(Clinic(name=name, timezone=timezone))
    return User.objects.create_user(
        email=admin_email,
        password=admin_password,
        full_name=admin_name,
        role=User.Role.CLINIC_ADMIN,
        clinic=clinic,
        timezone=timezone,
    )


@dataclass(frozen=True)
class ClinicOnboarding:
    admin: User
    created: bool
    invitation_sent: bool


@transaction.atomic
def clinic_onboard(
    *, name: str, admin_email: str, admin_name: str = "", timezone: str = "UTC"
) -> ClinicOnboarding:
    """A new clinic and its first admin, who is emailed a link to choose a password.

    Safe to repeat: with the same name and email it creates nothing, and owes the invitation
    again only while the admin has no password (the first link may have expired or been lost).
    """
    name = name.strip()
    require(bool(name), "Give the clinic a name.", field="name")
    email = _email_checked(admin_email)
    try:
        validate_timezone(timezone)
    except ValidationError as error:
        raise ValidationError({"timezone": error.messages}) from error
    existing = User.objects.select_related("clinic").filter(email__iexact=email).first()
    if existing:
        return _clinic_onboard_again(admin=existing, name=name)
    require(
        not Clinic.objects.filter(name__iexact=name).exists(),
        f"A clinic named “{name}” already exists with another admin: "
        "its admins invite colleagues on the Team page.",
        field="name",
    )
    clinic = model_validate_and_save(Clinic(name=name, timezone=timezone))
    admin = user_create_invited(
        invited_by=None,
        clinic=clinic,
        email=email,
        full_name=admin_name.strip() or email.split("@")[0],
        role=User.Role.CLINIC_ADMIN,
        timezone=timezone,
    )
    user_invitation_queue(user=admin, invited_by=None)
    return ClinicOnboarding(admin=admin, created=True, invitation_sent=True)


def _email_checked(email: str) -> str:
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            {"admin_email": f"“{email}” is not a valid email address."}
        ) from error
    return email


def _clinic_onboard_again(*, admin: User, name: str) -> ClinicOnboarding:
    require(
        admin.is_clinic_admin
        and admin.clinic is not None
        and admin.clinic.name.lower() == name.lower(),
        f"{admin.email} is already used by someone of another clinic or with another role.",
        field="admin_email",
    )
    resend = not admin.has_usable_password()
    if resend:
        user_invitation_queue(user=admin, invited_by=None)
    return ClinicOnboarding(admin=admin, created=False, invitation_sent=resend)


def user_tokens_revoke(*, user: User) -> int:
    """Delete every API token of the user: each client must sign in again."""
    deleted: int  # knox ships no types
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    if deleted:
        auth_event_record(action="token_revoked", user=user)
    return deleted


def tokens_expired_delete(*, now: datetime | None = None) -> int:
    """API tokens past their expiry, for every user (apps/accounts/auth.py leaves them)."""
    deleted: int  # knox ships no types
    deleted, _ = AuthToken.objects.filter(expiry__lt=now or timezone.now()).delete()
    return deleted


def user_other_sessions_delete(*, user: User, keep_session_key: str | None = None) -> int:
    """Delete the user's signed-in sessions but ``keep_session_key``; returns how many."""
    ended = 0
    for session in UserSession.objects.filter(user=user).exclude(
        session_key=keep_session_key or ""
    ):
        session.end()
        ended += 1
    return ended


def user_token_revoke(*, user: User, token_key: str) -> None:
    """The owner revokes one of their API tokens (found by its public prefix)."""
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    require(deleted > 0, "That token does not exist or has already been revoked.")
    auth_event_record(action="token_revoked", user=user)


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> None:
    """Sign the user out of every browser session (User.session_generation).

    The session ``keep_session_key`` is spared from the list of signed-in devices; its caller
    keeps it alive with ``update_session_auth_hash``. The others are deleted outright, so the
    list shows only sessions that still work.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    user_other_sessions_delete(user=user, keep_session_key=keep_session_key)


def user_password_changed(*, user: User, keep_session_key: str | None = None) -> None:
    """After a password change or reset: the API tokens and the other sessions end.

    The other browser sessions would die on their own, as the password is part of their
    session hash; they are also deleted, so the list of signed-in devices does not show them.
    The view that changed it keeps its own session with ``update_session_auth_hash``.
    """
    user_tokens_revoke(user=user)
    user_other_sessions_delete(user=user, keep_session_key=keep_session_key)


def _team_member(*, admin: User, user: User) -> User:
    require(admin.is_clinic_admin, "Only a clinic admin can do this.")
    require(clinicians_for(admin).filter(pk=user.pk).exists(), "Not a clinician of your clinic.")
    require(user.pk != admin.pk, "You can't deactivate or reactivate your own account.")
    return user


@transaction.atomic
def user_deactivate(*, admin: User, user: User) -> User:
    """A clinician leaves: no sign-in, and every session and token ends now, for good."""
    _team_member(admin=admin, user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    user_tokens_revoke(user=user)
    user_sessions_end(user=user)
    return user


@transaction.atomic
def user_reactivate(*, admin: User, user: User) -> User:
    """They may sign in again; the sessions and tokens ended at deactivation stay ended."""
    _team_member(admin=admin, user=user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
