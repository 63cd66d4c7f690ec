from typing import Any, cast

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.care.models import EducationCard
from apps.care.selectors import cards_for
from apps.common.api import StrictCharField, request_user
from apps.exercises.models import Exercise
from apps.exercises.selectors import exercises_for
from apps.patients.models import Condition
from apps.programs.services import ItemInput

from .models import ProgramTemplate, TemplateItem
from .selectors import templates_for
from .services import template_create, template_delete, template_update


class TemplateItemSerializer(serializers.ModelSerializer):
    exercise_name = StrictCharField(source="exercise.name", read_only=True)
    dose = StrictCharField(source="dose_text", read_only=True)

    class Meta:
        model = TemplateItem
        fields = [
            "exercise",
            "exercise_name",
            "order",
            "dose_kind",
            "sets",
            "target_low",
            "target_high",
            "rep_hold_seconds",
            "notes",
            "baseline_step_rate",
            "target_step_rate",
            "dose",
        ]


class ProgramTemplateSerializer(serializers.ModelSerializer):
    items = TemplateItemSerializer(many=True, read_only=True)
    starter = serializers.BooleanField(
        source="is_starter", read_only=True, help_text="Shipped with Greenlight: read-only."
    )
    cards: "serializers.PrimaryKeyRelatedField[EducationCard]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = ProgramTemplate
        fields = [
            "id",
            "name",
            "description",
            "condition",
            "starter",
            "sessions_per_week",
            "pain_ceiling",
            "green_max",
            "review_weeks",
            "items",
            "cards",
        ]


class TemplateItemWriteSerializer(serializers.Serializer):
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
    baseline_step_rate = serializers.IntegerField(
        min_value=100, max_value=250, required=False, allow_null=True
    )
    target_step_rate = serializers.IntegerField(
        min_value=100, max_value=250, required=False, allow_null=True
    )


class ProgramTemplateWriteSerializer(serializers.Serializer):
    """Empty dose fields take the exercise's defaults."""

    name = StrictCharField(max_length=120)
    description = StrictCharField(required=False, allow_blank=True)
    condition = serializers.ChoiceField(
        choices=[("", "Any"), *Condition.choices], required=False, allow_blank=True
    )
    sessions_per_week = serializers.IntegerField(min_value=1, max_value=14, required=False)
    pain_ceiling = serializers.IntegerField(min_value=0, max_value=10, required=False)
    green_max = serializers.IntegerField(min_value=0, max_value=10, required=False)
    review_weeks = serializers.IntegerField(min_value=1, max_value=52, required=False)
    items = serializers.ListField(child=TemplateItemWriteSerializer(), min_length=1)
    cards = serializers.PrimaryKeyRelatedField(
        many=True, queryset=EducationCard.objects.all(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            items = cast(Any, self.fields["items"])
            items.child.fields["exercise"].queryset = exercises_for(user)
            cast(Any, self.fields["cards"]).child_relation.queryset = cards_for(user)


def _require_clinician(user) -> None:
    if not user.is_clinician:
        raise PermissionDenied("Only clinicians use program templates.")


def _fields(data) -> dict:
    fields = dict(data.validated_data)
    if "items" in fields:
        fields["items"] = [ItemInput(**row) for row in fields["items"]]
    return fields


class ProgramTemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Starter templates (read-only, for every clinic) and the caller's clinic's own."""

    serializer_class = ProgramTemplateSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _require_clinician(request.user)

    def get_queryset(self):
        return templates_for(request_user(self.request))

    def _editable(self) -> ProgramTemplate:
        template = self.get_object()
        if template.is_starter:
            raise PermissionDenied("Starter templates are read-only: save your own copy.")
        return template

    @extend_schema(
        request=ProgramTemplateWriteSerializer, responses={201: ProgramTemplateSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = ProgramTemplateWriteSerializer(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        template = template_create(clinician=request.user, **_fields(data))
        body = ProgramTemplateSerializer(self.get_queryset().get(pk=template.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProgramTemplateWriteSerializer(partial=True), responses=ProgramTemplateSerializer
    )
    def partial_update(self, request, pk=None):
        template = self._editable()
        data = ProgramTemplateWriteSerializer(data=request.data, partial=True, user=request.user)
        data.is_valid(raise_exception=True)
        template_update(clinician=request.user, template=template, **_fields(data))
        return Response(ProgramTemplateSerializer(self.get_queryset().get(pk=template.pk)).data)

    def destroy(self, request, *args, **kwargs):
        template_delete(clinician=request.user, template=self._editable())
        return Response(status=status.HTTP_204_NO_CONTENT)
