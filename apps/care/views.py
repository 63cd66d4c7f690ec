from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import access_note
from apps.common.decorators import clinician_required, patient_required
from apps.common.forms import form_submit
from apps.programs.models import Program
from apps.programs.selectors import active_program, editable_programs_for

from .forms import EducationCardForm, MessageForm, ProgramCardsForm, VisitNoteForm
from .models import Message
from .selectors import (
    card_assignments_for,
    cards_for,
    program_cards,
    thread_messages,
    thread_patients_for,
)
from .services import (
    card_create,
    card_mark_read,
    message_send,
    program_cards_set,
    thread_mark_read,
    visit_note_record,
)


@patient_required
def my_thread(request):
    return _thread(request, request.user.patient_profile, url=reverse("care:mine"))


@login_required
def thread(request, pk):
    patient = get_object_or_404(thread_patients_for(request.user), pk=pk)
    if request.user.is_patient:
        return redirect("care:mine")
    return _thread(request, patient, url=reverse("care:thread", args=[pk]))


def _thread(request, patient, *, url):
    """The patient's thread with the care team; opening it reads every message in it."""
    form = MessageForm(request.POST or None)
    sent = form_submit(
        request,
        form,
        lambda data: message_send(author=request.user, patient=patient, body=data["body"]),
        rate_limit="writes",
    )
    if sent:
        return redirect(f"{url}#message-{sent.pk}")
    thread_mark_read(reader=request.user, patient=patient)
    access_note(request, [patient.pk])
    context = {
        "patient": patient,
        "thread": thread_messages(patient),
        "form": form,
        "program": active_program(patient) if request.user.is_clinician else None,
        "care_team": list(patient.care_team.all()),
    }
    return render(request, "care/thread.html", context)


@clinician_required
def visit_note_new(request, pk):
    patient = get_object_or_404(thread_patients_for(request.user), pk=pk)
    access_note(request, [patient.pk])
    message = _message_from_query(request, patient)
    initial = {}
    if message:
        initial = {
            "kind": "between_visits",
            "text": f"Re: message of {message.created_at:%d %b} from {message.author}: ",
        }
    form = VisitNoteForm(request.POST or None, initial=initial)
    note = form_submit(
        request,
        form,
        lambda data: visit_note_record(
            clinician=request.user, patient=patient, message=message, **data
        ),
    )
    if note:
        messages.success(request, "Note recorded.")
        return redirect(reverse("patients:detail", args=[patient.pk]) + "#timeline")
    context = {"patient": patient, "form": form, "message": message}
    return render(request, "care/visit_note_form.html", context)


def _message_from_query(request, patient) -> Message | None:
    """A note made from a message names it; one from another thread reads as missing."""
    raw = request.GET.get("message") or request.POST.get("message") or ""
    if not (raw.isascii() and raw.isdecimal()) or len(raw) > 18:
        return None  # not an id at all (“abc”, “²”, 40 digits): a plain note
    return get_object_or_404(Message.objects.filter(patient=patient), pk=int(raw))


@clinician_required
def program_cards_edit(request, pk):
    program = get_object_or_404(
        editable_programs_for(request.user).filter(status=Program.Status.ACTIVE), pk=pk
    )
    access_note(request, [program.patient_id])
    current = [a.card for a in program_cards(program)]
    form = ProgramCardsForm(
        request.POST or None, cards=cards_for(request.user), initial={"cards": current}
    )
    saved = form_submit(
        request,
        form,
        lambda data: (
            program_cards_set(clinician=request.user, program=program, cards=list(data["cards"]))
            or True
        ),
    )
    if saved:
        messages.success(request, "Education cards saved. The patient sees new ones on Today.")
        return redirect(reverse("patients:detail", args=[program.patient_id]) + "#cards")
    context = {"program": program, "form": form, "assignments": program_cards(program)}
    return render(request, "care/program_cards.html", context)


@clinician_required
def card_library(request):
    return render(request, "care/cards.html", {"cards": cards_for(request.user)})


@clinician_required
def card_new(request):
    form = EducationCardForm(request.POST or None)
    card = form_submit(request, form, lambda data: card_create(clinician=request.user, **data))
    if card:
        messages.success(request, f"“{card.title}” is in your clinic's library.")
        return redirect("care:card", pk=card.pk)
    return render(request, "care/card_form.html", {"form": form})


@login_required
def card_detail(request, pk):
    card = get_object_or_404(cards_for(request.user), pk=pk)
    if request.user.is_patient:
        for assignment in card_assignments_for(request.user).filter(card=card, read_at=None):
            card_mark_read(user=request.user, assignment=assignment, now=timezone.now())
    return render(request, "care/card.html", {"card": card})
