import django_filters
from django.utils import timezone as dj_timezone
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.accounts.models import User
from apps.common.timezones import timezone_choices

from .models import Condition, Patient, Side
from .selectors import patient_search, patients_for
from .services import patient_create, patient_update


class PatientSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email", read_only=True)
    timezone = serializers.CharField(source="user.timezone")
    care_team = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Patient
        fields = [
            "id",
            "full_name",
            "email",
            "timezone",
            "date_of_birth",
            "condition",
            "diagnosis",
            "affected_side",
            "reminder_time",
            "reminders_paused",
            "care_team",
        ]


class PatientWriteSerializer(serializers.Serializer):
    """What a clinician sends to create (all fields) or PATCH (any of them) a patient."""

    full_name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    timezone = serializers.ChoiceField(choices=timezone_choices())
    date_of_birth = serializers.DateField()
    condition = serializers.ChoiceField(choices=Condition.choices)
    diagnosis = serializers.CharField(max_length=300, required=False, allow_blank=True)
    affected_side = serializers.ChoiceField(choices=Side.choices)
    reminder_time = serializers.TimeField(required=False)
    care_team = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=User.objects.all()
    )

    def validate_date_of_birth(self, value):
        if value >= dj_timezone.localdate():
            raise serializers.ValidationError("The date of birth must be in the past.")
        return value


class PatientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, email or diagnosis")
    condition = django_filters.ChoiceFilter(choices=Condition.choices)

    class Meta:
        model = Patient
        fields = ["condition"]

    def search(self, queryset, name, value):
        return patient_search(queryset, value)


class PatientViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Patients the caller may see: care-team clinicians, clinic admins, the patient themself."""

    filterset_class = PatientFilter
    ordering_fields = ["user__full_name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            patients_for(self.request.user)
            .prefetch_related("care_team")
            .order_by("user__full_name", "pk")
        )

    def get_serializer_class(self):
        return PatientSerializer if self.action in ("list", "retrieve") else PatientWriteSerializer

    def _require_clinician(self):
        if not self.request.user.is_clinician:
            raise PermissionDenied("Only clinicians can add or change patients.")

    def create(self, request, *args, **kwargs):
        self._require_clinician()
        data = PatientWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patient = patient_create(clinician=request.user, **data.validated_data)
        return Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        self._require_clinician()
        patient = self.get_object()
        data = PatientWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {
            "full_name": patient.user.full_name,
            "timezone": patient.user.timezone,
            "date_of_birth": patient.date_of_birth,
            "condition": patient.condition,
            "affected_side": patient.affected_side,
            "diagnosis": patient.diagnosis,
            "reminder_time": patient.reminder_time,
            "care_team": list(patient.care_team.all()),
        }
        changes.update({k: v for k, v in data.validated_data.items() if k != "email"})
        patient = patient_update(patient=patient, **changes)
        return Response(PatientSerializer(patient).data)
