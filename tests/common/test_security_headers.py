"""Every route of the project, as a visitor and as each kind of user, answers with the security
headers (apps/common/security.py): a strict Content-Security-Policy, nosniff, Referrer-Policy,
X-Frame-Options DENY, and no-store for anything private. A new route is walked too, or the test
says how to add it."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLResolver, get_resolver, resolve
from django.utils import timezone
from knox.models import AuthToken

from apps.accounts.models import User
from apps.care.models import EducationCard
from apps.care.services import message_send
from apps.common.security import csp_directives, security_header_problems
from apps.exercises.models import Progression
from apps.outcomes.models import Questionnaire, QuestionnaireSchedule
from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import response_answer, response_complete, response_open
from apps.painlogs.services import activity_log
from apps.program_templates.models import ProgramTemplate
from apps.reminders.models import Notification
from apps.reminders.services import unsubscribe_token
from tests.conftest import client_for
from tests.factories import PASSWORD, library_exercise, prescription_photo, totp_enrol
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db

# Routes with parameters, filled with objects the personas own (a stranger's id is a 404, which
# must carry the headers as well). Keys are Django's own spelling of a route (ResolverMatch.route).
FILLED = {
    "accounts/password/reset/<uidb64>/<token>/": "/accounts/password/reset/MQ/no-such-token/",
    "accounts/invite/<uidb64>/<token>/": "/accounts/invite/MQ/no-such-token/",
    "accounts/team/<int:pk>/deactivate/": "/accounts/team/{member}/deactivate/",
    "accounts/team/<int:pk>/reactivate/": "/accounts/team/{member}/reactivate/",
    "patients/<int:pk>/": "/patients/{patient}/",
    "patients/<int:pk>/edit/": "/patients/{patient}/edit/",
    "patients/<int:pk>/trend/": "/patients/{patient}/trend/",
    "patients/<int:pk>/export/": "/patients/{patient}/export/",
    "api/v1/fhir/Questionnaire/<int:pk>": "/api/v1/fhir/Questionnaire/{questionnaire}",
    "patients/<int:pk>/export/summary/": "/patients/{patient}/export/summary/",
    "patients/<int:pk>/audit/": "/patients/{patient}/audit/",
    "patients/<int:pk>/care-team/": "/patients/{patient}/care-team/",
    "patients/<int:pk>/erase/": "/patients/{patient}/erase/",
    "patients/<int:pk>/emergency-access/": "/patients/{patient}/emergency-access/",
    "library/<int:pk>/": "/library/{exercise}/",
    "patients/<int:patient_pk>/programs/new/": "/patients/{patient}/programs/new/",
    "programs/<int:pk>/edit/": "/programs/{program}/edit/",
    "programs/<int:pk>/end/": "/programs/{program}/end/",
    "programs/<int:pk>/questionnaires/": "/programs/{program}/questionnaires/",
    "questionnaire-schedules/<int:pk>/remove/": "/questionnaire-schedules/{schedule}/remove/",
    "questionnaires/<int:pk>/": "/questionnaires/{questionnaire_response}/",
    "questionnaire-responses/<int:pk>/": "/questionnaire-responses/{sent_response}/",
    "prescriptions/<int:item_pk>/apply/": "/prescriptions/{item}/apply/",
    "workouts/<int:pk>/followup/": "/workouts/{workout}/followup/",
    "activities/<int:pk>/soreness/": "/activities/{activity}/soreness/",
    "notifications/<int:pk>/open/": "/notifications/{notification}/open/",
    "notifications/<int:pk>/send-again/": "/notifications/{notification}/send-again/",
    # POST-only: a GET answers 405 before any lookup, so any id walks it.
    "notifications/checks/<int:pk>/run-again/": "/notifications/checks/{notification}/run-again/",
    # A genuine link: its GET asks and changes nothing, so every persona walks the real page.
    "notifications/unsubscribe/<str:token>/": "/notifications/unsubscribe/{unsubscribe}/",
    "patients/<int:pk>/messages/": "/patients/{patient}/messages/",
    "patients/<int:pk>/notes/new/": "/patients/{patient}/notes/new/",
    "programs/<int:pk>/cards/": "/programs/{program}/cards/",
    "programs/<int:pk>/save-as-template/": "/programs/{program}/save-as-template/",
    "program-templates/<int:pk>/edit/": "/program-templates/{template}/edit/",
    "program-templates/<int:pk>/delete/": "/program-templates/{template}/delete/",
    "api/v1/program-templates\\.(?P<format>[a-z0-9]+)/?$": "/api/v1/program-templates.json",
    "api/v1/program-templates/(?P<pk>[^/.]+)/$": "/api/v1/program-templates/{template}/",
    "api/v1/program-templates/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": (
        "/api/v1/program-templates/{template}.json"
    ),
    "programs/<int:pk>/handout/": "/programs/{program}/handout/",
    "programs/<int:pk>/handout.pdf": "/programs/{program}/handout.pdf",
    "programs/<int:pk>/handout/email/": "/programs/{program}/handout/email/",
    "education/<int:pk>/": "/education/{card}/",
    "media/<int:pk>/": "/media/{media}/",
    "media/<int:pk>/thumbnail/": "/media/{media}/thumbnail/",
    "media/<int:pk>/remove/": "/media/{media}/remove/",
    "library/<int:pk>/media/new/": "/library/{exercise}/media/new/",
    "prescriptions/<int:item_pk>/media/new/": "/prescriptions/{item}/media/new/",
    "api/v1/exercises/<int:pk>/media/": "/api/v1/exercises/{exercise}/media/",
    "api/v1/prescriptions/<int:pk>/media/": "/api/v1/prescriptions/{item}/media/",
    "api/v1/media/<int:pk>/": "/api/v1/media/{media}/",
    "api/v1/programs/<int:pk>/questionnaire-schedules/": (
        "/api/v1/programs/{program}/questionnaire-schedules/"
    ),
    "api/v1/questionnaire-schedules/<int:pk>/": "/api/v1/questionnaire-schedules/{schedule}/",
    "api/v1/patients/<int:pk>/questionnaire-responses/": (
        "/api/v1/patients/{patient}/questionnaire-responses/"
    ),
    "api/v1/questionnaire-responses/<int:pk>/": (
        "/api/v1/questionnaire-responses/{questionnaire_response}/"
    ),
    "api/v1/questionnaire-responses/<int:pk>/complete/": (
        "/api/v1/questionnaire-responses/{questionnaire_response}/complete/"
    ),
    "api/v1/patients/<int:pk>/trend/": "/api/v1/patients/{patient}/trend/",
    "api/v1/patients/<int:pk>/status/": "/api/v1/patients/{patient}/status/",
    # triage lists only who needs attention unless asked for everyone
    "api/v1/triage/": "/api/v1/triage/?show=all",
    "patients/triage/": "/patients/triage/?show=all",
    "api/v1/patients/<int:pk>/export/": "/api/v1/patients/{patient}/export/",
    "api/v1/patients/<int:pk>/fhir/": "/api/v1/patients/{patient}/fhir/",
    "api/v1/patients/<int:pk>/audit/": "/api/v1/patients/{patient}/audit/",
    "api/v1/patients/<int:pk>/emergency-access/": "/api/v1/patients/{patient}/emergency-access/",
    "api/v1/prescriptions/<int:pk>/apply/": "/api/v1/prescriptions/{item}/apply/",
    "api/v1/patients/<int:patient_pk>/programs/": "/api/v1/patients/{patient}/programs/",
    "api/v1/patients/<int:patient_pk>/messages/": "/api/v1/patients/{patient}/messages/",
    "api/v1/patients/<int:patient_pk>/messages/read/": "/api/v1/patients/{patient}/messages/read/",
    "api/v1/progressions\\.(?P<format>[a-z0-9]+)/?$": "/api/v1/progressions.json",
    "api/v1/progressions/(?P<pk>[^/.]+)/$": "/api/v1/progressions/{progression}/",
    "api/v1/progressions/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": (
        "/api/v1/progressions/{progression}.json"
    ),
    "api/v1/exercises\\.(?P<format>[a-z0-9]+)/?$": "/api/v1/exercises.json",
    "api/v1/exercises/(?P<pk>[^/.]+)/$": "/api/v1/exercises/{exercise}/",
    "api/v1/exercises/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": (
        "/api/v1/exercises/{exercise}.json"
    ),
    "api/v1/patients\\.(?P<format>[a-z0-9]+)/?$": "/api/v1/patients.json",
    "api/v1/patients/(?P<pk>[^/.]+)/$": "/api/v1/patients/{patient}/",
    "api/v1/patients/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": "/api/v1/patients/{patient}.json",
    "api/v1/programs/(?P<pk>[^/.]+)/$": "/api/v1/programs/{program}/",
    "api/v1/programs/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": "/api/v1/programs/{program}.json",
    "api/v1/workouts\\.(?P<format>[a-z0-9]+)/?$": "/api/v1/workouts.json",
    "api/v1/workouts/(?P<pk>[^/.]+)/$": "/api/v1/workouts/{workout}/",
    "api/v1/workouts/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": "/api/v1/workouts/{workout}.json",
    "api/v1/workouts/(?P<pk>[^/.]+)/followup/$": "/api/v1/workouts/{workout}/followup/",
    "api/v1/workouts/(?P<pk>[^/.]+)/followup\\.(?P<format>[a-z0-9]+)/?$": (
        "/api/v1/workouts/{workout}/followup.json"
    ),
    "api/v1/activities\\.(?P<format>[a-z0-9]+)/?$": "/api/v1/activities.json",
    "api/v1/activities/(?P<pk>[^/.]+)/$": "/api/v1/activities/{activity}/",
    "api/v1/activities/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$": (
        "/api/v1/activities/{activity}.json"
    ),
    "api/v1/<drf_format_suffix:format>": "/api/v1/.json",
    "admin/r/<path:content_type_id>/<path:object_id>/": "/admin/r/{group_type}/{group}/",
    "admin/auth/group/<path:object_id>/history/": "/admin/auth/group/{group}/history/",
    "admin/auth/group/<path:object_id>/delete/": "/admin/auth/group/{group}/delete/",
    "admin/auth/group/<path:object_id>/change/": "/admin/auth/group/{group}/change/",
    "admin/auth/group/<path:object_id>/": "/admin/auth/group/{group}/",
    "admin/knox/authtoken/<path:object_id>/history/": "/admin/knox/authtoken/{token}/history/",
    "admin/knox/authtoken/<path:object_id>/delete/": "/admin/knox/authtoken/{token}/delete/",
    "admin/knox/authtoken/<path:object_id>/change/": "/admin/knox/authtoken/{token}/change/",
    "admin/knox/authtoken/<path:object_id>/": "/admin/knox/authtoken/{token}/",
    "accounts/security/devices/<int:pk>/end/": "/accounts/security/devices/{device}/end/",
    "api/v1/auth/tokens/<str:token_key>/": "/api/v1/auth/tokens/{token_key}/",
    "accounts/security/tokens/<str:token_key>/revoke/": (
        "/accounts/security/tokens/{token_key}/revoke/"
    ),
    "accounts/two-factor/webauthn/keys/<int:pk>/remove/": (
        "/accounts/two-factor/webauthn/keys/{authenticator}/remove/"
    ),
    "accounts/two-factor/webauthn/keys/<int:pk>/edit/": (
        "/accounts/two-factor/webauthn/keys/{authenticator}/edit/"
    ),
    "admin/mfa/authenticator/<path:object_id>/history/": (
        "/admin/mfa/authenticator/{authenticator}/history/"
    ),
    "admin/mfa/authenticator/<path:object_id>/delete/": (
        "/admin/mfa/authenticator/{authenticator}/delete/"
    ),
    "admin/mfa/authenticator/<path:object_id>/change/": (
        "/admin/mfa/authenticator/{authenticator}/change/"
    ),
    "admin/mfa/authenticator/<path:object_id>/": "/admin/mfa/authenticator/{authenticator}/",
    "admin/usersessions/usersession/<path:object_id>/history/": (
        "/admin/usersessions/usersession/{device}/history/"
    ),
    "admin/usersessions/usersession/<path:object_id>/delete/": (
        "/admin/usersessions/usersession/{device}/delete/"
    ),
    "admin/usersessions/usersession/<path:object_id>/change/": (
        "/admin/usersessions/usersession/{device}/change/"
    ),
    "admin/usersessions/usersession/<path:object_id>/": (
        "/admin/usersessions/usersession/{device}/"
    ),
    "admin/(?P<app_label>auth|knox|mfa|usersessions)/$": "/admin/auth/",
    "admin/(?P<url>.*)$": "/admin/no-such-page/",
}
# Routes the walk cannot request, each with the reason. Empty: every route answers a GET (a
# POST-only view with 405, which must carry the headers too).
NOT_WALKED: dict[str, str] = {}
PERSONAS = ["visitor", "clinician", "patient", "clinic_admin", "site_admin"]


def routes(patterns=None, prefix="") -> list[str]:
    """Every URL pattern of the project, spelled as ``ResolverMatch.route`` spells it."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, route)
        else:
            found.append(route)
    return found


def is_plain(route: str) -> bool:
    return not any(mark in route for mark in "<(\\?*+[|")


def path_for(route: str, ids: dict) -> str:
    if route in FILLED:  # a plain route may need a query to show anything
        return FILLED[route].format(**ids)
    if is_plain(route):
        return "/" + route.removesuffix("$")
    assert route in FILLED, f"new route {route!r}: add a path for it to FILLED or NOT_WALKED"
    return FILLED[route].format(**ids)


@pytest.fixture
def site_admin():
    return User.objects.create_superuser(email="root@riverside.test", password=PASSWORD)


@pytest.fixture
def ids(clinician, patient, program):
    """Real ids for every kind of object a route names."""
    item = program.items.first()
    workout = logged_session(patient, item, days_ago=1, set_values=[10, 10, 10], after=None)
    activity = activity_log(
        user=patient.user,
        kind="run",
        date=timezone.localdate() - timedelta(days=1),
        duration_minutes=30,
        pain_during=2,
    )
    message_send(author=patient.user, patient=patient, body="Sore after the hill run")
    group = Group.objects.create(name="Reviewers")
    token, _ = AuthToken.objects.create(user=clinician)
    device = UserSession.objects.create(
        user=clinician, session_key="walked-device", ip="192.0.2.1", user_agent="Firefox"
    )
    return {
        "patient": patient.pk,
        "program": program.pk,
        "item": item.pk,
        "exercise": library_exercise().pk,
        "progression": Progression.objects.first().pk,
        "workout": workout.pk,
        "activity": activity.pk,
        "notification": Notification.objects.get(recipient=clinician).pk,
        "card": EducationCard.objects.first().pk,
        "template": ProgramTemplate.objects.first().pk,
        "group": group.pk,
        "group_type": ContentType.objects.get_for_model(Group).pk,
        "token": token.pk,
        "member": clinician.pk,
        "token_key": token.token_key,
        "device": device.pk,
        "authenticator": totp_enrol(clinician).pk,
        "unsubscribe": unsubscribe_token(clinician.pk),
        # a photo filmed in clinic for the patient: patient data
        "media": prescription_photo(clinician, item).pk,
        "questionnaire": Questionnaire.objects.get(clinic=None, code="psfs").pk,
        "schedule": QuestionnaireSchedule.objects.create(program=program, code="psfs").pk,
        "questionnaire_response": response_open(
            patient=patient,
            questionnaire=questionnaire_for(clinic=patient.clinic, code="hip-rating"),
            due_date=timezone.localdate(),
        ).pk,
        "sent_response": _sent_hip_rating(patient).pk,
    }


def _sent_hip_rating(patient):
    response = response_open(
        patient=patient,
        questionnaire=questionnaire_for(clinic=patient.clinic, code="hip-rating"),
        due_date=timezone.localdate() - timedelta(days=14),
    )
    response_answer(user=patient.user, response=response, answers={"hip-rating": 70})
    return response_complete(user=patient.user, response=response)


def signed_in_client(persona, request, client):
    if persona == "visitor":
        return client
    user = request.getfixturevalue(persona)
    return client_for(user if isinstance(user, User) else user.user)


def test_every_route_has_a_way_to_be_walked(ids):
    paths = {route: path_for(route, ids) for route in routes() if route not in NOT_WALKED}

    # Each path really lands on its route, so no route is walked by mistake through another.
    landed = {route: resolve(path.partition("?")[0]).route for route, path in paths.items()}

    assert landed == {route: route for route in paths}
    assert set(FILLED) <= set(routes()), "FILLED names a route that no longer exists"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_sends_the_security_headers(persona, ids, request, client, capsys):
    http = signed_in_client(persona, request, client)

    problems, landed = {}, set()
    for route in routes():
        if route in NOT_WALKED:
            continue
        path = path_for(route, ids)
        response = http.get(path)
        landed.add(response.resolver_match.route)
        # From the persona, not the request: a walk that lost its session would show here.
        private = persona != "visitor" or path.startswith("/api/")
        if found := security_header_problems(response, private=private):
            problems[f"{path} ({response.status_code})"] = found

    with capsys.disabled():
        print(f"\n{persona}: walked {len(landed)} of {len(routes())} routes")
    assert problems == {}
    assert landed == set(routes()) - set(NOT_WALKED)


def test_the_policy_allows_nothing_inline(client):
    response = client.get("/accounts/login/")

    directives = csp_directives(response["Content-Security-Policy"])

    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_https_answers_carry_a_year_of_hsts_with_subdomains(clinician_client):
    response = clinician_client.get("/patients/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert security_header_problems(response, private=True, https=True) == []


def test_the_checks_name_each_weakness():
    # Given what a misconfigured server or proxy might send
    response = HttpResponse()
    response["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Referrer-Policy"] = "unsafe-url"

    problems = security_header_problems(response, private=True, https=True)

    assert problems == [
        "script-src allows 'unsafe-inline'",
        "CSP lacks object-src 'none'",
        "CSP lacks base-uri 'none'",
        "CSP lacks frame-ancestors 'none'",
        "X-Content-Type-Options is not nosniff",
        "Referrer-Policy is 'unsafe-url'",
        "X-Frame-Options is 'SAMEORIGIN', not DENY",
        "Cache-Control is None, without no-store",
        "Strict-Transport-Security is None, not a year or more",
    ]
