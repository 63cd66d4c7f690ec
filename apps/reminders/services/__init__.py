"""Reminders and notifications: the tick, delivery, alerts, the outbox and unsubscribing, one
module each."""

from .alerts import clinician_alert_check, program_change_notify, program_end_notify
from .delivery import (
    notification_email_deliver,
    notification_emails_deliver,
    notification_mark_read,
    notification_resend,
    notifications_send,
)
from .inbox import notification_group_mark_read, notifications_mark_all_read
from .job_emails import job_email_deliver
from .jobs import job_retry, job_run, jobs_create
from .outbox import delivery_sweep, outbox_publish, outbox_settle
from .tick import Due, notifications_record, reminders_tick
from .unsubscribe import (
    email_unsubscribe,
    unsubscribe_headers,
    unsubscribe_link_user,
    unsubscribe_token,
    unsubscribe_url,
)

__all__ = [
    "Due",
    "clinician_alert_check",
    "delivery_sweep",
    "email_unsubscribe",
    "job_email_deliver",
    "job_retry",
    "job_run",
    "jobs_create",
    "notification_email_deliver",
    "notification_emails_deliver",
    "notification_group_mark_read",
    "notifications_mark_all_read",
    "notification_mark_read",
    "notification_resend",
    "notifications_record",
    "notifications_send",
    "outbox_publish",
    "outbox_settle",
    "program_change_notify",
    "program_end_notify",
    "reminders_tick",
    "unsubscribe_headers",
    "unsubscribe_link_user",
    "unsubscribe_token",
    "unsubscribe_url",
]
