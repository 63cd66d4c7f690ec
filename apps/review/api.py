from datetime import timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone as dj_timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.services import access_note
from apps.common.api import StrictPageNumberPagination
from apps.painlogs.selectors import pain_trend_buckets, patient_today
from apps.patients.selectors import patients_for

from .models import PatientStatus
from .selectors import TriageFilter, care_team_colleagues, status_for, triage_patients


class ReasonSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    weight = serializers.IntegerField()
    attention = serializers.SerializerMethodField()

    def get_attention(self, reason) -> bool:
        from .rules import ATTENTION

        return reason["kind"] in ATTENTION


class FlareSerializer(serializers.Serializer):
    workout = serializers.IntegerField(source="workout_id")
    rating = serializers.IntegerField()
    baseline = serializers.FloatField()


class StatusSerializer(serializers.ModelSerializer):
    """Where a patient stands: what the patient page, Today, the roster and triage show."""

    patient = serializers.IntegerField(source="patient_id")
    full_name = serializers.CharField(source="patient.user.full_name")
    bands = serializers.SerializerMethodField()
    flare = FlareSerializer(allow_null=True)
    adherence_7 = serializers.FloatField(allow_null=True)
    adherence_28 = serializers.FloatField(allow_null=True)
    reasons = ReasonSerializer(many=True)

    class Meta:
        model = PatientStatus
        fields = [
            "patient",
            "full_name",
            "computed_at",
            "local_date",
            "bands",
            "program_name",
            "review_date",
            "lights",
            "last_workout_at",
            "last_light",
            "reds_7d",
            "flare",
            "done_7d",
            "prescribed_7d",
            "adherence_7",
            "done_28d",
            "prescribed_28d",
            "adherence_28",
            "missed_7d",
            "left_this_week",
            "missing_24h",
            "to_progress",
            "to_regress",
            "unread_messages",
            "needs_attention",
            "reasons",
            "rank",
        ]

    def get_bands(self, status) -> dict[str, int]:
        """The light in force: 0..green_max green, up to ceiling yellow, above it red."""
        return {"green_max": status.green_max, "ceiling": status.pain_ceiling}


class PatientStatusView(APIView):
    @extend_schema(responses=StatusSerializer)
    def get(self, request, pk):
        status = status_for(request.user, pk)
        if status is None:
            raise Http404("No patient here.")
        access_note(request, [status.patient_id])
        return Response(StatusSerializer(status).data)


class TriageQuerySerializer(serializers.Serializer):
    show = serializers.ChoiceField(choices=["attention", "all"], default="attention")
    clinician = serializers.IntegerField(required=False, min_value=1)


class TriageView(generics.GenericAPIView):
    """The clinician's patients, most in need of attention first, 50 a page."""

    pagination_class = StrictPageNumberPagination
    serializer_class = StatusSerializer
    queryset = PatientStatus.objects.none()  # for the schema; the rows come from the selector

    @extend_schema(
        parameters=[
            OpenApiParameter("show", OpenApiTypes.STR, enum=["attention", "all"]),
            OpenApiParameter("clinician", OpenApiTypes.INT, description="A care-team member"),
        ],
        responses=StatusSerializer(many=True),
    )
    def get(self, request):
        if not request.user.is_clinician:
            raise PermissionDenied("Triage is for clinicians.")
        params = TriageQuerySerializer(
            data={
                k: request.query_params[k]
                for k in ("show", "clinician")
                if k in request.query_params
            }
        )
        params.is_valid(raise_exception=True)
        clinician = params.validated_data.get("clinician")
        if clinician and not care_team_colleagues(request.user).filter(pk=clinician).exists():
            # Another clinic's clinician is not there for you: the same 404 as any unseen object.
            raise Http404("No clinician of your clinic has this id.")
        filters = TriageFilter(show=params.validated_data["show"], clinician_id=clinician)
        patients = self.paginate_queryset(triage_patients(request.user, filters)) or []
        access_note(request, [p.pk for p in patients])
        statuses = [p.status for p in patients]
        return self.get_paginated_response(StatusSerializer(statuses, many=True).data)


class TrendQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    bucket = serializers.ChoiceField(choices=["day", "week"], default="week")

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError({"date_to": "Must be on or after date_from."})
        return data


class TrendBucketSerializer(serializers.Serializer):
    start = serializers.DateField()
    during_mean = serializers.FloatField(allow_null=True)
    during_max = serializers.IntegerField(allow_null=True)
    after_mean = serializers.FloatField(allow_null=True)
    after_max = serializers.IntegerField(allow_null=True)
    sessions = serializers.IntegerField()
    prescribed = serializers.IntegerField()
    green = serializers.IntegerField()
    yellow = serializers.IntegerField()
    red = serializers.IntegerField()


TREND_DEFAULT_DAYS = 84


class PatientTrendView(APIView):
    """Pain during and 24 h after (mean and max), sessions done vs prescribed, and lights."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day (default 12 weeks ago)"
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default today)"),
            OpenApiParameter("bucket", OpenApiTypes.STR, enum=["day", "week"]),
        ],
        responses=TrendBucketSerializer(many=True),
    )
    def get(self, request, pk):
        patient = get_object_or_404(patients_for(request.user), pk=pk)
        access_note(request, [patient.pk])
        # The query uses the short names "from" and "to"; absent ones take their defaults.
        names = {"from": "date_from", "to": "date_to", "bucket": "bucket"}
        params = TrendQuerySerializer(
            data={
                field: request.query_params[q]
                for q, field in names.items()
                if q in request.query_params
            }
        )
        params.is_valid(raise_exception=True)
        end = params.validated_data.get("date_to") or patient_today(patient, dj_timezone.now())
        start = params.validated_data.get("date_from") or end - timedelta(days=TREND_DEFAULT_DAYS)
        rows = pain_trend_buckets(
            patient, start=start, end=end, bucket=params.validated_data["bucket"]
        )
        return Response(TrendBucketSerializer(rows, many=True).data)
