from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.audit.services import access_note
from apps.common.api import StrictCharField, request_user
from apps.exercises.selectors import exercises_for

from .models import ExerciseMedia
from .processing import ACCEPT
from .selectors import (
    media_for,
    removable_media_for,
    uploadable_prescriptions_for,
    visible_prescriptions_for,
)
from .services import media_delete, media_upload


class MediaSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The file, through an access-checked view (a signed redirect with S3)."
    )
    thumbnail_url = serializers.SerializerMethodField(help_text="Photos only; null for videos.")

    class Meta:
        model = ExerciseMedia
        fields = [
            "id",
            "kind",
            "content_type",
            "size",
            "caption",
            "exercise",
            "prescribed",
            "created_at",
            "url",
            "thumbnail_url",
        ]

    def get_url(self, media) -> str:
        return reverse("media:file", args=[media.pk])

    def get_thumbnail_url(self, media) -> str | None:
        return reverse("media:thumbnail", args=[media.pk]) if media.thumbnail else None


class MediaUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=f"The photo or video; its content decides: {ACCEPT}.")
    caption = StrictCharField(max_length=200, required=False, default="", allow_blank=True)


def _require_clinician(user) -> None:
    if not user.is_clinician:
        raise PermissionDenied("Only clinicians can add or remove photos and videos.")


class _MediaListCreate(generics.ListCreateAPIView):
    serializer_class = MediaSerializer
    parser_classes = [MultiPartParser, FormParser]

    def _upload(self, request, **target) -> Response:
        _require_clinician(request_user(request))
        data = MediaUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        media = media_upload(user=request_user(request), **target, **data.validated_data)
        return Response(MediaSerializer(media).data, status=status.HTTP_201_CREATED)


class ExerciseMediaView(_MediaListCreate):
    """The caller's clinic's photos and videos of one exercise; clinicians add more."""

    def _exercise(self):
        return get_object_or_404(exercises_for(request_user(self.request)), pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no exercise
            return ExerciseMedia.objects.none()
        return media_for(request_user(self.request)).filter(exercise=self._exercise())

    @extend_schema(request={"multipart/form-data": MediaUploadSerializer})
    def post(self, request, pk):
        return self._upload(request, exercise=self._exercise())


class PrescriptionMediaView(_MediaListCreate):
    """Photos and videos filmed in clinic for one patient's prescribed exercise."""

    def _prescription(self):
        item = get_object_or_404(
            visible_prescriptions_for(request_user(self.request)), pk=self.kwargs["pk"]
        )
        access_note(self.request, [item.program.patient_id])
        return item

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExerciseMedia.objects.none()
        return media_for(request_user(self.request)).filter(prescribed=self._prescription())

    @extend_schema(request={"multipart/form-data": MediaUploadSerializer})
    def post(self, request, pk):
        user = request_user(request)
        self._prescription()
        _require_clinician(user)
        item = get_object_or_404(uploadable_prescriptions_for(user), pk=pk)
        return self._upload(request, prescribed=item)


class MediaDetailView(generics.RetrieveDestroyAPIView):
    """One photo or video's details; clinicians of its clinic remove it."""

    serializer_class = MediaSerializer
    parser_classes = [JSONParser]

    def get_queryset(self):
        return media_for(request_user(self.request))

    def get_object(self):
        media = super().get_object()
        if media.prescribed is not None:
            access_note(self.request, [media.prescribed.program.patient_id])
        return media

    def destroy(self, request, *args, **kwargs):
        self.get_object()
        _require_clinician(request_user(request))
        media = get_object_or_404(removable_media_for(request_user(request)), pk=kwargs["pk"])
        media_delete(user=request_user(request), media=media)
        return Response(status=status.HTTP_204_NO_CONTENT)
