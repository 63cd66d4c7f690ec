from django.contrib import messages
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from apps.audit.services import access_note
from apps.common.decorators import clinician_required
from apps.common.forms import form_submit
from apps.exercises.selectors import exercises_for

from .forms import MediaForm
from .models import ExerciseMedia
from .responses import stored_file_response
from .selectors import (
    exercise_media,
    media_for,
    prescription_media,
    removable_media_for,
    uploadable_prescriptions_for,
)
from .services import media_delete, media_upload


def _note_patient(request: HttpRequest, media: ExerciseMedia) -> None:
    """Media filmed for a prescription are the patient's data: their reads are logged."""
    if media.prescribed is not None:
        access_note(request, [media.prescribed.program.patient_id])


def _back(media: ExerciseMedia) -> str:
    if media.exercise_id:
        return reverse("exercises:detail", args=[media.exercise_id])
    return reverse("media:prescription_new", args=[media.prescribed_id])


def media_file(request, pk):
    """The photo or video, to whoever may see it; a 404 to anyone else, signed in or not."""
    media = get_object_or_404(media_for(request.user), pk=pk)
    _note_patient(request, media)
    return stored_file_response(
        request, media.file, content_type=media.content_type, name=media.download_name
    )


def media_thumbnail(request, pk):
    media = get_object_or_404(media_for(request.user), pk=pk)
    if not media.thumbnail:
        raise Http404("Videos have no stored thumbnail.")
    _note_patient(request, media)
    return stored_file_response(
        request, media.thumbnail, content_type=media.content_type, name=media.download_name
    )


@clinician_required
def exercise_media_new(request, pk):
    exercise = get_object_or_404(exercises_for(request.user), pk=pk)
    form = MediaForm(request.POST or None, request.FILES or None)
    media = form_submit(
        request,
        form,
        lambda data: media_upload(
            user=request.user, file=data["file"], exercise=exercise, caption=data["caption"]
        ),
    )
    if media:
        messages.success(request, f"{media.get_kind_display()} added to “{exercise.name}”.")
        return redirect("exercises:detail", pk=exercise.pk)
    context = {
        "form": form,
        "exercise": exercise,
        "media": exercise_media(user=request.user, exercise=exercise),
    }
    return render(request, "media/upload.html", context)


@clinician_required
def prescription_media_new(request, item_pk):
    """Filmed in clinic: a photo or video of how this patient does this exercise."""
    item = get_object_or_404(uploadable_prescriptions_for(request.user), pk=item_pk)
    access_note(request, [item.program.patient_id])
    form = MediaForm(request.POST or None, request.FILES or None, capture=True)
    media = form_submit(
        request,
        form,
        lambda data: media_upload(
            user=request.user, file=data["file"], prescribed=item, caption=data["caption"]
        ),
    )
    if media:
        messages.success(
            request,
            f"{media.get_kind_display()} added; {item.program.patient.user.full_name} sees it "
            "on their Today page.",
        )
        return redirect("media:prescription_new", item_pk=item.pk)
    context = {
        "form": form,
        "item": item,
        "patient": item.program.patient,
        "media": prescription_media(user=request.user, prescribed=item),
    }
    return render(request, "media/upload.html", context)


@clinician_required
def media_remove(request, pk):
    media = get_object_or_404(removable_media_for(request.user), pk=pk)
    _note_patient(request, media)
    back = _back(media)
    if request.method == "POST":
        media_delete(user=request.user, media=media)
        messages.success(request, f"{media.get_kind_display()} removed.")
        return redirect(back)
    context = {"media": media, "media_list": [media], "back": back}
    return render(request, "media/delete.html", context)
