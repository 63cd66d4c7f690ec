"""What a handout shows, read once and shared by the page, the PDF and their tests."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from apps.accounts.models import User
from apps.care.selectors import program_cards
from apps.exercises.illustrations import illustration_for
from apps.programs.models import PrescribedExercise, Program
from apps.programs.selectors import programs_for

from .rules import (
    CHECK_24H,
    LOG_A_SESSION,
    Band,
    light_bands,
    pain_limit_text,
    sign_in_text,
    step_rate_text,
)


def handout_programs_for(user: User) -> QuerySet[Program]:
    """Programs whose handout ``user`` may open: their own, or their care-team patients'."""
    return programs_for(user).select_related("patient__clinic")


@dataclass(frozen=True)
class HandoutItem:
    number: int
    name: str
    dose: str
    instructions: str
    notes: str
    step_rate: str
    # A static path (apps/exercises/illustrations.py), or None: the item is shown without one.
    picture: str | None


@dataclass(frozen=True)
class Handout:
    program: Program
    clinic: str
    patient_name: str
    items: list[HandoutItem]
    pain_ceiling: int
    pain_limit: str
    bands: list[Band]
    check_24h: str
    sign_in: str
    log_a_session: str
    cards: list[str] = field(default_factory=list)

    @property
    def start_date(self) -> date:
        return self.program.start_date

    @property
    def review_date(self) -> date:
        return self.program.review_date


def _item(number: int, row: PrescribedExercise) -> HandoutItem:
    return HandoutItem(
        number=number,
        name=row.exercise.name,
        dose=row.dose_text,
        instructions=row.exercise.instructions,
        notes=row.notes,
        step_rate=step_rate_text(row.target_step_rate),
        picture=illustration_for(row.exercise),
    )


def program_handout(program: Program) -> Handout:
    """The program as the patient takes it home: exercises in order, their limit and light."""
    patient = program.patient
    return Handout(
        program=program,
        clinic=patient.clinic.name,
        patient_name=patient.user.full_name,
        items=[_item(n, row) for n, row in enumerate(program.items.all(), start=1)],
        pain_ceiling=program.pain_ceiling,
        pain_limit=pain_limit_text(program.pain_ceiling),
        bands=light_bands(green_max=program.green_max, ceiling=program.pain_ceiling),
        check_24h=CHECK_24H,
        sign_in=sign_in_text(
            url=settings.SITE_URL.rstrip("/") + reverse("account_login"), email=patient.user.email
        ),
        log_a_session=LOG_A_SESSION,
        cards=[a.card.title for a in program_cards(program)],
    )
