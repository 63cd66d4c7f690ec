from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import time_format

from apps.common.decorators import clinic_admin_required, patient_required
from apps.common.forms import form_submit
from apps.patients.selectors import clinic_directory, patients_for

from .forms import EmergencyAccessForm
from .selectors import (
    TRAIL_KINDS,
    TrailUnavailable,
    audit_patients_for,
    emergency_grants_for,
    patient_audit_trail,
    record_views_for,
)
from .services import access_note, emergency_access_open

PAGE_SIZE = 50


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def patient_audit(request, pk):
    """Who saw what of this patient's record, for the care team and clinic admins."""
    patient = get_object_or_404(audit_patients_for(request.user), pk=pk)
    access_note(request, [patient.pk])  # reading the audit trail is an access too
    # A clinic admin oversees who opened any record of the clinic; what changed in it, and the
    # reasons given for emergency access, are for those who may open the record itself.
    full = patients_for(request.user).filter(pk=patient.pk).exists()
    kinds = TRAIL_KINDS if full else ["access"]
    kind = request.GET.get("kind", "access")
    if kind not in kinds:
        kind = "access"
    try:
        page, unavailable = _page(request, patient_audit_trail(patient, kind=kind)), ""
    except TrailUnavailable as error:
        page, unavailable = None, str(error)
    context = {
        "patient": patient,
        "page": page,
        "kind": kind,
        "kinds": kinds,
        "unavailable": unavailable,
        "grants": emergency_grants_for(patient)[:20],
        "show_reasons": full,
    }
    return render(request, "audit/patient_audit.html", context)


@patient_required
def my_record_views(request):
    patient = request.user.patient_profile
    access_note(request, [patient.pk])
    page = _page(request, record_views_for(patient))
    context = {
        "patient": patient,
        "page": page,
        "grants": emergency_grants_for(patient)[:20],
        "show_reasons": True,
    }
    return render(request, "audit/record_views.html", context)


@clinic_admin_required
def emergency_access(request, pk):
    """Break-glass: a clinic admin opens a record outside their care teams, stating why."""
    patient = get_object_or_404(clinic_directory(request.user), pk=pk)
    if patients_for(request.user).filter(pk=pk).exists():
        return redirect("patients:detail", pk=pk)
    access_note(request, [patient.pk])  # the name and care team are the patient's data
    form = EmergencyAccessForm(request.POST if request.method == "POST" else None)
    opened = form_submit(
        request,
        form,
        lambda data: emergency_access_open(
            admin=request.user, patient=patient, reason=data["reason"], request=request
        ),
    )
    if opened:
        grant, _ = opened
        until = time_format(timezone.localtime(grant.expires_at), "H:i")
        messages.warning(
            request,
            f"{patient.user.full_name}'s record is open to you until {until}. "
            "Their care team has been told.",
        )
        return redirect("patients:detail", pk=pk)
    context = {
        "patient": patient,
        "form": form,
        "minutes": settings.GREENLIGHT["BREAK_GLASS_MINUTES"],
    }
    return render(request, "audit/emergency_access.html", context)
