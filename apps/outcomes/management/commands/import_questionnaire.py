"""Import a licensed instrument's wording: ``manage.py import_questionnaire FILE [--clinic ID]``.

The file is the FHIR R4 Questionnaire the clinic received from the licensor (or built from its
copy) with Greenlight's linkIds; docs/outcomes.md says how.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Clinic
from apps.outcomes.services import questionnaire_import


class Command(BaseCommand):
    help = "Validate a FHIR Questionnaire against its instrument's structure, then store it."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the FHIR R4 Questionnaire JSON file")
        parser.add_argument(
            "--clinic", type=int, help="the clinic's id (default: the whole installation)"
        )

    def handle(self, *args, file, clinic, **options):
        text = _read(Path(file))
        owner = _clinic(clinic)
        try:
            questionnaire = questionnaire_import(text=text, clinic=owner)
        except ValidationError as error:
            problems = "\n".join(f"  - {m}" for m in error.messages)
            raise CommandError(f"{file} was not imported; nothing changed:\n{problems}") from error
        whose = f"clinic “{owner}”" if owner else "the whole installation"
        self.stdout.write(
            self.style.SUCCESS(f"Imported {questionnaire} for {whose} (id {questionnaire.pk}).")
        )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from error


def _clinic(clinic_id: int | None) -> Clinic | None:
    if clinic_id is None:
        return None
    try:
        return Clinic.objects.get(pk=clinic_id)
    except Clinic.DoesNotExist:
        raise CommandError(f"no clinic with id {clinic_id}") from None
