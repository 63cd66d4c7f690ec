from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from apps.common.models import TimeStampedModel
from apps.exercises.models import DoseKind
from apps.exercises.rules import format_dose

PAIN_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


class Program(TimeStampedModel):
    """A home-exercise program. One is active per patient; ended ones are kept as history."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="programs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=120, default="Home program")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    sessions_per_week = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    start_date = models.DateField()
    review_date = models.DateField()
    pain_ceiling = models.PositiveSmallIntegerField(
        default=3,
        validators=PAIN_VALIDATORS,
        help_text="Highest acceptable pain during and 24 h after (0–10). Above it is red.",
    )
    green_max = models.PositiveSmallIntegerField(
        default=2,
        validators=PAIN_VALIDATORS,
        help_text="Highest pain that still counts as green; up to the ceiling is yellow.",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    # Why a clinician ended it (a program replaced by a new one ends without a reason).
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-start_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="active"),
                name="one_active_program_per_patient",
            ),
            models.CheckConstraint(
                condition=Q(review_date__gte=F("start_date")),
                name="program_review_after_start",
                violation_error_message="The review date must be on or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(pain_ceiling__lte=10) & Q(green_max__lte=F("pain_ceiling")),
                name="program_bands_ordered",
                violation_error_message=(
                    "The pain ceiling is at most 10, and the green band ends at or below it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1),
                name="program_sessions_per_week_gte_1",
                violation_error_message="Prescribe at least one session a week.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.start_date:%d %b %Y})"


class ActivePrescriptionManager(models.Manager):
    """Only exercises still prescribed: ``program.items`` and every read through the default
    manager leave out the ended ones, which stay as history (their workouts, level changes)."""

    def get_queryset(self):
        return super().get_queryset().filter(ended_at__isnull=True)


class PrescribedExercise(TimeStampedModel):
    """An exercise of a program with its dose; a later edit never rewrites past logs.

    Removing it from the program ends it (``ended_at``) rather than deleting it: its level
    changes and the results logged against it are clinical history.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey("exercises.Exercise", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    dose_kind = models.CharField(max_length=16, choices=DoseKind.choices)
    sets = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    target_low = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    target_high = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    rep_hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)
    caution_acknowledged = models.BooleanField(default=False)
    # Running: raising the step rate 5–10 % above the runner's own reduces hip load
    # (docs/clinical.md).
    baseline_step_rate = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(250)],
        help_text="The runner's preferred steps per minute at an easy pace.",
    )
    target_step_rate = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(250)],
        help_text="Steps per minute to aim for; by default 10 % above the preferred rate.",
    )
    # Runs only: a questionnaire criterion for moving on to the next stage, as
    # {"instrument": "hip-rating" | "psfs", "kind": "at_least" | "improved_by", "value": n}
    # (apps/programs/rules.py, OutcomeGate); null: the usual rule alone.
    outcome_gate = models.JSONField(
        null=True,
        blank=True,
        help_text="Runs only: a questionnaire score the next stage needs, e.g. hip rating ≥ 80 %.",
    )
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was taken out of the program."
    )

    objects = ActivePrescriptionManager()
    with_ended = models.Manager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_low__lte=F("target_high")),
                name="prescribed_target_low_lte_high",
                violation_error_message="The low end of the range can't be above the high end.",
            ),
            models.CheckConstraint(
                condition=Q(sets__gte=1),
                name="prescribed_sets_gte_1",
                violation_error_message="Prescribe at least one set.",
            ),
            models.CheckConstraint(
                condition=Q(baseline_step_rate__isnull=True)
                | Q(baseline_step_rate__gte=100, baseline_step_rate__lte=250),
                name="prescribed_baseline_step_rate_100_250",
                violation_error_message="A step rate is between 100 and 250 steps per minute.",
            ),
            models.CheckConstraint(
                condition=Q(target_step_rate__isnull=True)
                | Q(target_step_rate__gte=100, target_step_rate__lte=250),
                name="prescribed_target_step_rate_100_250",
                violation_error_message="A step rate is between 100 and 250 steps per minute.",
            ),
        ]

    def __str__(self):
        return f"{self.exercise.name}: {self.dose_text}"

    @property
    def dose_text(self) -> str:
        text = format_dose(
            self.dose_kind, self.sets, self.target_low, self.target_high, self.rep_hold_seconds
        )
        if self.target_step_rate:
            text += f", at about {self.target_step_rate} steps per minute"
        return text


class ProgressionChange(models.Model):
    """One move of a prescribed exercise to another level (or, at the first level, to a smaller
    dose of the same exercise): from, to, when, by whom and why."""

    class Direction(models.TextChoices):
        PROGRESS = "progress", "Progressed"
        REGRESS = "regress", "Regressed"
        REDUCE = "reduce", "Dose reduced"

    prescribed = models.ForeignKey(
        PrescribedExercise, on_delete=models.PROTECT, related_name="changes"
    )
    from_exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.PROTECT, related_name="+"
    )
    to_exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(max_length=8, choices=Direction.choices)
    reason = models.CharField(max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when applied automatically.",
    )
    automatic = models.BooleanField(default=False)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["prescribed", "changed_at"])]

    def __str__(self):
        return f"{self.get_direction_display()}: {self.from_exercise} → {self.to_exercise}"
