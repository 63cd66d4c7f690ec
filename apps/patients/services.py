from collections.abc import Iterable
from datetime import date, time
from typing import cast

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.services import user_create_invited, user_invitation_queue
from apps.common.services import model_validate_and_save, require

from .models import Patient


def _validate_care_team(*, clinic_id: int, care_team: Iterable[User]) -> list[User]:
    team = list(care_team)
    require(
        bool(team), "A patient needs at least one clinician on the care team.", field="care_team"
    )
    for member in team:
        require(
            member.is_clinician and member.clinic_id == clinic_id,
            # Never the member's name or role: the ids may come from anywhere.
            "Choose clinicians of this clinic for the care team.",
            field="care_team",
        )
    return team


def _require_no_self_appointment(*, by: User | None, patient: Patient, team: list[User]) -> None:
    """Nobody puts themselves on a care team: someone already on it adds them. A clinic admin
    who needs a record they do not treat opens it with a reason (emergency access)."""
    if by is None or by not in team:
        return
    require(
        patient.care_team.filter(pk=by.pk).exists(),
        "You cannot add yourself to this care team: a clinician on it can add you.",
        field="care_team",
    )


@transaction.atomic
def patient_create(
    *,
    clinician: User,
    email: str,
    full_name: str,
    date_of_birth: date,
    condition: str,
    affected_side: str,
    timezone: str,
    diagnosis: str = "",
    reminder_time: time | None = None,
    care_team: Iterable[User] | None = None,
    auto_progression: bool = False,
) -> Patient:
    """Create the patient's account and profile, and owe them an email with a link to set a
    password (sent by a worker after the commit)."""
    require(clinician.is_clinician, "Only clinicians can add patients.")
    clinic_id = cast(int, clinician.clinic_id)  # a clinician belongs to a clinic
    team = _validate_care_team(clinic_id=clinic_id, care_team=care_team or [clinician])
    user = user_create_invited(
        invited_by=clinician,
        email=email,
        full_name=full_name,
        role=User.Role.PATIENT,
        timezone=timezone,
    )
    patient = Patient(
        user=user,
        clinic_id=clinic_id,
        date_of_birth=date_of_birth,
        condition=condition,
        diagnosis=diagnosis,
        affected_side=affected_side,
    )
    if reminder_time is not None:
        patient.reminder_time = reminder_time
    patient.auto_progression = auto_progression
    model_validate_and_save(patient)
    patient.care_team.set(team)
    user_invitation_queue(user=user, invited_by=clinician, patient=patient)
    return patient


@transaction.atomic
def patient_update(
    *,
    patient: Patient,
    full_name: str,
    timezone: str,
    date_of_birth: date,
    condition: str,
    affected_side: str,
    diagnosis: str,
    reminder_time: time,
    care_team: Iterable[User],
    auto_progression: bool | None = None,
    by: User | None = None,
) -> Patient:
    """``by`` is who asks (the API and the form pass it): they cannot add themselves."""
    require(patient.erased_at is None, "This patient's data is erased.")
    team = _validate_care_team(clinic_id=patient.clinic_id, care_team=care_team)
    _require_no_self_appointment(by=by, patient=patient, team=team)
    if auto_progression is not None:
        patient.auto_progression = auto_progression
    user = patient.user
    user.full_name, user.timezone = full_name, timezone
    model_validate_and_save(user)
    patient.date_of_birth, patient.condition, patient.diagnosis = (
        date_of_birth,
        condition,
        diagnosis,
    )
    patient.affected_side, patient.reminder_time = affected_side, reminder_time
    model_validate_and_save(patient)
    patient.care_team.set(team)
    return patient


@transaction.atomic
def care_team_set(*, admin: User, patient: Patient, care_team: Iterable[User]) -> Patient:
    """A clinic admin staffs a patient's care team; nothing else of the record is touched."""
    require(admin.is_clinic_admin, "Only a clinic admin can do this.")
    require(patient.clinic_id == admin.clinic_id, "This patient is not in your clinic.")
    require(patient.erased_at is None, "This patient's data is erased.")
    team = _validate_care_team(clinic_id=patient.clinic_id, care_team=care_team)
    _require_no_self_appointment(by=admin, patient=patient, team=team)
    patient.care_team.set(team)
    return patient


def patient_preferences_update(
    *, patient: Patient, reminder_time: time, reminders_paused: bool, email_reminders: bool
) -> Patient:
    """The patient's own reminder settings; the clinician's fields are not touched here."""
    patient.reminder_time, patient.reminders_paused = reminder_time, reminders_paused
    model_validate_and_save(patient)
    patient.user.email_reminders = email_reminders
    patient.user.save(update_fields=["email_reminders"])
    return patient
