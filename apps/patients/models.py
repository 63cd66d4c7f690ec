from datetime import time

from django.conf import settings
from django.db import models

from apps.common.models import TimeStampedModel


class Condition(models.TextChoices):
    FAI = "fai", "Hip impingement (FAI)"
    GLUTEAL_TENDINOPATHY = "gluteal_tendinopathy", "Gluteal tendinopathy"
    OTHER_HIP_PAIN = "other_hip_pain", "Other hip pain"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both"


class Patient(TimeStampedModel):
    """A patient's clinical profile; the login, name and time zone live on the user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_profile"
    )
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="patients")
    date_of_birth = models.DateField()
    condition = models.CharField(max_length=32, choices=Condition.choices)
    diagnosis = models.CharField(
        max_length=300,
        blank=True,
        help_text="Free-text diagnosis, e.g. “cam-type FAI, labral tear”.",
    )
    affected_side = models.CharField(max_length=8, choices=Side.choices)
    reminder_time = models.TimeField(
        default=time(18, 0), help_text="Preferred local time for workout reminders."
    )
    auto_progression = models.BooleanField(
        default=False,
        help_text="Apply “ready to progress” automatically; the clinician and patient are told.",
    )
    reminders_paused = models.BooleanField(
        default=False, help_text="No workout, 24-hour or inactivity reminders while paused."
    )
    care_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="care_patients", blank=True
    )
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the patient's erasure request was processed: identifiers pseudonymised, "
        "login closed; the clinical record waits out its retention (apps/records/erasure.py).",
    )

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self):
        return self.user.full_name

    @property
    def timezone(self) -> str:
        return self.user.timezone
