from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.audit.services import access_note
from apps.common.decorators import clinician_required
from apps.common.forms import form_errors_from, form_submit
from apps.exercises.models import Region
from apps.exercises.selectors import exercises_for
from apps.patients.selectors import clinician_patients
from apps.program_templates.selectors import program_start, recent_programs_for, templates_for
from apps.program_templates.services import template_cards_apply

from .forms import ItemFormSet, ProgramEndForm, ProgramForm, exercise_defaults
from .models import PrescribedExercise, ProgressionChange
from .selectors import editable_programs_for
from .services import (
    ItemInput,
    program_assign,
    program_end,
    program_update,
    suggestion_apply,
)

DEFAULT_REVIEW_WEEKS = 4


def _item_initial(program) -> list[dict]:
    if program is None:
        return []
    # The builder's rows take the same names as ItemInput, with the exercise as its id.
    return [{**vars(ItemInput.from_row(i)), "exercise": i.exercise_id} for i in program.items.all()]


def _builder(request, *, patient, program, initial, items_initial, save, title, extra=None):
    """Shared GET/POST handling of the program builder (new program or edit)."""
    exercises = list(exercises_for(request.user))
    data = request.POST or None
    form = ProgramForm(data, initial=initial)
    formset = ItemFormSet(
        data,
        initial=items_initial,
        prefix="items",
        form_kwargs={"exercises": exercises, "patient": patient},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved, note = save(items=formset.items(), **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                f"“{saved.name}” is saved and visible to {patient.user.get_short_name()}.{note}",
            )
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "programs/builder.html",
        {
            "form": form,
            "formset": formset,
            "patient": patient,
            "program": program,
            "title": title,
            "defaults": exercise_defaults(exercises, patient.condition),
            "regions": Region.choices,
            **(extra or {}),
        },
    )


def _query_id(request, name: str) -> int | None:
    """An id from the query string; one that is not a number matches nothing (a 404)."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404(f"No such {name}.") from None


def _cards_note(count: int) -> str:
    if not count:
        return ""
    return f" {count} education card{'s' if count != 1 else ''} from the start attached."


@clinician_required
def program_new(request, patient_pk):
    patient = get_object_or_404(clinician_patients(request.user), pk=patient_pk)
    today = timezone.localdate()
    # A new program starts as a copy of the current one (new rows, so no ids carried over),
    # unless the clinician chose a template or another patient's program to start from.
    start = program_start(
        user=request.user,
        patient=patient,
        today=today,
        template_id=_query_id(request, "template"),
        program_id=_query_id(request, "from_program"),
    )
    recent = list(recent_programs_for(request.user))
    # The chooser names other patients and their programs: one access row names them all.
    seen = [patient.pk, *start.patient_ids, *(p.patient_id for p in recent)]
    access_note(request, list(dict.fromkeys(seen)))
    initial: dict[str, Any] = {
        "start_date": today,
        "review_date": today + timedelta(weeks=DEFAULT_REVIEW_WEEKS),
        **start.initial,
    }

    def save(**kwargs):
        program = program_assign(clinician=request.user, patient=patient, **kwargs)
        count = template_cards_apply(clinician=request.user, program=program, cards=start.cards)
        return program, _cards_note(count)

    return _builder(
        request,
        patient=patient,
        program=None,
        initial=initial,
        items_initial=start.items,
        save=save,
        title=f"New program for {patient.user.full_name}",
        extra={
            "start_chooser": True,
            "start_label": start.label,
            "start_cards": start.cards,
            "templates": templates_for(request.user).prefetch_related(None),
            "recent_programs": recent,
        },
    )


@clinician_required
def program_edit(request, pk):
    program = get_object_or_404(editable_programs_for(request.user).filter(status="active"), pk=pk)
    access_note(request, [program.patient_id])
    initial = {
        f: getattr(program, f)
        for f in (
            "name",
            "sessions_per_week",
            "start_date",
            "review_date",
            "pain_ceiling",
            "green_max",
        )
    }

    def save(**kwargs):
        return program_update(clinician=request.user, program=program, **kwargs), ""

    return _builder(
        request,
        patient=program.patient,
        program=program,
        initial=initial,
        items_initial=_item_initial(program),
        save=save,
        title=f"Edit program for {program.patient.user.full_name}",
    )


@clinician_required
def program_stop(request, pk):
    """Ending a program asks first, and for a reason the patient will read."""
    program = get_object_or_404(editable_programs_for(request.user).filter(status="active"), pk=pk)
    access_note(request, [program.patient_id])
    form = ProgramEndForm(request.POST or None)
    if form_submit(
        request,
        form,
        lambda data: program_end(clinician=request.user, program=program, reason=data["reason"]),
    ):
        messages.success(request, f"“{program.name}” has ended and is kept in the history.")
        return redirect("patients:detail", pk=program.patient_id)
    return render(request, "programs/end.html", {"form": form, "program": program})


@clinician_required
@require_POST
def suggestion_apply_view(request, item_pk):
    item = get_object_or_404(
        PrescribedExercise.objects.filter(program__in=editable_programs_for(request.user)),
        pk=item_pk,
    )
    try:
        change = suggestion_apply(clinician=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if change.direction == ProgressionChange.Direction.REDUCE:
            messages.success(request, f"Dose of “{change.to_exercise}” reduced: {change.reason}")
        else:
            messages.success(
                request,
                f"{change.get_direction_display()}: “{change.from_exercise}” → "
                f"“{change.to_exercise}”, dose reset to its defaults.",
            )
    return redirect("patients:detail", pk=item.program.patient_id)
