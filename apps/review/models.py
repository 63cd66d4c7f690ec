from django.db import models

from apps.painlogs.rules import adherence as _adherence
from apps.painlogs.rules import week_start
from apps.painlogs.selectors import ActivityWeek

from .rules import ATTENTION, Flare, Reason


class PatientStatus(models.Model):
    """Where a patient stands, stored: one row per patient, kept current by the services that
    change its inputs and by the scheduler for what time alone changes (apps/review/services.py).

    Views read it; none recomputes it. ``rank`` orders triage, ``needs_attention`` filters it.
    """

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, primary_key=True, related_name="status"
    )
    computed_at = models.DateTimeField()
    local_date = models.DateField(help_text="The patient's today when it was computed.")
    green_max = models.PositiveSmallIntegerField()
    pain_ceiling = models.PositiveSmallIntegerField()
    program_name = models.CharField(max_length=120, blank=True)
    review_date = models.DateField(null=True, blank=True)
    lights = models.JSONField(default=list)
    last_workout_at = models.DateTimeField(null=True, blank=True)
    last_light = models.CharField(max_length=8, blank=True)
    reds_7d = models.PositiveIntegerField(default=0)
    flare_workout_id = models.BigIntegerField(null=True, blank=True)
    flare_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    flare_baseline = models.FloatField(null=True, blank=True)
    done_7d = models.PositiveIntegerField(default=0)
    prescribed_7d = models.PositiveIntegerField(default=0)
    done_28d = models.PositiveIntegerField(default=0)
    prescribed_28d = models.PositiveIntegerField(default=0)
    missed_7d = models.PositiveIntegerField(default=0)
    left_this_week = models.PositiveIntegerField(default=0)
    missing_24h = models.PositiveIntegerField(default=0)
    to_progress = models.JSONField(default=list)
    to_regress = models.JSONField(default=list)
    unread_messages = models.PositiveIntegerField(default=0)
    # This week (Monday to today, the patient's zone) against the WHO targets in force.
    cardio_minutes_week = models.PositiveIntegerField(default=0)
    strength_sessions_week = models.PositiveIntegerField(default=0)
    cardio_target = models.PositiveIntegerField(default=150)
    strength_target = models.PositiveIntegerField(default=2)
    reasons = models.JSONField(default=list)
    needs_attention = models.BooleanField(default=False)
    rank = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "patient statuses"
        indexes = [models.Index(fields=["-rank"], name="status_rank")]

    def __str__(self) -> str:
        return f"Status of patient {self.patient_id}"

    @property
    def flare(self) -> Flare | None:
        if self.flare_workout_id is None or self.flare_rating is None:
            return None
        return Flare(self.flare_workout_id, self.flare_rating, self.flare_baseline or 0.0)

    @property
    def reason_list(self) -> list[Reason]:
        return [Reason(r["kind"], r["text"], r["weight"]) for r in self.reasons]

    @property
    def attention_reasons(self) -> list[str]:
        return [r["text"] for r in self.reasons if r["kind"] in ATTENTION]

    @property
    def this_week(self) -> ActivityWeek:
        """This week's activity as the activity widgets show it."""
        return ActivityWeek(
            start=week_start(self.local_date),
            cardio_minutes=self.cardio_minutes_week,
            strength_sessions=self.strength_sessions_week,
            cardio_target=self.cardio_target,
            strength_target=self.strength_target,
        )

    @property
    def adherence_7(self) -> float | None:
        return _adherence(self.done_7d, self.prescribed_7d)

    @property
    def adherence_28(self) -> float | None:
        return _adherence(self.done_28d, self.prescribed_28d)
