"""FHIR R4 reads: a patient's record as a Bundle, and the questionnaire definitions it cites."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.services import access_note
from apps.common.api import request_user
from apps.outcomes.selectors import questionnaires_for

from .fhir import Ids, bundle
from .selectors import patient_record

FHIR_JSON = "application/fhir+json"
# FHIR's own names for JSON in ``_format``; XML and Turtle are not served.
JSON_FORMATS = {"json", "application/json", FHIR_JSON}


class FhirJsonRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "fhir"


class FhirNegotiation(DefaultContentNegotiation):
    """FHIR's ``_format`` parameter, then the Accept header; FHIR JSON unless asked otherwise."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = request.query_params.get("_format")
        if wanted is None:
            return super().select_renderer(request, renderers, format_suffix)
        if wanted not in JSON_FORMATS:
            raise NotAcceptable("Only JSON is served: _format=json.")
        return renderers[0], renderers[0].media_type


FORMAT_PARAMETER = OpenApiParameter(
    "_format",
    str,
    enum=sorted(JSON_FORMATS),
    description="FHIR's format override; only JSON is served.",
)


def _responses(description: str) -> dict:
    body = OpenApiResponse(response=OpenApiTypes.OBJECT, description=description)
    return {(200, FHIR_JSON): body, (200, "application/json"): body}


class FhirView(APIView):
    renderer_classes = [FhirJsonRenderer, JSONRenderer]
    content_negotiation_class = FhirNegotiation

    def finalize_response(self, request, response, *args, **kwargs):
        # An error is the API's usual {"detail": ...}, not a FHIR resource (no OperationOutcome):
        # it says so by its content type, as every other endpoint's errors do.
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class PatientFhirView(FhirView):
    """The patient's record for the patient, their care team and their clinic's admins."""

    @extend_schema(
        summary="A patient's record as a FHIR R4 Bundle",
        description=(
            "A `collection` Bundle: the Patient and their clinic (Organization), a CarePlan per "
            "program with an activity per prescribed exercise, an Observation per pain rating "
            "(LOINC 72514-3, during and 24 hours after each session), a QuestionnaireResponse "
            "per questionnaire answered or begun, and an Observation per score. Ids are stable; "
            "every reference resolves to an entry's fullUrl. Mapping: docs/fhir.md."
        ),
        parameters=[FORMAT_PARAMETER],
        responses=_responses("A FHIR R4 Bundle (type collection)."),
    )
    def get(self, request, pk):
        record = patient_record(user=request_user(request), patient_pk=pk)
        if record is None:
            raise Http404
        access_note(request, [record.patient.pk])
        document = bundle(record, Ids(site=settings.SITE_URL), now=timezone.now())
        return Response(document)


class QuestionnaireFhirView(FhirView):
    """A questionnaire definition the caller's clinic can use (shipped, or its own import)."""

    @extend_schema(
        summary="A questionnaire definition as a FHIR R4 Questionnaire",
        description=(
            "The stored definition with `id` set to this id. A clinic's imported copy of a "
            "licensed instrument is served to that clinic only."
        ),
        parameters=[FORMAT_PARAMETER],
        responses=_responses("A FHIR R4 Questionnaire."),
    )
    def get(self, request, pk):
        clinic = request_user(request).clinic
        if clinic is None:  # a site admin belongs to no clinic, so uses no questionnaire
            raise Http404
        questionnaire = get_object_or_404(questionnaires_for(clinic), pk=pk)
        return Response({**questionnaire.definition, "id": str(questionnaire.pk)})
