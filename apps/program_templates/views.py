from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.audit.services import access_note
from apps.common.decorators import clinician_required
from apps.common.forms import form_submit
from apps.programs.selectors import editable_programs_for

from .forms import TemplateForm, TemplateFromProgramForm
from .selectors import editable_templates_for, templates_for
from .services import template_delete, template_from_program, template_update


@clinician_required
def template_list(request):
    templates = templates_for(request.user)
    return render(request, "program_templates/list.html", {"templates": templates})


@clinician_required
def template_edit(request, pk):
    template = get_object_or_404(editable_templates_for(request.user), pk=pk)
    initial = {"name": template.name, "description": template.description}
    form = TemplateForm(request.POST or None, initial=initial)
    saved = form_submit(
        request,
        form,
        lambda data: template_update(clinician=request.user, template=template, **data),
    )
    if saved:
        messages.success(request, f"“{saved.name}” is saved.")
        return redirect("program_templates:list")
    return render(request, "program_templates/edit.html", {"form": form, "template": template})


@clinician_required
@require_POST
def template_delete_view(request, pk):
    template = get_object_or_404(editable_templates_for(request.user), pk=pk)
    template_delete(clinician=request.user, template=template)
    messages.success(
        request, f"“{template.name}” is deleted. Programs started from it are unchanged."
    )
    return redirect("program_templates:list")


@clinician_required
def template_from_program_view(request, pk):
    """Save a program's shape as a clinic template, from the patient page or the builder."""
    program = get_object_or_404(editable_programs_for(request.user), pk=pk)
    access_note(request, [program.patient_id])
    form = TemplateFromProgramForm(request.POST or None, initial={"name": program.name})
    saved = form_submit(
        request,
        form,
        lambda data: template_from_program(
            clinician=request.user, program=program, name=data["name"]
        ),
    )
    if saved:
        messages.success(request, f"“{saved.name}” is in your clinic's templates.")
        return redirect("program_templates:list")
    context = {"form": form, "program": program}
    return render(request, "program_templates/from_program.html", context)
