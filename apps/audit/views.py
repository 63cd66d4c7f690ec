from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from apps.common.decorators import patient_required

from .selectors import (
    TRAIL_KINDS,
    TrailUnavailable,
    audit_patients_for,
    patient_audit_trail,
    record_views_for,
)
from .services import access_note

PAGE_SIZE = 50


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def patient_audit(request, pk):
    """Who saw what of this patient's record, for the care team and clinic admins."""
    patient = get_object_or_404(audit_patients_for(request.user), pk=pk)
    access_note(request, [patient.pk])  # reading the audit trail is an access too
    kind = request.GET.get("kind", "access")
    if kind not in TRAIL_KINDS:
        kind = "access"
    try:
        page, unavailable = _page(request, patient_audit_trail(patient, kind=kind)), ""
    except TrailUnavailable as error:
        page, unavailable = None, str(error)
    context = {
        "patient": patient,
        "page": page,
        "kind": kind,
        "kinds": TRAIL_KINDS,
        "unavailable": unavailable,
    }
    return render(request, "audit/patient_audit.html", context)


@patient_required
def my_record_views(request):
    patient = request.user.patient_profile
    access_note(request, [patient.pk])
    page = _page(request, record_views_for(patient))
    return render(request, "audit/record_views.html", {"patient": patient, "page": page})
