"""The clinic admin's Questionnaires page: what the clinic can give, and the import of a
licensed instrument's wording, with every problem named and nothing stored on a bad file."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.outcomes.models import Questionnaire
from apps.outcomes.selectors import questionnaire_for
from tests.conftest import client_for
from tests.outcomes.test_import import _group, _worded

pytestmark = pytest.mark.django_db

URL = reverse("outcomes:definitions")


def _upload(content) -> SimpleUploadedFile:
    body = content if isinstance(content, bytes) else json.dumps(content).encode()
    return SimpleUploadedFile("ihot-12.json", body, content_type="application/json")


def test_the_page_lists_what_the_clinic_can_give(clinic_admin):
    page = client_for(clinic_admin).get(URL).content.decode()
    assert "Patient-Specific Functional Scale" in page
    assert "Structure only: import the licensed wording" in page


def test_a_clinic_admin_imports_a_licensed_copy_and_clinicians_can_give_it(clinic_admin, clinic):
    assert questionnaire_for(clinic=clinic, code="ihot-12") is None

    browser = client_for(clinic_admin)
    response = browser.post(URL, {"definition": _upload(_worded("ihot-12"))})

    assert response.status_code == 302
    imported = questionnaire_for(clinic=clinic, code="ihot-12")
    assert imported is not None
    assert imported.clinic == clinic
    page = browser.get(URL).content.decode()
    assert "can now be given to patients" in page
    assert "Imported by your clinic" in page


def test_a_wrong_structure_names_each_problem_and_stores_nothing(clinic_admin):
    # given a HAGOS copy missing P3 and with an item HAGOS does not have
    doc = _worded("hagos")
    pain, symptoms = _group(doc, "pain"), _group(doc, "symptoms")
    pain.remove(pain[2])
    symptoms.append({**symptoms[0], "linkId": "X9"})
    before = list(Questionnaire.objects.values())

    response = client_for(clinic_admin).post(URL, {"definition": _upload(doc)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "item P3 missing" in page
    assert "unknown item X9" in page
    assert list(Questionnaire.objects.values()) == before


def test_a_file_that_is_not_json_is_a_form_error(clinic_admin):
    response = client_for(clinic_admin).post(URL, {"definition": _upload(b"\x89PNG\r\n")})
    assert response.status_code == 200
    assert "not text" in response.content.decode()


@pytest.mark.parametrize("who", ["clinician", "patient", "other_clinic_clinician"])
def test_only_a_clinic_admin_reaches_the_page(request, who):
    user = request.getfixturevalue(who)
    response = client_for(getattr(user, "user", user)).get(URL)
    assert response.status_code in (403, 404)


def test_another_clinics_import_is_not_listed(clinic_admin, other_clinic_clinician):
    other_clinic = other_clinic_clinician.clinic
    Questionnaire.objects.create(
        clinic=other_clinic, code="ihot-12", version="x", title="Their iHOT", definition={}
    )
    assert "Their iHOT" not in client_for(clinic_admin).get(URL).content.decode()
