"""Reminders and notifications: the tick, delivery, alerts and the outbox, one module each."""

from .alerts import ALERT_BASELINE_DAYS, clinician_alert_check, program_change_notify
from .delivery import (
    email_unsubscribe,
    notification_email_deliver,
    notification_mark_read,
    notification_resend,
    notifications_send,
    unsubscribe_token,
    unsubscribe_url,
)
from .jobs import job_retry, job_run, jobs_create
from .outbox import delivery_sweep, outbox_publish, outbox_settle
from .tick import Due, notifications_record, reminders_tick

__all__ = [
    "ALERT_BASELINE_DAYS",
    "Due",
    "clinician_alert_check",
    "delivery_sweep",
    "email_unsubscribe",
    "job_retry",
    "job_run",
    "jobs_create",
    "notification_email_deliver",
    "notification_mark_read",
    "notification_resend",
    "notifications_record",
    "notifications_send",
    "outbox_publish",
    "outbox_settle",
    "program_change_notify",
    "reminders_tick",
    "unsubscribe_token",
    "unsubscribe_url",
]
