"""The audit log only grows: the model refuses changes, PostgreSQL refuses them too, and the
retention task alone deletes, only rows past AUDIT_RETENTION_YEARS."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.audit.models import AppendOnlyError, AuditEvent
from apps.audit.services import audit_retention_purge
from apps.audit.tasks import audit_retention

pytestmark = pytest.mark.django_db


def _row(**fields) -> AuditEvent:
    return AuditEvent.objects.create(kind="access", action="view", patient_ids=[1], **fields)


def test_the_model_refuses_to_change_or_delete_a_row():
    row = _row()
    row.patient_ids = [2]

    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert AuditEvent.objects.get().patient_ids == [1]


def test_bulk_updates_and_deletes_are_refused_too():
    _row()

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(patient_ids=[2])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().patient_ids == [1]


@pytest.mark.usefixtures("postgres")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET patient_ids = '[2]'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_postgresql_refuses_raw_update_and_delete(sql):
    _row()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)

    assert AuditEvent.objects.get().patient_ids == [1]


@pytest.mark.usefixtures("postgres")
def test_postgresql_refuses_the_retention_delete_outside_its_transaction():
    _row(at=timezone.now() - timedelta(days=10 * 366))

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.retention_delete(before=timezone.now())

    assert AuditEvent.objects.count() == 1


def test_retention_deletes_only_rows_older_than_the_setting(settings):
    settings.GREENLIGHT = {**settings.GREENLIGHT, "AUDIT_RETENTION_YEARS": 6}
    now = timezone.now()
    old = _row(at=now - timedelta(days=6 * 366))
    kept = _row(at=now - timedelta(days=5 * 365))

    deleted = audit_retention_purge(now=now)

    assert deleted == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


def test_the_retention_task_runs_the_purge(settings):
    settings.GREENLIGHT = {**settings.GREENLIGHT, "AUDIT_RETENTION_YEARS": 1}
    _row(at=timezone.now() - timedelta(days=400))
    _row()

    assert audit_retention.apply().get() == 1
    assert AuditEvent.objects.count() == 1


def test_the_retention_task_is_on_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["audit-retention"]["task"] == (
        "apps.audit.tasks.audit_retention"
    )
