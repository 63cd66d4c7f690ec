"""The account emails (invitation, password reset), built by the worker when it sends them.

The one-time link is made here, at send time, and lives only in the message: the outbox row
holds the user's id, never a token or a link. Links point at ``SITE_URL``, never at the Host a
request came with. Each builder returns None when the email is no longer owed.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .models import User
from .services import invite_link, password_reset_link


def invitation_email(*, user_id: int, invited_by_id: int | None) -> EmailMultiAlternatives | None:
    """None once the account is gone, deactivated or has its password: the link is not needed."""
    user = User.objects.select_related("clinic").filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return None
    invited_by = None
    if invited_by_id is not None:
        invited_by = User.objects.select_related("clinic").filter(pk=invited_by_id).first()
    context = {"user": user, "invited_by": invited_by, "link": invite_link(user)}
    message = _message(user, "emails/invite_subject.txt", "emails/invite.txt", context)
    message.attach_alternative(render_to_string("emails/invite.html", context), "text/html")
    return message


def password_reset_email(*, user_id: int) -> EmailMultiAlternatives | None:
    """None for an account that can no longer reset (gone, deactivated, never set up), as
    Django's reset form decides when it is asked."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return None
    context = {"user": user, "link": password_reset_link(user)}
    return _message(user, "emails/password_reset_subject.txt", "emails/password_reset.txt", context)


def _message(user: User, subject: str, body: str, context: dict) -> EmailMultiAlternatives:
    return EmailMultiAlternatives(
        subject=render_to_string(subject, context).strip(),
        body=render_to_string(body, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
