from typing import Any, cast

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListCreateAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.mixins import AccessLoggedMixin
from apps.audit.services import access_note
from apps.common.api import StrictCharField, request_user
from apps.exercises.models import Exercise
from apps.exercises.selectors import exercises_for
from apps.patients.selectors import patients_for
from apps.program_templates.models import ProgramTemplate
from apps.program_templates.selectors import templates_for
from apps.program_templates.services import program_from_template_assign

from .models import PrescribedExercise, Program, ProgressionChange
from .rules import GATE_INSTRUMENTS, GATE_KINDS, Decision
from .selectors import editable_programs_for, programs_for, suggestions_by_program
from .services import ItemInput, program_assign, program_update, suggestion_apply


def _with_suggestions(request, programs) -> dict:
    """Serializer context: the rule's current suggestions for a clinician's active programs,
    computed for all of them at once (a patient's programs carry none)."""
    user = request_user(request)
    if not user.is_authenticated or not user.is_clinician:
        return {"request": request}
    active = [p for p in programs if p.status == Program.Status.ACTIVE]
    suggestions = {
        item.pk: suggestion
        for rows in suggestions_by_program(active).values()
        for item, suggestion in rows
    }
    return {"request": request, "suggestions": suggestions}


class EvidenceSerializer(serializers.Serializer):
    day = serializers.DateField()
    set_values = serializers.ListField(child=serializers.IntegerField())
    pain_during = serializers.IntegerField(allow_null=True)
    pain_24h = serializers.IntegerField(allow_null=True)


class SuggestionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[d.value for d in Decision])
    reason = serializers.CharField()
    evidence = EvidenceSerializer(many=True, help_text="The sessions it rests on, oldest first.")
    apply_url = serializers.CharField(
        allow_null=True, help_text="POST here with the decision to apply it; null for hold."
    )


class PrescribedExerciseSerializer(serializers.ModelSerializer):
    exercise_name = StrictCharField(source="exercise.name", read_only=True)
    dose = StrictCharField(source="dose_text", read_only=True)
    suggestion = serializers.SerializerMethodField(
        help_text="What the progression rule suggests now (clinicians, active programs)."
    )

    @extend_schema_field(SuggestionSerializer(allow_null=True))
    def get_suggestion(self, item) -> dict | None:
        found = self.context.get("suggestions", {}).get(item.pk)
        if found is None:
            return None
        apply_url = (
            None
            if found.decision == Decision.HOLD
            else reverse("api:prescription-apply", args=[item.pk])
        )
        return SuggestionSerializer(
            {
                "decision": found.decision,
                "reason": found.reason,
                "evidence": found.evidence,
                "apply_url": apply_url,
            }
        ).data

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
            "outcome_gate",
            "dose",
            "suggestion",
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


class OutcomeGateSerializer(serializers.Serializer):
    """A questionnaire criterion for a run's next stage (docs/clinical.md)."""

    instrument = serializers.ChoiceField(choices=list(GATE_INSTRUMENTS))
    kind = serializers.ChoiceField(
        choices=list(GATE_KINDS),
        help_text="at_least: the latest score; improved_by: the latest minus the first.",
    )
    value = serializers.FloatField(min_value=0.1, max_value=100)


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
    outcome_gate = OutcomeGateSerializer(
        required=False,
        allow_null=True,
        help_text="Runs only: the next stage needs this questionnaire score; null for none.",
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


class ProgramCreateSerializer(ProgramWriteSerializer):
    """A new program, from scratch or from a template: what is given overrides the template's
    (its items, name, bands and sessions per week; the review date is its review weeks on)."""

    template = serializers.PrimaryKeyRelatedField(
        queryset=ProgramTemplate.objects.none(),
        required=False,
        help_text="A starter template or one of your clinic's (GET /api/v1/program-templates/).",
    )
    review_date = serializers.DateField(required=False)
    items = serializers.ListField(child=ItemWriteSerializer(), min_length=1, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            cast(Any, self.fields["template"]).queryset = templates_for(user)

    def validate(self, attrs):
        if attrs.get("template") is None:
            missing = {
                f: "This field is required (or start from a template)."
                for f in ("items", "review_date")
                if f not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


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

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        programs = list(page if page is not None else queryset)
        data = ProgramSerializer(programs, many=True, context=_with_suggestions(request, programs))
        if page is not None:
            return self.get_paginated_response(data.data)
        return Response(data.data)

    @extend_schema(request=ProgramCreateSerializer, responses={201: ProgramSerializer})
    def post(self, request, patient_pk):
        patient = self._patient()
        _require_clinician(request.user)
        data = ProgramCreateSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        template = fields.pop("template", None)
        items = _items(fields.pop("items")) if "items" in fields else None
        if template is not None:
            program = program_from_template_assign(
                clinician=request.user, patient=patient, template=template, items=items, **fields
            )
        else:
            program = program_assign(
                clinician=request.user, patient=patient, items=cast(list, items), **fields
            )
        return Response(ProgramSerializer(program).data, status=status.HTTP_201_CREATED)


class ProgramViewSet(AccessLoggedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProgramSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return programs_for(request_user(self.request))

    def retrieve(self, request, *args, **kwargs):
        program = self.get_object()
        context = _with_suggestions(request, [program])
        return Response(ProgramSerializer(program, context=context).data)

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


class ApplyWriteSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[Decision.PROGRESS, Decision.REGRESS, Decision.REDUCE],
        help_text="The decision you saw; if the rule now says otherwise nothing is applied (400).",
    )


class ProgressionChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressionChange
        fields = [
            "id",
            "direction",
            "from_exercise",
            "to_exercise",
            "reason",
            "changed_by",
            "automatic",
            "changed_at",
        ]


class AppliedSerializer(serializers.Serializer):
    change = ProgressionChangeSerializer()
    item = PrescribedExerciseSerializer()


class PrescriptionApplyView(APIView):
    """Apply the rule's current suggestion for one prescribed exercise: the same service as
    the patient page's button (progress a level, regress a level, or reduce the dose)."""

    @extend_schema(request=ApplyWriteSerializer, responses={201: AppliedSerializer})
    def post(self, request, pk):
        user = request_user(request)
        item = get_object_or_404(
            PrescribedExercise.objects.filter(program__in=programs_for(user)), pk=pk
        )
        _require_clinician(user)
        item = get_object_or_404(
            PrescribedExercise.objects.filter(program__in=editable_programs_for(user)), pk=pk
        )
        data = ApplyWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = suggestion_apply(
            clinician=user, item=item, expected=data.validated_data["decision"]
        )
        access_note(request, [item.program.patient_id])
        item = PrescribedExercise.objects.select_related("exercise").get(pk=item.pk)
        body = {"change": change, "item": item}
        return Response(AppliedSerializer(body).data, status=status.HTTP_201_CREATED)
