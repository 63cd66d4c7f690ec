from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListCreateAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.audit.services import access_note
from apps.common.api import StrictCharField
from apps.common.ratelimit import UserWriteThrottle

from .models import MESSAGE_MAX_LENGTH, Message, MessageReceipt
from .selectors import thread_patients_for
from .services import message_send, thread_mark_read


class ReceiptSerializer(serializers.ModelSerializer):
    reader_name = StrictCharField(source="reader.full_name", read_only=True)

    class Meta:
        model = MessageReceipt
        fields = ["reader", "reader_name", "read_at"]


class MessageSerializer(serializers.ModelSerializer):
    author_name = StrictCharField(source="author.full_name", read_only=True)
    read_by = ReceiptSerializer(source="receipts", many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "patient", "author", "author_name", "body", "created_at", "read_by"]


class MessageWriteSerializer(serializers.Serializer):
    body = StrictCharField(max_length=MESSAGE_MAX_LENGTH, help_text="Plain text.")


class ThreadPagination(CursorPagination):
    """Newest first; a cursor stays stable while new messages arrive."""

    ordering = ("-created_at", "-id")
    page_size = 50


def _thread_patient(request, patient_pk):
    """Only the patient and their care team: anyone else finds no thread (404)."""
    return get_object_or_404(thread_patients_for(request.user), pk=patient_pk)


class PatientMessagesView(ListCreateAPIView):
    """A patient's thread with their care team. New messages notify the other side once."""

    serializer_class = MessageSerializer
    pagination_class = ThreadPagination
    throttle_classes = [UserWriteThrottle]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no patient
            return Message.objects.none()
        patient = _thread_patient(self.request, self.kwargs["patient_pk"])
        access_note(self.request, [patient.pk])
        return (
            Message.objects.filter(patient=patient)
            .select_related("author")
            .prefetch_related("receipts__reader")
        )

    @extend_schema(request=MessageWriteSerializer, responses={201: MessageSerializer})
    def post(self, request, patient_pk):
        patient = _thread_patient(request, patient_pk)
        data = MessageWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = message_send(author=request.user, patient=patient, **data.validated_data)
        access_note(request, [patient.pk])
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class PatientMessagesReadView(APIView):
    """Mark every message of the thread read by the caller (what opening it does in the app)."""

    @extend_schema(
        request=None,
        responses={200: inline_serializer("ThreadRead", {"read": serializers.IntegerField()})},
    )
    def post(self, request, patient_pk):
        patient = _thread_patient(request, patient_pk)
        return Response({"read": thread_mark_read(reader=request.user, patient=patient)})
