"""Writes of questionnaire definitions (docs/outcomes.md, "Importing a licensed instrument")."""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Clinic, User
from apps.common.signals import status_stale
from apps.patients.models import Patient

from . import rules
from .models import Occasion, Questionnaire, QuestionnaireResponse, QuestionnaireSchedule
from .rules import Answer
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


def response_open(
    *,
    patient: Patient,
    questionnaire: Questionnaire,
    due_date: date,
    occasion: str = Occasion.EXTRA,
    schedule: QuestionnaireSchedule | None = None,
) -> QuestionnaireResponse:
    """The patient's response for this schedule, occasion and date: made once, found after."""
    program = schedule.program if schedule else None
    if schedule is None:
        response = QuestionnaireResponse(
            patient=patient, questionnaire=questionnaire, due_date=due_date, occasion=occasion
        )
        response.full_clean()
        response.save()
        return response
    response, _ = QuestionnaireResponse.objects.get_or_create(
        schedule=schedule,
        occasion=occasion,
        due_date=due_date,
        defaults={"patient": patient, "questionnaire": questionnaire, "program": program},
    )
    return response


@transaction.atomic
def response_answer(
    *, user: User, response: QuestionnaireResponse, answers: Mapping[str, Answer]
) -> QuestionnaireResponse:
    """Save some answers (the ones given so far: one screen's worth is enough)."""
    response = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
    _own(user, response)
    if response.status == QuestionnaireResponse.Status.COMPLETED:
        raise ValidationError("This questionnaire is already sent; it can't be changed.")
    merged = {**response.answers, **answers}
    try:
        rules.answers_check(response.questionnaire.code, merged)
    except rules.AnswerError as error:
        raise ValidationError({"answers": str(error)}) from error
    response.answers = merged
    response.status = QuestionnaireResponse.Status.IN_PROGRESS
    response.started_at = response.started_at or timezone.now()
    response.save(update_fields=["answers", "status", "started_at", "updated_at"])
    return response


@transaction.atomic
def response_complete(*, user: User, response: QuestionnaireResponse) -> QuestionnaireResponse:
    """Send a response: its scores are computed and kept with it, and it can't change after."""
    response = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
    _own(user, response)
    if response.status == QuestionnaireResponse.Status.COMPLETED:
        return response
    scores = rules.score(response.questionnaire.code, response.answers)
    if not any(s.scored for s in scores.subscales):
        raise ValidationError("Answer the questions before sending.")
    now = timezone.now()
    response.scores = {s.code: s.value for s in scores.subscales}
    response.status = QuestionnaireResponse.Status.COMPLETED
    response.started_at = response.started_at or now
    response.completed_at = now
    response.save()
    # A score worse than before beyond its threshold is a reason to look (apps/review/rules.py).
    status_stale([response.patient_id], parts=frozenset({"outcomes"}))
    return response


def _own(user: User, response: QuestionnaireResponse) -> None:
    # Only the patient answers their own questionnaire; a clinician never fills one in for them.
    if response.patient.user_id != user.pk:
        raise PermissionDenied("Only the patient answers their questionnaire.")
