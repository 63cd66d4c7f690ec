import django_filters
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.common.api import SlugFilter, StrictCharField, StrictFilterSet, request_user

from .models import Caution, Exercise, Progression, Region
from .selectors import exercises_for, progressions
from .services import exercise_create


class ProgressionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Progression
        fields = ["id", "slug", "name", "region", "description", "order"]


class ExerciseSerializer(serializers.ModelSerializer):
    progression: "serializers.SlugRelatedField[Progression]" = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    own = serializers.SerializerMethodField(help_text="True for the clinic's own exercises.")

    class Meta:
        model = Exercise
        fields = [
            "id",
            "name",
            "progression",
            "level",
            "region",
            "instructions",
            "dose_kind",
            "default_sets",
            "default_target_low",
            "default_target_high",
            "default_rep_hold_seconds",
            "cautions",
            "own",
        ]

    def get_own(self, exercise) -> bool:
        return exercise.clinic_id is not None


class ExerciseCreateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=150)
    region = serializers.ChoiceField(choices=Region.choices)
    instructions = StrictCharField()
    dose_kind = serializers.ChoiceField(choices=Exercise._meta.get_field("dose_kind").choices)  # type: ignore[arg-type]
    default_sets = serializers.IntegerField(min_value=1, max_value=10)
    default_target_low = serializers.IntegerField(min_value=1, max_value=600)
    default_target_high = serializers.IntegerField(min_value=1, max_value=600)
    default_rep_hold_seconds = serializers.IntegerField(
        min_value=1, max_value=60, required=False, allow_null=True
    )
    cautions = serializers.ListField(
        child=serializers.ChoiceField(choices=Caution.choices), required=False
    )


class ExerciseFilter(StrictFilterSet):
    progression = SlugFilter(field_name="progression__slug")
    region = django_filters.ChoiceFilter(choices=Region.choices)

    class Meta:
        model = Exercise
        fields = ["progression", "region", "dose_kind"]


class ProgressionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgressionSerializer
    queryset = progressions()


class ExerciseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The shared library and the caller's clinic's own exercises; clinicians add their own."""

    filterset_class = ExerciseFilter
    ordering_fields = ["name", "level"]

    def get_queryset(self):
        return exercises_for(request_user(self.request)).order_by(
            "progression__order", "level", "name"
        )

    def get_serializer_class(self):
        return ExerciseCreateSerializer if self.action == "create" else ExerciseSerializer

    def create(self, request, *args, **kwargs):
        if not request.user.is_clinician:
            raise PermissionDenied("Only clinicians can add exercises.")
        data = ExerciseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exercise = exercise_create(clinician=request.user, **data.validated_data)
        return Response(ExerciseSerializer(exercise).data, status=201)
