from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.common.models import TimeStampedModel
from apps.exercises.models import DoseKind
from apps.exercises.rules import format_dose

from .rules import LIGHT_CHOICES, traffic_light

PAIN_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


def _pain_check(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 10})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


class Workout(TimeStampedModel):
    """One home session. ``light`` is stored (not only derived) so the database can aggregate it."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="workouts"
    )
    # Protected: a workout is clinical history, and so is the program it was done under.
    program = models.ForeignKey(
        "programs.Program", null=True, on_delete=models.PROTECT, related_name="workouts"
    )
    performed_at = models.DateTimeField()
    local_date = models.DateField(help_text="The date in the patient's zone when it was done.")
    pain_during = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    note = models.TextField(blank=True)
    followup_pain = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PAIN_VALIDATORS
    )
    followup_at = models.DateTimeField(null=True, blank=True)
    # The bands in force when the workout was done: a later program edit must not recolour it.
    pain_ceiling = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    green_max = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    light = models.CharField(max_length=8, choices=LIGHT_CHOICES)

    class Meta:
        ordering = ["-performed_at"]
        indexes = [models.Index(fields=["patient", "local_date"])]
        constraints = [
            _pain_check("pain_during", "workout_pain_during_0_10"),
            _pain_check("followup_pain", "workout_followup_pain_0_10", nullable=True),
            models.CheckConstraint(
                condition=Q(followup_pain__isnull=True, followup_at__isnull=True)
                | Q(followup_pain__isnull=False, followup_at__isnull=False),
                name="workout_followup_pain_and_time_together",
            ),
        ]

    def __str__(self):
        return f"Workout {self.local_date} ({self.light})"

    @property
    def light_provisional(self) -> bool:
        """Until the 24-hour rating the light rests on pain during alone, and may still turn."""
        return self.followup_pain is None

    def traffic_light(self) -> str:
        return traffic_light(
            self.pain_during,
            self.followup_pain,
            ceiling=self.pain_ceiling,
            green_max=self.green_max,
        )


class SkipReason(models.TextChoices):
    PAIN = "pain", "Too painful"
    TIME = "time", "No time"
    EQUIPMENT = "equipment", "No equipment"
    UNWELL = "unwell", "Feeling unwell"
    OTHER = "other", "Other"


class ExerciseResult(models.Model):
    """What was done of one prescribed exercise, with the prescription as it was that day."""

    workout = models.ForeignKey(Workout, on_delete=models.CASCADE, related_name="results")
    prescribed = models.ForeignKey(
        "programs.PrescribedExercise", null=True, on_delete=models.PROTECT, related_name="results"
    )
    exercise = models.ForeignKey("exercises.Exercise", on_delete=models.PROTECT, related_name="+")
    exercise_name = models.CharField(max_length=150)
    dose_kind = models.CharField(max_length=16, choices=DoseKind.choices)
    prescribed_sets = models.PositiveSmallIntegerField()
    prescribed_low = models.PositiveSmallIntegerField()
    prescribed_high = models.PositiveSmallIntegerField()
    prescribed_rep_hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    prescribed_step_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    set_values = models.JSONField(default=list, help_text="Reps, seconds or minutes per set done.")
    sets_done = models.PositiveSmallIntegerField(default=0)
    skipped = models.BooleanField(default=False)
    skip_reason = models.CharField(max_length=16, choices=SkipReason.choices, blank=True)
    pain_during = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PAIN_VALIDATORS
    )
    note = models.CharField(max_length=500, blank=True)
    # A run's optional extras: the step rate is what the cadence target is checked against.
    distance_km = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("200"))],
    )
    step_rate = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(100), MaxValueValidator(250)]
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            _pain_check("pain_during", "result_pain_during_0_10", nullable=True),
            models.CheckConstraint(
                condition=Q(skipped=False) | Q(sets_done=0), name="result_skipped_has_no_sets"
            ),
            models.CheckConstraint(
                condition=Q(step_rate__isnull=True) | Q(step_rate__gte=100, step_rate__lte=250),
                name="result_step_rate_100_250",
            ),
            models.CheckConstraint(
                condition=Q(distance_km__isnull=True) | Q(distance_km__gt=0),
                name="result_distance_positive",
            ),
        ]

    def __str__(self):
        return f"{self.exercise_name}: {self.done_text}"

    @property
    def prescribed_text(self) -> str:
        return format_dose(
            self.dose_kind,
            self.prescribed_sets,
            self.prescribed_low,
            self.prescribed_high,
            self.prescribed_rep_hold_seconds,
        )

    @property
    def done_text(self) -> str:
        if self.skipped:
            return f"skipped ({self.get_skip_reason_display().lower()})"
        done = " / ".join(str(v) for v in self.set_values)
        if self.dose_kind == DoseKind.DURATION:
            return ", ".join([f"{done} min", *self._run_extras()])
        return done

    def _run_extras(self) -> list[str]:
        extras = [f"{self.distance_km.normalize():f} km"] if self.distance_km else []
        if self.step_rate:
            target = f" (target {self.prescribed_step_rate})" if self.prescribed_step_rate else ""
            extras.append(f"{self.step_rate} steps/min{target}")
        return extras


class Activity(TimeStampedModel):
    """An activity the patient reintroduces (bike commute, hike, run...), under the same light."""

    class Kind(models.TextChoices):
        RUN = "run", "Run"
        WALK = "walk", "Walk / hike"
        BIKE = "bike", "Bike"
        ELLIPTICAL = "elliptical", "Elliptical"
        SKI = "ski", "Ski / ski tour"
        SWIM = "swim", "Swim"
        GYM = "gym", "Gym / class"
        OTHER = "other", "Other"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.CharField(max_length=200, blank=True)
    date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    pain_during = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    next_day_soreness = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PAIN_VALIDATORS
    )
    soreness_recorded_at = models.DateTimeField(null=True, blank=True)
    pain_ceiling = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    green_max = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    light = models.CharField(max_length=8, choices=LIGHT_CHOICES)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name_plural = "activities"
        constraints = [
            _pain_check("pain_during", "activity_pain_during_0_10"),
            _pain_check("next_day_soreness", "activity_soreness_0_10", nullable=True),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="activity_duration_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"

    def traffic_light(self) -> str:
        return traffic_light(
            self.pain_during,
            self.next_day_soreness,
            ceiling=self.pain_ceiling,
            green_max=self.green_max,
        )


class IdempotentRequest(models.Model):
    """A client's Idempotency-Key for a workout POST: a retry gets the same workout back.

    The unique (user, key) row is inserted in the same transaction as the workout, so two
    concurrent retries cannot both create one.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    body_hash = models.CharField(max_length=64)
    workout = models.ForeignKey(Workout, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_workout_per_idempotency_key")
        ]

    def __str__(self):
        return f"{self.key} → workout {self.workout_id}"
