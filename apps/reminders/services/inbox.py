"""The in-app list of notifications: reading one reads its repeats, or read them all."""

from django.utils import timezone

from apps.accounts.models import User

from ..models import Notification


def notification_group_mark_read(*, user: User, notification: Notification) -> int:
    """Opening a notification reads every unread one like it (same kind, patient and link)."""
    if notification.recipient_id != user.pk:
        return 0
    same = Notification.objects.filter(
        recipient=user, kind=notification.kind, link=notification.link, read_at__isnull=True
    )
    if notification.patient_id is None:
        same = same.filter(patient__isnull=True)
    else:
        same = same.filter(patient_id=notification.patient_id)
    now = timezone.now()
    return same.update(read_at=now, updated_at=now)


def notifications_mark_all_read(*, user: User) -> int:
    now = timezone.now()
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
