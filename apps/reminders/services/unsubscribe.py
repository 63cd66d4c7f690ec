"""Stopping reminder emails from the email itself: a signed, expiring link (RFC 8058).

Every reminder email names one link twice, in its footer and in ``List-Unsubscribe``. A GET of
it only asks; a POST turns the emails off, whether a person's button or a mail provider's
one-click sends it. The link carries the user id, never the address, signed with a salt used
for nothing else, and stops working ``UNSUBSCRIBE_LINK_DAYS`` after the email was sent.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from apps.accounts.models import User

logger = logging.getLogger(__name__)
# Unchanged since the first unsubscribe links, so the links already in inboxes keep working.
SALT = "greenlight.unsubscribe"
# What a mail provider POSTs to the link, and the header that tells it to (RFC 8058).
ONE_CLICK = "List-Unsubscribe=One-Click"


def unsubscribe_token(user_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(user_id))


def unsubscribe_url(user_id: int) -> str:
    path = reverse("reminders:unsubscribe", args=[unsubscribe_token(user_id)])
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers that let a mail client offer "Unsubscribe" and POST it for the reader."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK}


def unsubscribe_link_user(token: str) -> User:
    """The account an unsubscribe link names.

    Raises ``signing.SignatureExpired`` for a genuine link past its days, and
    ``signing.BadSignature`` for any other: altered, made up, or naming an account now gone.
    """
    max_age = timedelta(days=settings.GREENLIGHT["UNSUBSCRIBE_LINK_DAYS"])
    user_id = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise signing.BadSignature("The account of this link no longer exists.")
    return user


def email_unsubscribe(*, user: User, subscribed: bool = False) -> None:
    """Reminder emails off (or on again, the page's undo); in-app notifications always show.

    Emails already queued are skipped when their turn comes: the worker reads this flag then.
    """
    user.email_reminders = subscribed
    user.save(update_fields=["email_reminders"])
    logger.info("User %s turned reminder emails %s by link", user.pk, "on" if subscribed else "off")
