from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from apps.patients.selectors import patients_for

from .responses import export_json_response

EXPORT_DESCRIPTION = """The patient's whole record as one JSON document, streamed as an attachment.

Top level: `schema` ("greenlight.patient-export"), `version` (1), `exported_at`, `withheld`
(sections this requester may not read, left empty: `messages` for a clinic admin outside the
care team), `patient` (the profile), then the lists `programs` (with their prescriptions and
level changes), `workouts` (with per-exercise results and the 24-hour rating), `activities`,
`messages`, `visit_notes`, `education_cards`, `notifications` and `record_views` (who opened
the record; empty until the access log exists). Times are ISO 8601 in UTC, dates are the
patient's local dates. Field by field: docs/export.md."""

EXPORT_RESPONSES = {
    (200, "application/json"): OpenApiResponse(
        response=OpenApiTypes.OBJECT, description="The export document (docs/export.md)."
    )
}


class MyExportView(APIView):
    """The signed-in patient's own record; anyone else has none to export (404)."""

    @extend_schema(
        summary="Download my data", description=EXPORT_DESCRIPTION, responses=EXPORT_RESPONSES
    )
    def get(self, request):
        patient = get_object_or_404(patients_for(request.user), user=request.user)
        return export_json_response(request, patient)


class PatientExportView(APIView):
    """A patient's record for the patient, their care team and their clinic's admins."""

    @extend_schema(
        summary="Export a patient's record",
        description=EXPORT_DESCRIPTION,
        responses=EXPORT_RESPONSES,
    )
    def get(self, request, pk):
        patient = get_object_or_404(patients_for(request.user), pk=pk)
        return export_json_response(request, patient)
