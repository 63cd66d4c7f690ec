"""The change history of patient data, written by PostgreSQL triggers (django-pghistory).

Every insert, update and delete of a tracked row adds an event row here, whatever wrote it: a
service, a bulk ``.update()``, raw SQL. An event keeps its row's values and a reference to the
row without a foreign-key constraint, so the history of a row outlives the row. Each event
points at the context of the request or task that wrote it (``pgh_context.metadata``: the
acting user's id, ``source`` api / browser / worker, the path or task).

The event tables are append-only: a trigger refuses UPDATE and DELETE; only the retention task
deletes, inside ``pgtrigger.ignore`` (services.py). On SQLite nothing is captured: the tables
exist but stay empty.
"""

import pghistory

from apps.accounts.models import User
from apps.care.models import CardAssignment, Message, MessageReceipt, VisitNote
from apps.media.models import ExerciseMedia
from apps.outcomes.models import QuestionnaireResponse, QuestionnaireSchedule
from apps.painlogs.models import Activity, ExerciseResult, Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program, ProgressionChange


def _track(model, name: str, **options):
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=name,
        app_label="history",
        append_only=True,
        **options,
    )(model)


_track(Patient, "PatientEvent")
_track(Patient.care_team.through, "CareTeamEvent")
# A sign-in or a password change is not a change of the patient's record; the hash never
# leaves the users table.
_track(User, "UserEvent", exclude=["password", "last_login", "session_generation"])
_track(Program, "ProgramEvent")
_track(PrescribedExercise, "PrescribedExerciseEvent")
_track(ProgressionChange, "ProgressionChangeEvent")
_track(Workout, "WorkoutEvent")
_track(ExerciseResult, "ExerciseResultEvent")
_track(Activity, "ActivityEvent")
_track(Message, "MessageEvent")
_track(MessageReceipt, "MessageReceiptEvent")
_track(CardAssignment, "CardAssignmentEvent")
_track(VisitNote, "VisitNoteEvent")
# Filmed in clinic for one patient; a clinic's media of an exercise are tracked alike.
_track(ExerciseMedia, "ExerciseMediaEvent")
_track(QuestionnaireSchedule, "QuestionnaireScheduleEvent")
_track(QuestionnaireResponse, "QuestionnaireResponseEvent")
