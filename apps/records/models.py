from django.conf import settings
from django.db import models
from django.utils import timezone


class ErasureRequest(models.Model):
    """A patient's request to be forgotten (GDPR Art. 17), as the clinic processed it.

    It holds ids and dates only, never the person's name or email, and it outlives the record:
    it is the clinic's proof that the request was honoured and when the rest goes.
    ``patient_id`` is kept as a plain number for that reason (no foreign key to cascade).
    """

    patient_id = models.PositiveBigIntegerField(unique=True)
    user_id = models.PositiveBigIntegerField()
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(help_text="When the patient asked.")
    processed_at = models.DateTimeField(default=timezone.now)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    delete_after = models.DateTimeField(
        help_text="The clinical record is kept until then (RECORD_RETENTION_YEARS), then deleted."
    )
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-processed_at"]
        indexes = [
            models.Index(
                fields=["delete_after"],
                condition=models.Q(deleted_at__isnull=True),
                name="erasure_due",
            )
        ]

    def __str__(self) -> str:
        return f"Erasure of patient {self.patient_id} (processed {self.processed_at:%Y-%m-%d})"
