"""Reminders and notifications: the tick, delivery and alerts, one module each."""

from .alerts import ALERT_BASELINE_DAYS, clinician_alert_check, program_change_notify
from .delivery import (
    DeliveryError,
    email_unsubscribe,
    notification_email_deliver,
    notification_mark_read,
    notifications_send,
    unsubscribe_token,
    unsubscribe_url,
)
from .tick import Due, notifications_record, reminders_tick

__all__ = [
    "ALERT_BASELINE_DAYS",
    "DeliveryError",
    "Due",
    "clinician_alert_check",
    "email_unsubscribe",
    "notification_email_deliver",
    "notification_mark_read",
    "notifications_record",
    "notifications_send",
    "program_change_notify",
    "reminders_tick",
    "unsubscribe_token",
    "unsubscribe_url",
]
