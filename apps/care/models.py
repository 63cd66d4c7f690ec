"""Between visits: the patient's message thread, education cards and the clinician's notes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.common.models import TimeStampedModel

MESSAGE_MAX_LENGTH = 2000


class Message(TimeStampedModel):
    """One message in a patient's thread with their care team (one thread per patient)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages_written"
    )
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["patient", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="message_body_not_empty"),
        ]

    def __str__(self):
        return f"Message {self.pk} in {self.patient_id}'s thread"


class MessageReceipt(models.Model):
    """When one reader first saw one message: what the sender sees as “Read”."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="receipts")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "reader"], name="one_receipt_per_reader")
        ]

    def __str__(self):
        return f"{self.reader_id} read {self.message_id}"


class EducationCard(TimeStampedModel):
    """A short article for patients. The shared library has no clinic; clinics add their own."""

    class Topic(models.TextChoices):
        ACTIVITY = "activity", "Physical activity"
        PAIN = "pain", "Pain and exercise"
        IMAGING = "imaging", "Imaging"
        TREATMENT = "treatment", "Injections and surgery"
        RUNNING = "running", "Running"
        OTHER = "other", "Other"

    clinic = models.ForeignKey(
        "accounts.Clinic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="education_cards",
        help_text="Empty for the shared library.",
    )
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=120)
    topic = models.CharField(max_length=16, choices=Topic.choices)
    summary = models.CharField(max_length=240)
    body = models.TextField(help_text="Plain text; a blank line starts a new paragraph.")
    reading_minutes = models.PositiveSmallIntegerField(default=2)

    class Meta:
        ordering = ["topic", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(clinic__isnull=True), name="library_card_slug_unique"
            ),
            models.UniqueConstraint(fields=["clinic", "slug"], name="clinic_card_slug_unique"),
        ]

    def __str__(self):
        return self.title

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


class CardAssignment(models.Model):
    """A card the clinician attached to a program; the patient sees it on Today until read."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="card_assignments"
    )
    card = models.ForeignKey(EducationCard, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "card"], name="one_assignment_per_card")
        ]

    def __str__(self):
        return f"{self.card} for program {self.program_id}"


class VisitNote(TimeStampedModel):
    """What happened at an in-clinic or video visit, or a note made from a message."""

    class Kind(models.TextChoices):
        IN_CLINIC = "in_clinic", "In-clinic visit"
        VIDEO = "video", "Video visit"
        BETWEEN_VISITS = "between_visits", "Note between visits"

    class ManualTherapy(models.TextChoices):
        SOFT_TISSUE = "soft_tissue", "Soft-tissue mobilisation"
        JOINT = "joint", "Joint mobilisation"
        CUPPING = "cupping", "Cupping"
        DRY_NEEDLING = "dry_needling", "Dry needling"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="visit_notes"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visit_notes_written"
    )
    visit_date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(max_length=5000)
    # Manual therapy happens in clinic: it is noted here, never prescribed as homework.
    manual_therapy = models.JSONField(default=list, blank=True)
    next_visit_date = models.DateField(null=True, blank=True)
    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
        help_text="The message this note was made from, if any.",
    )

    class Meta:
        ordering = ["-visit_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_visit_date__isnull=True) | Q(next_visit_date__gte=F("visit_date")),
                name="visit_next_on_or_after_visit",
                violation_error_message="The next visit can't be before this one.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.visit_date}"

    def manual_therapy_labels(self) -> list[str]:
        labels = dict(self.ManualTherapy.choices)
        return [labels.get(value, value) for value in self.manual_therapy]
