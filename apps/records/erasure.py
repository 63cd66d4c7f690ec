"""A patient's right to erasure (GDPR Art. 17), in two steps.

1. ``patient_erase``, when a clinic admin processes the request: every personal identifier is
   pseudonymised at once (name, email, date of birth to 1 January of its year, and every piece
   of free text written about or by the patient), in the live rows and in their change history;
   the login is closed (sessions, API tokens, second factors, devices). The clinical record
   (doses, results, pain ratings, dates) stays, pseudonymous, for its legal retention
   (``RECORD_RETENTION_YEARS``): GDPR Art. 17(3)(b) and (c) and 9(2)(h), see README.
2. ``erasures_purge``, a daily task: once the retention has passed, the record and its change
   history are deleted. What remains is the audit log (ids and route names, kept for its own
   ``AUDIT_RETENTION_YEARS``) and the ``ErasureRequest`` itself (ids and dates).
"""

import logging
from datetime import date, datetime
from typing import Any, cast

import pgtrigger
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from knox.models import AuthToken

from apps.accounts.models import User
from apps.accounts.services import user_sessions_end, user_tokens_revoke
from apps.audit.models import AccessGrant, AuditEvent
from apps.care.models import CardAssignment, Message, MessageReceipt, VisitNote
from apps.common.services import require
from apps.media.models import ExerciseMedia
from apps.painlogs.models import Activity, ExerciseResult, Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program, ProgressionChange
from apps.reminders.models import Job, Notification

from .models import ErasureRequest

logger = logging.getLogger(__name__)

ERASED = "[erased]"


def pseudonym(patient_id: int) -> str:
    return f"Erased patient {patient_id}"


def pseudonymous_email(user_id: int) -> str:
    # .invalid is reserved (RFC 2606): nothing is ever delivered there.
    return f"erased-{user_id}@erased.invalid"


def _rows(patient: Patient) -> dict[type[models.Model], models.QuerySet]:
    """Every row of the patient's record, by model."""
    return {
        Patient: Patient.objects.filter(pk=patient.pk),
        User: User.objects.filter(pk=patient.user_id),
        Patient.care_team.through: Patient.care_team.through.objects.filter(patient=patient),
        Program: Program.objects.filter(patient=patient),
        PrescribedExercise: PrescribedExercise.with_ended.filter(program__patient=patient),
        ProgressionChange: ProgressionChange.objects.filter(prescribed__program__patient=patient),
        Workout: Workout.objects.filter(patient=patient),
        ExerciseResult: ExerciseResult.objects.filter(workout__patient=patient),
        Activity: Activity.objects.filter(patient=patient),
        Message: Message.objects.filter(patient=patient),
        MessageReceipt: MessageReceipt.objects.filter(message__patient=patient),
        CardAssignment: CardAssignment.objects.filter(program__patient=patient),
        VisitNote: VisitNote.objects.filter(patient=patient),
        AccessGrant: AccessGrant.objects.filter(patient=patient),
        ExerciseMedia: ExerciseMedia.objects.filter(prescribed__program__patient=patient),
    }


def _free_text() -> dict[type[models.Model], dict[str, object]]:
    """The fields people write in, and what they become. Structured fields (kinds, lights, the
    library's exercise names) identify nobody and stay."""
    return {
        Patient: {"diagnosis": ""},
        Program: {"name": ERASED},
        PrescribedExercise: {"notes": ""},
        ProgressionChange: {"reason": ERASED},
        Workout: {"note": ""},
        ExerciseResult: {"note": ""},  # skip_reason is a choice, not free text
        Activity: {"description": ""},
        Message: {"body": ERASED},
        VisitNote: {"text": ERASED},
        AccessGrant: {"reason": ERASED},
        ExerciseMedia: {"caption": ""},
    }


def _identity(patient: Patient) -> tuple[dict, dict]:
    born = patient.date_of_birth
    user = {"full_name": pseudonym(patient.pk), "email": pseudonymous_email(patient.user_id)}
    return user, {"date_of_birth": date(born.year, 1, 1)}


def _event_models() -> dict[type[models.Model], Any]:
    """Each tracked model and its change-history table (apps/history)."""
    from django.apps import apps

    # The event models' managers are made by pghistory at run time: Any to the type checker.
    events: dict[type[models.Model], Any] = {}
    for event_model in apps.get_app_config("history").get_models():
        tracked = cast(type[models.Model], event_model._meta.get_field("pgh_obj").related_model)
        events[tracked] = event_model
    return events


def _append_only_lifted(event_models):
    return pgtrigger.ignore(*(f"{model._meta.label}:append_only" for model in event_models))


@transaction.atomic
def patient_erase(*, admin: User, patient: Patient, received_on: date) -> ErasureRequest:
    """Pseudonymise the patient and close their login; keep the clinical record for now."""
    require(admin.is_clinic_admin, "Only a clinic admin can process an erasure request.")
    require(patient.clinic_id == admin.clinic_id, "This patient is not in your clinic.")
    # Read again under a lock: a second submission waits, then finds the patient erased.
    patient = Patient.objects.select_related("user").select_for_update().get(pk=patient.pk)
    require(patient.erased_at is None, "This patient's data is already erased.")
    today = timezone.localdate()
    require(received_on <= today, "The request cannot come from the future.", field="received_on")
    now = timezone.now()
    user = patient.user
    identity, profile = _identity(patient)
    old_name, old_email = user.full_name, user.email
    rows = _rows(patient)

    # The live rows (their update triggers add history events naming the admin).
    for model, fields in _free_text().items():
        rows[model].update(**fields)
    User.objects.filter(pk=user.pk).update(
        **identity, is_active=False, email_reminders=False, password=make_password(None)
    )
    Patient.objects.filter(pk=patient.pk).update(
        **profile, reminders_paused=True, auto_progression=False, erased_at=now
    )
    # The change history: every earlier copy of those fields.
    events = _event_models()
    scrub: dict[type[models.Model], dict[str, object]] = {
        **_free_text(),
        User: identity,
        Patient: {**_free_text()[Patient], **profile},
    }
    with _append_only_lifted(events.values()):
        for model, fields in scrub.items():
            if model in events and (copied := _copied_fields(events[model], fields)):
                naming = _events_naming(events[model], rows[model].values("pk"), patient)
                events[model].objects.filter(naming).update(**copied)
    # Whatever else names them: the admin site's log of edits, their sign-in identities.
    _admin_log_entries(patient).update(object_repr=pseudonym(patient.pk))
    # Entries about their other objects (tokens, devices, factors, email addresses) print the
    # name or email: those of these types that do are theirs.
    theirs = ContentType.objects.get_for_models(AuthToken, UserSession, Authenticator, EmailAddress)
    for said in (old_name, old_email):
        LogEntry.objects.filter(
            content_type__in=theirs.values(), object_repr__icontains=said
        ).update(object_repr=ERASED)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user_tokens_revoke(user=user)
    user_sessions_end(user=user)
    UserSession.objects.filter(user=user).delete()
    # No more reminders, invitations or resets to them; what the care team was told stays.
    Notification.objects.filter(recipient=user).delete()
    Job.objects.filter(kind__in=Job.EMAIL_KINDS, object_id=user.pk).delete()

    request = ErasureRequest.objects.create(
        patient_id=patient.pk,
        user_id=user.pk,
        clinic_id=patient.clinic_id,
        received_on=received_on,
        processed_at=now,
        processed_by=admin,
        delete_after=retention_end_for_new_request(now),
    )
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.AUTH, action="erasure_processed", user=admin, patient_ids=[patient.pk]
    )
    patient.refresh_from_db()
    return request


def _admin_log_entries(patient: Patient) -> models.QuerySet[LogEntry]:
    """The admin site's log of edits to the patient's account or profile."""
    types = ContentType.objects.get_for_models(User, Patient)
    user_type, patient_type = types[User], types[Patient]
    return LogEntry.objects.filter(
        models.Q(content_type=user_type, object_id=str(patient.user_id))
        | models.Q(content_type=patient_type, object_id=str(patient.pk))
    )


def _events_naming(event_model, row_ids, patient: Patient) -> models.Q:
    """The events of these rows, and of any row of the patient's deleted before (its events
    carry the patient's id all the same)."""
    naming = models.Q(pgh_obj_id__in=row_ids)
    if "patient" in {f.name for f in event_model._meta.concrete_fields}:
        naming |= models.Q(patient_id=patient.pk)
    return naming


def _copied_fields(event_model, fields: dict) -> dict:
    names = {f.name for f in event_model._meta.concrete_fields}
    return {name: value for name, value in fields.items() if name in names}


def _years_after(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def erasures_purge(*, now: datetime | None = None) -> int:
    """Delete the records whose retention has passed; returns how many patients went.

    Each record goes in its own transaction: one that fails is logged and tried again the next
    day, and does not hold up the others.
    """
    now = now or timezone.now()
    due = ErasureRequest.objects.filter(deleted_at__isnull=True, delete_after__lte=now)
    purged = 0
    for request in due:
        try:
            with transaction.atomic():
                patient = Patient.objects.filter(pk=request.patient_id).first()
                if patient is not None:
                    _record_delete(patient)
                ErasureRequest.objects.filter(pk=request.pk).update(deleted_at=now)
        except Exception:
            logger.exception("Erasure %s could not be completed; it is tried again", request.pk)
            continue
        purged += 1
    if purged and connection.vendor == "postgresql":
        _orphan_contexts_delete()
    return purged


def _record_delete(patient: Patient) -> None:
    """The record, child rows first (clinical history is PROTECTed against casual deletes),
    then every change-history event of those rows, the deletes' own included."""
    rows = _rows(patient)
    ids = {model: list(qs.values_list("pk", flat=True)) for model, qs in rows.items()}
    model: type[models.Model]
    _media_files_delete_on_commit(rows[ExerciseMedia])
    for model in (ExerciseResult, Workout, ProgressionChange, ExerciseMedia):
        rows[model].delete()
    # The patient's own messages would block their user: they go with the patient first.
    Patient.objects.filter(pk=patient.pk).delete()
    User.objects.filter(pk=patient.user_id).delete()
    # The admin site's log keeps that someone edited a record, not whose it was.
    _admin_log_entries(patient).update(object_repr="(deleted after retention)")
    events = _event_models()
    with _append_only_lifted(events.values()):
        for model, event_model in events.items():
            event_model.objects.filter(
                _events_naming(event_model, ids.get(model, []), patient)
            ).delete()


def _media_files_delete_on_commit(media: models.QuerySet) -> None:
    """Photos and videos filmed for the patient leave storage with their rows, once the
    deletion is committed (a rolled-back purge keeps them)."""
    files = [(f.storage, str(f.name)) for m in media for f in (m.file, m.thumbnail) if f]

    def files_delete() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(files_delete)


def _orphan_contexts_delete() -> None:
    from pghistory.models import Context

    orphans = Context.objects.all()
    for event_model in _event_models().values():
        referenced = event_model.objects.filter(pgh_context__isnull=False).values("pgh_context_id")
        orphans = orphans.exclude(id__in=referenced)
    orphans.delete()


def retention_end_for_new_request(now: datetime | None = None) -> datetime:
    """When a record erased now would be deleted."""
    return _years_after(now or timezone.now(), settings.GREENLIGHT["RECORD_RETENTION_YEARS"])
