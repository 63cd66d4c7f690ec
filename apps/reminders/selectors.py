from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, Max, Q, QuerySet

from apps.accounts.models import User
from apps.painlogs.models import Workout
from apps.programs.models import Program

from .models import Job, Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


@dataclass(frozen=True)
class NotificationGroup:
    """Repeats of one notification (same kind, patient and link) shown as one line."""

    latest: Notification
    count: int
    unread: int
    patient_name: str
    detail: str


def notification_groups(user: User, *, limit: int = 200) -> list[NotificationGroup]:
    """The user's latest notifications, repeats grouped, newest first, each naming its patient
    and, for an alert, why: three queries whatever the number."""
    from apps.patients.selectors import clinician_patients

    rows = list(notifications_for(user).select_related("patient__user")[:limit])
    # Names and reasons only for patients the user may still see (they may have left the team).
    visible = set(
        clinician_patients(user)
        .filter(pk__in={n.patient_id for n in rows if n.patient_id})
        .values_list("pk", flat=True)
    )
    alerts = {
        workout_id
        for n in rows
        if n.kind == Notification.Kind.CLINICIAN_ALERT
        and n.patient_id in visible
        and (workout_id := _workout_id(n)) is not None
    }
    workouts = Workout.objects.in_bulk(alerts) if alerts else {}
    groups: dict[tuple[str, int | None, str], list[Notification]] = {}
    for n in rows:
        groups.setdefault((n.kind, n.patient_id, n.link), []).append(n)
    result = []
    for members in groups.values():
        latest = members[0]
        shown = latest.patient_id in visible
        details = [
            _alert_detail(workouts[w])
            for m in members
            if shown
            and m.kind == Notification.Kind.CLINICIAN_ALERT
            and (w := _workout_id(m)) in workouts
        ]
        result.append(
            NotificationGroup(
                latest=latest,
                count=len(members),
                unread=sum(1 for m in members if m.read_at is None),
                patient_name=latest.patient.user.full_name if shown and latest.patient else "",
                detail="; ".join(details[:3]) + ("; …" if len(details) > 3 else ""),
            )
        )
    return result


def _workout_id(notification: Notification) -> int | None:
    occurrence = notification.occurrence
    return int(occurrence.removeprefix("workout-")) if occurrence.startswith("workout-") else None


def _alert_detail(workout: Workout) -> str:
    text = f"{workout.light} session {workout.local_date:%-d %b}: pain {workout.pain_during}/10"
    if workout.followup_pain is not None:
        text += f", {workout.followup_pain}/10 the next day"
    return text


def failed_emails_for(user: User) -> QuerySet[Notification]:
    """Emails that could not be delivered and ``user`` may see and send again: their own, and
    those about the patients whose record they may open (``clinician_patients``).
    """
    from apps.patients.selectors import clinician_patients

    if not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(email_status=Notification.EmailStatus.FAILED)
        .filter(Q(recipient=user) | Q(patient__in=clinician_patients(user)))
        .select_related("recipient")
        .order_by("-created_at")
    )


def failed_jobs_for(user: User) -> QuerySet[Job]:
    """Work that could not be done and ``user`` may see and retry: checks (alerts, automatic
    progression) and invitations about the patients they treat, and, for a clinic admin, the
    invitations of the clinic's clinicians. A password reset that failed is shown to no one:
    the person it was for asks again from the login page.
    """
    from apps.patients.selectors import clinician_patients

    if not user.is_authenticated:
        return Job.objects.none()
    return (
        Job.objects.filter(status=Job.Status.FAILED)
        .exclude(kind=Job.Kind.PASSWORD_RESET_EMAIL)
        .filter(
            Q(patient__in=clinician_patients(user))
            | Q(pk__in=failed_invitations_for(user).values("pk"))
        )
        .order_by("-created_at")
    )


def failed_invitations_for(user: User) -> QuerySet[Job]:
    """Invitations of the clinic's clinicians that could not be delivered: its admins see them."""
    from apps.accounts.selectors import clinicians_for

    if not user.is_authenticated or not user.is_clinic_admin:
        return Job.objects.none()
    return Job.objects.filter(
        status=Job.Status.FAILED,
        kind=Job.Kind.INVITATION_EMAIL,
        patient__isnull=True,
        object_id__in=clinicians_for(user).values("pk"),
    ).order_by("-created_at")


def unread_count(user: User, *, kind: str | None = None) -> int:
    unread = notifications_for(user).filter(read_at__isnull=True)
    return unread.filter(kind=kind).count() if kind else unread.count()


def reminder_candidates() -> list[Mapping[str, Any]]:
    """Patients with an active program and reminders on: one row each, in one query."""
    return list(
        Program.objects.filter(
            status=Program.Status.ACTIVE, patient__reminders_paused=False
        ).values(
            "patient_id",
            "sessions_per_week",
            "start_date",
            user_id=F("patient__user_id"),
            tz=F("patient__user__timezone"),
            at=F("patient__reminder_time"),
        )
    )


def last_workout_days() -> dict[int, object]:
    """Each patient's latest workout date (local), for every patient at once."""
    rows = Workout.objects.values("patient_id").annotate(last=Max("local_date"))
    return {row["patient_id"]: row["last"] for row in rows}


def workout_days_since(day: date) -> set[tuple[int, object]]:
    """(patient id, local date) of every workout from ``day`` on: one query for all patients."""
    return set(Workout.objects.filter(local_date__gte=day).values_list("patient_id", "local_date"))


def followups_missing(*, now: datetime, hours: int, window_hours: int) -> list[Mapping[str, Any]]:
    """Workouts past their 24-hour mark, not yet rated, still inside the prompt window."""
    opened_before = now - timedelta(hours=hours)
    return list(
        Workout.objects.filter(
            followup_pain__isnull=True,
            performed_at__lte=opened_before,
            performed_at__gt=opened_before - timedelta(hours=window_hours),
            patient__reminders_paused=False,
        ).values("id", "patient_id", user_id=F("patient__user_id"))
    )


def workout_with_team(workout_id: int) -> Workout:
    return (
        Workout.objects.select_related("patient__user")
        .prefetch_related("patient__care_team")
        .get(pk=workout_id)
    )


def clinician_zones() -> list[Mapping[str, Any]]:
    return list(
        User.objects.filter(
            is_active=True, role__in=[User.Role.CLINICIAN, User.Role.CLINIC_ADMIN]
        ).values("id", "timezone")
    )
