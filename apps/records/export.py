"""A patient's whole record as one JSON document, built piece by piece (docs/export.md).

Each section is a generator of plain dicts read with ``.iterator(chunk_size=...)``: a record of
years of daily workouts is never held in memory at once, and related rows come by one prefetch
per chunk, not one query per row. The JSON document and the HTML summary read the same rows.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch

from apps.audit.selectors import record_views_for
from apps.care.models import CardAssignment, Message, MessageReceipt, VisitNote
from apps.painlogs.models import Activity, ExerciseResult, Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program, ProgressionChange
from apps.reminders.models import Notification

SCHEMA = "greenlight.patient-export"
VERSION = 1
CHUNK_SIZE = 500


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: Callable[[Patient], Iterable[dict]]


def _name(user) -> str | None:
    return user.full_name if user else None


def patient_profile(patient: Patient) -> dict:
    user = patient.user
    return {
        "id": patient.pk,
        "full_name": user.full_name,
        "email": user.email,
        "timezone": user.timezone,
        "date_of_birth": patient.date_of_birth,
        "condition": patient.condition,
        "condition_label": patient.get_condition_display(),
        "diagnosis": patient.diagnosis,
        "affected_side": patient.affected_side,
        "reminder_time": patient.reminder_time.strftime("%H:%M"),
        "reminders_paused": patient.reminders_paused,
        "email_reminders": user.email_reminders,
        "auto_progression": patient.auto_progression,
        "clinic": patient.clinic.name,
        "care_team": [{"id": c.pk, "full_name": c.full_name} for c in patient.care_team.all()],
        "created_at": patient.created_at,
    }


def program_rows(patient: Patient) -> Iterator[dict]:
    changes = ProgressionChange.objects.select_related("from_exercise", "to_exercise", "changed_by")
    # Ended prescriptions too: they are part of the record, with their level changes.
    items = PrescribedExercise.with_ended.select_related("exercise").prefetch_related(
        Prefetch("changes", queryset=changes.order_by("changed_at", "id"))
    )
    programs = (
        Program.objects.filter(patient=patient)
        .select_related("created_by")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("start_date", "created_at", "id")
    )
    for program in programs.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "id": program.pk,
            "name": program.name,
            "status": program.status,
            "created_by": _name(program.created_by),
            "created_at": program.created_at,
            "start_date": program.start_date,
            "review_date": program.review_date,
            "ended_at": program.ended_at,
            "sessions_per_week": program.sessions_per_week,
            "pain_ceiling": program.pain_ceiling,
            "green_max": program.green_max,
            "prescriptions": [_prescription(item) for item in program.items.all()],
        }


def _prescription(item: PrescribedExercise) -> dict:
    return {
        "id": item.pk,
        "exercise": item.exercise.name,
        "order": item.order,
        "dose_kind": item.dose_kind,
        "sets": item.sets,
        "target_low": item.target_low,
        "target_high": item.target_high,
        "rep_hold_seconds": item.rep_hold_seconds,
        "dose": item.dose_text,
        "ended_at": item.ended_at,
        "notes": item.notes,
        "baseline_step_rate": item.baseline_step_rate,
        "target_step_rate": item.target_step_rate,
        "level_changes": [
            {
                "direction": change.direction,
                "from_exercise": change.from_exercise.name,
                "to_exercise": change.to_exercise.name,
                "reason": change.reason,
                "automatic": change.automatic,
                "changed_by": _name(change.changed_by),
                "changed_at": change.changed_at,
            }
            for change in item.changes.all()
        ],
    }


def workout_rows(patient: Patient) -> Iterator[dict]:
    workouts = (
        Workout.objects.filter(patient=patient)
        .prefetch_related(Prefetch("results", queryset=ExerciseResult.objects.order_by("id")))
        .order_by("performed_at", "id")
    )
    for workout in workouts.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "id": workout.pk,
            "program_id": workout.program_id,
            "performed_at": workout.performed_at,
            "local_date": workout.local_date,
            "pain_during": workout.pain_during,
            "pain_24h": workout.followup_pain,
            "pain_24h_recorded_at": workout.followup_at,
            "pain_ceiling": workout.pain_ceiling,
            "green_max": workout.green_max,
            "light": workout.light,
            "note": workout.note,
            "results": [_result(result) for result in workout.results.all()],
        }


def _result(result: ExerciseResult) -> dict:
    return {
        "exercise": result.exercise_name,
        "prescribed_id": result.prescribed_id,
        "dose_kind": result.dose_kind,
        "prescribed": result.prescribed_text,
        "prescribed_step_rate": result.prescribed_step_rate,
        "set_values": result.set_values,
        "sets_done": result.sets_done,
        "done": result.done_text,
        "skipped": result.skipped,
        "skip_reason": result.skip_reason,
        "pain_during": result.pain_during,
        "note": result.note,
        "distance_km": result.distance_km,
        "step_rate": result.step_rate,
    }


def activity_rows(patient: Patient) -> Iterator[dict]:
    activities = Activity.objects.filter(patient=patient).order_by("date", "created_at", "id")
    for activity in activities.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "id": activity.pk,
            "kind": activity.kind,
            "description": activity.description,
            "date": activity.date,
            "duration_minutes": activity.duration_minutes,
            "pain_during": activity.pain_during,
            "next_day_soreness": activity.next_day_soreness,
            "soreness_recorded_at": activity.soreness_recorded_at,
            "pain_ceiling": activity.pain_ceiling,
            "green_max": activity.green_max,
            "light": activity.light,
            "created_at": activity.created_at,
        }


def message_rows(patient: Patient) -> Iterator[dict]:
    receipts = MessageReceipt.objects.select_related("reader").order_by("read_at", "id")
    messages = (
        Message.objects.filter(patient=patient)
        .select_related("author")
        .prefetch_related(Prefetch("receipts", queryset=receipts))
        .order_by("created_at", "id")
    )
    for message in messages.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "id": message.pk,
            "author": message.author.full_name,
            "from_patient": message.author_id == patient.user_id,
            "body": message.body,
            "created_at": message.created_at,
            "read_by": [
                {"reader": r.reader.full_name, "read_at": r.read_at} for r in message.receipts.all()
            ],
        }


def visit_note_rows(patient: Patient) -> Iterator[dict]:
    notes = (
        VisitNote.objects.filter(patient=patient)
        .select_related("clinician")
        .order_by("visit_date", "created_at", "id")
    )
    for note in notes.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "id": note.pk,
            "kind": note.kind,
            "kind_label": note.get_kind_display(),
            "visit_date": note.visit_date,
            "clinician": note.clinician.full_name,
            "text": note.text,
            "manual_therapy": note.manual_therapy_labels(),
            "next_visit_date": note.next_visit_date,
            "message_id": note.message_id,
            "created_at": note.created_at,
        }


def education_card_rows(patient: Patient) -> Iterator[dict]:
    assignments = (
        CardAssignment.objects.filter(program__patient=patient)
        .select_related("card")
        .order_by("assigned_at", "id")
    )
    for assignment in assignments.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "title": assignment.card.title,
            "topic": assignment.card.topic,
            "summary": assignment.card.summary,
            "program_id": assignment.program_id,
            "assigned_at": assignment.assigned_at,
            "read_at": assignment.read_at,
        }


def notification_rows(patient: Patient) -> Iterator[dict]:
    """What was sent to the patient; alerts to clinicians about them are the clinicians' mail."""
    notifications = Notification.objects.filter(recipient_id=patient.user_id).order_by(
        "created_at", "id"
    )
    for notification in notifications.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "kind": notification.kind,
            "title": notification.title,
            "created_at": notification.created_at,
            "read_at": notification.read_at,
            "email_status": notification.email_status,
            "email_sent_at": notification.email_sent_at,
        }


def record_view_rows(patient: Patient) -> Iterator[dict]:
    """Who on the care team (or a clinic admin) opened the record, from the access log."""
    for view in record_views_for(patient).iterator(chunk_size=CHUNK_SIZE):
        yield {
            "at": view.at,
            "who": _name(view.user),
            "role": view.user.get_role_display() if view.user else "",
            "what": view.what(),
            "channel": view.channel,
        }


SECTIONS = [
    Section("programs", "Programs and prescriptions", program_rows),
    Section("workouts", "Workouts", workout_rows),
    Section("activities", "Activities", activity_rows),
    Section("messages", "Messages", message_rows),
    Section("visit_notes", "Visit notes", visit_note_rows),
    Section("education_cards", "Education cards", education_card_rows),
    Section("notifications", "Notifications", notification_rows),
    Section("record_views", "Who viewed the record", record_view_rows),
]


def section_rows(section: Section, patient: Patient, *, withheld: list[str]) -> Iterable[dict]:
    return () if section.key in withheld else section.rows(patient)


def _dumps(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def export_json_chunks(
    patient: Patient, *, exported_at: datetime, withheld: list[str]
) -> Iterator[str]:
    """The document as text pieces: the header, then each section one row at a time."""
    head = {
        "schema": SCHEMA,
        "version": VERSION,
        "exported_at": exported_at,
        "withheld": withheld,
        "patient": patient_profile(patient),
    }
    yield _dumps(head)[:-1]  # leave the object open for the sections
    for section in SECTIONS:
        yield f', "{section.key}": ['
        for n, row in enumerate(section_rows(section, patient, withheld=withheld)):
            yield ("," if n else "") + _dumps(row)
        yield "]"
    yield "}\n"
