from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse

from apps.common.decorators import patient_required
from apps.patients.selectors import patients_for

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
