from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView

from .models import AuditEvent
from .selectors import TRAIL_KINDS, TrailUnavailable, audit_patients_for, patient_audit_trail
from .services import access_note


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
    fields = serializers.ListField(child=serializers.CharField(), help_text="fields changed")
    user = serializers.IntegerField(source="user.pk", default=None)
    who = serializers.CharField(source="user.full_name", default="")
    source = serializers.CharField(help_text="browser, api or worker")


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
        patient = get_object_or_404(audit_patients_for(self.request.user), pk=self.kwargs["pk"])
        kind = self.request.query_params.get("kind", "access")
        if kind not in TRAIL_KINDS:
            raise ValidationError({"kind": [f"Choose one of: {', '.join(TRAIL_KINDS)}."]})
        try:
            rows = patient_audit_trail(patient, kind=kind)
        except TrailUnavailable as error:
            raise ValidationError({"kind": [str(error)]}) from error
        access_note(self.request, [patient.pk])
        return rows
