"""Every API operation × every role, with the status each must get.

The operations come from the OpenAPI schema itself: an endpoint added without an entry in
EXPECTED fails ``test_every_operation_has_an_entry``.
"""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.accounts.mfa import mfa_ticket_issue
from apps.exercises.models import Progression
from apps.outcomes.models import Questionnaire, QuestionnaireSchedule
from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import response_answer, response_open
from apps.painlogs.services import ResultInput, activity_log, workout_log
from apps.program_templates.services import template_from_program
from tests.factories import (
    PASSWORD,
    image_bytes,
    library_exercise,
    prescription_photo,
    totp_code,
    totp_enrol,
    upload,
)

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "patient", "other_patient", "clinician", "stranger"]
_unique = count()


def _statuses(anonymous, patient, other_patient, clinician, stranger):
    return dict(zip(ROLES, (anonymous, patient, other_patient, clinician, stranger), strict=True))


READ_ALL = _statuses(401, 200, 200, 200, 200)
READ_OWN = _statuses(401, 200, 404, 200, 404)  # the patient and their care team only

EXPECTED = {
    ("GET", "/api/v1/activities/"): READ_ALL,
    ("POST", "/api/v1/activities/"): _statuses(401, 201, 201, 403, 403),
    ("GET", "/api/v1/activities/{id}/"): READ_OWN,
    ("POST", "/api/v1/auth/logout/"): _statuses(401, 204, 204, 204, 204),
    # unknown: 401; patients get the token; clinicians (enrolled) are asked for their code
    ("POST", "/api/v1/auth/token/"): _statuses(401, 201, 201, 200, 200),
    # a code with the first step's ticket: patients have no second factor, a bad ticket is 401
    ("POST", "/api/v1/auth/token/mfa/"): _statuses(401, 401, 401, 201, 201),
    ("GET", "/api/v1/auth/tokens/"): READ_ALL,
    # revoking our patient's token: only the patient themselves
    ("DELETE", "/api/v1/auth/tokens/{token_key}/"): _statuses(401, 204, 404, 404, 404),
    ("GET", "/api/v1/exercises/"): READ_ALL,
    ("POST", "/api/v1/exercises/"): _statuses(401, 403, 403, 201, 201),
    ("GET", "/api/v1/exercises/{id}/"): READ_ALL,
    ("GET", "/api/v1/me/"): READ_ALL,
    # one's own record: a clinician has none, so nothing to export
    ("GET", "/api/v1/me/export/"): _statuses(401, 200, 200, 404, 404),
    ("GET", "/api/v1/patients/"): READ_ALL,
    ("POST", "/api/v1/patients/"): _statuses(401, 403, 403, 201, 201),
    ("GET", "/api/v1/patients/{patient_pk}/programs/"): READ_OWN,
    ("POST", "/api/v1/patients/{patient_pk}/programs/"): _statuses(401, 403, 404, 201, 404),
    ("GET", "/api/v1/patients/{id}/"): READ_OWN,
    ("PATCH", "/api/v1/patients/{id}/"): _statuses(401, 403, 404, 200, 404),
    ("GET", "/api/v1/patients/{id}/trend/"): READ_OWN,
    ("GET", "/api/v1/patients/{id}/status/"): READ_OWN,
    # a clinician's own patients (none, for a stranger); a clinician's page, as in the browser
    ("GET", "/api/v1/triage/"): _statuses(401, 403, 403, 200, 200),
    ("GET", "/api/v1/patients/{id}/export/"): READ_OWN,
    ("GET", "/api/v1/patients/{id}/fhir/"): READ_OWN,
    # a shipped definition: every clinic's (a clinic's imported copy is its own, tests/interop)
    ("GET", "/api/v1/fhir/Questionnaire/{id}"): READ_ALL,
    # who saw the record: the care team and clinic admins; the patient has /me/record-views/
    ("GET", "/api/v1/patients/{id}/audit/"): _statuses(401, 404, 404, 200, 404),
    # break-glass is a clinic admin's alone (tests/audit/test_emergency_access.py)
    ("POST", "/api/v1/patients/{id}/emergency-access/"): _statuses(401, 403, 403, 403, 403),
    ("GET", "/api/v1/patients/{patient_pk}/messages/"): READ_OWN,
    ("POST", "/api/v1/patients/{patient_pk}/messages/"): _statuses(401, 201, 404, 201, 404),
    ("POST", "/api/v1/patients/{patient_pk}/messages/read/"): _statuses(401, 200, 404, 200, 404),
    # the care team's clinician; the rule says hold on this history, so there is nothing to apply
    ("POST", "/api/v1/prescriptions/{id}/apply/"): _statuses(401, 403, 404, 400, 404),
    ("GET", "/api/v1/programs/{id}/"): READ_OWN,
    ("PATCH", "/api/v1/programs/{id}/"): _statuses(401, 403, 404, 200, 404),
    # clinicians only; a clinic's own template is its clinic's (the starters are everyone's)
    ("GET", "/api/v1/program-templates/"): _statuses(401, 403, 403, 200, 200),
    ("POST", "/api/v1/program-templates/"): _statuses(401, 403, 403, 201, 201),
    ("GET", "/api/v1/program-templates/{id}/"): _statuses(401, 403, 403, 200, 404),
    ("PATCH", "/api/v1/program-templates/{id}/"): _statuses(401, 403, 403, 200, 404),
    ("DELETE", "/api/v1/program-templates/{id}/"): _statuses(401, 403, 403, 204, 404),
    ("GET", "/api/v1/progressions/"): READ_ALL,
    ("GET", "/api/v1/progressions/{id}/"): READ_ALL,
    ("GET", "/api/v1/workouts/"): READ_ALL,
    # another patient cannot name our patient's prescribed exercises: a 400, nothing logged
    ("POST", "/api/v1/workouts/"): _statuses(401, 201, 400, 403, 403),
    ("GET", "/api/v1/workouts/{id}/"): READ_OWN,
    ("POST", "/api/v1/workouts/{id}/followup/"): _statuses(401, 200, 404, 403, 404),
    # a library exercise: each caller lists their own clinic's media of it (patients those of
    # exercises they are prescribed); clinicians add their clinic's
    ("GET", "/api/v1/exercises/{id}/media/"): READ_ALL,
    ("POST", "/api/v1/exercises/{id}/media/"): _statuses(401, 403, 403, 201, 201),
    # filmed in clinic for our patient: the patient reads, their care team adds and removes
    ("GET", "/api/v1/prescriptions/{id}/media/"): READ_OWN,
    ("POST", "/api/v1/prescriptions/{id}/media/"): _statuses(401, 403, 404, 201, 404),
    ("GET", "/api/v1/media/{id}/"): READ_OWN,
    ("DELETE", "/api/v1/media/{id}/"): _statuses(401, 403, 404, 204, 404),
    # the definitions a caller's clinic can give: names and versions, no patient data
    ("GET", "/api/v1/questionnaires/"): READ_ALL,
    ("GET", "/api/v1/programs/{id}/questionnaire-schedules/"): READ_OWN,
    ("POST", "/api/v1/programs/{id}/questionnaire-schedules/"): _statuses(401, 403, 404, 201, 404),
    ("DELETE", "/api/v1/questionnaire-schedules/{id}/"): _statuses(401, 403, 404, 204, 404),
    ("GET", "/api/v1/patients/{id}/questionnaire-responses/"): READ_OWN,
    ("GET", "/api/v1/questionnaire-responses/{id}/"): READ_OWN,
    # only the patient answers and sends; their clinician reads
    ("PATCH", "/api/v1/questionnaire-responses/{id}/"): _statuses(401, 200, 404, 403, 404),
    ("POST", "/api/v1/questionnaire-responses/{id}/complete/"): _statuses(401, 200, 404, 403, 404),
}


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_every_operation_has_an_entry():
    assert schema_operations() == set(EXPECTED)


@pytest.fixture
def world(patient, program, other_patient, clinician, other_clinic_clinician):
    """Our patient with a program, a workout from 30 hours ago and an activity."""
    workout = workout_log(
        user=patient.user,
        performed_at=timezone.now() - timedelta(hours=30),
        results=[
            ResultInput(prescribed=i, set_values=[10], pain_during=1) for i in program.items.all()
        ],
    )
    activity = activity_log(
        user=patient.user,
        kind="bike",
        date=timezone.localdate() - timedelta(days=1),  # may be tomorrow in LA
        duration_minutes=30,
        pain_during=1,
    )
    totp_enrol(clinician)
    totp_enrol(other_clinic_clinician)
    users = {
        "patient": patient.user,
        "other_patient": other_patient.user,
        "clinician": clinician,
        "stranger": other_clinic_clinician,
    }
    return {
        "users": users,
        "patient": patient,
        "program": program,
        "template": template_from_program(clinician=clinician, program=program, name="Ours"),
        "workout": workout,
        "activity": activity,
        "patient_token": AuthToken.objects.create(patient.user)[0],
        "media": prescription_photo(clinician, program.items.first()),
        "schedule": QuestionnaireSchedule.objects.create(program=program, code="psfs"),
        "response": _hip_rating_answered(patient),
    }


def _hip_rating_answered(patient):
    response = response_open(
        patient=patient,
        questionnaire=questionnaire_for(clinic=patient.clinic, code="hip-rating"),
        due_date=timezone.localdate(),
    )
    return response_answer(user=patient.user, response=response, answers={"hip-rating": 60})


def _path(method, path, world) -> str:
    ids = {
        "/api/v1/activities/{id}/": world["activity"].pk,
        "/api/v1/exercises/{id}/": library_exercise("hip-hike").pk,
        "/api/v1/patients/{id}/": world["patient"].pk,
        "/api/v1/patients/{id}/trend/": world["patient"].pk,
        "/api/v1/patients/{id}/status/": world["patient"].pk,
        "/api/v1/patients/{id}/export/": world["patient"].pk,
        "/api/v1/patients/{id}/fhir/": world["patient"].pk,
        "/api/v1/fhir/Questionnaire/{id}": Questionnaire.objects.get(clinic=None, code="psfs").pk,
        "/api/v1/patients/{id}/audit/": world["patient"].pk,
        "/api/v1/patients/{id}/emergency-access/": world["patient"].pk,
        "/api/v1/programs/{id}/": world["program"].pk,
        "/api/v1/program-templates/{id}/": world["template"].pk,
        "/api/v1/prescriptions/{id}/apply/": world["program"].items.first().pk,
        "/api/v1/progressions/{id}/": Progression.objects.first().pk,
        "/api/v1/workouts/{id}/": world["workout"].pk,
        "/api/v1/workouts/{id}/followup/": world["workout"].pk,
        "/api/v1/exercises/{id}/media/": library_exercise("hip-hike").pk,
        "/api/v1/prescriptions/{id}/media/": world["program"].items.first().pk,
        "/api/v1/media/{id}/": world["media"].pk,
        "/api/v1/programs/{id}/questionnaire-schedules/": world["program"].pk,
        "/api/v1/questionnaire-schedules/{id}/": world["schedule"].pk,
        "/api/v1/patients/{id}/questionnaire-responses/": world["patient"].pk,
        "/api/v1/questionnaire-responses/{id}/": world["response"].pk,
        "/api/v1/questionnaire-responses/{id}/complete/": world["response"].pk,
    }
    return path.format(
        id=ids.get(path),
        patient_pk=world["patient"].pk,
        token_key=world["patient_token"].token_key,
    )


def _body(method, path, role, world):
    n = next(_unique)
    today = timezone.localdate()
    user = world["users"].get(role)
    bodies = {
        "/api/v1/activities/": {
            "kind": "run",
            "date": str(today - timedelta(days=1)),
            "duration_minutes": 20,
            "pain_during": 1,
        },
        "/api/v1/auth/token/": {
            "email": user.email if user else "nobody@example.com",
            "password": PASSWORD,
        },
        "/api/v1/auth/token/mfa/": {
            "mfa_token": mfa_ticket_issue(user) if user else "not-a-ticket",
            "code": totp_code(),
        },
        "/api/v1/exercises/": {
            "name": f"Wall sit {n}",
            "region": "hip",
            "instructions": "Sit.",
            "dose_kind": "hold",
            "default_sets": 3,
            "default_target_low": 20,
            "default_target_high": 30,
        },
        "/api/v1/patients/": {
            "full_name": "New Person",
            "email": f"new{n}@example.com",
            "timezone": "UTC",
            "date_of_birth": "1990-01-01",
            "condition": "other_hip_pain",
            "affected_side": "left",
        },
        "/api/v1/patients/{patient_pk}/programs/": {
            "start_date": str(today),
            "review_date": str(today + timedelta(days=28)),
            "items": [{"exercise": library_exercise("hip-hike").pk}],
        },
        "/api/v1/patients/{id}/": {"diagnosis": "Cam FAI"},
        "/api/v1/patients/{id}/emergency-access/": {"reason": "Covering for a colleague"},
        "/api/v1/patients/{patient_pk}/messages/": {"body": "How long should I rest?"},
        "/api/v1/programs/{id}/": {"pain_ceiling": 4},
        "/api/v1/program-templates/": {
            "name": f"Template {n}",
            "items": [{"exercise": library_exercise("hip-hike").pk}],
        },
        "/api/v1/program-templates/{id}/": {"name": f"Renamed {n}"},
        "/api/v1/prescriptions/{id}/apply/": {"decision": "progress"},
        "/api/v1/workouts/": {
            "results": [
                {"prescribed": i.pk, "set_values": [10], "pain_during": 1}
                for i in world["program"].items.all()
            ]
        },
        "/api/v1/workouts/{id}/followup/": {"pain": 1},
        "/api/v1/exercises/{id}/media/": {"file": upload(image_bytes()), "caption": "Side"},
        "/api/v1/prescriptions/{id}/media/": {"file": upload(image_bytes()), "caption": "Top"},
        "/api/v1/programs/{id}/questionnaire-schedules/": {"code": "grc", "every_weeks": 4},
        "/api/v1/questionnaire-responses/{id}/": {"answers": {"hip-rating": 75}},
    }
    return bodies.get(path)


def _client(role, world) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        _, token = AuthToken.objects.create(world["users"][role])
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED))
def test_status_for_each_role(world, method, path, role):
    client = _client(role, world)
    url = _path(method, path, world)
    body = _body(method, path, role, world)
    # uploads are multipart, everything else JSON
    body_format = "multipart" if body and "file" in body else "json"
    response = getattr(client, method.lower())(url, body, format=body_format)
    assert response.status_code == EXPECTED[(method, path)][role], response.content[:300]
