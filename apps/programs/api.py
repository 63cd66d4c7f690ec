from typing import Any, cast

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response

from apps.audit.mixins import AccessLoggedMixin
from apps.audit.services import access_note
from apps.common.api import StrictCharField, request_user
from apps.exercises.models import Exercise
from apps.exercises.selectors import exercises_for
from apps.patients.selectors import patients_for

from .models import PrescribedExercise, Program
from .selectors import programs_for
from .services import ItemInput, program_assign, program_update


class PrescribedExerciseSerializer(serializers.ModelSerializer):
    exercise_name = StrictCharField(source="exercise.name", read_only=True)
    dose = StrictCharField(source="dose_text", read_only=True)

    class Meta:
        model = PrescribedExercise
        fields = [
            "id",
            "exercise",
            "exercise_name",
            "order",
            "dose_kind",
            "sets",
            "target_low",
            "target_high",
            "rep_hold_seconds",
            "notes",
            "caution_acknowledged",
            "baseline_step_rate",
            "target_step_rate",
            "dose",
        ]


class ProgramSerializer(serializers.ModelSerializer):
    items = PrescribedExerciseSerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "patient",
            "name",
            "status",
            "sessions_per_week",
            "start_date",
            "review_date",
            "pain_ceiling",
            "green_max",
            "ended_at",
            "created_by",
            "items",
        ]


class ItemWriteSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True)
    exercise = serializers.PrimaryKeyRelatedField(queryset=Exercise.objects.all())
    sets = serializers.IntegerField(min_value=1, max_value=10, required=False, allow_null=True)
    target_low = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True
    )
    target_high = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True
    )
    rep_hold_seconds = serializers.IntegerField(
        min_value=1, max_value=60, required=False, allow_null=True
    )
    notes = StrictCharField(max_length=300, required=False, allow_blank=True, default="")
    caution_acknowledged = serializers.BooleanField(required=False, default=False)
    baseline_step_rate = serializers.IntegerField(
        min_value=100, max_value=250, required=False, allow_null=True
    )
    target_step_rate = serializers.IntegerField(
        min_value=100,
        max_value=250,
        required=False,
        allow_null=True,
        help_text="Runs only; blank means 10 % above the preferred rate.",
    )


class ProgramWriteSerializer(serializers.Serializer):
    """Empty dose fields take the exercise's defaults; omitted program fields take theirs."""

    name = StrictCharField(max_length=120, required=False)
    sessions_per_week = serializers.IntegerField(min_value=1, max_value=14, required=False)
    start_date = serializers.DateField()
    review_date = serializers.DateField()
    pain_ceiling = serializers.IntegerField(min_value=0, max_value=10, required=False)
    green_max = serializers.IntegerField(min_value=0, max_value=10, required=False)
    items = serializers.ListField(child=ItemWriteSerializer(), min_length=1)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            cast(Any, self.fields["items"]).child.fields["exercise"].queryset = exercises_for(user)


def _items(rows) -> list[ItemInput]:
    return [ItemInput(**row) for row in rows]


def _require_clinician(user):
    if not user.is_clinician:
        raise PermissionDenied("Only clinicians can prescribe programs.")


class PatientProgramsView(ListCreateAPIView):
    """A patient's programs (active first, then history); clinicians assign a new one."""

    serializer_class = ProgramSerializer

    def _patient(self):
        patient = get_object_or_404(
            patients_for(request_user(self.request)), pk=self.kwargs["patient_pk"]
        )
        access_note(self.request, [patient.pk])
        return patient

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no patient
            return Program.objects.none()
        return (
            programs_for(request_user(self.request))
            .filter(patient=self._patient())
            .order_by("status", "-start_date", "-pk")
        )

    @extend_schema(request=ProgramWriteSerializer, responses={201: ProgramSerializer})
    def post(self, request, patient_pk):
        patient = self._patient()
        _require_clinician(request.user)
        data = ProgramWriteSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        program = program_assign(
            clinician=request.user, patient=patient, items=_items(fields.pop("items")), **fields
        )
        return Response(ProgramSerializer(program).data, status=status.HTTP_201_CREATED)


class ProgramViewSet(AccessLoggedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProgramSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return programs_for(request_user(self.request))

    @extend_schema(request=ProgramWriteSerializer(partial=True), responses=ProgramSerializer)
    def partial_update(self, request, pk=None):
        program = self.get_object()
        _require_clinician(request.user)
        data = ProgramWriteSerializer(data=request.data, partial=True, user=request.user)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        items = (
            _items(fields.pop("items"))
            if "items" in fields
            else [ItemInput.from_row(i) for i in program.items.all()]
        )
        program = program_update(clinician=request.user, program=program, items=items, **fields)
        return Response(ProgramSerializer(programs_for(request.user).get(pk=program.pk)).data)
