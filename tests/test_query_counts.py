"""Pages cost the same number of SQL queries whatever the number of patients and logs.

Each test measures a page with a little data, adds a lot more, measures again and expects the
same count: a query per row (an N+1) would make the second count larger.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.common.timezones import local_date
from apps.media.services import media_upload
from apps.painlogs.models import Activity, Workout
from apps.painlogs.services import ResultInput, activity_log, workout_log
from apps.programs.selectors import active_program
from apps.programs.services import ItemInput, program_assign

from .factories import MP4_BYTES, PatientFactory, library_exercise, prescription_photo, upload

pytestmark = pytest.mark.django_db


def _program_for(patient, clinician):
    program = active_program(patient)
    if program is None:
        today = timezone.localdate()
        program = program_assign(
            clinician=clinician,
            patient=patient,
            start_date=today - timedelta(days=60),
            review_date=today + timedelta(days=28),
            items=[
                ItemInput(exercise=library_exercise("banded-bridge-knees-out")),
                ItemInput(exercise=library_exercise("side-plank-knee")),
            ],
        )
    return program


def _log(patient, clinician, *, workouts, activities):
    """Add ``workouts`` workouts (2 exercise results each) and ``activities`` runs, one a day
    going back from today, after the ones the patient already has."""
    program = _program_for(patient, clinician)
    items = list(program.items.all())
    now = timezone.now()
    done = Workout.objects.filter(patient=patient).count()
    for day in range(done, done + workouts):
        workout_log(
            user=patient.user,
            results=[
                ResultInput(prescribed=i, set_values=[10, 9, 8], pain_during=2) for i in items
            ],
            note=f"session note {patient.pk}-{day}",
            performed_at=now - timedelta(days=day, minutes=5),
        )
    today = local_date(now, patient.user.timezone)
    done = Activity.objects.filter(patient=patient).count()
    for day in range(done, done + activities):
        activity_log(
            user=patient.user,
            kind="run",
            date=today - timedelta(days=day + 1),
            duration_minutes=20,
            pain_during=2,
        )


def _measure(client, url) -> tuple[int, str]:
    client.get(url)  # warm up anything cached once per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def _detail_links(content: str) -> int:
    return len(re.findall(r'href="/patients/\d+/"', content))


def test_the_patient_list_costs_the_same_for_2_or_12_patients(
    clinician, clinician_client, record_property
):
    # given 2 patients on the clinician's care team, 3 workouts each
    url = reverse("patients:list")
    patients = [PatientFactory(user__clinic=clinician.clinic, care_team=[clinician])]
    patients.append(PatientFactory(user__clinic=clinician.clinic, care_team=[clinician]))
    for p in patients:
        _log(p, clinician, workouts=3, activities=1)
    small, content = _measure(clinician_client, url)
    assert _detail_links(content) == 2

    # when the care team grows to 12 patients with 30 workouts each
    for _ in range(10):
        patients.append(PatientFactory(user__clinic=clinician.clinic, care_team=[clinician]))
    for p in patients:
        _log(p, clinician, workouts=30 - Workout.objects.filter(patient=p).count(), activities=5)
    large, content = _measure(clinician_client, url)

    # then the list shows all 12 with their latest session, at the same cost
    record_property("patient_list_queries", f"{small} -> {large}")
    assert _detail_links(content) == 12
    for p in patients:
        assert f'href="{reverse("patients:detail", args=[p.pk])}"' in content
    assert "never" not in content
    assert large == small


def test_the_patient_page_costs_the_same_for_3_or_30_workouts(
    clinician, patient, clinician_client, record_property
):
    # given Pat with 3 workouts (2 exercise results each) and 2 runs
    url = reverse("patients:detail", args=[patient.pk])
    _log(patient, clinician, workouts=3, activities=2)
    small, content = _measure(clinician_client, url)
    assert f"session note {patient.pk}-2" in content

    # when Pat has 30 workouts and 20 runs, and a second program in the history
    _log(patient, clinician, workouts=27, activities=18)
    today = timezone.localdate()
    program_assign(
        clinician=clinician,
        patient=patient,
        start_date=today,
        review_date=today + timedelta(days=28),
        items=[ItemInput(exercise=library_exercise("side-plank-full"))],
    )
    large, content = _measure(clinician_client, url)

    # then the page shows the recent workouts with their results, at the same cost
    record_property("patient_detail_queries", f"{small} -> {large}")
    assert f"session note {patient.pk}-0" in content
    assert f"session note {patient.pk}-9" in content
    assert content.count("Side plank from knee and elbow: 10 / 9 / 8") == 10
    assert "Full side plank" in content
    assert large == small


def test_the_today_page_costs_the_same_for_3_or_30_workouts(
    clinician, patient, program, patient_client, record_property
):
    # given Pat with 3 workouts awaiting their 24-hour rating and 2 runs awaiting soreness
    url = reverse("painlogs:today")
    _log(patient, clinician, workouts=3, activities=2)
    small, content = _measure(patient_client, url)
    assert content.count("Rate it now") == 2  # yesterday's and the day before's; today's waits
    assert content.count("How sore were you") == 2

    # when Pat has 30 workouts and 20 runs
    _log(patient, clinician, workouts=27, activities=18)
    large, content = _measure(patient_client, url)

    # then Today asks about the whole past week, at the same cost
    record_property("today_queries", f"{small} -> {large}")
    assert content.count("Rate it now") == 6  # days 1 to 6 ago
    assert content.count("How sore were you") == 7  # days 1 to 7 ago
    assert "Side plank from knee and elbow" in content
    assert large == small


def test_the_today_page_costs_the_same_with_1_or_12_photos_and_videos(
    clinician, patient, program, patient_client, record_property
):
    # given one photo filmed for Pat's bridge
    url = reverse("painlogs:today")
    bridge, plank = program.items.all()
    prescription_photo(clinician, bridge)
    small, content = _measure(patient_client, url)
    assert content.count('src="/media/') == 1

    # when each exercise has its own photos and the clinic's videos
    for item in (bridge, plank):
        for n in range(3):
            prescription_photo(clinician, item, caption=f"photo {item.pk}-{n}")
            media_upload(
                user=clinician,
                file=upload(MP4_BYTES, name="v.mp4", content_type="video/mp4"),
                exercise=item.exercise,
            )
    prescription_photo(clinician, bridge, caption="one more")
    large, content = _measure(patient_client, url)

    # then every card shows them, at the same cost: one query for all the media
    record_property("today_media_queries", f"{small} -> {large}")
    assert content.count('src="/media/') == 14
    assert large == small
