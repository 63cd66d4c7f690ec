"""Questionnaires through the API: the definitions a clinic can give, the schedules on a program,
and the patient's responses (answered in parts, then sent)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.services import access_note
from apps.common.api import request_user
from apps.patients.selectors import patients_for
from apps.programs.selectors import editable_programs_for, programs_for

from . import services
from .instruments import INSTRUMENTS
from .models import Questionnaire, QuestionnaireResponse, QuestionnaireSchedule
from .selectors import questionnaire_for, responses_for


class QuestionnaireSerializer(serializers.ModelSerializer):
    class Meta:
        model = Questionnaire
        fields = ["id", "code", "version", "title", "wording_imported"]


class ScheduleSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestionnaireSchedule
        fields = ["id", "program", "code", "at_start", "every_weeks", "at_discharge", "created_at"]


class ScheduleWriteSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=sorted(INSTRUMENTS))
    at_start = serializers.BooleanField(default=True)
    every_weeks = serializers.IntegerField(
        min_value=1, max_value=52, required=False, allow_null=True, default=None
    )
    at_discharge = serializers.BooleanField(default=False)


class ResponseSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="questionnaire.code", read_only=True)
    title = serializers.CharField(source="questionnaire.title", read_only=True)
    answers = serializers.DictField(
        child=serializers.JSONField(), help_text="linkId to the answer given (absent: not yet)."
    )
    scores = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Subscale code to score once sent; null where too few items were answered.",
    )

    class Meta:
        model = QuestionnaireResponse
        fields = [
            "id",
            "patient",
            "questionnaire",
            "code",
            "title",
            "program",
            "schedule",
            "occasion",
            "due_date",
            "status",
            "answers",
            "scores",
            "started_at",
            "completed_at",
        ]


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text="Some answers, by linkId: merged with those saved before; null clears one.",
    )

    def validate_answers(self, answers: dict) -> dict:
        for link_id, value in answers.items():
            plain = value is None or isinstance(value, int | float | str)
            if not plain or (isinstance(value, str) and len(value) > 200):
                raise serializers.ValidationError(
                    f"{link_id}: a number, a short text (200 characters at most) or null."
                )
        return answers


def _require_clinician(user) -> None:
    if not user.is_clinician:
        raise PermissionDenied("Only the patient's care team schedules questionnaires.")


class QuestionnaireListView(generics.ListAPIView):
    """The questionnaires the caller's clinic can give (licensed ones once their wording is in)."""

    serializer_class = QuestionnaireSerializer
    pagination_class = None
    # One definition per instrument, chosen in Python: nothing to order or filter in SQL.
    filter_backends: list = []

    def get_queryset(self):
        clinic = request_user(self.request).clinic
        if clinic is None:  # a site admin gives no questionnaire
            return []
        found = [questionnaire_for(clinic=clinic, code=code) for code in INSTRUMENTS]
        return [q for q in found if q is not None]


class ProgramSchedulesView(generics.ListCreateAPIView):
    """The questionnaires attached to a program and when they are asked; the care team adds or
    changes one (one schedule per instrument)."""

    serializer_class = ScheduleSerializer
    pagination_class = None

    def _program(self):
        program = get_object_or_404(programs_for(request_user(self.request)), pk=self.kwargs["pk"])
        access_note(self.request, [program.patient_id])
        return program

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuestionnaireSchedule.objects.none()
        return self._program().questionnaire_schedules.all()

    @extend_schema(request=ScheduleWriteSerializer, responses={201: ScheduleSerializer})
    def post(self, request, pk):
        program = self._program()
        _require_clinician(request.user)
        program = get_object_or_404(editable_programs_for(request.user), pk=program.pk)
        data = ScheduleWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = services.schedule_set(
            clinician=request.user, program=program, **data.validated_data
        )
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)


class ScheduleDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        """Stop asking a questionnaire; the answers already given stay."""
        visible = QuestionnaireSchedule.objects.filter(
            program__in=programs_for(request_user(request))
        )
        schedule = get_object_or_404(visible.select_related("program"), pk=pk)
        access_note(request, [schedule.program.patient_id])
        _require_clinician(request.user)
        if not editable_programs_for(request.user).filter(pk=schedule.program_id).exists():
            return Response(status=status.HTTP_404_NOT_FOUND)
        services.schedule_remove(clinician=request.user, schedule=schedule)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PatientResponsesView(generics.ListAPIView):
    """A patient's questionnaire responses, oldest due first, for them and their care team."""

    serializer_class = ResponseSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuestionnaireResponse.objects.none()
        user = request_user(self.request)
        patient = get_object_or_404(patients_for(user), pk=self.kwargs["pk"])
        access_note(self.request, [patient.pk])
        return responses_for(user, patient)


class _ScopedResponse(generics.GenericAPIView):
    serializer_class = ResponseSerializer

    def get_queryset(self):
        user = request_user(self.request)
        return QuestionnaireResponse.objects.filter(patient__in=patients_for(user)).select_related(
            "questionnaire"
        )

    def _response(self) -> QuestionnaireResponse:
        response = self.get_object()
        access_note(self.request, [response.patient_id])
        return response


class ResponseDetailView(_ScopedResponse):
    def get(self, request, pk):
        """One response, with its answers and, once sent, its scores."""
        return Response(ResponseSerializer(self._response()).data)

    @extend_schema(request=AnswersSerializer, responses={200: ResponseSerializer})
    def patch(self, request, pk):
        """Save some answers (the patient only); a bad one is a 400 and nothing is saved."""
        response = self._response()
        data = AnswersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.response_answer(
            user=request.user, response=response, answers=data.validated_data["answers"]
        )
        return Response(ResponseSerializer(response).data)


class ResponseCompleteView(_ScopedResponse):
    @extend_schema(request=None, responses={200: ResponseSerializer})
    def post(self, request, pk):
        """Send the answers: they are scored, and can no longer change."""
        response = services.response_complete(user=request.user, response=self._response())
        return Response(ResponseSerializer(response).data)
