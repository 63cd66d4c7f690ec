from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import access_note
from apps.common.decorators import clinic_admin_required, patient_required
from apps.common.forms import form_submit
from apps.patients.selectors import clinic_directory, patients_for

from .erasure import patient_erase, retention_end_for_new_request
from .forms import ErasureForm
from .responses import export_json_response, export_summary_response


def _own_record(request):
    return get_object_or_404(patients_for(request.user), user=request.user)


@patient_required
def my_export(request):
    return export_json_response(request, _own_record(request))


@patient_required
def my_export_summary(request):
    json_url = reverse("records:my_export")
    return export_summary_response(request, _own_record(request), json_url=json_url)


@login_required
def patient_export(request, pk):
    patient = get_object_or_404(patients_for(request.user), pk=pk)
    return export_json_response(request, patient)


@login_required
def patient_export_summary(request, pk):
    patient = get_object_or_404(patients_for(request.user), pk=pk)
    json_url = reverse("records:patient_export", args=[pk])
    return export_summary_response(request, patient, json_url=json_url)


@clinic_admin_required
def patient_erase_view(request, pk):
    """A clinic admin processes a patient's erasure request: confirm, then pseudonymise."""
    patient = get_object_or_404(
        clinic_directory(request.user).filter(erased_at__isnull=True), pk=pk
    )
    access_note(request, [patient.pk])
    form = ErasureForm(
        request.POST if request.method == "POST" else None,
        patient=patient,
        initial={"received_on": timezone.localdate()},
    )
    erasure = form_submit(
        request,
        form,
        lambda data: patient_erase(
            admin=request.user, patient=patient, received_on=data["received_on"]
        ),
    )
    if erasure:
        messages.success(
            request,
            f"Done: the patient is now “Erased patient {patient.pk}”, their login is closed, and "
            f"their clinical record will be deleted on {erasure.delete_after:%d %B %Y}.",
        )
        return redirect("patients:clinic_directory")
    context = {"patient": patient, "form": form, "delete_after": retention_end_for_new_request()}
    return render(request, "records/erase.html", context)
