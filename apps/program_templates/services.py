from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.care.models import EducationCard
from apps.care.selectors import cards_for, program_cards
from apps.care.services import program_cards_set
from apps.common.services import model_validate_and_save, require
from apps.exercises.selectors import exercises_for
from apps.patients.models import Patient
from apps.programs.models import Program
from apps.programs.selectors import editable_programs_for
from apps.programs.services import ItemInput, program_assign

from .models import DOSE_FIELDS, ProgramTemplate, TemplateItem
from .selectors import editable_templates_for

PROGRAM_FIELDS = ("sessions_per_week", "pain_ceiling", "green_max")
TEMPLATE_FIELDS = (*PROGRAM_FIELDS, "description", "condition", "review_weeks")


def template_items(template: ProgramTemplate) -> list[ItemInput]:
    """The template's rows as a clinician would enter them; cautions are acknowledged afresh
    for each patient, so none comes acknowledged."""
    return [
        ItemInput(exercise=row.exercise, **{f: getattr(row, f) for f in DOSE_FIELDS})
        for row in template.items.all()
    ]


def _require_own_clinic(clinician: User) -> None:
    require(
        clinician.is_clinician and clinician.clinic_id is not None,
        "Only a clinic's clinicians can keep program templates.",
    )


def _name_clean(name: str) -> str:
    name = name.strip()
    require(bool(name), "Give the template a name.", field="name")
    require(len(name) <= 120, "Keep the name under 120 characters.", field="name")
    return name


def _template_save(template: ProgramTemplate) -> ProgramTemplate:
    try:
        with transaction.atomic():
            return model_validate_and_save(template)
    except IntegrityError as error:  # two saves racing past full_clean's uniqueness check
        raise ValidationError(
            {"name": "Your clinic already has a template with this name."}
        ) from error


def _template_row(*, template: ProgramTemplate, item: ItemInput, order: int) -> TemplateItem:
    exercise = item.exercise
    row = TemplateItem(
        template=template,
        exercise=exercise,
        order=order,
        dose_kind=exercise.dose_kind,
        sets=item.sets or exercise.default_sets,
        target_low=item.target_low or exercise.default_target_low,
        target_high=item.target_high or exercise.default_target_high,
        rep_hold_seconds=item.rep_hold_seconds,
        notes=item.notes,
        baseline_step_rate=item.baseline_step_rate if exercise.is_run else None,
        target_step_rate=item.target_step_rate if exercise.is_run else None,
    )
    require(
        row.target_low <= row.target_high,
        "The low end of the range must not exceed the high end.",
        field="target_high",
    )
    row.full_clean(exclude=["template"])
    return row


def _items_replace(*, clinician: User, template: ProgramTemplate, items: list[ItemInput]) -> None:
    require(bool(items), "Add at least one exercise to the template.", field="items")
    visible = set(exercises_for(clinician).values_list("pk", flat=True))
    for item in items:
        require(item.exercise.pk in visible, "Choose an exercise from your library.", field="items")
    rows = [_template_row(template=template, item=i, order=n) for n, i in enumerate(items)]
    template.items.all().delete()
    TemplateItem.objects.bulk_create(rows)


def _cards_set(clinician: User, template: ProgramTemplate, cards: list[EducationCard]) -> None:
    visible = set(cards_for(clinician).values_list("pk", flat=True))
    require(all(c.pk in visible for c in cards), "Choose cards from your library.", field="cards")
    template.cards.set(cards)


def _bands_check(template: ProgramTemplate) -> None:
    if template.green_max > template.pain_ceiling:
        raise ValidationError({"green_max": "Green must end at or below the pain ceiling."})


@transaction.atomic
def template_create(
    *,
    clinician: User,
    name: str,
    items: list[ItemInput],
    cards: list[EducationCard] | None = None,
    **fields: object,
) -> ProgramTemplate:
    """A clinic's own template; only that clinic sees it."""
    _require_own_clinic(clinician)
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    require(not unknown, f"Unknown fields: {', '.join(sorted(unknown))}.")
    template = ProgramTemplate(
        clinic_id=clinician.clinic_id, name=_name_clean(name), created_by=clinician, **fields
    )
    _bands_check(template)
    _template_save(template)
    _items_replace(clinician=clinician, template=template, items=items)
    _cards_set(clinician, template, cards or [])
    return template


def template_from_program(*, clinician: User, program: Program, name: str) -> ProgramTemplate:
    """Keep a program's shape as a clinic template: no patient, no dates, no acknowledgements."""
    _require_own_clinic(clinician)
    require(
        editable_programs_for(clinician).filter(pk=program.pk).exists(),
        "You can only save programs of your own patients as templates.",
    )
    weeks = round((program.review_date - program.start_date).days / 7)
    return template_create(
        clinician=clinician,
        name=name,
        items=[
            ItemInput(exercise=row.exercise, **{f: getattr(row, f) for f in DOSE_FIELDS})
            for row in program.items.all()
        ],
        cards=[a.card for a in program_cards(program)],
        condition=program.patient.condition,
        sessions_per_week=program.sessions_per_week,
        pain_ceiling=program.pain_ceiling,
        green_max=program.green_max,
        review_weeks=min(max(weeks, 1), 52),
    )


def _require_editable(clinician: User, template: ProgramTemplate) -> None:
    require(
        editable_templates_for(clinician).filter(pk=template.pk).exists(),
        "Starter templates can't be changed: save a copy under your clinic's name.",
    )


@transaction.atomic
def template_update(
    *,
    clinician: User,
    template: ProgramTemplate,
    name: str | None = None,
    items: list[ItemInput] | None = None,
    cards: list[EducationCard] | None = None,
    **fields: object,
) -> ProgramTemplate:
    """Rename or re-describe a clinic template, or change its doses, bands and cards."""
    _require_editable(clinician, template)
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    require(not unknown, f"Unknown fields: {', '.join(sorted(unknown))}.")
    if name is not None:
        template.name = _name_clean(name)
    for field, value in fields.items():
        setattr(template, field, value.strip() if isinstance(value, str) else value)
    _bands_check(template)
    _template_save(template)
    if items is not None:
        _items_replace(clinician=clinician, template=template, items=items)
    if cards is not None:
        _cards_set(clinician, template, cards)
    return template


def template_delete(*, clinician: User, template: ProgramTemplate) -> None:
    """Programs started from it keep their own copy: a template is only a starting point."""
    _require_editable(clinician, template)
    template.delete()


def template_cards_apply(*, clinician: User, program: Program, cards: list[EducationCard]) -> int:
    """Attach a template's (or copied program's) cards to a new program; returns how many."""
    if not cards:
        return 0
    program_cards_set(clinician=clinician, program=program, cards=cards)
    return len(cards)


@transaction.atomic
def program_from_template_assign(
    *,
    clinician: User,
    patient: Patient,
    template: ProgramTemplate,
    start_date: date,
    review_date: date | None = None,
    items: list[ItemInput] | None = None,
    **fields: object,
) -> Program:
    """A new program from a template: what the caller gives overrides the template's."""
    defaults: dict[str, object] = {f: getattr(template, f) for f in PROGRAM_FIELDS}
    defaults["name"] = template.name
    program = program_assign(
        clinician=clinician,
        patient=patient,
        items=items if items is not None else template_items(template),
        start_date=start_date,
        review_date=review_date or start_date + timedelta(weeks=template.review_weeks),
        **{**defaults, **fields},  # type: ignore[arg-type]
    )
    template_cards_apply(clinician=clinician, program=program, cards=list(template.cards.all()))
    return program
