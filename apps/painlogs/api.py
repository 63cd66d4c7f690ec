import hashlib
import json
from decimal import Decimal

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from apps.audit.mixins import AccessLoggedMixin
from apps.audit.services import access_note
from apps.common.api import IdFilter, StrictCharField, StrictFilterSet, request_user
from apps.common.ratelimit import UserWriteThrottle
from apps.programs.models import PrescribedExercise
from apps.programs.selectors import programs_for

from .models import Activity, ExerciseResult, SkipReason, Workout
from .rules import LIGHT_CHOICES
from .selectors import activities_for, workouts_for
from .services import (
    IdempotencyConflict,
    ResultInput,
    activity_log,
    followup_record,
    workout_log,
    workout_log_idempotent,
)


class LogCursorPagination(CursorPagination):
    """Logs only grow: a cursor stays stable while new ones arrive."""

    ordering = "-performed_at"
    page_size = 50


class ExerciseResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExerciseResult
        fields = [
            "id",
            "prescribed",
            "exercise",
            "exercise_name",
            "dose_kind",
            "prescribed_sets",
            "prescribed_low",
            "prescribed_high",
            "set_values",
            "sets_done",
            "skipped",
            "skip_reason",
            "pain_during",
            "note",
            "distance_km",
            "step_rate",
            "prescribed_step_rate",
        ]


class WorkoutSerializer(serializers.ModelSerializer):
    results = ExerciseResultSerializer(many=True, read_only=True)
    light_provisional = serializers.BooleanField(
        read_only=True,
        help_text="True until the 24-hour rating: the light may still turn (yellow or red).",
    )

    class Meta:
        model = Workout
        fields = [
            "id",
            "patient",
            "program",
            "performed_at",
            "local_date",
            "pain_during",
            "followup_pain",
            "followup_at",
            "pain_ceiling",
            "green_max",
            "light",
            "light_provisional",
            "note",
            "results",
        ]


class ResultWriteSerializer(serializers.Serializer):
    # An id, resolved with the others in one query (``prescriptions_resolve``).
    prescribed = serializers.IntegerField(
        min_value=1, help_text="A prescribed exercise of your active program."
    )
    set_values = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=1000), required=False, default=list
    )
    pain_during = serializers.IntegerField(
        min_value=0, max_value=10, required=False, allow_null=True
    )
    skipped = serializers.BooleanField(required=False, default=False)
    skip_reason = serializers.ChoiceField(
        choices=SkipReason.choices, required=False, allow_blank=True, default=""
    )
    note = StrictCharField(max_length=500, required=False, allow_blank=True, default="")
    distance_km = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("200"),
        required=False,
        allow_null=True,
        help_text="Runs only: the distance covered, in kilometres.",
    )
    step_rate = serializers.IntegerField(
        min_value=100,
        max_value=250,
        required=False,
        allow_null=True,
        help_text="Runs only: average steps per minute (from a watch or by counting).",
    )


class WorkoutWriteSerializer(serializers.Serializer):
    performed_at = serializers.DateTimeField(required=False)
    note = StrictCharField(required=False, allow_blank=True, default="")
    results = serializers.ListField(child=ResultWriteSerializer(), min_length=1)


def prescriptions_resolve(user, rows: list[dict]) -> list[dict]:
    """The rows with each ``prescribed`` id replaced by its exercise, all read in one query.

    Only exercises of programs ``user`` may see: anything else reads as missing (400).
    """
    ids = {row["prescribed"] for row in rows}
    found = (
        PrescribedExercise.objects.filter(pk__in=ids, program__in=programs_for(user))
        .select_related("exercise", "program__patient")
        .in_bulk()
    )
    errors = [
        {} if row["prescribed"] in found else {"prescribed": [MISSING.format(row["prescribed"])]}
        for row in rows
    ]
    if any(errors):
        raise ValidationError({"results": errors})
    return [{**row, "prescribed": found[row["prescribed"]]} for row in rows]


MISSING = 'Invalid pk "{}" - object does not exist.'


class FollowupSerializer(serializers.Serializer):
    pain = serializers.IntegerField(min_value=0, max_value=10)


class WorkoutFilter(StrictFilterSet):
    patient = IdFilter(field_name="patient_id")
    date_from = django_filters.DateFilter(field_name="local_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="local_date", lookup_expr="lte")
    light = django_filters.ChoiceFilter(choices=LIGHT_CHOICES)

    class Meta:
        model = Workout
        fields = ["patient", "light"]


def _body_hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Send the same key when retrying: the original workout comes back, no duplicate.",
)


class WorkoutViewSet(AccessLoggedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Workouts: patients log their own; clinicians list their patients' by patient and date."""

    pagination_class = LogCursorPagination
    filterset_class = WorkoutFilter
    throttle_classes = [UserWriteThrottle]
    ordering_fields = None

    def get_queryset(self):
        return workouts_for(request_user(self.request)).prefetch_related("results")

    def get_serializer_class(self):
        return WorkoutWriteSerializer if self.action == "create" else WorkoutSerializer

    @extend_schema(
        request=WorkoutWriteSerializer,
        responses={201: WorkoutSerializer, 200: WorkoutSerializer},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def create(self, request, *args, **kwargs):
        if not request.user.is_patient:
            raise PermissionDenied("Only the patient logs their own workouts.")
        data = WorkoutWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        rows = prescriptions_resolve(request.user, fields.pop("results"))
        results = [ResultInput(**row) for row in rows]

        def log():
            return workout_log(user=request.user, results=results, **fields)

        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            workout = log()
            access_note(request, [workout.patient_id])
            return Response(WorkoutSerializer(workout).data, status=status.HTTP_201_CREATED)
        try:
            workout, created = workout_log_idempotent(
                user=request.user, key=key[:255], body_hash=_body_hash(request.data), log=log
            )
        except IdempotencyConflict:
            return Response(
                {"detail": "This Idempotency-Key was already used with a different body."},
                status=status.HTTP_409_CONFLICT,
            )
        workout = self.get_queryset().get(pk=workout.pk)
        access_note(request, [workout.patient_id])
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(WorkoutSerializer(workout).data, status=code)

    @extend_schema(request=FollowupSerializer, responses=WorkoutSerializer)
    @action(detail=True, methods=["post"])
    def followup(self, request, pk=None):
        """The 24-hour pain rating: from 24 hours after the workout, by the patient."""
        workout = self.get_object()
        if not request.user.is_patient:
            raise PermissionDenied("Only the patient gives their 24-hour rating.")
        data = FollowupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        workout = followup_record(
            user=request.user, workout=workout, pain=data.validated_data["pain"]
        )
        return Response(WorkoutSerializer(self.get_queryset().get(pk=workout.pk)).data)


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "patient",
            "kind",
            "description",
            "date",
            "duration_minutes",
            "pain_during",
            "next_day_soreness",
            "soreness_recorded_at",
            "pain_ceiling",
            "green_max",
            "light",
        ]


class ActivityWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    description = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    date = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=1440)
    pain_during = serializers.IntegerField(min_value=0, max_value=10)


class ActivityCursorPagination(CursorPagination):
    ordering = ("-date", "-id")
    page_size = 50


class ActivityFilter(StrictFilterSet):
    patient = IdFilter(field_name="patient_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = ["patient", "kind"]


class ActivityViewSet(AccessLoggedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Activities the patient reintroduces (run, bike, hike…), under the same traffic light."""

    pagination_class = ActivityCursorPagination
    filterset_class = ActivityFilter
    throttle_classes = [UserWriteThrottle]
    ordering_fields = None

    def get_queryset(self):
        return activities_for(request_user(self.request))

    def get_serializer_class(self):
        return ActivityWriteSerializer if self.action == "create" else ActivitySerializer

    @extend_schema(request=ActivityWriteSerializer, responses={201: ActivitySerializer})
    def create(self, request, *args, **kwargs):
        if not request.user.is_patient:
            raise PermissionDenied("Only the patient logs their own activities.")
        data = ActivityWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = activity_log(user=request.user, **data.validated_data)
        access_note(request, [activity.patient_id])
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)
