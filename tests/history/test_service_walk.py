"""Every service that writes patient data leaves a history event naming who acted.

``WRITES`` pairs each such service with a call as a person would make it; ``NOT_PATIENT_DATA``
names the rest, with the reason. A new public service in these modules is in neither and fails
the first test until someone decides which it is.
"""

import importlib
import inspect
from datetime import time, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.accounts import services as accounts
from apps.accounts.models import User
from apps.care import services as care
from apps.care.models import CardAssignment, EducationCard
from apps.history import models as history
from apps.history.context import history_context, worker_context
from apps.media import services as media
from apps.outcomes import services as outcomes
from apps.outcomes.selectors import questionnaire_for
from apps.painlogs import services as painlogs
from apps.painlogs.services import ResultInput
from apps.patients import services as patients
from apps.program_templates import services as program_templates
from apps.program_templates.models import ProgramTemplate
from apps.programs import services as programs
from apps.programs.services import ItemInput
from apps.records import erasure
from tests.factories import image_bytes, prescription_photo, upload
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db

SERVICE_MODULES = [
    "apps.accounts.services",
    "apps.patients.services",
    "apps.programs.services",
    "apps.painlogs.services",
    "apps.care.services",
    "apps.records.erasure",
    "apps.review.services",
    "apps.program_templates.services",
    "apps.handouts.services",
    "apps.media.services",
    "apps.outcomes.services",
]

NOT_PATIENT_DATA = {
    "accounts.invite_link": "builds a link, writes nothing",
    "accounts.password_reset_link": "builds a link, writes nothing",
    "accounts.user_invitation_queue": "queues an email job",
    "accounts.user_password_reset_queue": "queues email jobs",
    "accounts.user_other_sessions_delete": "sessions, not the record",
    "accounts.user_sessions_end": "sessions (session_generation is not history)",
    "accounts.user_password_changed": "sessions; the hash is never copied to history",
    "accounts.user_token_revoke": "API tokens",
    "accounts.user_tokens_revoke": "API tokens",
    "accounts.tokens_expired_delete": "API tokens past their expiry",
    "review.status_on_stale": "the stored status: derived from the record, recomputed from it",
    "review.statuses_refresh": "the stored status: derived from the record, recomputed from it",
    "review.statuses_refresh_all": "the stored status, for everyone",
    "programs.prescription_caution_check": "a check, writes nothing",
    "programs.target_step_rate_default": "arithmetic",
    "care.message_notify": "notifications (delivery records), not the message",
    "care.card_create": "the clinic's card library, about no patient",
    "program_templates.template_items": "reads a template, writes nothing",
    "program_templates.template_create": "a clinic's template, about no patient",
    "program_templates.template_from_program": "a clinic's template: no patient kept in it",
    "program_templates.template_update": "a clinic's template, about no patient",
    "program_templates.template_delete": "a clinic's template, about no patient",
    "handouts.handout_email": "a notification (a delivery record) with a link, not the record",
    "outcomes.questionnaire_import": "the clinic's questionnaire definitions, about no patient",
    "records.pseudonym": "a string",
    "records.pseudonymous_email": "a string",
    "records.retention_end_for_new_request": "a date",
    "records.erasures_purge": "deletes a record and its history once retention ends "
    "(tests/records/test_erasure.py)",
}


def _bridge(program):
    return program.items.get(exercise__slug="banded-bridge-knees-out")


def _top_sessions(f):
    """Two sessions at the top of the bridge's dose, within the ceiling: ready to progress."""
    for days_ago in (6, 4):
        logged_session(f.patient, _bridge(f.program), days_ago=days_ago, set_values=[10] * 3)


def _auto(f):
    f.patient.auto_progression = True
    f.patient.save()
    _top_sessions(f)


def _results(f):
    return [ResultInput(prescribed=_bridge(f.program), set_values=[10, 9, 8], pain_during=1)]


def _patient_fields(f):
    return dict(
        full_name="Pat Quennell",
        timezone="Europe/Paris",
        date_of_birth=f.patient.date_of_birth,
        condition=f.patient.condition,
        affected_side=f.patient.affected_side,
        diagnosis="cam-type FAI",
        reminder_time=time(7, 0),
        care_team=[f.clinician],
    )


def _activity(f):
    return painlogs.activity_log(
        user=f.patient.user,
        kind="run",
        date=timezone.localdate() - timedelta(days=2),  # the day before, in any zone
        duration_minutes=20,
        pain_during=1,
    )


def _hip_rating(f, answers=None):
    response = outcomes.response_open(
        patient=f.patient,
        questionnaire=questionnaire_for(clinic=f.patient.clinic, code="hip-rating"),
        due_date=timezone.localdate(),
    )
    if answers:
        outcomes.response_answer(user=f.patient.user, response=response, answers=answers)
    return response


def _due_open(f):
    outcomes.schedule_set(clinician=f.clinician, program=f.program, code="psfs")
    return outcomes.questionnaires_due_open(f.patient, f.program.start_date)


def _due_open_many(f):
    outcomes.schedule_set(clinician=f.clinician, program=f.program, code="psfs")
    return outcomes.questionnaires_due_open_many({f.patient.pk: f.program.start_date})


def _discharge_open(f):
    outcomes.schedule_set(clinician=f.clinician, program=f.program, code="grc", at_discharge=True)
    return outcomes.discharge_open(f.program)


def _assignment(f):
    card = EducationCard.objects.filter(clinic__isnull=True).first()
    care.program_cards_set(clinician=f.clinician, program=f.program, cards=[card])
    return CardAssignment.objects.get(program=f.program)


# name: (event model, setup(f) -> (actor, call)); the actor "system" is a worker's.
WRITES = {
    "accounts.clinic_create": (
        history.UserEvent,
        lambda f: (
            f.clinic_admin,
            lambda: accounts.clinic_create(
                name="Hillside",
                timezone="UTC",
                admin_email="h@hillside.test",
                admin_name="Hil",
                admin_password="a long enough password 1",
            ),
        ),
    ),
    "accounts.clinic_onboard": (
        history.UserEvent,
        lambda f: (
            f.clinic_admin,
            lambda: accounts.clinic_onboard(name="Lakeside", admin_email="l@lakeside.test"),
        ),
    ),
    "accounts.clinician_create": (
        history.UserEvent,
        lambda f: (
            f.clinic_admin,
            lambda: accounts.clinician_create(
                admin=f.clinic_admin, email="new@riverside.test", full_name="New", role="clinician"
            ),
        ),
    ),
    "accounts.user_create_invited": (
        history.UserEvent,
        lambda f: (
            f.clinician,
            lambda: accounts.user_create_invited(
                invited_by=f.clinician,
                email="newpat@example.com",
                full_name="New Patient",
                role=User.Role.PATIENT,
                clinic=f.clinician.clinic,
            ),
        ),
    ),
    "accounts.user_deactivate": (
        history.UserEvent,
        lambda f: (
            f.clinic_admin,
            lambda: accounts.user_deactivate(admin=f.clinic_admin, user=f.colleague),
        ),
    ),
    "accounts.user_reactivate": (
        history.UserEvent,
        lambda f: (
            accounts.user_deactivate(admin=f.clinic_admin, user=f.colleague) and f.clinic_admin,
            lambda: accounts.user_reactivate(admin=f.clinic_admin, user=f.colleague),
        ),
    ),
    "patients.patient_create": (
        history.PatientEvent,
        lambda f: (
            f.clinician,
            lambda: patients.patient_create(
                clinician=f.clinician,
                email="new@example.com",
                full_name="New Patient",
                date_of_birth=f.patient.date_of_birth,
                condition=f.patient.condition,
                affected_side=f.patient.affected_side,
                timezone="UTC",
            ),
        ),
    ),
    "patients.patient_update": (
        history.PatientEvent,
        lambda f: (
            f.clinician,
            lambda: patients.patient_update(patient=f.patient, **_patient_fields(f)),
        ),
    ),
    "records.patient_erase": (
        history.UserEvent,
        lambda f: (
            f.clinic_admin,
            lambda: erasure.patient_erase(
                admin=f.clinic_admin, patient=f.patient, received_on=timezone.localdate()
            ),
        ),
    ),
    "patients.care_team_set": (
        history.CareTeamEvent,
        lambda f: (
            f.clinic_admin,
            lambda: patients.care_team_set(
                admin=f.clinic_admin, patient=f.patient, care_team=[f.colleague]
            ),
        ),
    ),
    "patients.patient_preferences_update": (
        history.PatientEvent,
        lambda f: (
            f.patient.user,
            lambda: patients.patient_preferences_update(
                patient=f.patient,
                reminder_time=time(6, 30),
                reminders_paused=True,
                email_reminders=False,
            ),
        ),
    ),
    "programs.program_assign": (
        history.ProgramEvent,
        lambda f: (
            f.clinician,
            lambda: programs.program_assign(
                clinician=f.clinician,
                patient=f.patient,
                start_date=timezone.localdate(),
                review_date=timezone.localdate() + timedelta(days=28),
                items=[ItemInput(exercise=_bridge(f.program).exercise)],
            ),
        ),
    ),
    "program_templates.program_from_template_assign": (
        history.ProgramEvent,
        lambda f: (
            f.clinician,
            lambda: program_templates.program_from_template_assign(
                clinician=f.clinician,
                patient=f.patient,
                template=ProgramTemplate.objects.get(name="Trunk endurance"),
                start_date=timezone.localdate(),
            ),
        ),
    ),
    "program_templates.template_cards_apply": (
        history.CardAssignmentEvent,
        lambda f: (
            f.clinician,
            lambda: program_templates.template_cards_apply(
                clinician=f.clinician,
                program=f.program,
                cards=[EducationCard.objects.get(slug="when-it-flares")],
            ),
        ),
    ),
    "programs.program_update": (
        history.PrescribedExerciseEvent,
        lambda f: (
            f.clinician,
            lambda: programs.program_update(
                clinician=f.clinician,
                program=f.program,
                items=[ItemInput.from_row(_bridge(f.program))],
            ),
        ),
    ),
    "programs.program_end": (
        history.ProgramEvent,
        lambda f: (
            f.clinician,
            lambda: programs.program_end(
                clinician=f.clinician, program=f.program, reason="Goals met"
            ),
        ),
    ),
    "programs.prescription_level_change": (
        history.ProgressionChangeEvent,
        lambda f: (
            f.clinician,
            lambda: programs.prescription_level_change(
                item=_bridge(f.program), direction="progress", reason="Ready", by=f.clinician
            ),
        ),
    ),
    "programs.prescription_dose_reduce": (
        history.ProgressionChangeEvent,
        lambda f: (
            f.clinician,
            lambda: programs.prescription_dose_reduce(
                item=_bridge(f.program), reason="Two reds this week", by=f.clinician
            ),
        ),
    ),
    "programs.suggestion_apply": (
        history.ProgressionChangeEvent,
        lambda f: (
            _top_sessions(f) or f.clinician,
            lambda: programs.suggestion_apply(clinician=f.clinician, item=_bridge(f.program)),
        ),
    ),
    "programs.auto_progression_check": (
        history.ProgressionChangeEvent,
        lambda f: (
            _auto(f) or "system",
            lambda: worker_context(programs.auto_progression_check)(patient_id=f.patient.pk),
        ),
    ),
    "programs.auto_progression_run": (
        history.ProgressionChangeEvent,
        lambda f: (
            _auto(f) or "system",
            lambda: worker_context(programs.auto_progression_run)(patient=f.patient),
        ),
    ),
    "painlogs.workout_log": (
        history.ExerciseResultEvent,
        lambda f: (
            f.patient.user,
            lambda: painlogs.workout_log(user=f.patient.user, results=_results(f)),
        ),
    ),
    "painlogs.workout_log_idempotent": (
        history.WorkoutEvent,
        lambda f: (
            f.patient.user,
            lambda: painlogs.workout_log_idempotent(
                user=f.patient.user,
                key="k1",
                body_hash="h",
                log=lambda: painlogs.workout_log(user=f.patient.user, results=_results(f)),
            ),
        ),
    ),
    "painlogs.followup_record": (
        history.WorkoutEvent,
        lambda f: (
            f.patient.user,
            lambda: painlogs.followup_record(
                user=f.patient.user,
                workout=logged_session(
                    f.patient, _bridge(f.program), days_ago=2, set_values=[8] * 3, after=None
                ),
                pain=2,
            ),
        ),
    ),
    "painlogs.activity_log": (
        history.ActivityEvent,
        lambda f: (f.patient.user, lambda: _activity(f)),
    ),
    "painlogs.activity_soreness_record": (
        history.ActivityEvent,
        lambda f: (
            f.patient.user,
            lambda: painlogs.activity_soreness_record(
                user=f.patient.user, activity=f.activity, soreness=2
            ),
        ),
    ),
    "care.message_send": (
        history.MessageEvent,
        lambda f: (
            f.patient.user,
            lambda: care.message_send(author=f.patient.user, patient=f.patient, body="Sore hip"),
        ),
    ),
    "care.thread_mark_read": (
        history.MessageReceiptEvent,
        lambda f: (
            care.message_send(author=f.patient.user, patient=f.patient, body="Hi") and f.clinician,
            lambda: care.thread_mark_read(reader=f.clinician, patient=f.patient),
        ),
    ),
    "care.program_cards_set": (
        history.CardAssignmentEvent,
        lambda f: (f.clinician, lambda: _assignment(f)),
    ),
    "care.card_mark_read": (
        history.CardAssignmentEvent,
        lambda f: (
            f.patient.user,
            lambda: care.card_mark_read(user=f.patient.user, assignment=f.assignment),
        ),
    ),
    "care.visit_note_record": (
        history.VisitNoteEvent,
        lambda f: (
            f.clinician,
            lambda: care.visit_note_record(
                clinician=f.clinician,
                patient=f.patient,
                visit_date=timezone.localdate(),
                kind="in_clinic",
                text="Hip flexor release; next in two weeks.",
            ),
        ),
    ),
    "media.media_upload": (
        history.ExerciseMediaEvent,
        lambda f: (
            f.clinician,
            lambda: media.media_upload(
                user=f.clinician, file=upload(image_bytes()), prescribed=_bridge(f.program)
            ),
        ),
    ),
    "media.media_delete": (
        history.ExerciseMediaEvent,
        lambda f: (
            f.clinician,
            lambda: media.media_delete(
                user=f.clinician, media=prescription_photo(f.clinician, _bridge(f.program))
            ),
        ),
    ),
    "outcomes.schedule_set": (
        history.QuestionnaireScheduleEvent,
        lambda f: (
            f.clinician,
            lambda: outcomes.schedule_set(clinician=f.clinician, program=f.program, code="psfs"),
        ),
    ),
    "outcomes.schedule_remove": (
        history.QuestionnaireScheduleEvent,
        lambda f: (
            f.clinician,
            lambda: outcomes.schedule_remove(
                clinician=f.clinician,
                schedule=outcomes.schedule_set(
                    clinician=f.clinician, program=f.program, code="grc"
                ),
            ),
        ),
    ),
    "outcomes.questionnaires_due_open": (
        history.QuestionnaireResponseEvent,
        lambda f: (
            "system",
            lambda: worker_context(_due_open)(f),
        ),
    ),
    "outcomes.questionnaires_due_open_many": (
        history.QuestionnaireResponseEvent,
        lambda f: ("system", lambda: worker_context(_due_open_many)(f)),
    ),
    "outcomes.discharge_open": (
        history.QuestionnaireResponseEvent,
        lambda f: ("system", lambda: worker_context(_discharge_open)(f)),
    ),
    "outcomes.response_open": (
        history.QuestionnaireResponseEvent,
        lambda f: ("system", lambda: worker_context(_hip_rating)(f)),
    ),
    "outcomes.response_answer": (
        history.QuestionnaireResponseEvent,
        lambda f: (
            f.patient.user,
            lambda: outcomes.response_answer(
                user=f.patient.user, response=_hip_rating(f), answers={"hip-rating": 70}
            ),
        ),
    ),
    "outcomes.response_complete": (
        history.QuestionnaireResponseEvent,
        lambda f: (
            f.patient.user,
            lambda: outcomes.response_complete(
                user=f.patient.user, response=_hip_rating(f, {"hip-rating": 70})
            ),
        ),
    ),
}


def _public_services() -> set[str]:
    names = set()
    for path in SERVICE_MODULES:
        module = importlib.import_module(path)
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == path and not name.startswith("_"):
                names.add(f"{path.split('.')[1]}.{name}")
    return names


def test_every_public_service_is_walked_or_said_not_to_write_patient_data():
    # given the public functions of the services modules
    services = _public_services()
    # then each is either walked below or named as not writing patient data, never both
    assert services - WRITES.keys() - NOT_PATIENT_DATA.keys() == set(), "add it to WRITES"
    assert WRITES.keys() & NOT_PATIENT_DATA.keys() == set()
    assert (WRITES.keys() | NOT_PATIENT_DATA.keys()) - services == set(), "a stale entry"


@pytest.fixture
def world(clinician, colleague, clinic_admin, patient, program):
    f = SimpleNamespace(
        clinician=clinician,
        colleague=colleague,
        clinic_admin=clinic_admin,
        patient=patient,
        program=program,
    )
    f.activity = _activity(f)
    return f


@pytest.mark.parametrize("name", sorted(WRITES))
def test_the_service_leaves_a_history_event_naming_the_actor(postgres, world, name):
    event_model, setup = WRITES[name]
    if name == "care.card_mark_read":
        world.assignment = _assignment(world)
    # given what the service needs, and the events so far
    actor, call = setup(world)
    before = event_model.objects.order_by("-pgh_id").values_list("pgh_id", flat=True).first() or 0
    # when the service runs as a request or a task runs it
    if actor == "system":
        call()
    else:
        with history_context(user=actor.pk, source="browser", path="/walk/"):
            call()
    # then its change is in the history, with who made it
    events = list(event_model.objects.filter(pgh_id__gt=before).select_related("pgh_context"))
    assert events, f"{name} left no {event_model.__name__}"
    expected = {"actor": "system", "user": None} if actor == "system" else {"user": actor.pk}
    for event in events:
        metadata = event.pgh_context.metadata
        assert {k: metadata.get(k) for k in expected} == expected, (name, metadata)
