from dataclasses import dataclass
from datetime import date, datetime, time
from typing import cast
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet

from apps.accounts.models import User
from apps.patients.models import Patient
from apps.programs.models import Program, ProgressionChange

from .models import CardAssignment, EducationCard, Message, MessageReceipt, VisitNote

THREAD_PAGE = 200


def thread_patients_for(user: User) -> QuerySet[Patient]:
    """Whose thread ``user`` may read and write: their own, or their care-team patients.

    Narrower than ``patients_for``: a clinic admin who is not on the care team does not read
    a patient's messages, and a clinician taken off the care team loses the thread at once.
    """
    if not user.is_authenticated:
        return Patient.objects.none()
    base = Patient.objects.select_related("user")
    if user.is_patient:
        return base.filter(user=user)
    if user.is_clinician:
        # The stubs refuse None in a lookup on a nullable key; Django matches it as IS NULL.
        return base.filter(clinic_id=user.clinic_id, care_team=user)  # type: ignore[misc]
    return Patient.objects.none()


def thread_messages(patient: Patient) -> list[Message]:
    """The latest messages of the thread, oldest first, with who has read each one."""
    receipts = Prefetch("receipts", queryset=MessageReceipt.objects.select_related("reader"))
    latest = (
        Message.objects.filter(patient=patient)
        .select_related("author")
        .prefetch_related(receipts)
        .order_by("-created_at", "-id")[:THREAD_PAGE]
    )
    return list(reversed(latest))


def unread_messages(*, user: User, patient: Patient) -> QuerySet[Message]:
    """Messages by others in the thread that ``user`` has not opened yet."""
    return (
        Message.objects.filter(patient=patient).exclude(author=user).exclude(receipts__reader=user)
    )


def cards_for(user: User) -> QuerySet[EducationCard]:
    """The shared library plus the user's own clinic's cards; never another clinic's."""
    if not user.is_authenticated:
        return EducationCard.objects.none()
    return EducationCard.objects.filter(Q(clinic__isnull=True) | Q(clinic_id=user.clinic_id))


def program_cards(program: Program) -> QuerySet[CardAssignment]:
    return program.card_assignments.select_related("card")


def cards_unread(patient: Patient) -> QuerySet[CardAssignment]:
    """Cards attached to the patient's active program that they have not read yet."""
    return CardAssignment.objects.filter(
        program__patient=patient, program__status=Program.Status.ACTIVE, read_at__isnull=True
    ).select_related("card")


def card_assignments_for(user: User) -> QuerySet[CardAssignment]:
    """Assignments a patient may open: only on their own programs."""
    if not user.is_authenticated or not user.is_patient:
        return CardAssignment.objects.none()
    return CardAssignment.objects.filter(program__patient__user=user).select_related("card")


def visit_notes(patient: Patient) -> QuerySet[VisitNote]:
    return VisitNote.objects.filter(patient=patient).select_related("clinician")


def next_visit(patient: Patient, *, today: date) -> date | None:
    """The next visit booked on the latest note that booked one, if it is still ahead.

    A note between visits rarely books anything: it must not hide the visit booked before it.
    """
    booked = VisitNote.objects.filter(patient=patient, next_visit_date__isnull=False)
    latest = booked.order_by("-visit_date", "-created_at")
    upcoming = latest.values_list("next_visit_date", flat=True).first()
    return upcoming if upcoming and upcoming >= today else None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime | date
    kind: str  # "visit", "program", "change" or "message"
    title: str
    detail: str
    obj: object

    sort_at: datetime


def patient_timeline(patient: Patient, *, limit: int = 30) -> list[TimelineEntry]:
    """Visits, program changes and messages together, newest first (four queries)."""
    tz_name = patient.user.timezone
    entries = [_visit_entry(note, tz_name) for note in visit_notes(patient)[:limit]]
    programs = Program.objects.filter(patient=patient).select_related("created_by", "ended_by")
    for program in programs[:limit]:
        entries.append(_program_entry(program))
        if program.ended_by_id and program.ended_at:
            entries.append(_program_end_entry(program))
    changes = (
        ProgressionChange.objects.filter(prescribed__program__patient=patient)
        .select_related("from_exercise", "to_exercise", "changed_by")
        .order_by("-changed_at")[:limit]
    )
    entries += [_change_entry(change) for change in changes]
    messages = Message.objects.filter(patient=patient).select_related("author")
    entries += [_message_entry(m) for m in messages.order_by("-created_at")[:limit]]
    return sorted(entries, key=lambda e: e.sort_at, reverse=True)[:limit]


def _visit_entry(note: VisitNote, tz_name: str) -> TimelineEntry:
    # A visit has a date, not a time: sort it at midday in the patient's zone.
    midday = datetime.combine(note.visit_date, time(12), tzinfo=ZoneInfo(tz_name))
    return TimelineEntry(
        note.visit_date,
        "visit",
        f"{note.get_kind_display()} with {note.clinician}",
        note.text,
        note,
        midday,
    )


def _program_end_entry(program: Program) -> TimelineEntry:
    ended_at = cast(datetime, program.ended_at)
    return TimelineEntry(
        ended_at,
        "program",
        f"Program “{program.name}” ended by {program.ended_by}",
        program.end_reason,
        program,
        ended_at,
    )


def _program_entry(program: Program) -> TimelineEntry:
    return TimelineEntry(
        program.created_at,
        "program",
        f"Program “{program.name}” assigned by {program.created_by}",
        f"{program.sessions_per_week} sessions a week, ceiling {program.pain_ceiling}/10",
        program,
        program.created_at,
    )


def _change_entry(change: ProgressionChange) -> TimelineEntry:
    who = "automatically" if change.automatic else f"by {change.changed_by}"
    return TimelineEntry(
        change.changed_at,
        "change",
        (
            f"Dose of “{change.to_exercise}” reduced {who}"
            if change.direction == ProgressionChange.Direction.REDUCE
            else f"{change.get_direction_display()} “{change.from_exercise}” → "
            f"“{change.to_exercise}” {who}"
        ),
        change.reason,
        change,
        change.changed_at,
    )


def _message_entry(message: Message) -> TimelineEntry:
    return TimelineEntry(
        message.created_at,
        "message",
        f"Message from {message.author}",
        message.body,
        message,
        message.created_at,
    )
