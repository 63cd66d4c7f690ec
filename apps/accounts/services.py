from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.common.services import model_validate_and_save, require

from .models import Clinic, User


def invite_link(user: User) -> str:
    """A one-time link: the token stops working as soon as the password is set."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:invite_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def user_invite_send(*, user: User, invited_by: User) -> None:
    context = {"user": user, "invited_by": invited_by, "link": invite_link(user)}
    send_mail(
        subject=render_to_string("emails/invite_subject.txt", context).strip(),
        message=render_to_string("emails/invite.txt", context),
        html_message=render_to_string("emails/invite.html", context),
        from_email=None,
        recipient_list=[user.email],
    )


def user_create_invited(
    *, invited_by: User, email: str, full_name: str, role: str, timezone: str = "UTC"
) -> User:
    """A new account without a password; the invitee sets one through the emailed link."""
    email = User.objects.normalize_email(email).lower()
    require(
        not User.objects.filter(email__iexact=email).exists(),
        "An account with this email already exists.",
        field="email",
    )
    user = User(
        email=email, full_name=full_name, role=role, clinic=invited_by.clinic, timezone=timezone
    )
    user.set_unusable_password()
    model_validate_and_save(user, exclude=["password"])
    transaction.on_commit(lambda: user_invite_send(user=user, invited_by=invited_by))
    return user


@transaction.atomic
def clinician_create(*, admin: User, email: str, full_name: str, role: str) -> User:
    require(admin.is_clinic_admin, "Only a clinic admin can add clinicians.")
    require(
        role in (User.Role.CLINICIAN, User.Role.CLINIC_ADMIN),
        "Choose clinician or clinic admin.",
        field="role",
    )
    return user_create_invited(
        invited_by=admin, email=email, full_name=full_name, role=role, timezone=admin.timezone
    )


@transaction.atomic
def clinic_create(
    *, name: str, timezone: str, admin_email: str, admin_name: str, admin_password: str
) -> User:
    """Set up a clinic with its first admin (used by the demo seed and operators)."""
    clinic = model_validate_and_save(Clinic(name=name, timezone=timezone))
    return User.objects.create_user(
        email=admin_email,
        password=admin_password,
        full_name=admin_name,
        role=User.Role.CLINIC_ADMIN,
        clinic=clinic,
        timezone=timezone,
    )
