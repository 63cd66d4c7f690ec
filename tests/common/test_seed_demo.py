"""The demo data shows every state of the progression rule, written through the real services."""

import io

import pytest
from django.core.management import call_command

from apps.care.models import CardAssignment
from apps.painlogs.models import ExerciseResult
from apps.patients.models import Patient
from apps.programs.models import ProgressionChange
from apps.programs.rules import Decision
from apps.programs.selectors import active_program, program_suggestions
from apps.reminders.models import Job, Notification
from apps.reminders.tasks import clinician_alert_check
from config.celery_app import tasks_paused
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def decisions(email):
    patient = Patient.objects.get(user__email=email)
    program = active_program(patient)
    return {item.exercise.slug: s.decision for item, s in program_suggestions(program)}, program


def test_maya_is_ready_to_progress(demo):
    found, _ = decisions("maya@demo.greenlight.test")
    assert Decision.PROGRESS in found.values()
    assert Decision.REGRESS not in found.values()


def test_tom_is_in_a_flare_and_due_a_regression(demo):
    found, _ = decisions("tom@demo.greenlight.test")
    assert Decision.REGRESS in found.values()


def test_priya_is_a_runner_between_stages(demo):
    found, program = decisions("priya@demo.greenlight.test")
    run = next(item for item in program.items.all() if item.exercise.is_run)
    assert run.exercise.slug == "easy-running-plus-strides"
    assert found["easy-running-plus-strides"] == Decision.HOLD
    assert (run.baseline_step_rate, run.target_step_rate) == (164, 180)
    change = ProgressionChange.objects.get(prescribed=run)
    assert change.from_exercise.slug == "conversational-pace-running"
    runs = ExerciseResult.objects.filter(prescribed=run, step_rate__isnull=False)
    assert runs.count() >= 10
    assert all(r.distance_km and r.prescribed_step_rate == 180 for r in runs)


def test_seeding_twice_changes_nothing(demo):
    before = ExerciseResult.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert ExerciseResult.objects.count() == before


def test_the_demo_shows_a_conversation_visits_and_cards(demo):
    tom = Patient.objects.get(user__email="tom@demo.greenlight.test")
    worry, answer = tom.messages.order_by("created_at")
    assert worry.author == tom.user
    assert "elliptical" in worry.body
    assert answer.author.email == "sam@demo.greenlight.test"
    assert worry.receipts.get().reader == answer.author  # Sam has read it
    assert tom.visit_notes.get().message == worry
    maya = Patient.objects.get(user__email="maya@demo.greenlight.test")
    assert maya.visit_notes.get().manual_therapy == ["soft_tissue", "joint"]
    unread = CardAssignment.objects.filter(program__patient=maya, read_at=None)
    assert [a.card.slug for a in unread] == ["staying-active-who-targets"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seeding_queues_no_alert_or_email_about_the_demo_history(mailoutbox):
    """Really committed, so the services' on-commit follow-ups run (eagerly, in tests)."""
    call_command("seed_demo", stdout=io.StringIO())

    assert Patient.objects.count() == 3
    assert not Notification.objects.filter(kind=Notification.Kind.CLINICIAN_ALERT).exists()
    assert mailoutbox == []
    # nor does it leave work in the outbox for the sweeper to do later
    assert not Job.objects.filter(status=Job.Status.PENDING).exists()
    assert not Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).exists()


def test_paused_tasks_are_not_queued_and_resume_after_the_block(patient, program):
    red = logged_session(patient, program.items.first(), days_ago=1, set_values=[8] * 3, pain=8)

    with tasks_paused():
        paused = clinician_alert_check.delay(red.pk)
    alerts_while_paused = Notification.objects.count()
    resumed = clinician_alert_check.delay(red.pk)

    assert paused is None
    assert alerts_while_paused == 0
    assert resumed.get() == 1
