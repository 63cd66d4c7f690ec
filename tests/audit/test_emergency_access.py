"""Break-glass: a clinic admin staffs care teams without reading clinical data, and opens a
record outside their care teams only by stating a reason, for a limited time, logged, with the
care team told.

Personas (conftest.py): Ada is the clinic admin, on no care team; Alice treats Pat; Carl treats
Olive; Bob is a clinician of another clinic.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AccessGrant, AuditEvent
from apps.patients.selectors import patients_for
from apps.reminders.models import Notification
from tests.api.clients import as_user
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REASON = "Alice is away; Pat called about a red session"


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _open(client, patient, reason=REASON, capture=None):
    url = reverse("audit:emergency_access", args=[patient.pk])
    if capture is None:
        return client.post(url, {"reason": reason})
    with capture(execute=True):
        return client.post(url, {"reason": reason})


def test_the_admin_staffs_care_teams_from_a_directory_without_clinical_data(
    clinic_admin, patient, other_patient, other_clinic_patient
):
    # given Pat's record holds a diagnosis, and Ada treats nobody
    patient.diagnosis = "Cam-type FAI, left"
    patient.save()

    # when Ada opens the clinic's patients
    response = client_for(clinic_admin).get(reverse("patients:clinic_directory"))

    # then she sees both our patients and their care teams, not the diagnosis nor the other clinic
    content = _main(response)
    assert response.status_code == 200
    for name in ("Pat Quennell", "Olive Other", "Alice Clinician", "Carl Colleague"):
        assert name in content
    assert "Cam-type" not in content
    assert other_clinic_patient.user.full_name not in content
    # and Pat's name is not a link to the record, only to staffing and emergency access
    assert f'href="{reverse("patients:detail", args=[patient.pk])}"' not in content
    assert f'href="{reverse("audit:emergency_access", args=[patient.pk])}"' in content


def test_the_admin_changes_a_care_team_and_its_clinician_then_sees_the_patient(
    clinic_admin, patient, colleague
):
    client = client_for(clinic_admin)

    response = client.post(
        reverse("patients:care_team", args=[patient.pk]), {"care_team": [colleague.pk]}
    )

    assert response.status_code == 302
    assert list(patient.care_team.all()) == [colleague]
    assert (
        client_for(colleague).get(reverse("patients:detail", args=[patient.pk])).status_code == 200
    )


def test_an_empty_or_foreign_care_team_is_refused_with_the_form_kept(
    clinic_admin, patient, other_clinic_clinician
):
    client = client_for(clinic_admin)
    url = reverse("patients:care_team", args=[patient.pk])

    empty = client.post(url, {})
    foreign = client.post(url, {"care_team": [other_clinic_clinician.pk]})

    assert empty.status_code == 200
    assert "at least one clinician" in empty.content.decode()
    assert foreign.status_code == 200
    assert "Pick the care team from your clinic" in foreign.content.decode()
    assert "Bob Stranger" not in foreign.content.decode()
    assert [u.full_name for u in patient.care_team.all()] == ["Alice Clinician"]


@pytest.mark.parametrize("who", ["clinician", "patient", "other_clinic_clinician"])
def test_only_the_clinics_admin_reaches_the_directory_and_staffing(who, request, patient):
    user = request.getfixturevalue(who)
    client = client_for(getattr(user, "user", user))

    assert client.get(reverse("patients:clinic_directory")).status_code == 403
    assert client.get(reverse("patients:care_team", args=[patient.pk])).status_code == 403
    assert client.get(reverse("audit:emergency_access", args=[patient.pk])).status_code == 403


def test_another_clinics_admin_finds_no_such_patient(patient, other_clinic_clinician):
    stranger_admin = UserFactory(
        clinic=other_clinic_clinician.clinic, role=User.Role.CLINIC_ADMIN, email="x@elsewhere.test"
    )
    client = client_for(stranger_admin)

    assert client.get(reverse("patients:care_team", args=[patient.pk])).status_code == 404
    assert client.get(reverse("audit:emergency_access", args=[patient.pk])).status_code == 404
    assert _open(client, patient).status_code == 404
    api = as_user(stranger_admin).post(
        f"/api/v1/patients/{patient.pk}/emergency-access/", {"reason": REASON}, format="json"
    )
    assert api.status_code == 404
    assert AccessGrant.objects.count() == 0


def test_opening_a_record_without_a_reason_is_refused(clinic_admin, patient):
    client = client_for(clinic_admin)

    blank = _open(client, patient, reason="   ")
    short = _open(client, patient, reason="because")
    api = as_user(clinic_admin).post(
        f"/api/v1/patients/{patient.pk}/emergency-access/", {"reason": ""}, format="json"
    )

    assert blank.status_code == 200
    assert "State why you need to open this record." in blank.content.decode()
    assert short.status_code == 200
    assert "at least 10 characters" in short.content.decode()
    assert "because</textarea>" in short.content.decode()  # what she typed is kept
    assert api.status_code == 400
    assert "reason" in api.json()
    assert AccessGrant.objects.count() == 0
    assert client.get(reverse("patients:detail", args=[patient.pk])).status_code == 302


def test_with_a_reason_the_record_opens_is_logged_and_the_care_team_is_told(
    clinic_admin, patient, clinician, django_capture_on_commit_callbacks
):
    # given Ada, off Pat's care team
    client = client_for(clinic_admin)

    # when she opens Pat's record, stating why
    response = _open(client, patient, capture=django_capture_on_commit_callbacks)

    # then Pat's page is hers, with a banner saying how long
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "through emergency access" in page.content.decode()
    # the grant and its log row name her, Pat and the reason
    grant = AccessGrant.objects.get()
    assert (grant.user, grant.patient, grant.reason) == (clinic_admin, patient, REASON)
    assert grant.expires_at - grant.opened_at == timedelta(minutes=60)
    opened = AuditEvent.objects.get(action="emergency_access")
    assert (opened.user_id, opened.patient_ids) == (clinic_admin.pk, [patient.pk])
    # Alice hears of it in the app and by email, without the reason
    note = Notification.objects.get(recipient=clinician, kind="emergency_access")
    assert note.link == reverse("audit:patient", args=[patient.pk])
    assert [m.to for m in mail.outbox] == [[clinician.email]]
    assert "red session" not in mail.outbox[0].body + mail.outbox[0].subject
    # Alice and Pat read who opened it and why
    audit = client_for(clinician).get(reverse("audit:patient", args=[patient.pk]))
    mine = client_for(patient.user).get(reverse("audit:record_views"))
    for page in (audit, mine):
        assert REASON in page.content.decode()
        assert "Ada Admin" in page.content.decode()


def test_asking_again_while_open_keeps_one_grant_and_one_notice(clinic_admin, patient):
    api = as_user(clinic_admin)
    url = f"/api/v1/patients/{patient.pk}/emergency-access/"

    first = api.post(url, {"reason": REASON}, format="json")
    again = api.post(url, {"reason": "Another reason altogether"}, format="json")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["reason"] == REASON
    assert AccessGrant.objects.count() == 1
    assert Notification.objects.filter(kind="emergency_access").count() == 1
    assert api.get(f"/api/v1/patients/{patient.pk}/").status_code == 200


def test_the_access_expires_after_the_set_time(clinic_admin, patient, settings):
    settings.GREENLIGHT = {**settings.GREENLIGHT, "BREAK_GLASS_MINUTES": 15}
    _open(client_for(clinic_admin), patient)
    assert list(patients_for(clinic_admin)) == [patient]

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        client = client_for(clinic_admin)
        page = client.get(reverse("patients:detail", args=[patient.pk]))
        api = as_user(clinic_admin).get(f"/api/v1/patients/{patient.pk}/")

        assert list(patients_for(clinic_admin)) == []
        assert page.status_code == 302
        assert page["Location"] == reverse("audit:emergency_access", args=[patient.pk])
        assert api.status_code == 404


def test_a_clinician_cannot_break_glass(clinician, other_patient):
    client = client_for(clinician)

    assert _open(client, other_patient).status_code == 403
    api = as_user(clinician).post(
        f"/api/v1/patients/{other_patient.pk}/emergency-access/", {"reason": REASON}, format="json"
    )
    assert api.status_code == 403
    assert AccessGrant.objects.count() == 0


def test_an_admin_on_the_care_team_is_sent_straight_to_the_record(clinic_admin, patient):
    patient.care_team.add(clinic_admin)

    response = client_for(clinic_admin).get(reverse("audit:emergency_access", args=[patient.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])
    assert AccessGrant.objects.count() == 0


def test_the_admin_reads_any_patients_access_log_without_opening_the_record(
    clinic_admin, patient, clinician
):
    client_for(clinician).get(reverse("patients:detail", args=[patient.pk]))

    response = client_for(clinic_admin).get(reverse("audit:patient", args=[patient.pk]))

    assert response.status_code == 200
    assert "Alice Clinician" in response.content.decode()
    assert AccessGrant.objects.count() == 0


def test_a_grant_cannot_be_changed(clinic_admin, patient):
    _open(client_for(clinic_admin), patient)
    grant = AccessGrant.objects.get()
    grant.expires_at += timedelta(days=1)

    with pytest.raises(Exception, match="cannot be changed"):
        grant.save()


def test_an_admin_cannot_put_themselves_on_a_care_team(clinic_admin, patient, clinician):
    # given Ada, who may staff Pat's care team but is not on it
    client = client_for(clinic_admin)

    # when she adds herself, from the directory or, with emergency access open, the edit form
    staffed = client.post(
        reverse("patients:care_team", args=[patient.pk]),
        {"care_team": [clinician.pk, clinic_admin.pk]},
    )
    _open(client, patient)
    edited = as_user(clinic_admin).patch(
        f"/api/v1/patients/{patient.pk}/",
        {"care_team": [clinician.pk, clinic_admin.pk]},
        format="json",
    )

    # then she is refused both ways: someone on the team must add her
    assert staffed.status_code == 200
    assert "cannot add yourself" in staffed.content.decode()
    assert edited.status_code == 400
    assert "cannot add yourself" in str(edited.json()["care_team"])
    assert [u.full_name for u in patient.care_team.all()] == ["Alice Clinician"]


def test_a_clinician_on_the_team_adds_the_admin(clinic_admin, patient, clinician):
    response = as_user(clinician).patch(
        f"/api/v1/patients/{patient.pk}/",
        {"care_team": [clinician.pk, clinic_admin.pk]},
        format="json",
    )

    assert response.status_code == 200
    assert list(patients_for(clinic_admin)) == [patient]


def test_without_opening_the_record_an_admin_sees_who_opened_it_not_why_nor_what_changed(
    clinic_admin, patient
):
    # given another admin opened Pat's record with a reason
    other_admin = UserFactory(
        clinic=clinic_admin.clinic, role=User.Role.CLINIC_ADMIN, full_name="Otto Admin"
    )
    _open(client_for(other_admin), patient)

    # when Ada, who has not opened it, reads its access log (page and API)
    page = client_for(clinic_admin).get(reverse("audit:patient", args=[patient.pk]))
    changes = client_for(clinic_admin).get(
        reverse("audit:patient", args=[patient.pk]), {"kind": "change"}
    )
    api = as_user(clinic_admin).get(f"/api/v1/patients/{patient.pk}/audit/?kind=change")

    # then she sees Otto opened it, but neither his reason nor the record's changes
    content = page.content.decode()
    assert "Otto Admin" in content
    assert REASON not in content
    assert "?kind=change" not in content
    assert REASON not in changes.content.decode()
    assert "Each change to the record" not in changes.content.decode()
    assert api.status_code == 403
