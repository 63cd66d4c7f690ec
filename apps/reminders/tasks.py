from celery import shared_task
from django.conf import settings

from . import services

EMAIL_MAX_RETRIES = 5


@shared_task(ignore_result=True, max_retries=0)
def reminders_tick() -> int:
    """Beat's minute tick: decide what is due and queue its emails (idempotent)."""
    return services.reminders_tick()


@shared_task(
    bind=True,
    # Safe to acknowledge late: the notification row's status decides whether to send.
    acks_late=True,
    autoretry_for=(services.DeliveryError,),
    max_retries=EMAIL_MAX_RETRIES,
    retry_backoff=settings.GREENLIGHT["EMAIL_RETRY_BACKOFF"],
    retry_backoff_max=settings.GREENLIGHT["EMAIL_RETRY_BACKOFF_MAX"],
    retry_jitter=True,
)
def notification_email_send(self, notification_id: int) -> bool:
    final = self.request.retries >= EMAIL_MAX_RETRIES
    return services.notification_email_deliver(notification_id=notification_id, final_attempt=final)


@shared_task(ignore_result=True, max_retries=3, default_retry_delay=30)
def clinician_alert_check(workout_id: int) -> int:
    """After a workout or its 24-hour rating: alert the care team if the session needs it."""
    return services.clinician_alert_check(workout_id=workout_id)
