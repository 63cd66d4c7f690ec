from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.audit.services import access_note
from apps.common.decorators import clinician_required
from apps.programs.models import Program
from apps.programs.selectors import editable_programs_for

from .pdf import DEFAULT_PAPER, PAPERS, handout_pdf
from .selectors import handout_programs_for, program_handout
from .services import handout_email

PAPER_CHOICES = [("a4", "A4"), ("letter", "US Letter")]


def _program(request, pk: int) -> Program:
    program = get_object_or_404(handout_programs_for(request.user), pk=pk)
    access_note(request, [program.patient_id])
    return program


def _can_email(user, program: Program) -> bool:
    return (
        user.is_clinician
        and program.status == Program.Status.ACTIVE
        and editable_programs_for(user).filter(pk=program.pk).exists()
    )


@login_required
def handout_page(request, pk):
    """The program to print: the patient's own, or a care-team patient's."""
    program = _program(request, pk)
    context = {
        "handout": program_handout(program),
        "papers": PAPER_CHOICES,
        "can_email": _can_email(request.user, program),
    }
    return render(request, "handouts/handout.html", context)


@login_required
def handout_pdf_view(request, pk):
    program = _program(request, pk)
    # An unknown paper size (a hand-edited link) gets the default rather than an error page.
    paper = request.GET.get("paper", DEFAULT_PAPER)
    paper = paper if paper in PAPERS else DEFAULT_PAPER
    response = HttpResponse(
        handout_pdf(program_handout(program), paper=paper), content_type="application/pdf"
    )
    # The program's id, not the patient's name: a downloads folder is not private.
    filename = f"greenlight-program-{program.pk}-{paper}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@clinician_required
@require_POST
def handout_email_view(request, pk):
    program = get_object_or_404(editable_programs_for(request.user), pk=pk)
    access_note(request, [program.patient_id])
    patient_user = program.patient.user
    try:
        owed = handout_email(clinician=request.user, program=program)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _emailed_message(patient_user, owed=owed))
    return redirect("handouts:page", pk=program.pk)


def _emailed_message(patient_user, *, owed: int) -> str:
    name = patient_user.get_short_name()
    if not patient_user.email_reminders:
        return f"{name} has turned emails off: the link is in their Greenlight notifications."
    if not owed:
        return f"{name} was already emailed the link today."
    return f"The link is on its way to {name}. The email holds only the link, no health details."
