from django.conf import settings
from django.db import models

from apps.common.models import TimeStampedModel


class Notification(TimeStampedModel):
    """One reminder or alert to one person for one occurrence, shown in-app and emailed.

    The unique (recipient, kind, occurrence) row is what makes delivery idempotent: a retried
    task, a redelivered message or two beat processes all meet the same row, and the email is
    sent only while its status is not yet "sent".
    """

    class Kind(models.TextChoices):
        WORKOUT_DUE = "workout_due", "Workout due"
        FOLLOWUP_DUE = "followup_due", "24-hour check"
        INACTIVITY = "inactivity", "Inactivity nudge"
        CLINICIAN_ALERT = "clinician_alert", "Clinician alert"
        WEEKLY_DIGEST = "weekly_digest", "Weekly digest"
        PROGRAM_CHANGE = "program_change", "Program change"
        MESSAGE = "message", "New message"

    class EmailStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    occurrence = models.CharField(max_length=64, help_text="e.g. the local date or workout id.")
    title = models.CharField(max_length=200, help_text="No health details: it goes in email.")
    link = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_last_error = models.CharField(max_length=500, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "occurrence"], name="one_notification_per_occurrence"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient} ({self.occurrence})"
