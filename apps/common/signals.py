"""The one signal the clinical apps send: a patient's status inputs changed.

Workouts, 24-hour ratings, activities, messages, programs and level changes live in apps below
`apps.review`, which owns the stored status; they cannot import it (imports run one way), so
their services send this, explicitly, inside their transaction, and the review app refreshes the
status row before the transaction commits.

``parts`` names what changed: ``"sessions"`` (workouts, ratings, programs: the light,
reds, flare, adherence and missed sessions), ``"suggestions"`` (the progression rule's pending
advice), ``"messages"`` and ``"activity"`` (this week's cardio and strength against the WHO
targets), ``"outcomes"`` (questionnaire scores worse than before beyond their threshold). A
refresh recomputes the named parts and carries the others over.
"""

from django.dispatch import Signal

ALL_PARTS = frozenset({"sessions", "suggestions", "messages", "activity", "outcomes"})

patient_status_stale = Signal()  # kwargs: patient_ids (list[int]), parts (frozenset[str])
# A program ended: the outcomes app (above programs) opens the questionnaires due at discharge.
program_ended = Signal()  # kwargs: program (apps.programs.models.Program)


def status_stale(patient_ids: list[int], *, parts: frozenset[str] = ALL_PARTS) -> None:
    patient_status_stale.send(sender=None, patient_ids=list(patient_ids), parts=frozenset(parts))
