"""A patient's erasure reaches the photos and videos filmed for them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.history.models import ExerciseMediaEvent
from apps.media.models import ExerciseMedia
from apps.records.erasure import erasures_purge, patient_erase
from apps.records.models import ErasureRequest
from tests.factories import prescription_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def erased(clinician, clinic_admin, patient, program):
    photo = prescription_photo(clinician, program.items.first(), caption="Pat at home, Elm St")
    patient_erase(admin=clinic_admin, patient=patient, received_on=timezone.localdate())
    return photo


def test_erasure_clears_the_caption_and_keeps_the_file_for_the_retention(erased):
    photo = ExerciseMedia.objects.get(pk=erased.pk)
    assert photo.caption == ""
    assert photo.file.storage.exists(photo.file.name)


def test_the_purge_deletes_the_rows_and_their_files(erased, django_capture_on_commit_callbacks):
    names = [erased.file.name, erased.thumbnail.name]
    request = ErasureRequest.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        assert erasures_purge(now=request.delete_after + timedelta(seconds=1)) == 1

    assert not ExerciseMedia.objects.filter(pk=erased.pk).exists()
    assert not any(erased.file.storage.exists(name) for name in names)


def test_the_purge_deletes_their_history_too(postgres, erased):
    assert ExerciseMediaEvent.objects.filter(pgh_obj_id=erased.pk).exists()
    request = ErasureRequest.objects.get()

    erasures_purge(now=request.delete_after + timedelta(seconds=1))

    assert not ExerciseMediaEvent.objects.filter(pgh_obj_id=erased.pk).exists()
