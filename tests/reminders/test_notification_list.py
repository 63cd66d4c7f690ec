"""The notifications page names each notification's patient and, for an alert, its session;
repeats are one line; one click reads them all."""

import pytest
from django.urls import reverse

from apps.reminders.models import Notification
from apps.reminders.services import notifications_send
from tests.conftest import client_for
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


def _alert(clinician, patient, workout):
    notifications_send(
        recipients=[
            (clinician, "A patient of yours may need attention", f"/patients/{patient.pk}/")
        ],
        kind=Notification.Kind.CLINICIAN_ALERT,
        occurrence=f"workout-{workout.pk}",
        patient=patient,
    )


def _red(patient, program, days_ago):
    return logged_session(
        patient, program.items.first(), days_ago=days_ago, set_values=[8, 8, 8], pain=7, after=6
    )


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_alerts_name_the_patient_and_the_session_and_repeats_are_one_line(
    clinician, patient, program
):
    for days_ago in (3, 2):
        _alert(clinician, patient, _red(patient, program, days_ago))

    page = _main(client_for(clinician).get(reverse("reminders:list")))

    assert page.count("Pat Quennell: A patient of yours may need attention") == 1
    assert "× 2" in page
    assert page.lower().count("red session") == 2  # both sessions, in one line
    assert "pain 7/10, 6/10 the next day" in page
    assert '2<span class="visually-hidden"> unread' in page


def test_opening_one_reads_its_repeats_and_mark_all_reads_the_rest(
    clinician, patient, other_patient, program
):
    for days_ago in (3, 2):
        _alert(clinician, patient, _red(patient, program, days_ago))
    notifications_send(
        recipients=[(clinician, "New message from a patient", "/messages/")],
        kind=Notification.Kind.MESSAGE,
        occurrence="message-1",
    )
    client = client_for(clinician)
    latest = Notification.objects.filter(kind="clinician_alert").latest("created_at")

    opened = client.post(reverse("reminders:open", args=[latest.pk]))

    assert opened["Location"] == f"/patients/{patient.pk}/"
    assert not Notification.objects.filter(kind="clinician_alert", read_at__isnull=True).exists()
    assert Notification.objects.filter(kind="message", read_at__isnull=True).count() == 1

    client.post(reverse("reminders:read_all"))

    assert not Notification.objects.filter(recipient=clinician, read_at__isnull=True).exists()
    assert "Mark all read" not in _main(client.get(reverse("reminders:list")))


def test_a_clinician_who_left_the_care_team_sees_neither_name_nor_session(
    clinician, colleague, patient, program
):
    _alert(clinician, patient, _red(patient, program, 2))
    patient.care_team.set([colleague])

    page = _main(client_for(clinician).get(reverse("reminders:list")))

    assert "A patient of yours may need attention" in page
    assert "Pat Quennell" not in page
    assert "7/10" not in page


def test_a_stranger_can_neither_open_nor_read_anothers_notifications(
    clinician, patient, program, other_clinic_clinician
):
    _alert(clinician, patient, _red(patient, program, 2))
    note = Notification.objects.get()
    stranger = client_for(other_clinic_clinician)

    assert stranger.post(reverse("reminders:open", args=[note.pk])).status_code == 404
    stranger.post(reverse("reminders:read_all"))

    note.refresh_from_db()
    assert note.read_at is None
    assert "Pat Quennell" not in _main(stranger.get(reverse("reminders:list")))
