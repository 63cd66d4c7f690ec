"""Education cards on Today until read; visit notes and the patient's timeline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.care.models import CardAssignment, EducationCard, VisitNote
from apps.care.services import message_send, program_cards_set, visit_note_record
from apps.programs.services import suggestion_apply
from tests.conftest import client_for
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


def card(slug):
    return EducationCard.objects.get(clinic=None, slug=slug)


def test_the_library_starts_with_a_card_for_each_education_topic():
    topics = set(EducationCard.objects.filter(clinic=None).values_list("topic", flat=True))
    assert {"activity", "imaging", "pain", "treatment", "running"} <= topics
    who = card("staying-active-who-targets")
    assert "150 minutes" in who.body
    assert len(who.paragraphs()) == 3


def test_an_attached_card_shows_on_today_until_the_patient_reads_it(clinician, patient, program):
    clinician_client = client_for(clinician)
    pain_card = card("pain-during-exercise-traffic-light")
    response = clinician_client.post(
        reverse("care:program_cards", args=[program.pk]), {"cards": [pain_card.pk]}
    )
    assert response.status_code == 302

    patient_client = client_for(patient.user)
    today = patient_client.get(reverse("painlogs:today")).content.decode()
    assert "Why some pain during exercise is safe" in today

    read = patient_client.get(reverse("care:card", args=[pain_card.pk])).content.decode()
    assert "Hurt does not always mean harm" in read

    today = patient_client.get(reverse("painlogs:today")).content.decode()
    assert "Why some pain during exercise is safe" not in today
    detail = clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert f"read {timezone.localdate():%-d %b}" in detail


def test_unticking_a_card_removes_it_and_keeping_it_keeps_its_read_date(
    clinician, patient, program
):
    first, second = card("what-imaging-shows"), card("injections-and-surgery")
    program_cards_set(clinician=clinician, program=program, cards=[first, second])
    CardAssignment.objects.filter(card=first).update(read_at=timezone.now())

    program_cards_set(clinician=clinician, program=program, cards=[first])

    (kept,) = CardAssignment.objects.all()
    assert kept.card == first
    assert kept.read_at is not None


def test_another_clinics_card_can_be_neither_seen_nor_attached(
    clinician, patient, program, other_clinic_clinician
):
    theirs = EducationCard.objects.create(
        clinic=other_clinic_clinician.clinic,
        slug="ours",
        title="Their secret card",
        topic="other",
        summary="s",
        body="b",
    )
    clinician_client = client_for(clinician)
    assert clinician_client.get(reverse("care:card", args=[theirs.pk])).status_code == 404
    response = clinician_client.post(
        reverse("care:program_cards", args=[program.pk]), {"cards": [theirs.pk]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CardAssignment.objects.exists()


def test_strangers_cannot_change_a_programs_cards(program, other_clinic_clinician, colleague):
    url = reverse("care:program_cards", args=[program.pk])
    for stranger in (other_clinic_clinician, colleague):
        assert client_for(stranger).get(url).status_code == 404


def test_a_clinic_writes_its_own_card_which_other_clinics_never_see(
    clinician, other_clinic_clinician
):
    response = client_for(clinician).post(
        reverse("care:card_new"),
        {
            "title": "Our hip school",
            "topic": "other",
            "summary": "Thursday evening class",
            "body": "Come along.\n\nBring a mat.",
            "reading_minutes": "1",
        },
    )
    assert response.status_code == 302
    ours = EducationCard.objects.get(title="Our hip school")
    assert ours.clinic == clinician.clinic
    library = client_for(other_clinic_clinician).get(reverse("care:cards")).content.decode()
    assert "Our hip school" not in library
    assert "Returning to running" in library


def test_a_visit_with_manual_therapy_and_the_next_date_shows_on_both_sides(
    clinician, patient, program
):
    today = timezone.localdate()
    response = client_for(clinician).post(
        reverse("care:note_new", args=[patient.pk]),
        {
            "visit_date": str(today - timedelta(days=1)),
            "kind": "in_clinic",
            "text": "Hip flexion 100°, pain 2/10. Progressing well.",
            "manual_therapy": ["soft_tissue", "dry_needling"],
            "next_visit_date": str(today + timedelta(days=14)),
        },
    )
    assert response.status_code == 302
    detail = client_for(clinician).get(reverse("patients:detail", args=[patient.pk]))
    page = detail.content.decode()
    assert "In-clinic visit with Alice Clinician" in page
    assert "Manual therapy: Soft-tissue mobilisation, Dry needling" in page
    today_page = client_for(patient.user).get(reverse("painlogs:today")).content.decode()
    assert f"Your next visit: <strong>{today + timedelta(days=14):%A %-d %B}" in today_page


def test_a_next_visit_before_the_visit_is_refused_and_the_note_kept(clinician, patient):
    today = timezone.localdate()
    response = client_for(clinician).post(
        reverse("care:note_new", args=[patient.pk]),
        {
            "visit_date": str(today),
            "kind": "video",
            "text": "Reviewed the bridge technique.",
            "next_visit_date": str(today - timedelta(days=3)),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The next visit must be on or after this visit." in page
    assert "Reviewed the bridge technique." in page
    assert not VisitNote.objects.exists()


def test_the_timeline_puts_visits_program_changes_and_messages_together_newest_first(
    clinician, patient, program
):
    bridge = program.items.first()
    for days_ago in (6, 4):
        logged_session(patient, bridge, days_ago=days_ago, set_values=[10, 10, 10])
    visit_note_record(
        clinician=clinician,
        patient=patient,
        visit_date=timezone.localdate() - timedelta(days=10),
        kind="in_clinic",
        text="First visit",
    )
    suggestion_apply(clinician=clinician, item=bridge)
    message_send(author=patient.user, patient=patient, body="Moved up a level, feels good")

    page = client_for(clinician).get(reverse("patients:detail", args=[patient.pk]))
    text = page.content.decode()
    timeline = text[text.index('id="timeline"') :]
    order = [
        timeline.index("Message from Pat Quennell"),
        timeline.index("Progressed “Bridge with a band around the knees”"),
        timeline.index("Program “Home program” assigned"),
        timeline.index("In-clinic visit with Alice Clinician"),
    ]
    assert order == sorted(order)


def test_strangers_cannot_record_or_read_visit_notes(
    patient, colleague, other_clinic_clinician, other_patient
):
    url = reverse("care:note_new", args=[patient.pk])
    for stranger in (colleague, other_clinic_clinician):
        assert client_for(stranger).get(url).status_code == 404
    # a patient never reaches the clinicians' note form
    assert client_for(other_patient.user).get(url).status_code == 403
    assert client_for(patient.user).get(url).status_code == 403


def test_a_note_between_visits_does_not_hide_the_booked_visit(clinician, patient):
    today = timezone.localdate()
    visit_note_record(
        clinician=clinician,
        patient=patient,
        visit_date=today - timedelta(days=3),
        kind="in_clinic",
        text="Review",
        next_visit_date=today + timedelta(days=6),
    )
    visit_note_record(
        clinician=clinician, patient=patient, visit_date=today, kind="between_visits", text="Call"
    )
    page = client_for(patient.user).get(reverse("painlogs:today")).content.decode()
    assert f"Your next visit: <strong>{today + timedelta(days=6):%A %-d %B}" in page


@pytest.mark.parametrize("junk", ["abc", "²", "9" * 40, "-1"])
def test_a_message_id_that_is_no_id_gives_a_plain_note_form(clinician, patient, junk):
    url = reverse("care:note_new", args=[patient.pk]) + f"?message={junk}"
    response = client_for(clinician).get(url)
    assert response.status_code == 200
    # the date box shows today as a browser reads it
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in response.content.decode()


def test_cards_with_the_same_title_each_get_their_own_address(clinician):
    client = client_for(clinician)
    for title in ("Pain", "Pain 3", "Pain", "Pain"):
        data = {"title": title, "topic": "pain", "summary": "s", "body": "b", "reading_minutes": 1}
        assert client.post(reverse("care:card_new"), data).status_code == 302
    slugs = sorted(EducationCard.objects.filter(clinic=clinician.clinic).values_list("slug"))
    assert slugs == [("pain",), ("pain-2",), ("pain-3",), ("pain-4",)]


def test_an_ended_programs_cards_cannot_be_changed(clinician, program):
    program.status = "ended"
    program.ended_at = timezone.now()
    program.save()
    url = reverse("care:program_cards", args=[program.pk])
    assert client_for(clinician).get(url).status_code == 404


@pytest.mark.parametrize("junk", ["9" * 20, "x", "²"])
def test_a_card_id_that_is_no_id_is_an_invalid_choice(clinician, program, junk):
    response = client_for(clinician).post(
        reverse("care:program_cards", args=[program.pk]), {"cards": [junk]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
