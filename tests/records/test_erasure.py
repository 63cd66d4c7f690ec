"""A patient's erasure request: identifiers pseudonymised at once everywhere, login closed,
the clinical record kept until its retention ends, then deleted with its change history.

The identifier searches read every text, JSON and date column of every table in the database,
the change-history tables included, so a new column holding a name or a note is covered.
"""

from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.audit.services import emergency_access_open
from apps.care.models import Message, VisitNote
from apps.care.services import message_send, visit_note_record
from apps.painlogs.models import Activity, ExerciseResult, Workout
from apps.painlogs.services import ResultInput, activity_log, workout_log
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program, ProgressionChange
from apps.programs.services import prescription_level_change
from apps.records.erasure import erasures_purge
from apps.records.models import ErasureRequest
from tests.api.clients import as_user
from tests.conftest import client_for
from tests.factories import PASSWORD, totp_enrol

pytestmark = pytest.mark.django_db

NAME, EMAIL, BORN = "Pat Quennell", "pat@example.com", date(1988, 7, 23)
# Free text that names them, typed by the patient and their clinicians.
MARKER = "Quennell-0417"


def _history_of_a_full_record(patient, program, clinician, clinic_admin):
    """Six weeks' worth in miniature, each written through its service (so on PostgreSQL each
    leaves change history), with the patient's name or phone in every free-text field."""
    patient.date_of_birth = BORN
    patient.diagnosis = f"cam FAI, told {MARKER}"
    patient.save()
    user = patient.user
    user.full_name = "Pat Quennell-Jones"  # an earlier name, in the history only
    user.save()
    user.full_name = NAME
    user.save()
    item = program.items.first()
    PrescribedExercise.with_ended.filter(pk=item.pk).update(notes=f"{MARKER} keeps knee out")
    workout_log(
        user=user,
        note=f"hill by the river, {MARKER}",
        performed_at=timezone.now() - timedelta(days=2),
        results=[ResultInput(prescribed=item, set_values=[10, 9, 8], pain_during=2, note=MARKER)],
    )
    activity_log(
        user=user,
        kind="run",
        date=timezone.localdate() - timedelta(days=1),
        duration_minutes=30,
        pain_during=1,
        description=f"parkrun with {MARKER}",
    )
    message_send(author=user, patient=patient, body=f"Hi, {NAME} here: call 0417 {MARKER}")
    visit_note_record(
        clinician=clinician,
        patient=patient,
        visit_date=timezone.localdate(),
        kind="in_clinic",
        text=f"{NAME} ran 5 km pain-free. {MARKER}",
    )
    prescription_level_change(
        item=item, direction="progress", reason=f"{NAME} ready, {MARKER}", by=clinician
    )
    emergency_access_open(admin=clinic_admin, patient=patient, reason=f"{MARKER} called in pain")
    LogEntry.objects.log_actions(
        user_id=clinic_admin.pk,
        queryset=User.objects.filter(pk=user.pk),
        action_flag=CHANGE,
        change_message="Changed email.",
    )
    EmailAddress.objects.create(user=user, email=EMAIL, primary=True, verified=True)
    totp_enrol(user)
    token, _ = AuthToken.objects.create(user)
    LogEntry.objects.log_actions(  # the admin site prints a token with its owner's name
        user_id=clinic_admin.pk,
        queryset=AuthToken.objects.filter(pk=token.pk),
        action_flag=CHANGE,
        change_message="Expiry changed.",
    )


def _texts_containing(*needles: str) -> dict[str, int]:
    """Every column of every table (text, JSON or date, read as text) holding a needle."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = current_schema()
                 AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'date')"""
        )
        for table, column in cursor.fetchall():
            for needle in needles:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608 - names from the catalogue
                    [f"%{needle}%"],
                )
                if count := cursor.fetchone()[0]:
                    found[f"{table}.{column} ~ {needle}"] = count
    return found


def _clinical_counts(patient) -> dict[str, int]:
    return {
        "programs": Program.objects.filter(patient=patient).count(),
        "prescriptions": PrescribedExercise.with_ended.filter(program__patient=patient).count(),
        "level changes": ProgressionChange.objects.filter(
            prescribed__program__patient=patient
        ).count(),
        "workouts": Workout.objects.filter(patient=patient).count(),
        "results": ExerciseResult.objects.filter(workout__patient=patient).count(),
        "activities": Activity.objects.filter(patient=patient).count(),
        "messages": Message.objects.filter(patient=patient).count(),
        "visit notes": VisitNote.objects.filter(patient=patient).count(),
    }


def _erase(clinic_admin, patient, **overrides):
    form = {
        "received_on": str(timezone.localdate()),
        "confirm_name": NAME,
        "identity_checked": "on",
        **overrides,
    }
    return client_for(clinic_admin).post(reverse("records:erase", args=[patient.pk]), form)


def test_after_pseudonymisation_no_identifier_remains_anywhere_and_the_record_does(
    postgres, patient, program, clinician, clinic_admin
):
    # given Pat's record, with identifiers in every free-text field and in the history
    _history_of_a_full_record(patient, program, clinician, clinic_admin)
    needles = (NAME, "Quennell", EMAIL, BORN.isoformat(), MARKER)
    assert set(_texts_containing(*needles)) >= {
        "accounts_user.full_name ~ Pat Quennell",
        "history_userevent.full_name ~ Quennell",
        "history_messageevent.body ~ Quennell-0417",
        "account_emailaddress.email ~ pat@example.com",
        "django_admin_log.object_repr ~ Pat Quennell",
    }
    before = _clinical_counts(patient)

    # when the clinic admin processes Pat's erasure request
    response = _erase(clinic_admin, patient)

    # then no column of any table holds Pat's name, email, date of birth or words
    assert response.status_code == 302
    assert _texts_containing(*needles) == {}
    # and the clinical record is all there under a pseudonym, kept out of use: no page shows it
    assert _clinical_counts(patient) == before
    patient.refresh_from_db()
    assert patient.user.full_name == f"Erased patient {patient.pk}"
    assert patient.date_of_birth == date(1988, 1, 1)
    assert patient.erased_at is not None
    assert ExerciseResult.objects.get(workout__patient=patient).set_values == [10, 9, 8]
    page = client_for(clinician).get(reverse("patients:detail", args=[patient.pk]))
    assert page.status_code == 404


def test_an_erased_record_cannot_be_opened_changed_or_restaffed(
    patient, clinician, clinic_admin, colleague
):
    _erase(clinic_admin, patient)
    patient.refresh_from_db()
    admin = client_for(clinic_admin)

    directory = admin.get(reverse("patients:clinic_directory"))
    restaff = admin.post(
        reverse("patients:care_team", args=[patient.pk]), {"care_team": [colleague.pk]}
    )
    opened = admin.post(
        reverse("audit:emergency_access", args=[patient.pk]), {"reason": "Checking the record"}
    )
    edit = client_for(clinician).get(reverse("patients:edit", args=[patient.pk]))
    api = as_user(clinician).patch(
        f"/api/v1/patients/{patient.pk}/", {"full_name": "Pat Quennell"}, format="json"
    )

    assert f"Erased patient {patient.pk}" in directory.content.decode()
    assert "erased" in directory.content.decode()
    assert restaff.status_code == 200
    assert "erased" in restaff.content.decode()
    assert opened.status_code == 200
    assert "erased" in opened.content.decode()
    assert edit.status_code == 404
    assert api.status_code == 404
    assert [u.full_name for u in patient.care_team.all()] == ["Alice Clinician"]
    assert User.objects.get(pk=patient.user_id).full_name == f"Erased patient {patient.pk}"


def test_the_login_is_closed_at_once(patient, program, clinician, clinic_admin):
    # given Pat signed in on a browser, with an app token and an authenticator
    browser = client_for(patient.user)
    _, token = AuthToken.objects.create(patient.user)
    totp_enrol(patient.user)

    _erase(clinic_admin, patient)

    # then the browser session is over, the token and the password no longer work
    assert browser.get(reverse("painlogs:today")).status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/").status_code == 401
    assert not Client().login(email=EMAIL, password=PASSWORD)
    assert not Authenticator.objects.filter(user=patient.user).exists()
    user = User.objects.get(pk=patient.user_id)
    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.email_reminders
    assert Patient.objects.get(pk=patient.pk).reminders_paused


def test_the_request_is_recorded_with_ids_and_dates_only(patient, clinic_admin, settings):
    settings.GREENLIGHT = {**settings.GREENLIGHT, "RECORD_RETENTION_YEARS": 8}
    asked = timezone.localdate() - timedelta(days=3)

    _erase(clinic_admin, patient, received_on=str(asked))

    request = ErasureRequest.objects.get()
    assert (request.patient_id, request.user_id, request.received_on) == (
        patient.pk,
        patient.user_id,
        asked,
    )
    assert request.processed_by == clinic_admin
    assert request.delete_after.year == request.processed_at.year + 8
    assert AuditEvent.objects.filter(action="erasure_processed", user=clinic_admin).count() == 1


def test_a_wrong_name_a_missing_check_or_a_future_date_changes_nothing(patient, clinic_admin):
    tomorrow = str(timezone.localdate() + timedelta(days=1))

    wrong_name = _erase(clinic_admin, patient, confirm_name="Pat Walker")
    unchecked = _erase(clinic_admin, patient, identity_checked="")
    future = _erase(clinic_admin, patient, received_on=tomorrow)

    assert wrong_name.status_code == 200
    assert "That is not the patient" in wrong_name.content.decode()
    assert 'value="Pat Walker"' in wrong_name.content.decode()
    assert unchecked.status_code == 200
    assert "Check the request comes from the patient" in unchecked.content.decode()
    assert future.status_code == 200
    assert "cannot come from the future" in future.content.decode()
    assert ErasureRequest.objects.count() == 0
    assert User.objects.get(pk=patient.user_id).full_name == NAME


@pytest.mark.parametrize("who", ["clinician", "patient", "other_clinic_clinician"])
def test_only_the_clinics_admin_processes_an_erasure(who, request, patient):
    user = request.getfixturevalue(who)
    client = client_for(getattr(user, "user", user))

    response = client.post(
        reverse("records:erase", args=[patient.pk]),
        {"received_on": str(timezone.localdate()), "confirm_name": NAME, "identity_checked": "on"},
    )

    assert response.status_code == 403
    assert ErasureRequest.objects.count() == 0


def test_another_clinics_admin_and_a_second_request_find_no_patient(
    patient, clinic_admin, other_clinic_clinician
):
    stranger_admin = User.objects.create_user(
        email="x@elsewhere.test",
        password=PASSWORD,
        role=User.Role.CLINIC_ADMIN,
        clinic=other_clinic_clinician.clinic,
        full_name="Xavier",
    )

    assert _erase(stranger_admin, patient).status_code == 404
    assert _erase(clinic_admin, patient).status_code == 302
    assert _erase(clinic_admin, patient).status_code == 404  # already erased
    assert ErasureRequest.objects.count() == 1


def test_before_the_retention_ends_the_purge_keeps_the_record(patient, program, clinic_admin):
    _erase(clinic_admin, patient)
    request = ErasureRequest.objects.get()

    assert erasures_purge(now=request.delete_after - timedelta(days=1)) == 0
    assert Patient.objects.filter(pk=patient.pk).exists()
    assert Program.objects.filter(patient_id=patient.pk).exists()


def _rows_naming(patient_id: int, user_id: int) -> dict[str, int]:
    """Rows of any model that point at the patient or their user, by a relation or as the
    change history of such a row."""
    targets = {Patient: patient_id, User: user_id}
    found = {}
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue  # views over other tables (pghistory's Events)
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in targets:
                if field.name == "pgh_obj" or field.model is AuditEvent:
                    continue  # history is checked below; the audit log is meant to stay
                value = targets[field.related_model]
                if count := model._base_manager.filter(**{field.attname: value}).count():
                    found[f"{model._meta.label}.{field.name}"] = count
    for event_model in apps.get_app_config("history").get_models():
        tracked = event_model._meta.get_field("pgh_obj").related_model
        mine = event_model.objects.none()
        if tracked in targets:
            mine = event_model.objects.filter(pgh_obj_id=targets[tracked])
        names = {f.name for f in event_model._meta.concrete_fields}
        if "patient" in names:
            mine = mine | event_model.objects.filter(patient_id=patient_id)
        if count := mine.count():
            found[event_model._meta.label] = count
    return found


def test_after_the_retention_only_the_audit_entries_and_the_request_remain(
    postgres, patient, program, clinician, clinic_admin
):
    # given Pat's full record, erased
    _history_of_a_full_record(patient, program, clinician, clinic_admin)
    _erase(clinic_admin, patient)
    request = ErasureRequest.objects.get()
    ids = (patient.pk, patient.user_id)
    assert _rows_naming(*ids) != {}
    views_logged = AuditEvent.objects.filter(patient_ids__contains=[patient.pk]).count()

    # when the daily task runs after the retention period
    purged = erasures_purge(now=request.delete_after + timedelta(seconds=1))

    # then nothing of Pat's record or its history is left, nor their pseudonym
    assert purged == 1
    assert _rows_naming(*ids) == {}
    assert _texts_containing(f"Erased patient {patient.pk}", f"erased-{patient.user_id}@") == {}
    # but the audit log of who saw the record stays, and the request, marked done
    assert AuditEvent.objects.filter(patient_ids__contains=[patient.pk]).count() == views_logged
    assert views_logged > 0
    request.refresh_from_db()
    assert request.deleted_at is not None
    # and a second run has nothing more to do
    assert erasures_purge(now=request.delete_after + timedelta(days=1)) == 0


def test_after_the_retention_the_record_goes_on_sqlite_too(patient, program, clinic_admin):
    workout_log(
        user=patient.user,
        performed_at=timezone.now() - timedelta(days=1),
        results=[ResultInput(prescribed=program.items.first(), set_values=[10], pain_during=1)],
    )
    _erase(clinic_admin, patient)
    request = ErasureRequest.objects.get()

    erasures_purge(now=request.delete_after + timedelta(seconds=1))

    assert _rows_naming(patient.pk, patient.user_id) == {}
    assert not Workout.objects.filter(patient_id=patient.pk).exists()


def test_the_purge_task_is_on_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["erasure-purge"]["task"] == (
        "apps.records.tasks.erasure_purge"
    )
