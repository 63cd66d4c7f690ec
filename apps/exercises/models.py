from django.db import models
from django.db.models import Q

from apps.common.models import TimeStampedModel

from .rules import format_dose


class Region(models.TextChoices):
    HIP = "hip", "Hip"
    TRUNK = "trunk", "Trunk"
    FUNCTIONAL = "functional", "Functional"
    RUNNING = "running", "Running"


class DoseKind(models.TextChoices):
    """How a dose is counted: reps per set, seconds held per set, or minutes of running."""

    REPS = "reps", "Sets × reps"
    HOLD = "hold", "Sets × seconds held"
    DURATION = "duration", "Minutes per session"


class Caution(models.TextChoices):
    DEEP_HIP_FLEXION = "deep_hip_flexion", "Deep hip flexion"
    END_RANGE_EXTERNAL_ROTATION = "end_range_external_rotation", "End-range external rotation"
    IMPACT = "impact", "Impact loading"


# Which caution tags conflict with which patient conditions (docs/clinical.md, "Cautions").
CONDITION_CAUTIONS = {
    "fai": {Caution.DEEP_HIP_FLEXION, Caution.END_RANGE_EXTERNAL_ROTATION},
}


class Progression(models.Model):
    """A graded family of exercises, easiest level first (e.g. “Hip adductors”)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=16, choices=Region.choices)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name


class Exercise(TimeStampedModel):
    """One level of a progression, or a clinic's own exercise (``clinic`` set, private to it)."""

    clinic = models.ForeignKey(
        "accounts.Clinic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exercises",
        help_text="Empty for the shared library.",
    )
    progression = models.ForeignKey(
        Progression, null=True, blank=True, on_delete=models.PROTECT, related_name="exercises"
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=150)
    region = models.CharField(max_length=16, choices=Region.choices)
    instructions = models.TextField()
    dose_kind = models.CharField(max_length=16, choices=DoseKind.choices)
    default_sets = models.PositiveSmallIntegerField()
    default_target_low = models.PositiveSmallIntegerField(
        help_text="Reps per set, seconds per hold, or minutes per session (lower end)."
    )
    default_target_high = models.PositiveSmallIntegerField()
    default_rep_hold_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Isometric hold at the top of each rep, in seconds."
    )
    cautions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["progression__order", "level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["progression", "level"],
                condition=Q(clinic__isnull=True),
                name="library_one_exercise_per_level",
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(clinic__isnull=True), name="library_unique_slug"
            ),
            models.CheckConstraint(
                condition=Q(default_target_low__lte=models.F("default_target_high")),
                name="exercise_target_low_lte_high",
                violation_error_message="The low end of the range can't be above the high end.",
            ),
            models.CheckConstraint(
                condition=Q(default_sets__gte=1),
                name="exercise_sets_gte_1",
                violation_error_message="Prescribe at least one set.",
            ),
        ]

    @property
    def is_run(self) -> bool:
        """A running session in minutes: it takes a distance and a step rate too."""
        return self.region == Region.RUNNING and self.dose_kind == DoseKind.DURATION

    def __str__(self):
        return self.name

    @property
    def default_dose_text(self) -> str:
        return format_dose(
            self.dose_kind,
            self.default_sets,
            self.default_target_low,
            self.default_target_high,
            self.default_rep_hold_seconds,
        )

    def caution_labels(self) -> list[str]:
        return [Caution(c).label for c in self.cautions if c in Caution.values]
