from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.common.models import TimeStampedModel


def _message_id(prefix: str, pk: int, created_at) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "greenlight.local"
    stamp = int(created_at.timestamp() * 1_000_000)
    return f"<{prefix}.{pk}.{stamp}@{host}>"


class Notification(TimeStampedModel):
    """One reminder or alert to one person for one occurrence, shown in-app and emailed.

    The unique (recipient, kind, occurrence) row is what makes delivery idempotent: a retried
    task, a redelivered message or two beat processes all meet the same row, and the email is
    sent only while its status is not yet "sent".

    The row is also the email's outbox entry: it is written in the transaction that decided to
    send, and a pending row is sent by whichever worker claims it (a lease) once it is due, so a
    lost broker message only delays it (README, "Delivery guarantees").
    """

    class Kind(models.TextChoices):
        WORKOUT_DUE = "workout_due", "Workout due"
        FOLLOWUP_DUE = "followup_due", "24-hour check"
        INACTIVITY = "inactivity", "Inactivity nudge"
        CLINICIAN_ALERT = "clinician_alert", "Clinician alert"
        WEEKLY_DIGEST = "weekly_digest", "Weekly digest"
        PROGRAM_CHANGE = "program_change", "Program change"
        MESSAGE = "message", "New message"
        EMERGENCY_ACCESS = "emergency_access", "Emergency access"
        QUESTIONNAIRE_DUE = "questionnaire_due", "Questionnaire due"

    class EmailStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Not emailed (unsubscribed)"

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
    # Null only on rows from before the outbox existed that were too old to send late.
    email_next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    email_lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is sending it until then; after, anyone may."
    )
    email_queued_at = models.DateTimeField(
        null=True, blank=True, help_text="Last handed to the broker (the sweeper waits a grace)."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "occurrence"], name="one_notification_per_occurrence"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The sweeper reads only pending rows: the index stays small as sent ones pile up.
            models.Index(
                fields=["email_next_attempt_at"],
                condition=Q(email_status="pending"),
                name="notification_email_due",
            ),
            models.Index(
                fields=["patient"], condition=Q(email_status="failed"), name="notification_failed"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient} ({self.occurrence})"

    def email_message_id(self) -> str:
        """The same Message-ID on every attempt, so a provider can drop a duplicate send."""
        return _message_id("notification", self.pk, self.created_at)


class Job(TimeStampedModel):
    """Work owed because something was saved: an outbox row for a check or an account email.

    Written in the same transaction as its cause (a workout, a 24-hour rating, an invitation, a
    password-reset request), so the work cannot be lost between the commit and the broker. A
    worker runs a check inside one transaction that also marks it done, holding the row lock
    meanwhile: a crash rolls both back and the row is simply due again. An email is claimed,
    sent with no transaction open, then marked, as a notification's is (services/job_emails.py).
    Publishing to the broker is only a wake-up; the sweeper re-queues rows still pending after
    a grace period.
    """

    class Kind(models.TextChoices):
        CLINICIAN_ALERT_CHECK = "clinician_alert_check", "Clinician alert check"
        AUTO_PROGRESSION_CHECK = "auto_progression_check", "Automatic progression check"
        INVITATION_EMAIL = "invitation_email", "Invitation email"
        PASSWORD_RESET_EMAIL = "password_reset_email", "Password reset email"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    EMAIL_KINDS = (Kind.INVITATION_EMAIL, Kind.PASSWORD_RESET_EMAIL)

    kind = models.CharField(max_length=32, choices=Kind.choices)
    # Scopes who sees it failed (the care team); none for a clinician's invitation (the clinic
    # admins see those) and for a password reset (the person asks again; it is logged).
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(
        help_text="The workout or patient it is about; the recipient's user id for an email."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked for it: an invitation's inviter (none for a clinic's first admin).",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="job_due"),
            models.Index(fields=["patient"], condition=Q(status="failed"), name="job_failed"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.object_id} ({self.status})"

    @property
    def is_email(self) -> bool:
        return self.kind in self.EMAIL_KINDS

    def email_message_id(self) -> str:
        """The same Message-ID on every attempt, so a provider can drop a duplicate send."""
        return _message_id("job", self.pk, self.created_at)
