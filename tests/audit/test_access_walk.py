"""Every page and API endpoint that shows a patient's data writes exactly one access row per
request, naming that patient; every other route writes none. A new route must be classified
here (like FILLED in the security header walk), or ``test_every_route_is_classified`` fails."""

import pytest

from apps.audit.models import AuditEvent
from tests.common.test_security_headers import ids, path_for, routes  # noqa: F401 - fixture
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# Routes whose GET shows a patient's data, with who (space-separated) reads it in this walk.
SHOWS_PATIENT = {
    "patients/": "clinician",
    "patients/triage/": "clinician",
    "patients/<int:pk>/": "clinician",
    "patients/<int:pk>/edit/": "clinician",
    "patients/<int:pk>/trend/": "clinician",
    "patients/<int:pk>/audit/": "clinician clinic_admin",
    # a clinic admin's directory and staffing pages show names and care teams
    "patients/clinic/": "clinic_admin",
    "patients/<int:pk>/care-team/": "clinic_admin",
    "patients/<int:pk>/emergency-access/": "clinic_admin",
    "patients/<int:pk>/erase/": "clinic_admin",
    # names the patient of each notification, and an alert's session
    "notifications/": "clinician",
    "patients/<int:patient_pk>/programs/new/": "clinician",
    "programs/<int:pk>/edit/": "clinician",
    "programs/<int:pk>/end/": "clinician",
    "programs/<int:pk>/questionnaires/": "clinician",
    # the patient's own questionnaire to answer (a short one: answered on the page itself)
    "questionnaires/<int:pk>/": "patient",
    "questionnaire-responses/<int:pk>/": "clinician",
    "programs/<int:pk>/cards/": "clinician",
    "programs/<int:pk>/save-as-template/": "clinician",
    # the program's handout, for the patient and their care team alike
    "programs/<int:pk>/handout/": "clinician patient",
    "programs/<int:pk>/handout.pdf": "clinician patient",
    "patients/<int:pk>/messages/": "clinician",
    "patients/<int:pk>/notes/new/": "clinician",
    "patients/me/reminders/": "patient",
    "me/record-views/": "patient",
    "messages/": "patient",
    "today/": "patient",
    "history/": "patient",
    "workouts/<int:pk>/followup/": "patient",
    "activities/<int:pk>/soreness/": "patient",
    "api/v1/patients/<int:pk>/audit/": "clinician clinic_admin",
    # every export is a read of the whole record
    "me/export/": "patient",
    "me/export/summary/": "patient",
    "patients/<int:pk>/export/": "clinician patient",
    "patients/<int:pk>/export/summary/": "clinician patient",
    "api/v1/me/export/": "patient",
    "api/v1/patients/<int:pk>/export/": "clinician patient",
    "api/v1/patients/<int:pk>/fhir/": "clinician patient",
    # a photo filmed in clinic for the patient, its list and its details
    "media/<int:pk>/": "clinician patient",
    "media/<int:pk>/thumbnail/": "clinician patient",
    "media/<int:pk>/remove/": "clinician",
    "prescriptions/<int:item_pk>/media/new/": "clinician",
    "api/v1/prescriptions/<int:pk>/media/": "clinician patient",
    "api/v1/media/<int:pk>/": "clinician patient",
    "api/v1/programs/<int:pk>/questionnaire-schedules/": "clinician patient",
    "api/v1/patients/<int:pk>/questionnaire-responses/": "clinician patient",
    "api/v1/questionnaire-responses/<int:pk>/": "clinician patient",
}
# The API serves the patient and their care team alike; DRF's format-suffix twins too.
for _route in [
    "api/v1/patients/$",
    "api/v1/patients\\.(?P<format>[a-z0-9]+)/?$",
    "api/v1/patients/(?P<pk>[^/.]+)/$",
    "api/v1/patients/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$",
    "api/v1/patients/<int:pk>/trend/",
    "api/v1/patients/<int:pk>/status/",
    "api/v1/patients/<int:patient_pk>/programs/",
    "api/v1/patients/<int:patient_pk>/messages/",
    "api/v1/programs/(?P<pk>[^/.]+)/$",
    "api/v1/programs/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$",
    "api/v1/workouts/$",
    "api/v1/workouts\\.(?P<format>[a-z0-9]+)/?$",
    "api/v1/workouts/(?P<pk>[^/.]+)/$",
    "api/v1/workouts/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$",
    "api/v1/activities/$",
    "api/v1/activities\\.(?P<format>[a-z0-9]+)/?$",
    "api/v1/activities/(?P<pk>[^/.]+)/$",
    "api/v1/activities/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$",
]:
    SHOWS_PATIENT[_route] = "clinician patient"
# Triage in the API is the clinician's, as the page is.
SHOWS_PATIENT["api/v1/triage/"] = "clinician"
# The weekly trend page is the patient's too.
SHOWS_PATIENT["patients/<int:pk>/trend/"] = "clinician patient"
# Routes that show no patient's data, each group with the reason.
NO_PATIENT_DATA_PREFIXES = {
    "admin/": "Django admin: no patient model is registered",
    "accounts/": "sign-in, password, second factor, devices, team: the user's own account",
    "api/v1/auth/": "tokens and sign-in",
    "library/": "the exercise library",
    "education/": "education cards, shared by the clinic",
    "notifications/": "its actions are POSTs (the list itself is in SHOWS_PATIENT)",
    "api/v1/exercises": "the exercise library",
    "program-templates/": "program templates: exercises and doses, about no patient",
    "api/v1/program-templates": "program templates: exercises and doses, about no patient",
    "api/v1/progressions": "the exercise library",
    "api/schema/": "the OpenAPI schema",
    "api/docs/": "the API docs",
}
NO_PATIENT_DATA = {
    "": "redirects to the home page of the role",
    "healthz/": "health check",
    "patients/new/": "an empty form",
    "activities/new/": "an empty form",
    "prescriptions/<int:item_pk>/apply/": "POST only: applies a suggestion, then redirects",
    "programs/<int:pk>/handout/email/": "POST only: emails the patient a link, then redirects",
    "questionnaire-schedules/<int:pk>/remove/": "POST only: removes a schedule, then redirects",
    "clinic/questionnaires/": "the clinic's questionnaire definitions, about no patient",
    "api/v1/": "the API root",
    "api/v1/<drf_format_suffix:format>": "the API root",
    "api/v1/me/": "the caller's own account and patient id",
    "api/v1/fhir/Questionnaire/<int:pk>": "a questionnaire definition, about no patient",
    "api/v1/patients/<int:patient_pk>/messages/read/": "POST only: marks read, answers a count",
    "api/v1/patients/<int:pk>/emergency-access/": "POST only: opening one writes its own row",
    "api/v1/prescriptions/<int:pk>/apply/": "POST only (the GET is a 405)",
    "api/v1/workouts/(?P<pk>[^/.]+)/followup/$": "POST only (the GET is a 405)",
    "api/v1/questionnaires/": "the questionnaire definitions a clinic can give",
    "api/v1/questionnaire-schedules/<int:pk>/": "DELETE only (the GET is a 405)",
    "api/v1/questionnaire-responses/<int:pk>/complete/": "POST only (the GET is a 405)",
    "api/v1/workouts/(?P<pk>[^/.]+)/followup\\.(?P<format>[a-z0-9]+)/?$": "POST only",
}


def _classified(route: str) -> bool:
    return (
        route in SHOWS_PATIENT
        or route in NO_PATIENT_DATA
        or route.startswith(tuple(NO_PATIENT_DATA_PREFIXES))
    )


def _access_rows():
    return list(AuditEvent.objects.filter(kind="access").order_by("pk"))


def test_every_route_is_classified():
    unclassified = [route for route in routes() if not _classified(route)]

    assert unclassified == [], "classify each in SHOWS_PATIENT or NO_PATIENT_DATA"
    assert set(SHOWS_PATIENT) <= set(routes()), "SHOWS_PATIENT names a route that is gone"


@pytest.mark.parametrize("persona", ["clinician", "patient", "clinic_admin"])
def test_each_read_of_a_patient_writes_one_access_row(persona, ids, request):  # noqa: F811
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)
    http = client_for(user)

    wrong = {}
    for route in routes():
        if route.startswith("admin/"):
            continue  # the site admin's pages: these personas are turned away
        before = AuditEvent.objects.filter(kind="access").count()
        response = http.get(path_for(route, ids))
        written = _access_rows()[before:]
        if persona in SHOWS_PATIENT.get(route, "").split():
            ok = response.status_code == 200 and [
                (row.user_id, ids["patient"] in row.patient_ids) for row in written
            ] == [(user.pk, True)]
        else:
            ok = written == []
        if not ok:
            wrong[route] = (response.status_code, [r.patient_ids for r in written])

    assert wrong == {}


def test_a_list_writes_one_row_naming_every_patient_listed(clinician, patient, other_patient):
    # given Alice joins other_patient's care team: she has two patients
    other_patient.care_team.add(clinician)
    http = client_for(clinician)

    # when she opens her patient list, in the browser and through the API
    http.get("/patients/")
    http.get("/api/v1/patients/")

    # then one row per request, each naming both patients
    rows = _access_rows()
    assert [(r.route, r.channel, sorted(r.patient_ids)) for r in rows] == [
        ("patients:list", "page", sorted([patient.pk, other_patient.pk])),
        ("api:patient-list", "api", sorted([patient.pk, other_patient.pk])),
    ]
    assert {r.user_id for r in rows} == {clinician.pk}
    assert all(r.method == "GET" for r in rows)


def test_a_refused_or_missing_record_writes_no_access_row(other_clinic_clinician, patient):
    http = client_for(other_clinic_clinician)

    assert http.get(f"/patients/{patient.pk}/").status_code == 404
    assert http.get(f"/api/v1/patients/{patient.pk}/").status_code == 404
    assert _access_rows() == []
