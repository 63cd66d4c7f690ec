"""The media API: the same services and scoping as the pages."""

import pytest
from rest_framework.test import APIClient

from apps.media.models import ExerciseMedia
from tests.factories import MP4_BYTES, image_bytes, library_exercise, prescription_photo, upload

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_clinician_uploads_and_lists_a_prescriptions_media(clinician, patient, program):
    item = program.items.first()
    api = _api(clinician)

    created = api.post(
        f"/api/v1/prescriptions/{item.pk}/media/",
        {
            "file": upload(MP4_BYTES, name="clip.mov", content_type="video/quicktime"),
            "caption": "x",
        },
        format="multipart",
    )
    listed = api.get(f"/api/v1/prescriptions/{item.pk}/media/")
    theirs = _api(patient.user).get(f"/api/v1/prescriptions/{item.pk}/media/")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == "video"
    assert body["content_type"] == "video/mp4"
    assert body["url"] == f"/media/{body['id']}/"
    assert body["thumbnail_url"] is None
    assert body["prescribed"] == item.pk
    assert body["exercise"] is None
    assert [m["id"] for m in listed.json()["results"]] == [body["id"]]
    assert [m["id"] for m in theirs.json()["results"]] == [body["id"]]


def test_the_exercise_media_list_holds_only_the_callers_clinics(clinician, other_clinic_clinician):
    exercise = library_exercise()
    ours = _api(clinician).post(
        f"/api/v1/exercises/{exercise.pk}/media/",
        {"file": upload(image_bytes("PNG"), name="a.png")},
        format="multipart",
    )
    theirs = _api(other_clinic_clinician).get(f"/api/v1/exercises/{exercise.pk}/media/")

    assert ours.status_code == 201
    assert ours.json()["thumbnail_url"] == f"/media/{ours.json()['id']}/thumbnail/"
    assert theirs.json()["results"] == []


def test_a_patient_reads_but_cannot_delete(clinician, patient, program):
    media = prescription_photo(clinician, program.items.first())
    api = _api(patient.user)

    assert api.get(f"/api/v1/media/{media.pk}/").json()["caption"] == "Knee over the toes"
    assert api.delete(f"/api/v1/media/{media.pk}/").status_code == 403
    assert ExerciseMedia.objects.filter(pk=media.pk).exists()


def test_a_clinician_deletes(clinician, program, django_capture_on_commit_callbacks):
    media = prescription_photo(clinician, program.items.first())
    name = media.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = _api(clinician).delete(f"/api/v1/media/{media.pk}/")

    assert response.status_code == 204
    assert not ExerciseMedia.objects.exists()
    assert not media.file.storage.exists(name)


def test_a_missing_file_is_a_400_with_its_field(clinician):
    exercise = library_exercise()
    response = _api(clinician).post(
        f"/api/v1/exercises/{exercise.pk}/media/", {"caption": "no file"}, format="multipart"
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_a_stranger_gets_404_on_the_prescription_and_the_media(
    clinician, program, other_clinic_clinician
):
    item = program.items.first()
    media = prescription_photo(clinician, item)
    api = _api(other_clinic_clinician)
    assert api.get(f"/api/v1/prescriptions/{item.pk}/media/").status_code == 404
    assert api.get(f"/api/v1/media/{media.pk}/").status_code == 404
    assert api.delete(f"/api/v1/media/{media.pk}/").status_code == 404
    upload_response = api.post(
        f"/api/v1/prescriptions/{item.pk}/media/",
        {"file": upload(image_bytes())},
        format="multipart",
    )
    assert upload_response.status_code == 404
