"""Writes of questionnaire definitions (docs/outcomes.md, "Importing a licensed instrument")."""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Clinic, User
from apps.common.signals import status_stale
from apps.common.timezones import local_date
from apps.patients.models import Patient
from apps.programs.models import Program
from apps.programs.selectors import editable_programs_for

from . import rules
from .instruments import INSTRUMENTS
from .models import Occasion, Questionnaire, QuestionnaireResponse, QuestionnaireSchedule
from .rules import Answer
from .schedule import occasions_due
from .selectors import questionnaire_for
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


def _require_editable(clinician: User, program: Program) -> None:
    if not editable_programs_for(clinician).filter(pk=program.pk).exists():
        raise PermissionDenied("Only the patient's care team changes their program.")


@transaction.atomic
def schedule_set(
    *,
    clinician: User,
    program: Program,
    code: str,
    at_start: bool = True,
    every_weeks: int | None = None,
    at_discharge: bool = False,
) -> QuestionnaireSchedule:
    """Attach an instrument to a program, or change when it is asked (one schedule per code)."""
    _require_editable(clinician, program)
    if code not in INSTRUMENTS:
        raise ValidationError({"code": "Choose one of the questionnaires listed."})
    if questionnaire_for(clinic=program.patient.clinic, code=code) is None:
        raise ValidationError(
            {"code": "Import the licensed wording first (manage.py import_questionnaire)."}
        )
    if not (at_start or every_weeks or at_discharge):
        raise ValidationError("Say when to ask: at the start, every few weeks or at discharge.")
    schedule = QuestionnaireSchedule.objects.filter(program=program, code=code).first()
    schedule = schedule or QuestionnaireSchedule(program=program, code=code, created_by=clinician)
    schedule.at_start, schedule.every_weeks, schedule.at_discharge = (
        at_start,
        every_weeks or None,
        at_discharge,
    )
    schedule.full_clean()
    schedule.save()
    return schedule


@transaction.atomic
def schedule_remove(*, clinician: User, schedule: QuestionnaireSchedule) -> None:
    """Stop asking; responses already given stay (their schedule link is cleared)."""
    _require_editable(clinician, schedule.program)
    # A questionnaire opened but not yet started would linger on Today with nothing behind it.
    schedule.responses.filter(status=QuestionnaireResponse.Status.DUE).delete()
    schedule.delete()


def questionnaires_due_open(patient: Patient, today: date) -> list[QuestionnaireResponse]:
    """Open (once) every questionnaire the patient's active program owes by ``today`` (local)."""
    return questionnaires_due_open_many({patient.pk: today})


def questionnaires_due_open_many(days: Mapping[int, date]) -> list[QuestionnaireResponse]:
    """The same for many patients at once (the reminder tick): ``days`` maps each patient's id
    to their local date. One query finds the schedules; only those owing something write."""
    schedules = QuestionnaireSchedule.objects.filter(
        program__patient_id__in=list(days), program__status=Program.Status.ACTIVE
    ).select_related("program__patient__clinic")
    opened = []
    for schedule in schedules:
        program = schedule.program
        due = occasions_due(
            program.start_date, schedule.every_weeks, schedule.at_start, days[program.patient_id]
        )
        if not due:
            continue
        questionnaire = questionnaire_for(clinic=program.patient.clinic, code=schedule.code)
        if questionnaire is None:
            continue
        for occasion, day in due:
            opened.append(
                response_open(
                    patient=program.patient,
                    questionnaire=questionnaire,
                    due_date=day,
                    occasion=occasion,
                    schedule=schedule,
                )
            )
    return opened


def discharge_open(program: Program) -> list[QuestionnaireResponse]:
    """The questionnaires due when a program ends, opened on the patient's local end date."""
    patient = program.patient
    ended = program.ended_at or timezone.now()
    day = local_date(ended, patient.user.timezone)
    opened = []
    for schedule in program.questionnaire_schedules.filter(at_discharge=True):
        questionnaire = questionnaire_for(clinic=patient.clinic, code=schedule.code)
        if questionnaire is not None:
            opened.append(
                response_open(
                    patient=patient,
                    questionnaire=questionnaire,
                    due_date=day,
                    occasion=Occasion.DISCHARGE,
                    schedule=schedule,
                )
            )
    return opened
