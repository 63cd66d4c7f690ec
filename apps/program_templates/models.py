"""Program templates: a program's shape (exercises, doses, bands, cards) without a patient.

A template with no clinic is a starter template shipped with the project: every clinic sees it
and none may change it. A clinic's own templates are private to that clinic, like its exercises.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from apps.common.models import TimeStampedModel
from apps.exercises.models import DoseKind
from apps.exercises.rules import format_dose
from apps.patients.models import Condition

# A template row's dose, as a prescribed exercise has it (apps/programs/models.py).
DOSE_FIELDS = (
    "sets",
    "target_low",
    "target_high",
    "rep_hold_seconds",
    "notes",
    "baseline_step_rate",
    "target_step_rate",
)
PAIN_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


class ProgramTemplate(TimeStampedModel):
    clinic = models.ForeignKey(
        "accounts.Clinic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="program_templates",
        help_text="Empty for a starter template, which every clinic sees and none may change.",
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    condition = models.CharField(
        max_length=32, choices=Condition.choices, blank=True, help_text="The condition it suits."
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    pain_ceiling = models.PositiveSmallIntegerField(default=3, validators=PAIN_VALIDATORS)
    green_max = models.PositiveSmallIntegerField(default=2, validators=PAIN_VALIDATORS)
    review_weeks = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    cards = models.ManyToManyField("care.EducationCard", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = [F("clinic").asc(nulls_first=True), "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name"],
                name="template_name_unique_per_clinic",
                violation_error_message="Your clinic already has a template with this name.",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(clinic__isnull=True),
                name="starter_template_name_unique",
            ),
            models.CheckConstraint(
                condition=Q(pain_ceiling__lte=10) & Q(green_max__lte=F("pain_ceiling")),
                name="template_bands_ordered",
                violation_error_message=(
                    "The pain ceiling is at most 10, and the green band ends at or below it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1),
                name="template_sessions_per_week_gte_1",
                violation_error_message="Prescribe at least one session a week.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_starter(self) -> bool:
        return self.clinic_id is None


class TemplateItem(models.Model):
    """One exercise of a template with its dose, as a program's prescribed exercise has it."""

    template = models.ForeignKey(ProgramTemplate, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey("exercises.Exercise", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    dose_kind = models.CharField(max_length=16, choices=DoseKind.choices)
    sets = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    target_low = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    target_high = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    rep_hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)
    baseline_step_rate = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(100), MaxValueValidator(250)]
    )
    target_step_rate = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(100), MaxValueValidator(250)]
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_low__lte=F("target_high")),
                name="template_item_target_low_lte_high",
                violation_error_message="The low end of the range can't be above the high end.",
            ),
            models.CheckConstraint(
                condition=Q(sets__gte=1),
                name="template_item_sets_gte_1",
                violation_error_message="Prescribe at least one set.",
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
