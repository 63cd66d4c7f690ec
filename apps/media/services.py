from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction

from apps.accounts.models import User
from apps.common.services import model_validate_and_save, require
from apps.exercises.models import Exercise
from apps.programs.models import PrescribedExercise

from .models import ExerciseMedia, stored_name
from .processing import IMAGE_TYPES, detected_type, image_clean

MB = 1024 * 1024


def _size_check(size: int, kind: str) -> None:
    limit_mb = settings.MEDIA_IMAGE_MAX_MB if kind == "image" else settings.MEDIA_VIDEO_MAX_MB
    if size > limit_mb * MB:
        noun = "photo" if kind == "image" else "video"
        raise ValidationError(
            {"file": f"This {noun} is {size / MB:.1f} MB; the limit is {limit_mb} MB."}
        )


def _upload_size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, 2)
        file.seek(0)
    return int(size)


def _clinic_of(
    *, user: User, exercise: Exercise | None, prescribed: PrescribedExercise | None
) -> int:
    """The clinic the media belong to; the caller has already found the target in the user's
    scope (selectors), this refuses what no clinician of the clinic may attach to."""
    require(
        user.is_clinician and user.clinic_id is not None,
        "Only a clinic's clinicians can add photos and videos.",
    )
    require(
        (exercise is None) != (prescribed is None),
        "Attach it to an exercise or to one prescribed exercise.",
    )
    if exercise is not None:
        require(
            exercise.clinic_id in (None, user.clinic_id),
            "Only this clinic's own or library exercises take its media.",
        )
    if prescribed is not None:
        require(
            prescribed.program.patient.clinic_id == user.clinic_id,
            "Only the patient's own clinic can film their exercises.",
        )
    return int(user.clinic_id)  # type: ignore[arg-type]  # required above


@transaction.atomic
def media_upload(
    *,
    user: User,
    file: IO[bytes],
    exercise: Exercise | None = None,
    prescribed: PrescribedExercise | None = None,
    caption: str = "",
) -> ExerciseMedia:
    """Store a photo or video checked by its content, within the size limits; a photo is
    re-encoded without its metadata (EXIF GPS and all) and gets a thumbnail."""
    clinic_id = _clinic_of(user=user, exercise=exercise, prescribed=prescribed)
    content_type = detected_type(file)
    kind = "image" if content_type in IMAGE_TYPES else "video"
    size = _upload_size(file)
    _size_check(size, kind)
    media = ExerciseMedia(
        clinic_id=clinic_id,
        exercise=exercise,
        prescribed=prescribed,
        kind=kind,
        content_type=content_type,
        caption=caption.strip(),
        uploaded_by=user,
    )
    if kind == "image":
        clean = image_clean(file, content_type)
        media.file.save(stored_name(content_type), ContentFile(clean.data), save=False)
        thumb_name = stored_name(content_type, folder="media/thumbnails")
        media.thumbnail.save(thumb_name, ContentFile(clean.thumbnail), save=False)
        media.size = len(clean.data)
    else:
        file.seek(0)
        media.file.save(stored_name(content_type), File(file), save=False)
        media.size = size
    # A refused row must not leave its files behind in storage.
    try:
        return model_validate_and_save(media)
    except Exception:
        _files_delete(media)
        raise


def _files_delete(media: ExerciseMedia) -> None:
    for field in (media.file, media.thumbnail):
        if field:
            field.storage.delete(str(field.name))


@transaction.atomic
def media_delete(*, user: User, media: ExerciseMedia) -> None:
    """Remove it and its files; the files go once the row's deletion is committed."""
    require(
        user.is_clinician and user.clinic_id == media.clinic_id,
        "Only the clinic's clinicians can remove its photos and videos.",
    )
    files = [(f.storage, str(f.name)) for f in (media.file, media.thumbnail) if f]
    media.delete()

    def files_delete() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(files_delete)
