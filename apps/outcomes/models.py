"""Outcome questionnaire definitions: FHIR R4 Questionnaire documents, shipped or a clinic's."""

from django.db import models
from django.db.models import Q

from apps.common.models import TimeStampedModel


class Questionnaire(TimeStampedModel):
    """One version of one instrument's definition.

    ``clinic`` is empty for the definitions Greenlight ships (apps/outcomes/definitions/); a
    clinic's row holds its imported copy of a licensed instrument, wording included.
    ``wording_imported`` says the items carry wording a patient can read: the project's own for
    the instruments it words itself, the licensor's once a clinic has imported it.
    """

    clinic = models.ForeignKey(
        "accounts.Clinic",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaires",
    )
    code = models.CharField(max_length=40)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    definition = models.JSONField()
    wording_imported = models.BooleanField(default=False)

    class Meta:
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "code", "version"], name="questionnaire_one_version_per_clinic"
            ),
            # NULLs are distinct to a unique index, so the shipped rows need their own.
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=Q(clinic__isnull=True),
                name="questionnaire_one_shipped_version",
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.version}"


class Occasion(models.TextChoices):
    START = "start", "At the start"
    INTERVAL = "interval", "Follow-up"
    DISCHARGE = "discharge", "At discharge"
    EXTRA = "extra", "Asked by the clinician"


class QuestionnaireSchedule(TimeStampedModel):
    """A questionnaire attached to a program: when the patient is asked to answer it.

    The instrument is named by ``code``; which definition (the clinic's imported copy or the
    shipped one) is resolved when a response is opened, so an import later applies to what is
    asked from then on.
    """

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="questionnaire_schedules"
    )
    code = models.CharField(max_length=40)
    at_start = models.BooleanField(default=True)
    every_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Ask again every this many weeks; empty: not repeated."
    )
    at_discharge = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="one_schedule_per_code"),
            models.CheckConstraint(
                condition=Q(every_weeks__isnull=True) | Q(every_weeks__gte=1),
                name="schedule_every_weeks_gte_1",
                violation_error_message="Repeat at most once a week.",
            ),
        ]

    def __str__(self):
        return f"{self.code} for program {self.program_id}"


class QuestionnaireResponse(TimeStampedModel):
    """One administration of a questionnaire to a patient: answers saved as they are given.

    ``answers`` maps each item's linkId to its value (None or absent: not answered).
    ``scores`` is filled on completion from apps/outcomes/rules.score: subscale code to score,
    None where the subscale was not scored (too many missing answers). One response per schedule
    and due date, so a due questionnaire is opened exactly once whoever asks first.
    """

    class Status(models.TextChoices):
        DUE = "due", "Due"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    schedule = models.ForeignKey(
        QuestionnaireSchedule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    program = models.ForeignKey(
        "programs.Program",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questionnaire_responses",
    )
    occasion = models.CharField(max_length=12, choices=Occasion.choices, default=Occasion.EXTRA)
    due_date = models.DateField(help_text="The patient's local date it became due.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DUE)
    answers = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["patient", "due_date", "pk"]
        indexes = [models.Index(fields=["patient", "status", "due_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "occasion", "due_date"],
                condition=Q(schedule__isnull=False),
                name="one_response_per_schedule_occasion",
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_at__isnull=False)
                | (~Q(status="completed") & Q(completed_at__isnull=True)),
                name="response_completed_at_iff_completed",
                violation_error_message="A completed response has a completion time.",
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire.code} for patient {self.patient_id} due {self.due_date}"

    @property
    def code(self) -> str:
        return self.questionnaire.code
