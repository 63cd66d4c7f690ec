from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.models import User
from apps.common.services import model_validate_and_save, require
from apps.common.signals import status_stale
from apps.patients.models import Patient
from apps.patients.selectors import clinician_patients
from apps.programs.models import Program
from apps.reminders.models import Notification
from apps.reminders.services import notifications_send

from .models import (
    MESSAGE_MAX_LENGTH,
    CardAssignment,
    EducationCard,
    Message,
    MessageReceipt,
    VisitNote,
)
from .selectors import cards_for, thread_patients_for, unread_messages


def _require_thread(user: User, patient: Patient) -> None:
    require(
        thread_patients_for(user).filter(pk=patient.pk).exists(),
        "Only the patient and their care team can write in this thread.",
    )


@transaction.atomic
def message_send(*, author: User, patient: Patient, body: str) -> Message:
    """Add a message to the patient's thread and tell the other side, once."""
    _require_thread(author, patient)
    body = body.strip()
    require(bool(body), "Write a message before sending.", field="body")
    require(
        len(body) <= MESSAGE_MAX_LENGTH,
        f"Keep a message under {MESSAGE_MAX_LENGTH} characters ({len(body)} now).",
        field="body",
    )
    message = model_validate_and_save(Message(patient=patient, author=author, body=body))
    message_notify(message=message)
    status_stale([patient.pk], parts=frozenset({"messages"}))
    return message


def message_notify(*, message: Message) -> int:
    """In-app and by email: a patient's message to the care team, a clinician's to the patient.

    The email holds no health details and never the message itself, only a link to sign in.
    """
    patient = message.patient
    if message.author_id == patient.user_id:
        link = reverse("care:thread", args=[patient.pk])
        recipients = [(c, "New message from a patient", link) for c in patient.care_team.all()]
    else:
        recipients = [(patient.user, "New message from your care team", reverse("care:mine"))]
    return notifications_send(
        recipients=recipients,
        kind=Notification.Kind.MESSAGE,
        occurrence=f"message-{message.pk}",
        patient=patient,
    )


@transaction.atomic
def thread_mark_read(*, reader: User, patient: Patient, now: datetime | None = None) -> int:
    """Opening the thread reads every message in it; their notifications are read too."""
    _require_thread(reader, patient)
    now = now or timezone.now()
    unread = list(unread_messages(user=reader, patient=patient).values_list("pk", flat=True))
    MessageReceipt.objects.bulk_create(
        [MessageReceipt(message_id=pk, reader=reader, read_at=now) for pk in unread],
        ignore_conflicts=True,  # two tabs opening the thread at once
    )
    Notification.objects.filter(
        recipient=reader, patient=patient, kind=Notification.Kind.MESSAGE, read_at__isnull=True
    ).update(read_at=now)
    if unread:
        status_stale([patient.pk], parts=frozenset({"messages"}))
    return len(unread)


@transaction.atomic
def program_cards_set(
    *, clinician: User, program: Program, cards: list[EducationCard], now: datetime | None = None
) -> Program:
    """The cards attached to a program: new ones are added unread, removed ones dropped."""
    require(
        clinician_patients(clinician).filter(pk=program.patient_id).exists(),
        "Only clinicians who look after this patient can attach cards to their program.",
    )
    require(
        program.status == Program.Status.ACTIVE,
        "This program has ended: attach cards to the patient's current program.",
    )
    visible = set(cards_for(clinician).values_list("pk", flat=True))
    require(all(c.pk in visible for c in cards), "Choose cards from your library.", field="cards")
    wanted = {c.pk for c in cards}
    program.card_assignments.exclude(card_id__in=wanted).delete()
    have = set(program.card_assignments.values_list("card_id", flat=True))
    CardAssignment.objects.bulk_create(
        [
            CardAssignment(
                program=program,
                card_id=pk,
                assigned_by=clinician,
                assigned_at=now or timezone.now(),
            )
            for pk in wanted - have
        ]
    )
    return program


def card_mark_read(*, user: User, assignment: CardAssignment, now: datetime | None = None) -> None:
    if assignment.program.patient.user_id == user.pk and assignment.read_at is None:
        assignment.read_at = now or timezone.now()
        assignment.save(update_fields=["read_at"])


def visit_note_record(
    *,
    clinician: User,
    patient: Patient,
    visit_date: date,
    kind: str,
    text: str,
    manual_therapy: list[str] | None = None,
    next_visit_date: date | None = None,
    message: Message | None = None,
) -> VisitNote:
    """A clinician's note of a visit, or of an exchange turned into a note."""
    require(
        clinician.is_clinician and thread_patients_for(clinician).filter(pk=patient.pk).exists(),
        "Only the patient's care team can record visit notes.",
    )
    require(
        message is None or message.patient_id == patient.pk,
        "That message is not in this patient's thread.",
        field="message",
    )
    require(
        all(v in VisitNote.ManualTherapy.values for v in manual_therapy or []),
        "Choose manual therapy from the list.",
        field="manual_therapy",
    )
    require(
        next_visit_date is None or next_visit_date >= visit_date,
        "The next visit must be on or after this visit.",
        field="next_visit_date",
    )
    note = VisitNote(
        patient=patient,
        clinician=clinician,
        visit_date=visit_date,
        kind=kind,
        text=text.strip(),
        manual_therapy=list(manual_therapy or []),
        next_visit_date=next_visit_date,
        message=message,
    )
    return model_validate_and_save(note)


def card_create(
    *, clinician: User, title: str, topic: str, summary: str, body: str, reading_minutes: int
) -> EducationCard:
    """A clinic's own card, next to the shared library; other clinics never see it."""
    require(clinician.is_clinician, "Only clinicians can add education cards.")
    base = slugify(title)[:70] or "card"
    taken = set(
        # The stubs refuse None in a lookup on a nullable key; Django matches it as IS NULL.
        EducationCard.objects.filter(  # type: ignore[misc]
            clinic_id=clinician.clinic_id, slug__startswith=base
        ).values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    card = EducationCard(
        clinic_id=clinician.clinic_id,
        slug=slug,
        title=title,
        topic=topic,
        summary=summary,
        body=body,
        reading_minutes=reading_minutes,
    )
    return model_validate_and_save(card)
