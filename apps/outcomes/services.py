"""Writes of questionnaire definitions (docs/outcomes.md, "Importing a licensed instrument")."""

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import Clinic

from .models import Questionnaire
from .validation import DefinitionError, check, parse


@transaction.atomic
def questionnaire_import(*, text: str, clinic: Clinic | None) -> Questionnaire:
    """Store a clinic's worded copy of an instrument (``clinic`` None: the whole installation's).

    The document must match the instrument's known structure and carry wording for every item;
    otherwise ValidationError lists each problem and nothing is stored. A version already
    imported is not replaced: a validated questionnaire is not reworded in place.
    """
    try:
        doc = parse(text)
        spec = check(doc, wording_required=True)
    except DefinitionError as error:
        raise ValidationError(error.problems) from error
    version = str(doc["version"]).strip()
    existing = (
        Questionnaire.objects.select_for_update()
        .filter(clinic=clinic, code=spec.code, version=version)
        .first()
    )
    if existing and existing.wording_imported:
        raise ValidationError(
            f"{spec.code} version {version} is already imported; give the new copy a new version"
        )
    questionnaire = existing or Questionnaire(clinic=clinic, code=spec.code, version=version)
    questionnaire.title = str(doc["title"]).strip()
    questionnaire.definition = doc
    questionnaire.wording_imported = True
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire
