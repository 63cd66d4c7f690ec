"""The history catches every write, whoever wrote it, and cannot be rewritten."""

from datetime import timedelta

import pgtrigger
import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from pghistory.models import Context

from apps.history.context import history_context
from apps.history.models import ProgramEvent, WorkoutEvent
from apps.history.services import history_prune
from apps.history.tasks import history_prune as history_prune_task
from apps.painlogs.models import Workout
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def workout(patient, program):
    return logged_session(patient, program.items.first(), days_ago=1, set_values=[10] * 3)


def test_a_bulk_update_is_in_the_history_with_its_actor(postgres, clinician, workout):
    # when a queryset update changes the note, bypassing save()
    with history_context(user=clinician.pk, source="browser"):
        Workout.objects.filter(pk=workout.pk).update(note="bulk edit")
    # then the history has the new note and who wrote it
    event = WorkoutEvent.objects.filter(pgh_obj_id=workout.pk, pgh_label="update").latest("pgh_id")
    assert event.note == "bulk edit"
    assert event.pgh_context.metadata["user"] == clinician.pk


def test_raw_sql_is_in_the_history(postgres, workout):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE painlogs_workout SET note = %s WHERE id = %s", ["raw", workout.pk])
    event = WorkoutEvent.objects.filter(pgh_obj_id=workout.pk).latest("pgh_id")
    assert (event.pgh_label, event.note) == ("update", "raw")


def test_the_history_of_a_row_outlives_the_row(postgres, workout):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM painlogs_exerciseresult WHERE workout_id = %s", [workout.pk])
        cursor.execute("DELETE FROM painlogs_workout WHERE id = %s", [workout.pk])
    labels = WorkoutEvent.objects.filter(pgh_obj_id=workout.pk).values_list("pgh_label", flat=True)
    assert {"insert", "delete"} <= set(labels)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE history_workoutevent SET note = 'tampered'",
        "DELETE FROM history_workoutevent",
        "UPDATE history_programevent SET pain_ceiling = 10",
        "DELETE FROM history_programevent",
    ],
)
def test_the_history_tables_refuse_update_and_delete(postgres, workout, sql):
    # given events in the history
    assert WorkoutEvent.objects.exists()
    assert ProgramEvent.objects.exists()
    # when anything tries to rewrite or erase them, then the database refuses
    with pytest.raises(DatabaseError, match="append_only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert not WorkoutEvent.objects.filter(note="tampered").exists()


def test_the_orm_cannot_erase_history_either(postgres, workout):
    with pytest.raises(DatabaseError), transaction.atomic():
        WorkoutEvent.objects.all().delete()
    assert WorkoutEvent.objects.filter(pgh_obj_id=workout.pk).exists()


def _age(event_model, pgh_id, *, years, days=0):
    moment = timezone.now() - timedelta(days=365 * years + days)
    with pgtrigger.ignore(f"{event_model._meta.label}:append_only"):
        event_model.objects.filter(pgh_id=pgh_id).update(pgh_created_at=moment)


def test_retention_deletes_only_events_older_than_the_setting(postgres, settings, workout):
    # given one workout event from 7 years ago and one from 5 years ago, the others today
    old, recent, *today = WorkoutEvent.objects.order_by("pgh_id").values_list("pgh_id", flat=True)
    _age(WorkoutEvent, old, years=7)
    _age(WorkoutEvent, recent, years=5)
    assert settings.GREENLIGHT["AUDIT_RETENTION_YEARS"] == 6
    # when the daily retention task runs
    history_prune_task.delay()
    # then only the 7-year-old event is gone
    left = set(WorkoutEvent.objects.values_list("pgh_id", flat=True))
    assert old not in left
    assert {recent, *today} <= left


def test_retention_deletes_the_contexts_of_deleted_events(postgres, clinician, workout):
    # given a change made 7 years ago by a clinician, in a context of its own
    with history_context(user=clinician.pk, source="browser") as context:
        Workout.objects.filter(pk=workout.pk).update(note="long ago")
    event = WorkoutEvent.objects.get(pgh_context_id=context.id)
    _age(WorkoutEvent, event.pgh_id, years=7)
    Context.objects.filter(pk=context.id).update(updated_at=timezone.now() - timedelta(days=2555))
    # when the retention runs, then the event and its context are gone, the newer ones stay
    history_prune()
    assert not Context.objects.filter(pk=context.id).exists()
    assert WorkoutEvent.objects.filter(pgh_obj_id=workout.pk, pgh_label="insert").exists()


def test_retention_follows_the_configured_years(postgres, settings, workout):
    first = WorkoutEvent.objects.order_by("pgh_id").values_list("pgh_id", flat=True).first()
    _age(WorkoutEvent, first, years=2, days=5)
    settings.GREENLIGHT = {**settings.GREENLIGHT, "AUDIT_RETENTION_YEARS": 2}
    assert history_prune() >= 1
    assert not WorkoutEvent.objects.filter(pgh_id=first).exists()
