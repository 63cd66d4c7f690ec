"""Where clinicians add photos and videos, and where clinicians and patients see them."""

import os

import pytest
from django.urls import reverse

from apps.media.models import ExerciseMedia
from apps.media.services import media_upload
from tests.conftest import client_for
from tests.factories import MP4_BYTES, image_bytes, library_exercise, prescription_photo, upload

pytestmark = pytest.mark.django_db

ACCEPT = 'accept="image/jpeg,image/png,image/webp,video/mp4,video/quicktime,video/webm"'


def test_the_exercise_page_has_an_upload_form_for_clinicians(clinician_client):
    exercise = library_exercise()
    html = clinician_client.get(reverse("exercises:detail", args=[exercise.pk])).content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert f'action="{reverse("media:exercise_new", args=[exercise.pk])}"' in html
    assert ACCEPT in html
    assert "capture=" not in html  # the library's media come from any file, not the camera


def test_a_clinician_adds_a_photo_and_sees_it_on_the_exercise_page(clinician_client):
    exercise = library_exercise()
    response = clinician_client.post(
        reverse("media:exercise_new", args=[exercise.pk]),
        {"file": upload(image_bytes()), "caption": "Hips level at the top"},
        follow=True,
    )

    media = ExerciseMedia.objects.get()
    html = response.content.decode()
    assert (media.exercise, media.caption) == (exercise, "Hips level at the top")
    assert f'src="{reverse("media:thumbnail", args=[media.pk])}"' in html
    assert 'alt="Hips level at the top"' in html
    assert "Photo added" in html


def test_a_patient_sees_no_upload_form_on_an_exercise(patient_client, program):
    exercise = program.items.first().exercise
    html = patient_client.get(reverse("exercises:detail", args=[exercise.pk])).content.decode()
    assert "multipart/form-data" not in html
    assert patient_client.get(reverse("media:exercise_new", args=[exercise.pk])).status_code == 403


def test_the_patient_page_leads_to_filming_each_prescribed_exercise(
    patient, program, clinician_client
):
    html = clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    for item in program.items.all():
        assert f'href="{reverse("media:prescription_new", args=[item.pk])}"' in html
    assert html.count("Add a photo or video") == 2


def test_the_filmed_in_clinic_form_opens_the_camera(program, clinician_client):
    item = program.items.first()
    html = clinician_client.get(reverse("media:prescription_new", args=[item.pk])).content.decode()
    assert 'capture="environment"' in html
    assert ACCEPT in html
    assert "Pat Quennell" in html


def test_a_stranger_cannot_open_the_filming_page(program, other_clinic_clinician, colleague):
    url = reverse("media:prescription_new", args=[program.items.first().pk])
    assert client_for(other_clinic_clinician).get(url).status_code == 404
    assert client_for(colleague).get(url).status_code == 404


def test_a_clinician_films_an_exercise_for_a_patient(program, clinician, clinician_client):
    item = program.items.first()
    url = reverse("media:prescription_new", args=[item.pk])
    response = clinician_client.post(
        url,
        {"file": upload(MP4_BYTES, name="IMG_0001.MOV", content_type="video/quicktime")},
        follow=True,
    )

    media = ExerciseMedia.objects.get()
    html = response.content.decode()
    assert (media.prescribed, media.kind, media.uploaded_by) == (item, "video", clinician)
    assert f'src="{reverse("media:file", args=[media.pk])}"' in html
    assert 'preload="metadata"' in html


def test_today_shows_each_exercises_own_media_then_the_clinics(
    clinician, patient, program, patient_client, other_clinic_clinician
):
    # given a photo filmed for Pat's bridge, the clinic's video of the bridge, the clinic's
    # photo of an exercise Pat is not prescribed, and another clinic's photo of the bridge
    bridge, plank = program.items.all()
    own = prescription_photo(clinician, bridge, caption="Your knees in clinic")
    video = media_upload(
        user=clinician,
        file=upload(MP4_BYTES, name="v.mp4", content_type="video/mp4"),
        exercise=bridge.exercise,
        caption="Bridge from the side",
    )
    unrelated = media_upload(
        user=clinician, file=upload(image_bytes()), exercise=library_exercise("hip-hike")
    )
    foreign = media_upload(
        user=other_clinic_clinician, file=upload(image_bytes()), exercise=bridge.exercise
    )

    html = patient_client.get(reverse("painlogs:today")).content.decode()

    # then the bridge's card shows Pat's photo, then the clinic's video; nothing else
    card = html[html.index(f'id="ex-{bridge.pk}-title"') : html.index(f'id="ex-{plank.pk}-title"')]
    assert card.index("Your knees in clinic") < card.index("Bridge from the side")
    assert f'src="{reverse("media:file", args=[video.pk])}"' in card
    assert "controls" in card
    assert "playsinline" in card
    assert f'src="{reverse("media:thumbnail", args=[own.pk])}"' in card
    for hidden in (unrelated, foreign):
        assert reverse("media:file", args=[hidden.pk]) not in html
    assert "Remove" not in html


def test_removing_asks_first_then_deletes_the_files(
    program, clinician, clinician_client, django_capture_on_commit_callbacks
):
    media = prescription_photo(clinician, program.items.first())
    url = reverse("media:remove", args=[media.pk])
    stored = media.file.path, media.thumbnail.path

    confirm = clinician_client.get(url)
    assert confirm.status_code == 200
    assert "Remove this photo?" in confirm.content.decode()
    assert ExerciseMedia.objects.filter(pk=media.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = clinician_client.post(url)

    assert done.status_code == 302
    assert done["Location"] == reverse("media:prescription_new", args=[media.prescribed_id])
    assert not ExerciseMedia.objects.filter(pk=media.pk).exists()
    assert not any(os.path.exists(path) for path in stored)


def test_patients_and_strangers_cannot_remove(program, clinician, patient, other_clinic_clinician):
    media = prescription_photo(clinician, program.items.first())
    url = reverse("media:remove", args=[media.pk])
    assert client_for(patient.user).post(url).status_code == 403
    assert client_for(other_clinic_clinician).post(url).status_code == 404
    assert ExerciseMedia.objects.filter(pk=media.pk).exists()
