from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import User
from apps.care.models import EducationCard
from apps.care.selectors import program_cards
from apps.patients.models import Patient
from apps.programs.models import Program
from apps.programs.selectors import active_program, editable_programs_for
from apps.programs.services import ItemInput

from .models import DOSE_FIELDS, ProgramTemplate, TemplateItem

_ITEMS = Prefetch(
    "items",
    queryset=TemplateItem.objects.select_related("exercise", "exercise__progression"),
)


def templates_for(user: User) -> QuerySet[ProgramTemplate]:
    """The starter templates and the user's clinic's own; other clinics' stay hidden."""
    if not user.is_authenticated or not user.is_clinician:
        return ProgramTemplate.objects.none()
    own = Q(clinic_id=user.clinic_id) if user.clinic_id else Q(pk__in=[])
    return ProgramTemplate.objects.filter(Q(clinic__isnull=True) | own).prefetch_related(
        _ITEMS, "cards"
    )


def editable_templates_for(user: User) -> QuerySet[ProgramTemplate]:
    """Only a clinic's own templates change; the starter ones are read-only for everyone."""
    return templates_for(user).filter(clinic__isnull=False)


def recent_programs_for(user: User, *, limit: int = 10) -> QuerySet[Program]:
    """Programs the clinician may copy from: those of their own patients, newest first."""
    return editable_programs_for(user).prefetch_related(None).order_by("-created_at")[:limit]


PROGRAM_FIELDS = ("name", "sessions_per_week", "pain_ceiling", "green_max")


@dataclass
class ProgramStart:
    """What the builder prefills for a new program: its fields, its rows (as the builder's
    forms take them), the cards to attach on save, and the patients it shows besides."""

    initial: dict[str, Any] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    cards: list[EducationCard] = field(default_factory=list)
    label: str = ""
    patient_ids: tuple[int, ...] = ()


def _rows(program: Program, *, acknowledged: bool) -> list[dict[str, Any]]:
    # New rows (no ids); the builder's rows take ItemInput's names, the exercise as its id.
    return [
        {
            **vars(ItemInput.from_row(row)),
            "exercise": row.exercise_id,
            "id": None,
            "caution_acknowledged": acknowledged and row.caution_acknowledged,
        }
        for row in program.items.all()
    ]


def _from_template(template: ProgramTemplate, today: date) -> ProgramStart:
    initial = {f: getattr(template, f) for f in PROGRAM_FIELDS}
    initial["review_date"] = today + timedelta(weeks=template.review_weeks)
    items = [
        {**{f: getattr(row, f) for f in DOSE_FIELDS}, "exercise": row.exercise_id, "id": None}
        for row in template.items.all()
    ]
    cards = list(template.cards.all())
    return ProgramStart(initial, items, cards, f"the template “{template.name}”")


def _from_program(source: Program) -> ProgramStart:
    initial = {f: getattr(source, f) for f in PROGRAM_FIELDS}
    # Another patient's acknowledgement of a caution is not this patient's: ask again.
    items = _rows(source, acknowledged=False)
    cards = [a.card for a in program_cards(source)]
    label = f"{source.patient.user.full_name}'s “{source.name}”"
    return ProgramStart(initial, items, cards, label, (source.patient_id,))


def program_start(
    *,
    user: User,
    patient: Patient,
    today: date,
    template_id: int | None = None,
    program_id: int | None = None,
) -> ProgramStart:
    """A template or another program the user may see (else a 404); without either, a copy of
    the patient's current program, if any."""
    if template_id is not None:
        template = get_object_or_404(templates_for(user), pk=template_id)
        return _from_template(template, today)
    if program_id is not None:
        return _from_program(get_object_or_404(editable_programs_for(user), pk=program_id))
    current = active_program(patient)
    if current is None:
        return ProgramStart()
    # The patient's own acknowledgements still hold for a copy of their current program.
    initial = {f: getattr(current, f) for f in PROGRAM_FIELDS}
    return ProgramStart(initial, _rows(current, acknowledged=True))
