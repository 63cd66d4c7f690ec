"""No enumeration across clinics (OWASP ASVS 5.0 V8.2.2, V8.3.1; V14.2.6 no needless data).

Every write that takes a user id (the care team, in the API and in the browser forms) and the
patient email answer a stranger's id or email exactly as they answer one that belongs to no
one: nothing tells whose it is, their role, or their clinic.
"""

import re

import pytest
from django.db.models import Max
from django.urls import reverse

from apps.accounts.models import User
from tests.api.clients import as_user
from tests.conftest import client_for
from tests.factories import ClinicFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

GENERIC_CARE_TEAM_ERROR = "Pick the care team from your clinic's list."
GENERIC_EMAIL_ERROR = "This email can't be used for a new patient."

PATIENT_FIELDS = {
    "full_name": "Zed Typist",
    "date_of_birth": "1984-07-21",
    "condition": "fai",
    "diagnosis": "cam-type FAI",
    "affected_side": "right",
    "timezone": "Europe/London",
    "reminder_time": "07:30",
}


@pytest.fixture
def strangers(other_clinic_clinician, other_clinic_patient):
    """People of another clinic, one per role."""
    admin = UserFactory(
        clinic=other_clinic_clinician.clinic,
        role=User.Role.CLINIC_ADMIN,
        full_name="Barbara Boss",
        email="barbara@elsewhere.test",
    )
    return [other_clinic_clinician, admin, other_clinic_patient.user]


def _nobody_id() -> int:
    return User.objects.aggregate(top=Max("pk"))["top"] + 1000


def _api_create(clinician, patient, user_id):
    body = {**PATIENT_FIELDS, "email": "zed@example.com", "care_team": [clinician.pk, user_id]}
    return as_user(clinician).post("/api/v1/patients/", body, format="json")


def _api_patch(clinician, patient, user_id):
    body = {"care_team": [clinician.pk, user_id]}
    return as_user(clinician).patch(f"/api/v1/patients/{patient.pk}/", body, format="json")


def _form_new(clinician, patient, user_id):
    body = {**PATIENT_FIELDS, "email": "zed@example.com", "care_team": [clinician.pk, user_id]}
    return client_for(clinician).post(reverse("patients:new"), body)


def _form_edit(clinician, patient, user_id):
    body = {**PATIENT_FIELDS, "care_team": [clinician.pk, user_id]}
    return client_for(clinician).post(reverse("patients:edit", args=[patient.pk]), body)


# Every endpoint and form that takes a user id (grep care_team, *RelatedField, Model*ChoiceField).
USER_ID_WRITES = {
    "POST /api/v1/patients/": _api_create,
    "PATCH /api/v1/patients/{id}/": _api_patch,
    "browser: add a patient": _form_new,
    "browser: edit a patient": _form_edit,
}


def _body(response) -> str:
    """The answer as the client reads it, less the per-response CSRF token."""
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", response.content.decode())


def _error_text(response) -> str:
    form = getattr(response, "context", None) and response.context.get("form")
    return str(form.errors) if form else response.content.decode()


@pytest.mark.parametrize("write", USER_ID_WRITES.values(), ids=USER_ID_WRITES.keys())
def test_v8_a_user_id_of_another_clinic_is_answered_like_an_id_of_no_one(
    write, clinician, patient, strangers
):
    # given the answer for an id that belongs to no one
    nobody = write(clinician, patient, _nobody_id())
    assert nobody.status_code in (200, 400)
    assert GENERIC_CARE_TEAM_ERROR in _error_text(nobody).replace("&#x27;", "'")

    for stranger in strangers:
        # when the id of someone of another clinic is sent instead
        response = write(clinician, patient, stranger.pk)

        # then the answer is the same, byte for byte, and names nothing of theirs
        assert response.status_code == nobody.status_code
        assert _body(response) == _body(nobody)
        page = response.content.decode()
        for secret in (stranger.full_name, stranger.email, stranger.clinic.name):
            assert secret not in page
        errors = _error_text(response).lower()
        for role in (stranger.role, stranger.get_role_display().lower(), "admin"):
            assert role not in errors
    # and nothing was written
    assert list(patient.care_team.all()) == [clinician]
    assert not User.objects.filter(full_name="Zed Typist").exists()


def test_v8_the_care_team_field_offers_only_clinicians_of_the_clinic(
    clinician, colleague, clinic_admin, patient, strangers
):
    page = client_for(clinician).get(reverse("patients:new")).content.decode()

    for member in (clinician, colleague, clinic_admin):
        assert member.full_name in page
    for stranger in strangers:
        assert stranger.full_name not in page
    assert patient.user.full_name not in page


@pytest.fixture
def taken_emails(patient, other_clinic_clinician, other_clinic_patient):
    """Emails in use: by a patient of this clinic, and by people of another clinic."""
    far_away = PatientFactory(
        user__clinic=ClinicFactory(name="Faraway Physio"), user__email="faye@faraway.test"
    )
    return [
        patient.user.email,
        other_clinic_clinician.email,
        other_clinic_patient.user.email,
        far_away.user.email,
    ]


def test_v8_a_taken_email_gets_one_message_wherever_it_is_used_api(clinician, taken_emails):
    answers = []
    for email in taken_emails:
        response = as_user(clinician).post(
            "/api/v1/patients/", {**PATIENT_FIELDS, "email": email}, format="json"
        )
        assert response.status_code == 400
        answers.append(response.content)

    # one body for every clinic, and it names none
    assert set(answers) == {b'{"email":["This email can\'t be used for a new patient."]}'}


def test_v8_a_taken_email_gets_one_message_wherever_it_is_used_browser(clinician, taken_emails):
    browser = client_for(clinician)
    for email in taken_emails:
        response = browser.post(
            reverse("patients:new"), {**PATIENT_FIELDS, "email": email, "care_team": clinician.pk}
        )

        assert response.context["form"].errors == {"email": [GENERIC_EMAIL_ERROR]}
        page = response.content.decode()
        for clinic in ("Elsewhere Physio", "Faraway Physio"):
            assert clinic not in page


def test_a_deactivated_clinician_cannot_join_a_care_team(clinician, colleague, patient):
    # Given a colleague who has left the clinic
    User.objects.filter(pk=colleague.pk).update(is_active=False)

    # when the clinician looks at the choices, or sends the colleague's id anyway
    page = client_for(clinician).get(reverse("patients:new")).content.decode()
    response = as_user(clinician).patch(
        reverse("api:patient-detail", args=[patient.pk]),
        {"care_team": [clinician.pk, colleague.pk]},
        format="json",
    )

    # then the colleague is neither offered nor accepted
    assert colleague.full_name not in page
    assert response.status_code == 400
    assert response.json() == {"care_team": {"1": ["Pick the care team from your clinic's list."]}}
