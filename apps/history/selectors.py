"""Reads of the change history: a patient's record, as the care team sees it."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from pghistory.models import Events

from apps.accounts.models import User
from apps.audit.selectors import TrailUnavailable
from apps.patients.models import Patient

from .context import history_captured

# What each tracked table is, in words.
MODEL_LABELS = {
    "history.PatientEvent": "Profile",
    "history.CareTeamEvent": "Care team",
    "history.UserEvent": "Account",
    "history.ProgramEvent": "Program",
    "history.PrescribedExerciseEvent": "Prescription",
    "history.ProgressionChangeEvent": "Level change",
    "history.WorkoutEvent": "Workout",
    "history.ExerciseResultEvent": "Exercise result",
    "history.ActivityEvent": "Activity",
    "history.MessageEvent": "Message",
    "history.MessageReceiptEvent": "Message read",
    "history.CardAssignmentEvent": "Education card",
    "history.VisitNoteEvent": "Visit note",
}
ACTIONS = {"insert": "added", "update": "changed", "delete": "removed"}


@dataclass(frozen=True)
class Change:
    at: datetime
    action: str
    what: str
    fields: list[str]
    user: User | None
    source: str


class ChangeTrail:
    """A patient's change events, newest first, sliced by the paginator one page at a time.

    The events of every tracked table that point at the patient (their profile, care team,
    programs, workouts, activities, messages, notes), with the names of the people who made
    them read in one query per page.
    """

    def __init__(self, patient: Patient):
        self.events: QuerySet[Events] = Events.objects.references(patient).order_by(
            "-pgh_created_at", "-pgh_id"
        )

    def count(self) -> int:
        return self.events.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Change]:
        rows = list(self.events[window])
        contexts = [row.pgh_context or {} for row in rows]
        ids = {int(c["user"]) for c in contexts if str(c.get("user", "")).isdigit()}
        people = User.objects.in_bulk(ids)
        return [
            Change(
                at=row.pgh_created_at,
                action=ACTIONS.get(row.pgh_label, row.pgh_label),
                what=MODEL_LABELS.get(row.pgh_model, row.pgh_model),
                fields=sorted((row.pgh_diff or {}).keys()),
                user=people.get(int(c["user"])) if str(c.get("user", "")).isdigit() else None,
                source=c.get("source", ""),
            )
            for row, c in zip(rows, contexts, strict=True)
        ]


def change_trail(patient: Patient) -> ChangeTrail:
    if not history_captured():
        raise TrailUnavailable("The change history is recorded on PostgreSQL only.")
    return ChangeTrail(patient)
