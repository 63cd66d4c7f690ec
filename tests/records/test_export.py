"""Download my data: the whole record, streamed, to the patient, their care team and their
clinic's admins, and to nobody else."""

import json
import logging

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.audit.services import emergency_access_open
from apps.care.models import CardAssignment, Message, VisitNote
from apps.care.services import message_send
from apps.painlogs.models import Activity, ExerciseResult, Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program, ProgressionChange
from apps.reminders.models import Notification
from tests.conftest import client_for
from tests.factories import totp_enrol
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


def _document(response) -> dict:
    assert response.status_code == 200
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


def _api(user) -> APIClient:
    if user.mfa_required:
        totp_enrol(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AuthToken.objects.create(user)[1]}")
    return client


def test_a_demo_patient_gets_every_section_complete():
    # Given Maya's six weeks of demo data
    call_command("seed_demo")
    maya = Patient.objects.get(user__email="maya@demo.greenlight.test")
    message_send(author=maya.user, patient=maya, body="Can I add a hill session?")

    # When she downloads her data
    browser = Client()
    browser.force_login(maya.user)
    document = _document(browser.get("/me/export/"))

    # Then each section holds exactly what the database holds for her
    programs = document["programs"]
    workouts = document["workouts"]
    assert document["schema"] == "greenlight.patient-export"
    assert document["version"] == 1
    assert document["withheld"] == []
    assert document["patient"]["email"] == "maya@demo.greenlight.test"
    counts = {
        "programs": len(programs),
        "prescriptions": sum(len(p["prescriptions"]) for p in programs),
        "level_changes": sum(len(i["level_changes"]) for p in programs for i in p["prescriptions"]),
        "workouts": len(workouts),
        "results": sum(len(w["results"]) for w in workouts),
        "24h_ratings": sum(w["pain_24h"] is not None for w in workouts),
        "activities": len(document["activities"]),
        "messages": len(document["messages"]),
        "visit_notes": len(document["visit_notes"]),
        "education_cards": len(document["education_cards"]),
        "cards_read": sum(c["read_at"] is not None for c in document["education_cards"]),
        "notifications": len(document["notifications"]),
    }
    mine = Workout.objects.filter(patient=maya)
    assert counts == {
        "programs": Program.objects.filter(patient=maya).count(),
        "prescriptions": PrescribedExercise.with_ended.filter(program__patient=maya).count(),
        "level_changes": ProgressionChange.objects.filter(
            prescribed__program__patient=maya
        ).count(),
        "workouts": mine.count(),
        "results": ExerciseResult.objects.filter(workout__patient=maya).count(),
        "24h_ratings": mine.filter(followup_pain__isnull=False).count(),
        "activities": Activity.objects.filter(patient=maya).count(),
        "messages": Message.objects.filter(patient=maya).count(),
        "visit_notes": VisitNote.objects.filter(patient=maya).count(),
        "education_cards": CardAssignment.objects.filter(program__patient=maya).count(),
        "cards_read": CardAssignment.objects.filter(
            program__patient=maya, read_at__isnull=False
        ).count(),
        "notifications": Notification.objects.filter(recipient=maya.user).count(),
    }
    # six weeks of data, not an empty export passing by luck
    assert min(counts["workouts"], counts["results"], counts["activities"]) >= 10
    assert counts["messages"] == 1
    assert counts["visit_notes"] >= 1
    assert counts["education_cards"] >= 1
    assert document["record_views"] == []


def test_the_export_has_no_one_elses_data(patient, other_patient, program):
    # Given messages in both patients' threads
    message_send(author=patient.user, patient=patient, body="Sore after the hill run")
    message_send(author=other_patient.user, patient=other_patient, body="Olive's own worry")

    document = _document(client_for(patient.user).get("/me/export/"))

    assert [m["body"] for m in document["messages"]] == ["Sore after the hill run"]
    assert "Olive" not in json.dumps(document)


def test_an_exercise_removed_from_the_program_stays_in_the_export(patient, program):
    removed = program.items.first()
    PrescribedExercise.objects.filter(pk=removed.pk).update(ended_at=timezone.now())

    document = _document(client_for(patient.user).get("/me/export/"))

    [exported] = document["programs"]
    ended = [p for p in exported["prescriptions"] if p["id"] == removed.pk]
    assert len(exported["prescriptions"]) == 2
    assert ended[0]["ended_at"]


def test_the_download_is_an_attachment_named_for_the_patient(patient):
    response = client_for(patient.user).get("/me/export/")

    assert response["Content-Type"] == "application/json"
    day = timezone.localdate()  # the patient's zone is active during their request
    assert response["Content-Disposition"].startswith('attachment; filename="greenlight-pat-')
    assert response["Content-Disposition"].endswith('.json"')
    assert str(day.year) in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["patient", "clinician", "clinic_admin"])
def test_the_patient_care_team_and_clinic_admin_can_export(who, request, patient, program):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    if who == "clinic_admin":  # off the care team: only through emergency access
        emergency_access_open(admin=user, patient=patient, reason="The patient asked us for it")

    browser = _document(client_for(user).get(f"/patients/{patient.pk}/export/"))
    api = _document(_api(user).get(f"/api/v1/patients/{patient.pk}/export/"))

    assert browser["patient"]["id"] == api["patient"]["id"] == patient.pk
    assert len(api["programs"]) == 1


def test_a_clinic_admin_outside_the_care_team_gets_no_messages(patient, clinic_admin):
    message_send(author=patient.user, patient=patient, body="Sore after the hill run")
    emergency_access_open(admin=clinic_admin, patient=patient, reason="The patient asked for it")

    document = _document(client_for(clinic_admin).get(f"/patients/{patient.pk}/export/"))

    assert document["withheld"] == ["messages"]
    assert document["messages"] == []
    assert "hill run" not in json.dumps(document)


@pytest.mark.parametrize(
    "who", ["other_patient", "colleague", "other_clinic_clinician", "clinic_admin"]
)
def test_a_stranger_gets_404_from_browser_and_api(who, request, patient):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    browser, api = client_for(user), _api(user)

    assert browser.get(f"/patients/{patient.pk}/export/").status_code == 404
    assert browser.get(f"/patients/{patient.pk}/export/summary/").status_code == 404
    assert api.get(f"/api/v1/patients/{patient.pk}/export/").status_code == 404


def test_a_clinician_has_no_own_record_to_export(clinician):
    assert _api(clinician).get("/api/v1/me/export/").status_code == 404


def test_the_api_streams_the_patients_own_record(patient):
    document = _document(_api(patient.user).get("/api/v1/me/export/"))

    assert document["patient"]["full_name"] == "Pat Quennell"


def test_many_workouts_cost_no_query_per_row(
    patient, program, django_assert_max_num_queries, settings
):
    # Given a patient with many workouts, each with results and a 24-hour rating
    items = list(program.items.all())
    for days_ago in range(2, 62):
        logged_session(patient, items[days_ago % 2], days_ago=days_ago, set_values=[10, 10])
    client = client_for(patient.user)

    # When the whole document is read, a bounded number of queries serve it
    with django_assert_max_num_queries(25):
        document = _document(client.get("/me/export/"))

    assert len(document["workouts"]) == 60


def test_the_summary_shows_every_section(patient, program, clinician):
    logged_session(patient, program.items.first(), days_ago=2, set_values=[10, 10, 10])
    message_send(author=clinician, patient=patient, body="Keep the ceiling at 3")

    response = client_for(patient.user).get("/me/export/summary/")
    page = b"".join(response.streaming_content).decode()

    assert response.status_code == 200
    for heading in [
        "Profile",
        "Programs and prescriptions",
        "Workouts",
        "Activities",
        "Messages",
        "Visit notes",
        "Education cards",
        "Notifications",
        "Who viewed the record",
    ]:
        assert f">{heading}</h2>" in page
    assert "Keep the ceiling at 3" in page
    assert "Bridge" in page or "bridge" in page
    assert "no-store" in response["Cache-Control"]
    assert page.rstrip().endswith("</html>")


def test_the_clinicians_patient_page_links_to_the_export(clinician, patient):
    page = client_for(clinician).get(f"/patients/{patient.pk}/").content.decode()

    assert f'href="/patients/{patient.pk}/export/summary/"' in page


def test_the_preferences_page_offers_the_download(patient):
    page = client_for(patient.user).get("/patients/me/reminders/").content.decode()

    assert "Download my data" in page
    assert 'href="/me/export/"' in page
    assert 'href="/me/export/summary/"' in page


def test_each_export_is_logged_without_health_data(patient, program, clinician, caplog):
    patient.diagnosis = "cam-type FAI, labral tear"
    patient.save()
    logged_session(patient, program.items.first(), days_ago=2, set_values=[10], note="knee")
    caplog.set_level(logging.INFO, logger="apps.records")

    b"".join(client_for(clinician).get(f"/patients/{patient.pk}/export/").streaming_content)
    client_for(patient.user).get("/me/export/summary/")

    lines = [r.getMessage() for r in caplog.records if r.name.startswith("apps.records")]
    assert len(lines) == 2
    assert f"requester={clinician.pk} role=clinician patient={patient.pk} format=json" in lines[0]
    assert f"requester={patient.user.pk} role=patient patient={patient.pk} format=html" in lines[1]
    for line in lines:
        for secret in ["Pat Quennell", "pat@example.com", "cam-type", "Alice", "FAI"]:
            assert secret not in line


def test_the_export_lists_who_viewed_the_record_and_is_itself_logged(patient, clinician):
    from apps.audit.models import AuditEvent

    client_for(clinician).get(f"/patients/{patient.pk}/")

    document = _document(client_for(patient.user).get("/me/export/"))

    assert [(v["who"], v["what"]) for v in document["record_views"]] == [
        ("Alice Clinician", "Patient page")
    ]
    exports = AuditEvent.objects.filter(kind="access", route="records:my_export")
    assert [(e.user_id, e.patient_ids) for e in exports] == [(patient.user.pk, [patient.pk])]
