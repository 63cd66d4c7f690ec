import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.common.models import TimeStampedModel

# The extension a stored file gets from its detected type, never from the uploaded name.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/webm": "webm",
    "video/quicktime": "mov",
}


def stored_name(content_type: str, *, folder: str = "media") -> str:
    """A random name: the uploaded one may hold a patient's name or a date."""
    return str(PurePosixPath(folder) / f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}")


class ExerciseMedia(TimeStampedModel):
    """A photo or short video: of an exercise for the whole clinic, or filmed in clinic for one
    patient's prescribed exercise (patient data, then)."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Photo"
        VIDEO = "video", "Video"

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    exercise = models.ForeignKey(
        "exercises.Exercise",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="media",
        help_text="A clinic's media of an exercise (its own or the library's).",
    )
    prescribed = models.ForeignKey(
        "programs.PrescribedExercise",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="media",
        help_text="Filmed in clinic for this patient's prescribed exercise.",
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(max_length=200)
    # Images only: no pure-Python frame grabber exists for videos, whose first frame the
    # browser shows itself (<video preload="metadata">).
    thumbnail = models.FileField(max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField(help_text="Bytes, as stored.")
    caption = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "exercise media"
        constraints = [
            models.CheckConstraint(
                condition=Q(exercise__isnull=False, prescribed__isnull=True)
                | Q(exercise__isnull=True, prescribed__isnull=False),
                name="media_of_an_exercise_or_a_prescription",
                violation_error_message="Media belong to an exercise or to one prescription.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["image", "video"]), name="media_kind_valid"
            ),
        ]

    def __str__(self):
        return self.caption or f"{self.get_kind_display()} {self.pk}"

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.VIDEO

    @property
    def download_name(self) -> str:
        """A safe file name for Content-Disposition: the id and the type's own extension."""
        return f"greenlight-media-{self.pk}.{EXTENSIONS.get(self.content_type, 'bin')}"
