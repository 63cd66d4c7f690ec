"""Who saw what: the care team and clinic admins read a patient's access log (page and API),
strangers get a 404, and the patient sees who on their care team opened their record."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.models import AuditEvent
from tests.api.clients import as_user
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_care_team_and_admin_see_who_opened_the_record(
    clinician, clinic_admin, patient, colleague
):
    # given Alice opened Pat's record
    client_for(clinician).get(f"/patients/{patient.pk}/")

    # when the clinic admin opens Pat's record access page
    response = client_for(clinic_admin).get(f"/patients/{patient.pk}/audit/")

    # then Alice's visit is listed, and the admin's own reading of the log is logged too
    content = response.content.decode()
    assert response.status_code == 200
    assert "Alice Clinician" in content
    assert "Patient page" in content
    assert AuditEvent.objects.filter(user=clinic_admin, route="audit:patient").count() == 1
    assert client_for(clinician).get(f"/patients/{patient.pk}/audit/").status_code == 200


@pytest.mark.parametrize("stranger", ["colleague", "other_clinic_clinician", "other_patient"])
def test_a_stranger_gets_a_404_on_the_page_and_the_api(stranger, patient, request):
    user = request.getfixturevalue(stranger)
    user = getattr(user, "user", user)

    assert client_for(user).get(f"/patients/{patient.pk}/audit/").status_code == 404
    assert as_user(user).get(f"/api/v1/patients/{patient.pk}/audit/").status_code == 404


def test_the_patient_cannot_read_the_clinicians_audit_page(patient):
    assert client_for(patient.user).get(f"/patients/{patient.pk}/audit/").status_code == 404


def test_the_api_lists_the_access_log(clinician, patient):
    api = as_user(clinician)
    api.get(f"/api/v1/patients/{patient.pk}/")

    listed = api.get(f"/api/v1/patients/{patient.pk}/audit/?kind=access")

    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1
    assert [(r["who"], r["route"], r["kind"]) for r in body["results"]] == [
        ("Alice Clinician", "api:patient-detail", "access")
    ]


def test_changes_show_who_changed_what_in_the_api_and_on_the_page(postgres, clinician, patient):
    client_for(clinician).post(
        f"/patients/{patient.pk}/messages/", {"body": "Keep the bridges easy this week"}
    )
    as_user(clinician).patch(
        f"/api/v1/patients/{patient.pk}/", {"diagnosis": "Cam FAI, left"}, format="json"
    )

    changes = as_user(clinician).get(f"/api/v1/patients/{patient.pk}/audit/?kind=change")
    page = client_for(clinician).get(f"/patients/{patient.pk}/audit/?kind=change")

    assert changes.status_code == 200
    # (a test runs in one transaction: its events share one timestamp, so no order is checked)
    rows = changes.json()["results"]
    [edit] = [r for r in rows if (r["what"], r["action"]) == ("Profile", "changed")]
    assert (edit["who"], edit["source"]) == ("Alice Clinician", "api")
    assert "diagnosis" in edit["fields"]
    assert ("Message", "added", "Alice Clinician", "browser") in [
        (r["what"], r["action"], r["who"], r["source"]) for r in rows
    ]
    assert "Profile changed" in page.content.decode()


def test_without_postgresql_the_page_says_changes_are_not_recorded(clinician, patient):
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the change history is recorded")

    page = client_for(clinician).get(f"/patients/{patient.pk}/audit/?kind=change")
    api = as_user(clinician).get(f"/api/v1/patients/{patient.pk}/audit/?kind=change")

    assert "recorded on PostgreSQL only" in page.content.decode()
    assert api.status_code == 400


def test_the_page_is_paginated(clinician, patient):
    AuditEvent.objects.bulk_create(
        AuditEvent(kind="access", action="view", user=clinician, patient_ids=[patient.pk])
        for _ in range(60)
    )

    page_two = client_for(clinician).get(f"/patients/{patient.pk}/audit/?page=2")

    assert "Page 2 of 2" in page_two.content.decode()


def test_the_patient_sees_who_on_the_care_team_viewed_their_record(
    clinician, patient, other_patient
):
    # given Alice opened Pat's trend, and Pat opened their own pages
    client_for(clinician).get(f"/patients/{patient.pk}/trend/")
    pat = client_for(patient.user)
    pat.get("/today/")

    # when Pat opens "Who viewed my record", linked from their reminder settings
    assert "/me/record-views/" in pat.get("/patients/me/reminders/").content.decode()
    content = pat.get("/me/record-views/").content.decode()

    # then Alice is listed, and Pat's own visits are not
    assert content.count("Alice Clinician") == 1
    assert patient.user.full_name not in content.split("<h1")[1]


def test_another_patient_does_not_see_pats_record_views(clinician, patient, other_patient):
    client_for(clinician).get(f"/patients/{patient.pk}/")

    content = client_for(other_patient.user).get("/me/record-views/").content.decode()

    assert "Alice Clinician" not in content
    assert "Nobody yet." in content


def _count(client, method, url, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code < 400, response.content[:300]
    return len(captured)


@contextmanager
def without_audit(monkeypatch):
    """The same request, with the access row's insert left out: the cost before the log."""
    with monkeypatch.context() as patched:
        patched.setattr("apps.audit.middleware.audit_pending_write", lambda *args: None)
        yield


def test_the_access_log_adds_one_query_to_the_patient_page(
    clinician, patient, program, record_property, monkeypatch
):
    http = client_for(clinician)
    url = f"/patients/{patient.pk}/"
    http.get(url)  # warm up

    with without_audit(monkeypatch):
        before = _count(http, "get", url)
    after = _count(http, "get", url)

    record_property("patient_detail_queries", f"{before} -> {after}")
    print(f"patient page queries: {before} -> {after}")
    assert after == before + 1


def test_the_access_log_adds_one_query_to_a_workout_write(
    patient, program, record_property, monkeypatch
):
    api = as_user(patient.user)
    items = list(program.items.all())
    body = {
        "results": [
            {"prescribed": item.pk, "set_values": [10, 10], "pain_during": 1} for item in items
        ]
    }

    api.post("/api/v1/workouts/", data=body, format="json")  # warm up
    with without_audit(monkeypatch):
        before = _count(api, "post", "/api/v1/workouts/", data=body, format="json")
    after = _count(api, "post", "/api/v1/workouts/", data=body, format="json")

    record_property("workout_write_queries", f"{before} -> {after}")
    print(f"workout write queries: {before} -> {after}")
    assert after == before + 1
