"""Questionnaires in the browser: the clinician attaches them to a program; the patient answers,
one question per screen for a long one, every answer saved as it is given."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.audit.services import access_note
from apps.common.decorators import clinic_admin_required, clinician_required, patient_required
from apps.common.forms import form_submit
from apps.programs.selectors import editable_programs_for

from . import services
from .forms import DefinitionImportForm, ScheduleForm
from .instruments import INSTRUMENTS
from .models import QuestionnaireResponse, QuestionnaireSchedule
from .questions import Question, first_unanswered, one_page, parse_answer, questions
from .selectors import (
    own_response,
    questionnaire_for,
    questionnaires_for,
    response_for,
    responses_for,
)

NOT_AN_ANSWER = "Choose one of the answers, or a number within the range shown."


@clinician_required
def program_questionnaires(request, pk):
    program = get_object_or_404(editable_programs_for(request.user), pk=pk)
    access_note(request, [program.patient_id])
    clinic = program.patient.clinic
    givable = [c for c in INSTRUMENTS if questionnaire_for(clinic=clinic, code=c) is not None]
    form = ScheduleForm(request.POST or None, codes=givable)

    def save(data):
        return services.schedule_set(
            clinician=request.user,
            program=program,
            code=data["code"],
            at_start=data["at_start"],
            every_weeks=data["every_weeks"],
            at_discharge=data["at_discharge"],
        )

    if form_submit(request, form, save, rate_limit="writes"):
        messages.success(request, "Questionnaire schedule saved.")
        return redirect("outcomes:program", program.pk)
    schedules = program.questionnaire_schedules.all()
    context = {
        "program": program,
        "form": form,
        "schedules": [(s, INSTRUMENTS[s.code].title) for s in schedules],
        "not_worded": [i for c, i in INSTRUMENTS.items() if c not in givable],
        "responses": responses_for(request.user, program.patient).filter(program=program),
    }
    return render(request, "outcomes/program.html", context)


@require_POST
@clinician_required
def schedule_remove(request, pk):
    schedule = get_object_or_404(
        QuestionnaireSchedule.objects.filter(program__in=editable_programs_for(request.user)),
        pk=pk,
    )
    access_note(request, [schedule.program.patient_id])
    services.schedule_remove(clinician=request.user, schedule=schedule)
    messages.success(request, f"{INSTRUMENTS[schedule.code].title} is no longer asked.")
    return redirect("outcomes:program", schedule.program_id)


@patient_required
def answer(request, pk):
    try:
        response = own_response(request.user, pk)
    except QuestionnaireResponse.DoesNotExist:
        raise Http404 from None
    access_note(request, [response.patient_id])
    if response.status == QuestionnaireResponse.Status.COMPLETED:
        messages.info(request, "This questionnaire is already sent. Thank you.")
        return redirect("painlogs:today")
    asked = questions(response.questionnaire.definition)
    if one_page(response.code):
        return _whole_page(request, response, asked)
    step = request.GET.get("q", "")
    if step == "review":
        return _review(request, response, asked)
    if not step.isdigit() or not 1 <= int(step) <= len(asked):
        resume = first_unanswered(asked, response.answers)
        return _to(response, resume or "review")
    return _step(request, response, asked, asked[int(step) - 1])


def _to(response, step) -> HttpResponseRedirect:
    return redirect(reverse("outcomes:answer", args=[response.pk]) + f"?q={step}")


def _parsed(request, asked: list[Question]) -> tuple[dict, dict]:
    answers, errors = {}, {}
    for question in asked:
        raw = request.POST.get(question.link_id, "")
        try:
            answers[question.link_id] = parse_answer(question, raw)
        except ValueError:
            errors[question.link_id] = NOT_AN_ANSWER
    return answers, errors


def _save(request, response, answers: dict, errors: dict) -> bool:
    if errors:
        return False
    try:
        services.response_answer(user=request.user, response=response, answers=answers)
    except ValidationError as error:
        errors["form"] = " ".join(error.messages)
        return False
    return True


def _send(request, response, errors: dict):
    try:
        services.response_complete(user=request.user, response=response)
    except ValidationError as error:
        errors["form"] = " ".join(error.messages)
        return None
    messages.success(request, "Thank you: your answers are sent to your care team.")
    return redirect("painlogs:today")


def _rows(asked: list[Question], values: dict, errors: dict) -> list[dict]:
    return [{"q": q, "value": values.get(q.link_id), "error": errors.get(q.link_id)} for q in asked]


def _whole_page(request, response, asked):
    values, errors = dict(response.answers), dict[str, str]()
    if request.method == "POST":
        answers, errors = _parsed(request, asked)
        # On a refused answer the page comes back with everything as typed.
        typed = {q.link_id: request.POST.get(q.link_id, "") for q in asked}
        values.update(typed if errors else answers)
        if _save(request, response, answers, errors):
            done = _send(request, response, errors)
            if done:
                return done
    return render(
        request,
        "outcomes/answer.html",
        {"response": response, "rows": _rows(asked, values, errors), "errors": errors},
    )


def _step(request, response, asked, question: Question):
    values, errors = dict(response.answers), dict[str, str]()
    if request.method == "POST":
        answers, errors = _parsed(request, [question])
        if _save(request, response, answers, errors):
            going_back = request.POST.get("go") == "back"
            target = question.number - 1 if going_back else question.number + 1
            return _to(response, "review" if target > len(asked) else max(target, 1))
        values[question.link_id] = request.POST.get(question.link_id, "")
    context = {
        "response": response,
        "rows": _rows([question], values, errors),
        "errors": errors,
        "question": question,
        "count": len(asked),
        "answered": sum(1 for q in asked if response.answers.get(q.link_id) not in (None, "")),
        "percent": round(100 * (question.number - 1) / len(asked)),
    }
    return render(request, "outcomes/step.html", context)


def _review(request, response, asked):
    errors: dict = {}
    if request.method == "POST":
        done = _send(request, response, errors)
        if done:
            return done
    context = {"response": response, "rows": _rows(asked, response.answers, errors)}
    context |= {"errors": errors, "count": len(asked)}
    return render(request, "outcomes/review.html", context)


@clinic_admin_required
def definitions(request):
    """The questionnaires the clinic can give, and the import of a licensed instrument's wording.

    Importing validates the document against the instrument's known structure; any problem is
    listed on the form and nothing is stored (services.questionnaire_import).
    """
    form = DefinitionImportForm(request.POST or None, request.FILES or None)
    imported = form_submit(
        request,
        form,
        lambda data: services.questionnaire_import(
            text=data["definition"], clinic=request.user.clinic
        ),
    )
    if imported:
        messages.success(
            request, f"{imported.title} (version {imported.version}) can now be given to patients."
        )
        return redirect("outcomes:definitions")
    rows = questionnaires_for(request.user.clinic).order_by("code", "clinic_id", "-created_at")
    return render(request, "outcomes/definitions.html", {"form": form, "questionnaires": rows})


@clinician_required
def response_detail(request, pk):
    """A sent response item by item, as the patient answered it (read-only)."""
    try:
        response = response_for(request.user, pk)
    except QuestionnaireResponse.DoesNotExist:
        raise Http404 from None
    access_note(request, [response.patient_id])
    asked = questions(response.questionnaire.definition)
    rows = [(q, _answer_text(q, response.answers.get(q.link_id))) for q in asked]
    return render(request, "outcomes/response.html", {"response": response, "rows": rows})


def _answer_text(question: Question, value) -> str:
    if value is None or value == "":
        return "Not answered"
    labels = dict(question.options)
    if question.control == "choice" and value in labels:
        return f"{labels[value]} ({value})"
    return str(value)
