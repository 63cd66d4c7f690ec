"""Starting a new program in the builder from a template or from another patient's program."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.care.models import EducationCard
from apps.care.services import program_cards_set
from apps.programs.selectors import active_program
from apps.programs.services import ItemInput, program_assign
from tests.conftest import client_for
from tests.factories import PatientFactory, library_exercise

from .helpers import clinic_template, starter

pytestmark = pytest.mark.django_db


def _new(patient, **query):
    url = reverse("programs:new", args=[patient.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _rows(page: str) -> dict[str, str]:
    """The builder's row fields and management form as the browser would post them back."""
    data = dict(re.findall(r'name="(items-[\dA-Z_]+-?[a-z_]*)"[^>]*value="([^"]*)"', page))
    selects = re.findall(r'<select name="(items-\d+-exercise)"[^>]*>(.*?)</select>', page, re.S)
    for name, select in selects:
        chosen = re.search(r'<option value="(\d+)" selected>', select)
        data[name] = chosen.group(1) if chosen else ""
    return data


def _post_data(page: str) -> dict:
    today = timezone.localdate()
    data = {
        "name": re.search(r'name="name"[^>]*value="([^"]*)"', page).group(1),
        "sessions_per_week": re.search(r'name="sessions_per_week"[^>]*value="(\d+)"', page).group(
            1
        ),
        "pain_ceiling": re.search(r'name="pain_ceiling"[^>]*value="(\d+)"', page).group(1),
        "green_max": re.search(r'name="green_max"[^>]*value="(\d+)"', page).group(1),
        "start_date": str(today),
        "review_date": str(today + timedelta(weeks=4)),
        **_rows(page),
    }
    return data


def test_a_starter_template_prefills_every_row_with_its_doses(clinician_client, patient):
    template = starter()

    page = clinician_client.get(_new(patient, template=template.pk)).content.decode()

    rows = _rows(page)
    for n, item in enumerate(template.items.all()):
        assert rows[f"items-{n}-exercise"] == str(item.exercise_id)
        assert rows[f"items-{n}-sets"] == str(item.sets)
        assert rows[f"items-{n}-target_high"] == str(item.target_high)
    assert 'value="Hip strength, phase 1 (FAI)"' in page
    assert "Started from the template “Hip strength, phase 1 (FAI)”" in page


def test_saving_a_templated_program_keeps_its_doses_and_attaches_its_cards(
    clinician_client, patient
):
    template = starter()
    page = clinician_client.get(_new(patient, template=template.pk)).content.decode()

    response = clinician_client.post(
        _new(patient, template=template.pk), _post_data(page), follow=True
    )

    program = active_program(patient)
    assert [(i.exercise_id, i.dose_text) for i in program.items.all()] == [
        (i.exercise_id, i.dose_text) for i in template.items.all()
    ]
    cards = set(program.card_assignments.values_list("card_id", flat=True))
    assert cards == set(template.cards.values_list("pk", flat=True))
    assert cards
    assert "2 education cards from the start attached" in response.content.decode()


def test_another_clinics_template_is_not_found(clinician_client, patient, other_clinic_clinician):
    theirs = clinic_template(other_clinic_clinician)

    assert clinician_client.get(_new(patient, template=theirs.pk)).status_code == 404
    assert clinician_client.get(_new(patient, template="abc")).status_code == 404


def test_a_program_of_a_patient_i_do_not_treat_is_not_found(
    clinician_client, patient, other_patient, colleague
):
    today = timezone.localdate()
    theirs = program_assign(
        clinician=colleague,
        patient=other_patient,
        start_date=today,
        review_date=today + timedelta(days=28),
        items=[ItemInput(exercise=library_exercise("hip-hike"))],
    )

    assert clinician_client.get(_new(patient, from_program=theirs.pk)).status_code == 404


def test_another_patients_program_starts_the_new_one_but_cautions_are_asked_again(
    clinician, clinician_client, patient
):
    other = PatientFactory(user__clinic=clinician.clinic, care_team=[clinician])
    today = timezone.localdate()
    squat = library_exercise("squat-more-range-intensity")  # deep flexion: a caution for FAI
    source = program_assign(
        clinician=clinician,
        patient=other,
        name="Squat block",
        start_date=today,
        review_date=today + timedelta(days=28),
        items=[ItemInput(exercise=squat, sets=2, caution_acknowledged=True)],
    )
    card = EducationCard.objects.get(slug="when-it-flares")
    program_cards_set(clinician=clinician, program=source, cards=[card])

    page = clinician_client.get(_new(patient, from_program=source.pk)).content.decode()
    response = clinician_client.post(_new(patient, from_program=source.pk), _post_data(page))

    assert _rows(page)["items-0-exercise"] == str(squat.pk)
    assert "I have considered this caution" in response.content.decode()
    assert active_program(patient) is None  # not saved until the caution is acknowledged
    data = {**_post_data(page), "items-0-caution_acknowledged": "on"}
    clinician_client.post(_new(patient, from_program=source.pk), data)
    program = active_program(patient)
    assert program.name == "Squat block"
    assert program.items.get().sets == 2
    assert list(program.card_assignments.values_list("card__slug", flat=True)) == ["when-it-flares"]


def test_a_stranger_cannot_start_from_our_template_or_program(
    clinician, patient, program, other_clinic_clinician, other_clinic_patient
):
    ours = clinic_template(clinician)
    stranger = client_for(other_clinic_clinician)

    assert stranger.get(_new(other_clinic_patient, template=ours.pk)).status_code == 404
    assert stranger.get(_new(other_clinic_patient, from_program=program.pk)).status_code == 404


def test_the_prefilled_builder_costs_no_query_per_row(clinician, clinician_client, patient):
    small = clinic_template(clinician, "Two", slugs=("hip-hike", "side-plank-knee"))
    big = clinic_template(
        clinician,
        "Six",
        slugs=(
            "hip-hike",
            "side-plank-knee",
            "banded-bridge-knees-out",
            "weighted-bridge-hip-thrust",
            "standing-banded-hip-abduction",
            "marching-hands-overhead",
        ),
    )

    def queries(template):
        with CaptureQueriesContext(connection) as captured:
            assert clinician_client.get(_new(patient, template=template.pk)).status_code == 200
        return len(captured)

    queries(small)  # warm the per-process caches (sessions, illustrations)
    assert queries(big) == queries(small)
