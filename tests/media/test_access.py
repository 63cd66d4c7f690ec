"""Media are private: only who may see the exercise or the prescription gets the file."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apps.audit.models import AuditEvent
from apps.media.services import media_upload
from apps.programs.services import program_end
from tests.conftest import client_for
from tests.factories import (
    MP4_BYTES,
    PatientFactory,
    prescription_photo,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def filmed(clinician, program):
    """A photo filmed in clinic for Pat's bridge."""
    return prescription_photo(clinician, program.items.first())


@pytest.fixture
def clinic_video(clinician, program):
    """The clinic's video of the exercise Pat is prescribed (the bridge)."""
    return media_upload(
        user=clinician,
        file=upload(MP4_BYTES, name="b.mp4", content_type="video/mp4"),
        exercise=program.items.first().exercise,
    )


def _urls(media):
    urls = [reverse("media:file", args=[media.pk]), f"/api/v1/media/{media.pk}/"]
    if media.thumbnail:
        urls.append(reverse("media:thumbnail", args=[media.pk]))
    return urls


@pytest.mark.parametrize("who", ["stranger", "other_patient", "anonymous", "colleague"])
def test_strangers_get_404_on_a_patients_media(who, filmed, request):
    # given Pat's photo, and someone who is not Pat nor on Pat's care team
    users = {
        "stranger": "other_clinic_clinician",  # a clinician of another clinic
        "other_patient": "other_patient",  # a patient of another clinician
        "colleague": "colleague",  # same clinic, not on Pat's care team
    }
    if who == "anonymous":
        http = Client()
    else:
        user = request.getfixturevalue(users[who])
        http = client_for(getattr(user, "user", user))

    # then every way to the photo is a 404 (the API asks a visitor to sign in first), and
    # nothing is logged as seen
    api = 401 if who == "anonymous" else 404
    assert [http.get(url).status_code for url in _urls(filmed)] == [404, api, 404]
    assert not AuditEvent.objects.filter(kind="access").exists()


def test_the_patient_and_their_clinician_see_the_photo(filmed, patient, clinician):
    for user in (patient.user, clinician):
        http = client_for(user)
        assert [http.get(url).status_code for url in _urls(filmed)] == [200, 200, 200]


def test_a_photo_is_served_privately_with_its_type(filmed, patient_client):
    response = patient_client.get(reverse("media:file", args=[filmed.pk]))

    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'inline; filename="greenlight-media-{filmed.pk}.jpg"'
    )
    assert b"".join(response.streaming_content) == filmed.file.open("rb").read()


def test_reading_a_patients_photo_is_in_the_access_log(filmed, patient, clinician):
    client_for(clinician).get(reverse("media:file", args=[filmed.pk]))

    row = AuditEvent.objects.get(kind="access")
    assert (row.user_id, row.patient_ids, row.route) == (clinician.pk, [patient.pk], "media:file")
    # the patient reads it in words on "Who viewed my record"
    assert row.what() == "Photo or video filmed in clinic"


def test_the_stored_file_is_not_reachable_by_its_storage_path(filmed, patient_client):
    assert patient_client.get("/" + filmed.file.name).status_code == 404
    assert patient_client.get("/media/" + filmed.file.name).status_code == 404


@pytest.mark.parametrize("who", ["other_clinic_clinician", "other_clinic_patient"])
def test_another_clinic_never_sees_our_clinics_media(who, clinic_video, request):
    user = request.getfixturevalue(who)
    http = client_for(getattr(user, "user", user))
    assert http.get(reverse("media:file", args=[clinic_video.pk])).status_code == 404


def test_clinic_media_reach_patients_prescribed_that_exercise_only(
    clinic_video, patient, other_patient, colleague
):
    url = reverse("media:file", args=[clinic_video.pk])
    # Pat is prescribed the bridge; Olive, of the same clinic, is not
    assert client_for(patient.user).get(url).status_code == 200
    assert client_for(other_patient.user).get(url).status_code == 404
    # every clinician of the clinic sees its exercise media
    assert client_for(colleague).get(url).status_code == 200
    # reading clinic media is no read of a patient's record
    assert not AuditEvent.objects.filter(kind="access").exists()


def test_an_ended_prescription_stops_showing_the_clinics_media_to_the_patient(
    clinic_video, patient, program, clinician
):
    program_end(clinician=clinician, program=program, reason="Goals met")
    url = reverse("media:file", args=[clinic_video.pk])
    assert client_for(patient.user).get(url).status_code == 404


def test_an_admin_sees_a_patients_media_only_through_the_care_team(
    filmed, clinic_admin, patient, clinician
):
    url = reverse("media:file", args=[filmed.pk])
    assert client_for(clinic_admin).get(url).status_code == 404
    patient.care_team.add(clinic_admin)
    assert client_for(clinic_admin).get(url).status_code == 200


def test_a_video_has_no_thumbnail(clinic_video, clinician_client):
    response = clinician_client.get(reverse("media:thumbnail", args=[clinic_video.pk]))
    assert response.status_code == 404


class TestRanges:
    """Browsers seek in a video by asking for byte ranges."""

    def test_a_range_gets_206_with_those_bytes(self, clinic_video, patient_client):
        url = reverse("media:file", args=[clinic_video.pk])
        response = patient_client.get(url, HTTP_RANGE="bytes=4-11")

        assert response.status_code == 206
        assert b"".join(response.streaming_content) == MP4_BYTES[4:12] == b"ftypmp42"
        assert response["Content-Range"] == f"bytes 4-11/{len(MP4_BYTES)}"
        assert response["Content-Length"] == "8"
        assert response["Content-Type"] == "video/mp4"
        assert response["Cache-Control"] == "private, no-store"

    def test_an_open_range_and_a_suffix(self, clinic_video, patient_client):
        url = reverse("media:file", args=[clinic_video.pk])
        size = len(MP4_BYTES)
        tail = patient_client.get(url, HTTP_RANGE="bytes=-10")
        rest = patient_client.get(url, HTTP_RANGE=f"bytes={size - 3}-")

        assert b"".join(tail.streaming_content) == MP4_BYTES[-10:]
        assert tail["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
        assert b"".join(rest.streaming_content) == MP4_BYTES[-3:]

    def test_a_range_past_the_end_is_416(self, clinic_video, patient_client):
        url = reverse("media:file", args=[clinic_video.pk])
        response = patient_client.get(url, HTTP_RANGE="bytes=999999-")

        assert response.status_code == 416
        assert response["Content-Range"] == f"bytes */{len(MP4_BYTES)}"

    def test_no_range_or_several_ranges_get_the_whole_file(self, clinic_video, patient_client):
        url = reverse("media:file", args=[clinic_video.pk])
        for header in ({}, {"HTTP_RANGE": "bytes=0-1,4-5"}):
            response = patient_client.get(url, **header)
            assert response.status_code == 200
            assert response["Accept-Ranges"] == "bytes"
            assert b"".join(response.streaming_content) == MP4_BYTES

    def test_a_stranger_asking_for_a_range_still_gets_404(self, clinic_video, other_patient):
        url = reverse("media:file", args=[clinic_video.pk])
        response = client_for(other_patient.user).get(url, HTTP_RANGE="bytes=0-10")
        assert response.status_code == 404


def test_the_patient_of_another_clinician_cannot_list_or_read_media_in_the_api(
    filmed, program, other_patient
):
    api = APIClient()
    api.force_authenticate(other_patient.user)
    item = program.items.first()
    assert api.get(f"/api/v1/prescriptions/{item.pk}/media/").status_code == 404
    assert api.get(f"/api/v1/media/{filmed.pk}/").status_code == 404


def test_a_new_patient_of_the_same_clinic_sees_nothing_of_pats(filmed, clinic):
    newcomer = PatientFactory(user__clinic=clinic)
    http = client_for(newcomer.user)
    assert http.get(reverse("media:file", args=[filmed.pk])).status_code == 404
