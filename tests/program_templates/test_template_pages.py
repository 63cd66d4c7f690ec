"""The clinician's template pages: the list, rename and delete, and "Save as template"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.program_templates.models import ProgramTemplate
from tests.api.clients import as_user
from tests.conftest import client_for

from .helpers import FAI_STARTER, clinic_template, starter

pytestmark = pytest.mark.django_db


def test_the_list_shows_starters_and_our_own_but_not_another_clinics(
    clinician, clinician_client, other_clinic_clinician
):
    clinic_template(clinician, "Ours")
    clinic_template(other_clinic_clinician, "Theirs")

    page = clinician_client.get(reverse("program_templates:list")).content.decode()

    assert FAI_STARTER in page
    assert "Ours" in page
    assert "Theirs" not in page
    assert "Side-lying hip adduction lift: 3 × 8–10 reps, hold 2 s at the top" in page


def test_a_patient_cannot_open_the_templates(patient_client):
    assert patient_client.get(reverse("program_templates:list")).status_code == 403


def test_a_clinic_template_is_renamed_and_deleted(clinician, clinician_client):
    template = clinic_template(clinician, "Ours")

    clinician_client.post(
        reverse("program_templates:edit", args=[template.pk]),
        {"name": "Ours, renamed", "description": "After the first review."},
    )
    template.refresh_from_db()
    assert template.name == "Ours, renamed"
    clinician_client.post(reverse("program_templates:delete", args=[template.pk]))
    assert not ProgramTemplate.objects.filter(pk=template.pk).exists()


def test_a_name_already_taken_is_refused_with_the_typing_kept(clinician, clinician_client):
    clinic_template(clinician, "Taken")
    template = clinic_template(clinician, "Other")

    response = clinician_client.post(
        reverse("program_templates:edit", args=[template.pk]),
        {"name": "Taken", "description": "Kept while I fix the name"},
    )

    assert "already has a template with this name" in response.content.decode()
    assert "Kept while I fix the name" in response.content.decode()


def test_starter_templates_cannot_be_edited_or_deleted(clinician_client):
    template = starter()

    edit = clinician_client.get(reverse("program_templates:edit", args=[template.pk]))
    delete = clinician_client.post(reverse("program_templates:delete", args=[template.pk]))

    assert (edit.status_code, delete.status_code) == (404, 404)
    assert ProgramTemplate.objects.filter(pk=template.pk).exists()


def test_a_stranger_cannot_edit_or_delete_our_template(clinician, other_clinic_clinician):
    template = clinic_template(clinician, "Ours")
    stranger = client_for(other_clinic_clinician)

    assert stranger.get(reverse("program_templates:edit", args=[template.pk])).status_code == 404
    delete = stranger.post(reverse("program_templates:delete", args=[template.pk]))
    assert delete.status_code == 404
    assert ProgramTemplate.objects.filter(pk=template.pk).exists()


def test_a_program_is_saved_as_a_clinic_template_without_the_patient(
    clinician, clinician_client, program, patient
):
    url = reverse("program_templates:from_program", args=[program.pk])
    assert (
        "Save as template"
        in clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    )

    clinician_client.post(url, {"name": "Bridge and plank"})

    template = ProgramTemplate.objects.get(name="Bridge and plank")
    assert template.clinic == clinician.clinic
    assert template.condition == patient.condition
    assert [(i.exercise_id, i.dose_text) for i in template.items.all()] == [
        (i.exercise_id, i.dose_text) for i in program.items.all()
    ]


def test_a_stranger_cannot_save_our_patients_program_as_a_template(program, other_clinic_clinician):
    stranger = client_for(other_clinic_clinician)
    url = reverse("program_templates:from_program", args=[program.pk])

    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"name": "Stolen"}).status_code == 404
    assert not ProgramTemplate.objects.filter(name="Stolen").exists()


def test_the_list_costs_no_query_per_template(clinician, clinician_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert clinician_client.get(reverse("program_templates:list")).status_code == 200
        api = as_user(clinician)
        with CaptureQueriesContext(connection) as captured_api:
            assert api.get("/api/v1/program-templates/").status_code == 200
        return len(captured), len(captured_api)

    clinic_template(clinician, "One")
    before = queries()
    for n in range(5):
        clinic_template(clinician, f"More {n}", slugs=("hip-hike", "side-plank-knee", "hip-hike"))

    assert queries() == before
