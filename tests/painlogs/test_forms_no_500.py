"""Garbage posted to every form comes back as the same page with its errors, never a 500.

Each case also checks that what the person typed is still in the page (STYLE.md, "nothing
user-entered is lost on a validation error") and that nothing was saved.
"""

import html
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.exercises.models import Exercise
from apps.painlogs.models import Activity, ExerciseResult, Workout
from apps.painlogs.services import ResultInput, workout_log
from apps.patients.models import Patient
from apps.programs.models import Program
from tests.conftest import client_for
from tests.factories import (
    PrescribedExerciseFactory,
    ProgramFactory,
    WorkoutFactory,
    library_exercise,
)
from tests.helpers import builder_post

pytestmark = pytest.mark.django_db

NOTE = "Knee clicked on the second set"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _page(response) -> str:
    """The re-rendered form page, as the person reads it."""
    assert response.status_code == 200, response.status_code
    return _text(response)


def _items(program):
    bridge, plank = program.items.order_by("order")
    return bridge, plank


def _workout_post(program, **overrides) -> dict:
    """A valid post of today's workout form, with some fields replaced."""
    bridge, plank = _items(program)
    data = {"note": NOTE}
    for rx, sets in ((bridge, ["10", "9", "8"]), (plank, ["30", "25", "20"])):
        for n, value in enumerate(sets, start=1):
            data[f"ex{rx.pk}_set{n}"] = value
        data[f"ex{rx.pk}_pain"] = "1"
        data[f"ex{rx.pk}_note"] = ""
    data.update(overrides)
    return data


# --- today's workout ---------------------------------------------------------------------------


def test_the_valid_workout_post_is_saved(patient_client, program):
    # the baseline the garbage cases below depart from
    response = patient_client.post(reverse("painlogs:today"), _workout_post(program))

    assert response.status_code == 302
    workout = Workout.objects.get()
    assert workout.note == NOTE
    assert workout.results.count() == 2


@pytest.mark.parametrize("pain", ["11", "-1", "three"])
def test_workout_pain_outside_the_scale_is_shown_and_the_note_kept(patient_client, program, pain):
    bridge, _ = _items(program)

    response = patient_client.post(
        reverse("painlogs:today"), _workout_post(program, **{f"ex{bridge.pk}_pain": pain})
    )

    page = _page(response)
    assert "Nothing you entered has been lost" in page
    assert "Choose a pain rating from 0 to 10." in page
    assert NOTE in page
    # the bridge's second set as typed (its default would be 10)
    assert f'name="ex{bridge.pk}_set2" id="id_ex{bridge.pk}_set2" value="9"' in page
    assert not Workout.objects.exists()


@pytest.mark.parametrize("posted", ["missing", "empty"])
def test_a_done_exercise_without_a_pain_rating_asks_for_one(patient_client, program, posted):
    # given the patient did the bridge but did not tick any pain button
    bridge, _ = _items(program)
    data = _workout_post(program)
    if posted == "missing":
        del data[f"ex{bridge.pk}_pain"]  # what a browser sends when no radio is ticked
    else:
        data[f"ex{bridge.pk}_pain"] = ""

    response = patient_client.post(reverse("painlogs:today"), data)

    # then the page asks for the rating and keeps what they typed
    page = _page(response)
    assert "Rate your pain during this exercise (0–10)." in page
    assert NOTE in page
    assert not Workout.objects.exists()


def test_a_negative_set_is_shown_and_kept(patient_client, program):
    bridge, _ = _items(program)

    response = patient_client.post(
        reverse("painlogs:today"), _workout_post(program, **{f"ex{bridge.pk}_set2": "-3"})
    )

    page = _page(response)
    assert "A set can't be negative." in page
    assert f'name="ex{bridge.pk}_set2" id="id_ex{bridge.pk}_set2" value="-3"' in page
    assert NOTE in page
    assert not Workout.objects.exists()


@pytest.mark.parametrize("value", ["ten", "1e3", "9999999999999999999999", "3.5"])
def test_a_set_that_is_not_a_whole_number_is_shown_and_kept(patient_client, program, value):
    bridge, _ = _items(program)

    response = patient_client.post(
        reverse("painlogs:today"), _workout_post(program, **{f"ex{bridge.pk}_set1": value})
    )

    page = _page(response)
    assert f'value="{value}"' in page
    assert NOTE in page
    assert not Workout.objects.exists()


def test_skipped_without_a_reason_asks_why(patient_client, program):
    _, plank = _items(program)
    exercise_note = "Ran out of time before work"

    response = patient_client.post(
        reverse("painlogs:today"),
        _workout_post(
            program, **{f"ex{plank.pk}_skipped": "on", f"ex{plank.pk}_note": exercise_note}
        ),
    )

    page = _page(response)
    assert "Tell your clinician why you skipped it." in page
    assert exercise_note in page
    assert NOTE in page
    assert not Workout.objects.exists()


def test_an_unknown_skip_reason_is_refused(patient_client, program):
    _, plank = _items(program)

    response = patient_client.post(
        reverse("painlogs:today"),
        _workout_post(
            program, **{f"ex{plank.pk}_skipped": "on", f"ex{plank.pk}_skip_reason": "lazy<b>"}
        ),
    )

    page = _page(response)
    assert "Select a valid choice" in page
    assert NOTE in page
    assert not Workout.objects.exists()


def test_everything_skipped_is_refused_with_a_message(patient_client, program):
    bridge, plank = _items(program)
    overrides = {}
    for rx in (bridge, plank):
        overrides |= {f"ex{rx.pk}_skipped": "on", f"ex{rx.pk}_skip_reason": "unwell"}

    response = patient_client.post(reverse("painlogs:today"), _workout_post(program, **overrides))

    page = _page(response)
    assert "skipped ones alone are not a workout" in page
    assert NOTE in page
    assert not Workout.objects.exists()


def test_a_workout_with_nothing_entered_asks_what_was_done(patient_client, program):
    # given only the general note was filled in
    response = patient_client.post(reverse("painlogs:today"), {"note": NOTE})

    page = _page(response)
    assert (
        page.count("Enter what you did, tick “as prescribed”, or tick “I skipped this one”.") == 2
    )
    assert NOTE in page
    assert not Workout.objects.exists()


def test_a_clinician_cannot_post_the_patients_workout_form(clinician_client, program):
    response = clinician_client.post(reverse("painlogs:today"), _workout_post(program))

    assert response.status_code == 403
    assert not Workout.objects.exists()


# --- 24-hour rating ----------------------------------------------------------------------------


def _workout_now(patient, program, hours_ago=0):
    bridge, _ = _items(program)
    return workout_log(
        user=patient.user,
        results=[ResultInput(prescribed=bridge, set_values=[10, 10, 10], pain_during=1)],
        performed_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_a_24_hour_rating_before_24_hours_says_when_it_opens(patient, patient_client, program):
    workout = _workout_now(patient, program, hours_ago=2)

    response = patient_client.post(
        reverse("painlogs:followup", args=[workout.pk]), {"followup_pain": "2"}
    )

    page = _page(response)
    assert "The 24-hour rating opens at" in page
    assert 'value="2" checked' in page  # the rating chosen is still selected
    workout.refresh_from_db()
    assert workout.followup_pain is None


@pytest.mark.parametrize("pain", ["11", "-1", "bad", ""])
def test_a_24_hour_rating_off_the_scale_is_shown(patient, patient_client, program, pain):
    workout = _workout_now(patient, program, hours_ago=30)

    response = patient_client.post(
        reverse("painlogs:followup", args=[workout.pk]), {"followup_pain": pain}
    )

    page = _page(response)
    assert "Choose a pain rating from 0 to 10." in page or "This field is required." in page
    workout.refresh_from_db()
    assert workout.followup_pain is None


def test_a_24_hour_rating_after_24_hours_is_saved(patient, patient_client, program):
    workout = _workout_now(patient, program, hours_ago=30)

    response = patient_client.post(
        reverse("painlogs:followup", args=[workout.pk]), {"followup_pain": "4"}
    )

    assert response.status_code == 302
    workout.refresh_from_db()
    assert (workout.followup_pain, workout.light) == (4, "red")


def test_a_24_hour_rating_for_another_patients_workout_is_404(patient_client, other_patient):
    theirs = WorkoutFactory(patient=other_patient)

    get = patient_client.get(reverse("painlogs:followup", args=[theirs.pk]))
    post = patient_client.post(
        reverse("painlogs:followup", args=[theirs.pk]), {"followup_pain": "9"}
    )

    assert (get.status_code, post.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.followup_pain is None


def test_a_24_hour_rating_given_twice_is_refused(patient, patient_client, program):
    workout = _workout_now(patient, program, hours_ago=30)
    url = reverse("painlogs:followup", args=[workout.pk])
    patient_client.post(url, {"followup_pain": "1"})

    response = patient_client.post(url, {"followup_pain": "9"})

    # the second tab shows the rating already given, not a form to give another
    page = _page(response)
    assert "You rated it 1/10 the next day" in page
    assert 'name="followup_pain"' not in page
    workout.refresh_from_db()
    assert workout.followup_pain == 1


# --- activity ----------------------------------------------------------------------------------


def test_activity_garbage_shows_every_error_and_keeps_the_details(patient_client):
    response = patient_client.post(
        reverse("painlogs:activity_new"),
        {
            "kind": "teleport",
            "description": "Commute along the river",
            "date": "31/31/2026",
            "duration_minutes": "-5",
            "pain_during": "eleven",
        },
    )

    page = _page(response)
    form = response.context["form"]
    assert set(form.errors) == {"kind", "date", "duration_minutes", "pain_during"}
    assert "Commute along the river" in page
    assert "31/31/2026" in page
    assert 'value="-5"' in page
    assert "Choose a pain rating from 0 to 10." in page
    assert not Activity.objects.exists()


def test_activity_on_a_future_date_is_refused_and_the_details_kept(patient, patient_client):
    tomorrow = timezone.localdate(timezone=ZoneInfo(patient.user.timezone)) + timedelta(days=1)

    response = patient_client.post(
        reverse("painlogs:activity_new"),
        {
            "kind": "bike",
            "description": "Commute along the river",
            "date": tomorrow.isoformat(),
            "duration_minutes": "25",
            "pain_during": "2",
        },
    )

    page = _page(response)
    assert "An activity can't be logged for a future date." in page
    assert "Commute along the river" in page
    assert 'value="25"' in page
    assert not Activity.objects.exists()


def test_soreness_off_the_scale_is_shown(patient, patient_client):
    yesterday = timezone.localdate(timezone=ZoneInfo(patient.user.timezone)) - timedelta(days=1)
    activity = Activity.objects.create(
        patient=patient,
        kind="run",
        date=yesterday,
        duration_minutes=20,
        pain_during=1,
        pain_ceiling=3,
        green_max=2,
        light="green",
    )

    response = patient_client.post(
        reverse("painlogs:activity_soreness", args=[activity.pk]), {"next_day_soreness": "12"}
    )

    page = _page(response)
    assert "Choose a pain rating from 0 to 10." in page
    activity.refresh_from_db()
    assert activity.next_day_soreness is None


def test_soreness_for_another_patients_activity_is_404(patient_client, other_patient):
    theirs = Activity.objects.create(
        patient=other_patient,
        kind="walk",
        date=timezone.localdate() - timedelta(days=1),
        duration_minutes=40,
        pain_during=1,
        pain_ceiling=3,
        green_max=2,
        light="green",
    )

    response = patient_client.post(
        reverse("painlogs:activity_soreness", args=[theirs.pk]), {"next_day_soreness": "9"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.next_day_soreness is None


# --- clinician forms: patient, program builder, clinic exercise --------------------------------


def _patient_post(clinician, **overrides) -> dict:
    return {
        "full_name": "Zed Typist",
        "email": "zed@example.com",
        "date_of_birth": "1984-07-21",
        "condition": "fai",
        "diagnosis": "cam-type FAI, labral tear",
        "affected_side": "right",
        "timezone": "Europe/London",
        "reminder_time": "07:30",
        "care_team": [str(clinician.pk)],
        **overrides,
    }


def test_patient_form_garbage_shows_errors_and_keeps_what_was_typed(clinician, clinician_client):
    response = clinician_client.post(
        reverse("patients:new"),
        _patient_post(
            clinician,
            email="not-an-email",
            date_of_birth="yesterday",
            condition="sore",
            affected_side="middle",
            timezone="Mars/Olympus_Mons",
            reminder_time="25:99",
            care_team=["abc"],
        ),
    )

    page = _page(response)
    assert set(response.context["form"].errors) == {
        "email",
        "date_of_birth",
        "condition",
        "affected_side",
        "timezone",
        "reminder_time",
        "care_team",
    }
    assert "Zed Typist" in page
    assert "cam-type FAI, labral tear" in page
    assert "not-an-email" in page
    assert not User.objects.filter(full_name="Zed Typist").exists()


def test_patient_born_in_the_future_is_refused(clinician, clinician_client):
    next_year = (timezone.localdate() + timedelta(days=365)).isoformat()

    response = clinician_client.post(
        reverse("patients:new"), _patient_post(clinician, date_of_birth=next_year)
    )

    page = _page(response)
    assert "The date of birth must be in the past." in page
    assert "Zed Typist" in page
    assert not Patient.objects.filter(user__full_name="Zed Typist").exists()


def test_patient_with_a_taken_email_shows_the_error_on_the_email_field(
    clinician, clinician_client, patient, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(
            reverse("patients:new"), _patient_post(clinician, email="Pat@Example.com")
        )

    page = _page(response)
    assert response.context["form"].errors["email"] == [
        "This email can't be used for a new patient."
    ]
    assert "Zed Typist" in page
    assert "cam-type FAI, labral tear" in page
    assert not User.objects.filter(full_name="Zed Typist").exists()
    assert mailoutbox == []


def test_patient_care_team_from_another_clinic_is_refused(
    clinician, clinician_client, other_clinic_clinician
):
    response = clinician_client.post(
        reverse("patients:new"),
        _patient_post(clinician, care_team=[str(clinician.pk), str(other_clinic_clinician.pk)]),
    )

    page = _page(response)
    assert "care_team" in response.context["form"].errors
    assert "Zed Typist" in page
    assert not User.objects.filter(full_name="Zed Typist").exists()


def test_the_valid_builder_post_is_saved(clinician_client, patient):
    response = clinician_client.post(reverse("programs:new", args=[patient.pk]), builder_post())

    assert response.status_code == 302
    program = Program.objects.get(patient=patient, status="active")
    assert program.name == "Spring block"
    assert [i.notes for i in program.items.all()] == ["Keep the band light"]


def test_builder_garbage_shows_errors_and_keeps_what_was_typed(clinician_client, patient, program):
    response = clinician_client.post(
        reverse("programs:new", args=[patient.pk]),
        builder_post(
            sessions_per_week="lots",
            start_date="soon",
            pain_ceiling="11",
            green_max="-1",
            **{"items-0-exercise": "abc", "items-0-sets": "-3", "items-0-target_low": "x"},
        ),
    )

    page = _page(response)
    assert set(response.context["form"].errors) == {
        "sessions_per_week",
        "start_date",
        "pain_ceiling",
        "green_max",
    }
    assert set(response.context["formset"].errors[0]) == {"exercise", "sets", "target_low"}
    assert 'value="Spring block"' in page
    assert "Keep the band light" in page
    assert 'value="-3"' in page
    assert list(Program.objects.filter(patient=patient)) == [program]


def test_builder_review_before_start_and_green_above_ceiling(clinician_client, patient):
    today = timezone.localdate()

    response = clinician_client.post(
        reverse("programs:new", args=[patient.pk]),
        builder_post(
            review_date=(today - timedelta(days=1)).isoformat(), pain_ceiling="3", green_max="5"
        ),
    )

    page = _page(response)
    assert "The review date must be on or after the start date." in page
    assert "Green must end at or below the pain ceiling." in page
    assert "Keep the band light" in page
    assert not Program.objects.filter(patient=patient).exists()


def test_builder_without_a_management_form_is_not_a_500(clinician_client, patient):
    data = {k: v for k, v in builder_post().items() if not k.startswith("items-")}

    response = clinician_client.post(reverse("programs:new", args=[patient.pk]), data)

    page = _page(response)
    assert "(Hidden field TOTAL_FORMS) This field is required." in page
    assert 'value="Spring block"' in page
    assert not Program.objects.filter(patient=patient).exists()


def test_builder_with_every_exercise_removed_asks_for_one(clinician_client, patient):
    response = clinician_client.post(
        reverse("programs:new", args=[patient.pk]), builder_post(**{"items-0-DELETE": "on"})
    )

    page = _page(response)
    assert "Add at least one exercise to the program." in page
    assert not Program.objects.filter(patient=patient).exists()


def test_builder_caution_for_an_fai_patient_is_shown_and_notes_kept(clinician_client, patient):
    deep_squat = library_exercise("squat-more-range-intensity")

    response = clinician_client.post(
        reverse("programs:new", args=[patient.pk]),
        builder_post(**{"items-0-exercise": str(deep_squat.pk)}),
    )

    page = _page(response)
    assert "loads deep hip flexion, a caution for Hip impingement (FAI)" in page
    assert "Keep the band light" in page
    assert not Program.objects.filter(patient=patient).exists()


def test_builder_refuses_another_clinics_exercise(
    clinician_client, patient, other_clinic_clinician
):
    theirs = Exercise.objects.create(
        clinic=other_clinic_clinician.clinic,
        slug="elsewhere-wall-sit",
        name="Elsewhere wall sit",
        region="functional",
        instructions="Sit against a wall.",
        dose_kind="hold",
        default_sets=3,
        default_target_low=20,
        default_target_high=30,
    )

    response = clinician_client.post(
        reverse("programs:new", args=[patient.pk]),
        builder_post(**{"items-0-exercise": str(theirs.pk)}),
    )

    page = _page(response)
    assert "Select a valid choice" in page
    assert "Elsewhere wall sit" not in page
    assert not Program.objects.filter(patient=patient).exists()


@pytest.mark.parametrize("bad_id", ["999999", "-5"])
def test_builder_with_an_unknown_item_id_is_not_a_500(clinician_client, patient, bad_id):
    # a stale page or a tampered hidden id: saved as a new row, never a server error
    response = clinician_client.post(
        reverse("programs:new", args=[patient.pk]), builder_post(**{"items-0-id": bad_id})
    )

    assert response.status_code == 302
    program = Program.objects.get(patient=patient, status="active")
    assert [i.notes for i in program.items.all()] == ["Keep the band light"]


def test_editing_with_another_programs_item_id_leaves_that_item_alone(
    clinician, clinician_client, program, other_patient
):
    # given another patient's program, whose item the clinician may not edit
    theirs = ProgramFactory(patient=other_patient, created_by=clinician)
    foreign = PrescribedExerciseFactory(program=theirs, sets=2)
    bridge, _ = _items(program)

    response = clinician_client.post(
        reverse("programs:edit", args=[program.pk]),
        builder_post(
            **{
                "items-0-id": str(foreign.pk),
                "items-0-exercise": str(bridge.exercise_id),
                "items-0-sets": "4",
            }
        ),
    )

    assert response.status_code == 302
    foreign.refresh_from_db()
    assert (foreign.program, foreign.sets) == (theirs, 2)
    assert [(i.exercise, i.sets) for i in program.items.all()] == [(bridge.exercise, 4)]


def test_a_stranger_cannot_open_or_post_the_builder(other_clinic_clinician, patient):
    stranger = client_for(other_clinic_clinician)

    get = stranger.get(reverse("programs:new", args=[patient.pk]))
    post = stranger.post(reverse("programs:new", args=[patient.pk]), builder_post())

    assert (get.status_code, post.status_code) == (404, 404)
    assert not Program.objects.filter(patient=patient).exists()


def test_exercise_form_garbage_shows_errors_and_keeps_what_was_typed(clinician_client):
    response = clinician_client.post(
        reverse("exercises:new"),
        {
            "name": "Wall sit hold",
            "region": "knee",
            "instructions": "",
            "dose_kind": "laps",
            "default_sets": "0",
            "default_target_low": "20",
            "default_target_high": "ten",
            "default_rep_hold_seconds": "-2",
            "cautions": ["not_a_caution"],
        },
    )

    page = _page(response)
    assert set(response.context["form"].errors) == {
        "region",
        "instructions",
        "dose_kind",
        "default_sets",
        "default_target_high",
        "default_rep_hold_seconds",
        "cautions",
    }
    assert 'value="Wall sit hold"' in page
    assert 'value="20"' in page
    assert not Exercise.objects.filter(name="Wall sit hold").exists()


def test_exercise_with_a_crossed_range_is_refused(clinician_client):
    response = clinician_client.post(
        reverse("exercises:new"),
        {
            "name": "Wall sit hold",
            "region": "functional",
            "instructions": "Slide down a wall and hold.",
            "dose_kind": "hold",
            "default_sets": "3",
            "default_target_low": "40",
            "default_target_high": "20",
        },
    )

    page = _page(response)
    assert "The high end must be at least the low end." in page
    assert "Slide down a wall and hold." in page
    assert not Exercise.objects.filter(name="Wall sit hold").exists()


@pytest.mark.parametrize("name", ["Приседание у стены", "深蹲", "!!!"])
def test_an_exercise_name_without_latin_letters_is_accepted(clinician_client, name):
    response = clinician_client.post(
        reverse("exercises:new"),
        {
            "name": name,
            "region": "functional",
            "instructions": "Slide down a wall and hold.",
            "dose_kind": "hold",
            "default_sets": "3",
            "default_target_low": "20",
            "default_target_high": "30",
        },
    )

    assert "This field cannot be blank." not in _text(response)
    assert response.status_code == 302
    assert Exercise.objects.filter(name=name).exists()


def test_a_patient_cannot_post_the_clinician_forms(patient_client, patient):
    responses = [
        patient_client.post(reverse("exercises:new"), {"name": "x"}),
        patient_client.post(reverse("patients:new"), {"full_name": "x"}),
        patient_client.post(reverse("programs:new", args=[patient.pk]), {"name": "x"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]


def test_the_24_hour_form_says_when_it_opens_and_is_disabled_until_then(
    patient, patient_client, program
):
    workout = _workout_now(patient, program, hours_ago=3)
    url = reverse("painlogs:followup", args=[workout.pk])

    before = _page(patient_client.get(url))

    assert "This check opens on" in before
    assert "<fieldset disabled" in before
    assert 'name="followup_pain"' in before  # visible, not usable


def test_the_24_hour_form_is_usable_once_open(patient, patient_client, program):
    workout = _workout_now(patient, program, hours_ago=25)

    page = _page(patient_client.get(reverse("painlogs:followup", args=[workout.pk])))

    assert "This check opens on" not in page
    assert "<fieldset disabled" not in page


def test_today_prefills_no_set_so_saving_untouched_logs_nothing(patient_client, program):
    bridge, plank = _items(program)
    page = _page(patient_client.get(reverse("painlogs:today")))
    assert f'name="ex{bridge.pk}_set1" id="id_ex{bridge.pk}_set1" value=""' in page

    # tapping Save with only the pain ratings filled in saves nothing, and says what is missing
    response = patient_client.post(
        reverse("painlogs:today"), {f"ex{bridge.pk}_pain": "1", f"ex{plank.pk}_pain": "1"}
    )

    assert "tick “as prescribed”" in _page(response)
    assert not Workout.objects.exists()


def test_as_prescribed_is_an_explicit_tick_per_exercise(patient_client, program):
    bridge, plank = _items(program)

    response = patient_client.post(
        reverse("painlogs:today"),
        {
            f"ex{bridge.pk}_as_prescribed": "on",
            f"ex{bridge.pk}_pain": "1",
            f"ex{plank.pk}_set1": "20",
            f"ex{plank.pk}_pain": "2",
        },
    )

    assert response.status_code == 302
    results = {r.prescribed_id: r.set_values for r in ExerciseResult.objects.all()}
    assert results[bridge.pk] == [bridge.target_high] * bridge.sets
    assert results[plank.pk] == [20]  # typed, not the prescription
