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
