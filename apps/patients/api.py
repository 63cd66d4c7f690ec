import django_filters
from django.utils import timezone as dj_timezone
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.accounts.models import User
from apps.accounts.selectors import care_team_choices_for
from apps.audit.mixins import AccessLoggedMixin
from apps.audit.services import access_note
from apps.common.api import LocalTimeField, StrictCharField, StrictFilterSet, request_user
from apps.common.ratelimit import UserInvitationThrottle
from apps.common.timezones import timezone_choices

from .models import Condition, Patient, Side
from .selectors import patient_search, patients_for
from .services import patient_create, patient_update


class PatientSerializer(serializers.ModelSerializer):
    full_name = StrictCharField(source="user.full_name")
    email = serializers.EmailField(source="user.email", read_only=True)
    timezone = StrictCharField(source="user.timezone")
    care_team: "serializers.PrimaryKeyRelatedField[User]" = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    reminder_time = LocalTimeField()

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


CARE_TEAM_CHOICE_ERROR = "Pick the care team from your clinic's list."


class ClinicianField(serializers.PrimaryKeyRelatedField):
    """A clinician of the caller's clinic, by id.

    Ids resolve only among those clinicians, and any other id (a patient, someone of another
    clinic, no one at all) gets the same message: it must not tell who the id belongs to.
    """

    default_error_messages = {
        "required": serializers.PrimaryKeyRelatedField.default_error_messages["required"],
        "does_not_exist": CARE_TEAM_CHOICE_ERROR,
        "incorrect_type": CARE_TEAM_CHOICE_ERROR,
    }

    queryset = User.objects.none()  # the model, for the schema; the rows come per request

    def get_queryset(self):
        return care_team_choices_for(self.context["request"].user)


class PatientWriteSerializer(serializers.Serializer):
    """What a clinician sends to create (all fields) or PATCH (any of them) a patient."""

    full_name = StrictCharField(max_length=200)
    email = serializers.EmailField()
    timezone = serializers.ChoiceField(choices=timezone_choices())
    date_of_birth = serializers.DateField()
    condition = serializers.ChoiceField(choices=Condition.choices)
    diagnosis = StrictCharField(max_length=300, required=False, allow_blank=True)
    affected_side = serializers.ChoiceField(choices=Side.choices)
    reminder_time = LocalTimeField(required=False)
    care_team = serializers.ListField(
        child=ClinicianField(),
        required=False,
        min_length=1,
    )

    def validate_date_of_birth(self, value):
        if value >= dj_timezone.localdate():
            raise serializers.ValidationError("The date of birth must be in the past.")
        return value


class PatientFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="search", label="Name, email or diagnosis")
    condition = django_filters.ChoiceFilter(choices=Condition.choices)

    class Meta:
        model = Patient
        fields = ["condition"]

    def search(self, queryset, name, value):
        return patient_search(queryset, value)


class PatientViewSet(
    AccessLoggedMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Patients the caller may see: care-team clinicians, clinic admins, the patient themself."""

    filterset_class = PatientFilter
    ordering_fields = ["user__full_name", "created_at"]
    throttle_classes = [UserInvitationThrottle]
    http_method_names = ["get", "post", "patch", "head", "options"]
    access_patient_attr = "pk"

    def get_queryset(self):
        return (
            patients_for(request_user(self.request))
            .prefetch_related("care_team")
            .order_by("user__full_name", "pk")
        )

    def get_serializer_class(self):
        return PatientSerializer if self.action in ("list", "retrieve") else PatientWriteSerializer

    def _require_clinician(self):
        if not request_user(self.request).is_clinician:
            raise PermissionDenied("Only clinicians can add or change patients.")

    def create(self, request, *args, **kwargs):
        self._require_clinician()
        data = PatientWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        patient = patient_create(clinician=request.user, **data.validated_data)
        access_note(request, [patient.pk])
        return Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        patient = self.get_object()  # 404 before 403: strangers learn nothing
        self._require_clinician()
        data = PatientWriteSerializer(data=request.data, partial=True, context={"request": request})
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
        patient = patient_update(patient=patient, by=request.user, **changes)
        return Response(PatientSerializer(patient).data)
