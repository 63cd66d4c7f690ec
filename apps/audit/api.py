from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.common.api import StrictCharField, request_user
from apps.common.ratelimit import UserWriteThrottle
from apps.patients.selectors import clinic_directory, patients_for

from .models import AccessGrant, AuditEvent
from .selectors import TRAIL_KINDS, TrailUnavailable, audit_patients_for, patient_audit_trail
from .services import access_note, emergency_access_open


class AuditEventSerializer(serializers.ModelSerializer):
    who = serializers.CharField(source="user.full_name", default="", read_only=True)
    # Plain strings: "kind" as an enum would collide with the other models' "kind" choices.
    kind = serializers.CharField(read_only=True, help_text="access (or change, later)")
    channel = serializers.CharField(read_only=True, help_text="page or api")
    what = serializers.CharField(read_only=True, help_text="what was shown, in words")

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "kind", "action", "user", "who", "what", "route", "method", "channel"]


class ChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField(help_text="added, changed or removed")
    what = serializers.CharField(help_text="what changed, in words: Profile, Workout, ...")
    # A field named like Serializer.fields / Field.source: DRF takes declared fields apart.
    fields = serializers.ListField(child=serializers.CharField(), help_text="fields changed")  # type: ignore[assignment]
    user = serializers.IntegerField(source="user.pk", default=None)
    who = serializers.CharField(source="user.full_name", default="")
    source = serializers.CharField(help_text="browser, api or worker")  # type: ignore[assignment]


class PatientAuditView(ListAPIView):
    """Who saw a patient's record and when: the care team and clinic admins only."""

    serializer_class = AuditEventSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                enum=TRAIL_KINDS,
                description="access (default): who opened the record; change: what changed, "
                "by whom (PostgreSQL only)",
            )
        ],
        responses=PolymorphicProxySerializer(
            component_name="AuditTrailRow",
            serializers=[AuditEventSerializer, ChangeSerializer],
            resource_type_field_name=None,
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.request.query_params.get("kind") == "change":
            return ChangeSerializer
        return AuditEventSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no patient
            return AuditEvent.objects.none()
        patient = get_object_or_404(
            audit_patients_for(request_user(self.request)), pk=self.kwargs["pk"]
        )
        kind = self.request.query_params.get("kind", "access")
        if kind not in TRAIL_KINDS:
            raise ValidationError({"kind": [f"Choose one of: {', '.join(TRAIL_KINDS)}."]})
        if (
            kind != "access"
            and not patients_for(request_user(self.request)).filter(pk=patient.pk).exists()
        ):
            raise PermissionDenied("The change history is for those who may open the record.")
        try:
            rows = patient_audit_trail(patient, kind=kind)
        except TrailUnavailable as error:
            raise ValidationError({"kind": [str(error)]}) from error
        access_note(self.request, [patient.pk])
        return rows


class EmergencyAccessWriteSerializer(serializers.Serializer):
    reason = StrictCharField(
        max_length=500,
        help_text="Why you need the record; the patient and their care team read it.",
    )


class EmergencyAccessSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessGrant
        fields = ["id", "patient", "user", "reason", "opened_at", "expires_at"]


class EmergencyAccessView(APIView):
    """Break-glass for a clinic admin: open the record of a patient of the clinic whose care
    team they are not on, for ``BREAK_GLASS_MINUTES``, stating a reason. Logged, and the care
    team is told. Asking again while a grant is open returns it (200)."""

    throttle_classes = [UserWriteThrottle]

    @extend_schema(
        request=EmergencyAccessWriteSerializer,
        responses={201: EmergencyAccessSerializer, 200: EmergencyAccessSerializer},
    )
    def post(self, request, pk):
        if not request.user.is_clinic_admin:
            raise PermissionDenied("Only a clinic admin can open a record this way.")
        patient = get_object_or_404(clinic_directory(request.user), pk=pk)
        data = EmergencyAccessWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant, new = emergency_access_open(
            admin=request.user, patient=patient, request=request, **data.validated_data
        )
        return Response(
            EmergencyAccessSerializer(grant).data,
            status=status.HTTP_201_CREATED if new else status.HTTP_200_OK,
        )
