"""Ending a program asks first and for a reason; both sides see it; Today moves on."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.programs.models import Program, ProgressionChange
from apps.reminders.models import Notification
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _url(program):
    return reverse("programs:end", args=[program.pk])


def test_ending_asks_for_confirmation_and_a_reason_first(clinician, program):
    client = client_for(clinician)

    page = client.get(_url(program)).content.decode()
    refused = client.post(_url(program), {"reason": "   "})

    assert "End “" in page
    assert "Why does this program end?" in page
    assert refused.status_code == 200
    assert "Say why the program ends: the patient reads it." in refused.content.decode()
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE


def test_an_ended_program_is_on_the_timeline_and_the_patient_is_told(clinician, patient, program):
    from apps.care.services import message_send

    message_send(author=clinician, patient=patient, body="Hello")  # a thread: the timeline shows
    client = client_for(clinician)

    response = client.post(_url(program), {"reason": "Goals met: back to full training"})

    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.status, program.ended_by, program.end_reason) == (
        Program.Status.ENDED,
        clinician,
        "Goals met: back to full training",
    )
    detail = client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert f"Program “{program.name}” ended by" in detail
    assert "Goals met: back to full training" in detail
    told = Notification.objects.get(recipient=patient.user, occurrence=f"end-{program.pk}")
    assert told.title == "Your exercise program has ended"
    assert "Goals met" not in told.title  # the reason stays in the app


def test_today_after_the_end_shows_the_end_not_a_level_up(clinician, patient, program):
    bridge = program.items.order_by("order").first()
    ProgressionChange.objects.create(
        prescribed=bridge,
        from_exercise=bridge.exercise,
        to_exercise=bridge.exercise,
        direction=ProgressionChange.Direction.PROGRESS,
        reason="two sessions at the top",
        changed_at=timezone.now() - timedelta(days=1),
    )
    today = client_for(patient.user)
    assert "moved up a level" in today.get(reverse("painlogs:today")).content.decode()

    client_for(clinician).post(_url(program), {"reason": "Paused while we reassess the hip"})

    page = today.get(reverse("painlogs:today")).content.decode()
    assert "moved up a level" not in page
    assert f"Your program “{program.name}” ended on" in page
    assert "Paused while we reassess the hip" in page


def test_a_stranger_cannot_end_or_see_the_page(program, colleague, other_clinic_clinician, patient):
    for user in (colleague, other_clinic_clinician, patient.user):
        client = client_for(user)
        assert client.get(_url(program)).status_code in (403, 404)
        assert client.post(_url(program), {"reason": "x"}).status_code in (403, 404)
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE
