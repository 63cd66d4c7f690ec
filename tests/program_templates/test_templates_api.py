"""/api/v1/program-templates/ and ``template`` on program create."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.program_templates.models import ProgramTemplate
from apps.programs.selectors import active_program
from tests.api.clients import as_user
from tests.factories import library_exercise

from .helpers import FAI_STARTER, clinic_template, starter

pytestmark = pytest.mark.django_db
URL = "/api/v1/program-templates/"


def test_a_clinician_lists_starters_and_their_clinics_templates(clinician, other_clinic_clinician):
    clinic_template(clinician, "Ours")
    clinic_template(other_clinic_clinician, "Theirs")

    names = {t["name"]: t for t in as_user(clinician).get(URL).json()["results"]}

    assert {FAI_STARTER, "Ours"} <= set(names)
    assert "Theirs" not in names
    assert names[FAI_STARTER]["starter"] is True
    assert len(names[FAI_STARTER]["items"]) == 5


def test_a_clinician_creates_renames_and_deletes_a_template(clinician):
    api = as_user(clinician)
    body = {"name": "Mine", "items": [{"exercise": library_exercise("hip-hike").pk, "sets": 2}]}

    created = api.post(URL, body, format="json")
    renamed = api.patch(f"{URL}{created.json()['id']}/", {"name": "Mine too"}, format="json")
    deleted = api.delete(f"{URL}{created.json()['id']}/")

    assert created.status_code == 201
    assert created.json()["items"][0]["dose"] == "2 × 8–10 reps"
    assert renamed.json()["name"] == "Mine too"
    assert deleted.status_code == 204
    assert not ProgramTemplate.objects.filter(name__startswith="Mine").exists()


def test_bad_input_is_a_400_with_field_messages(clinician):
    body = {"name": "", "items": [], "green_max": 5, "pain_ceiling": 3}

    response = as_user(clinician).post(URL, body, format="json")

    assert response.status_code == 400
    assert {"name", "items"} <= set(response.json())


def test_starter_templates_are_read_only(clinician):
    url = f"{URL}{starter().pk}/"

    assert as_user(clinician).patch(url, {"name": "Mine"}, format="json").status_code == 403
    assert as_user(clinician).delete(url).status_code == 403
    assert starter().name == FAI_STARTER


def test_a_stranger_cannot_see_change_or_use_our_template(
    clinician, other_clinic_clinician, other_clinic_patient
):
    ours = clinic_template(clinician, "Ours")
    stranger = as_user(other_clinic_clinician)
    today = timezone.localdate()

    assert stranger.get(f"{URL}{ours.pk}/").status_code == 404
    assert stranger.patch(f"{URL}{ours.pk}/", {"name": "x"}, format="json").status_code == 404
    assert stranger.delete(f"{URL}{ours.pk}/").status_code == 404
    used = stranger.post(
        f"/api/v1/patients/{other_clinic_patient.pk}/programs/",
        {"template": ours.pk, "start_date": str(today)},
        format="json",
    )
    assert used.status_code == 400
    assert "template" in used.json()


def test_a_patient_cannot_use_the_templates_api(patient):
    assert as_user(patient.user).get(URL).status_code == 403


def test_a_program_is_created_from_a_template_with_explicit_fields_overriding(clinician, patient):
    template = starter()
    today = timezone.localdate()

    response = as_user(clinician).post(
        f"/api/v1/patients/{patient.pk}/programs/",
        {"template": template.pk, "start_date": str(today), "sessions_per_week": 2},
        format="json",
    )

    assert response.status_code == 201, response.content
    program = active_program(patient)
    assert program.name == FAI_STARTER
    assert program.sessions_per_week == 2
    assert program.review_date == today + timedelta(weeks=template.review_weeks)
    assert [i.dose_text for i in program.items.all()] == [i.dose_text for i in template.items.all()]
    assert program.card_assignments.count() == template.cards.count()


def test_a_program_without_template_still_needs_items_and_a_review_date(clinician, patient):
    response = as_user(clinician).post(
        f"/api/v1/patients/{patient.pk}/programs/",
        {"start_date": str(timezone.localdate())},
        format="json",
    )

    assert response.status_code == 400
    assert {"items", "review_date"} <= set(response.json())


def test_a_template_exercise_with_a_caution_for_this_patient_needs_it_acknowledged(
    clinician, patient
):
    template = clinic_template(clinician, "Squats", slugs=("squat-more-range-intensity",))
    today = timezone.localdate()
    url = f"/api/v1/patients/{patient.pk}/programs/"

    refused = as_user(clinician).post(
        url, {"template": template.pk, "start_date": str(today)}, format="json"
    )
    squat = library_exercise("squat-more-range-intensity").pk
    items = [{"exercise": squat, "caution_acknowledged": True}]
    accepted = as_user(clinician).post(
        url, {"template": template.pk, "start_date": str(today), "items": items}, format="json"
    )

    assert refused.status_code == 400
    assert "caution_acknowledged" in refused.json()
    assert accepted.status_code == 201
