from datetime import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

# What each logged route showed, in words for the audit pages; others show their URL name.
ROUTE_LABELS = {
    "patients:list": "Patient list",
    "review:triage": "Triage dashboard",
    "patients:detail": "Patient page",
    "patients:edit": "Patient details form",
    "patients:trend": "Weekly trend",
    "patients:preferences": "Reminder settings",
    "audit:patient": "Record access log",
    "audit:record_views": "Who viewed my record",
    "audit:emergency_access": "Emergency access opened",
    "api:patient-emergency-access": "Emergency access opened (API)",
    "patients:clinic_directory": "Clinic patient directory",
    "patients:care_team": "Care team form",
    "care:mine": "Messages",
    "care:thread": "Messages",
    "care:note_new": "Visit note form",
    "care:program_cards": "Education cards of the program",
    "programs:new": "New program form",
    "programs:edit": "Program editor",
    "painlogs:today": "Today",
    "painlogs:history": "History",
    "painlogs:followup": "24-hour rating form",
    "painlogs:activity_soreness": "Next-day soreness form",
    "api:patient-list": "Patient list",
    "api:patient-detail": "Patient details",
    "api:patient-trend": "Pain trend",
    "api:patient-audit": "Record access log",
    "api:patient-programs": "Programs",
    "api:patient-messages": "Messages",
    "api:program-detail": "Program",
    "api:workout-list": "Workouts",
    "api:workout-detail": "Workout",
    "api:activity-list": "Activities",
    "api:activity-detail": "Activity",
    "records:my_export": "Data export (JSON)",
    "records:my_export_summary": "Data export (summary)",
    "records:patient_export": "Record export (JSON)",
    "records:patient_export_summary": "Record export (summary)",
    "api:me-export": "Data export (API)",
    "api:patient-export": "Record export (API)",
    "media:file": "Photo or video filmed in clinic",
    "media:thumbnail": "Photo filmed in clinic (thumbnail)",
    "media:remove": "Photo or video removal form",
    "media:prescription_new": "Photos and videos of an exercise",
    "api:prescription-media": "Photos and videos of an exercise (API)",
    "api:media-detail": "Photo or video (API)",
}


class AppendOnlyError(Exception):
    """An audit row was asked to change or go away: the log only grows (retention aside)."""


class AuditEventQuerySet(models.QuerySet):
    """Bulk changes are refused as row changes are; only retention deletes, and only old rows."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit rows cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit rows cannot be deleted, only expired by retention.")

    def retention_delete(self, *, before) -> int:
        deleted, _ = models.QuerySet.delete(self.filter(at__lt=before))
        return deleted


class AuditEvent(models.Model):
    """One row of the append-only audit log: a request that showed patients' data, or an
    authentication event. It holds ids and names of routes, never health data, passwords or
    tokens. On PostgreSQL a trigger refuses UPDATE and DELETE too (migration 0002)."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Record viewed"
        AUTH = "auth", "Sign-in and security"

    class Channel(models.TextChoices):
        PAGE = "page", "Web page"
        API = "api", "API"
        NONE = "", "-"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # access: "view", "emergency_access" (a break-glass grant opened);
    # auth: login_succeeded, login_failed, mfa_succeeded, mfa_failed, lockout,
    # token_issued, token_revoked, permission_denied.
    action = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # No database constraint and no cascade: deleting a user must not touch (or be blocked by)
    # the log, and the row keeps the id of who it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # An unknown account is named only by its keyed hash (apps.accounts.lockout.account_key).
    account_key = models.CharField(max_length=40, blank=True)
    patient_ids = models.JSONField(default=list, blank=True)
    route = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=10, blank=True)
    channel = models.CharField(max_length=4, choices=Channel.choices, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kind", "-at"], name="audit_kind_at")]
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.action} by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit rows cannot be deleted, only expired by retention.")

    def what(self) -> str:
        """The page or API answer the row is about, in words."""
        return ROUTE_LABELS.get(self.route, self.route)


class AccessGrantQuerySet(models.QuerySet):
    def active(self, now: datetime | None = None) -> Self:
        return self.filter(expires_at__gt=now or timezone.now())


class AccessGrant(models.Model):
    """Break-glass: a clinic admin's time-limited access to one patient's record, with a reason.

    A clinic admin staffs care teams without reading clinical data; to open the record of a
    patient whose care team they are not on, they state why, and the record is theirs until
    ``expires_at``. Grants are never edited (the reason is what was said at the time); they go
    only with the patient's record when it is erased.
    """

    # PROTECT: the patient's "who opened my record" must not lose a line with an account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_grants"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="access_grants"
    )
    reason = models.TextField(max_length=500)
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["user", "expires_at"], name="access_grant_user_expiry")]

    def __str__(self) -> str:
        return f"{self.user_id} on patient {self.patient_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("An emergency access grant cannot be changed.")
        super().save(*args, **kwargs)

    def is_active(self, now=None) -> bool:
        return self.expires_at > (now or timezone.now())
