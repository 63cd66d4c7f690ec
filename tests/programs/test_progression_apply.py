from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.programs.models import ProgressionChange
from apps.programs.rules import Decision, Dose, dose_reduced
from apps.programs.selectors import program_suggestions
from apps.programs.services import (
    ItemInput,
    auto_progression_run,
    program_assign,
    suggestion_apply,
)
from tests.conftest import client_for
from tests.factories import library_exercise
from tests.helpers import logged_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def abductors(clinician, patient):
    """A program with one exercise: hip abductors level 1 (banded bridge, 3 × 8–10)."""
    return program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate() - timedelta(30),
        review_date=timezone.localdate() + timedelta(30),
        items=[ItemInput(exercise=library_exercise("banded-bridge-knees-out"))],
    )


def session(patient, program, *, days_ago, reps=10, pain=1, after=1):
    item = program.items.get()
    return logged_session(
        patient, item, days_ago=days_ago, set_values=[reps] * 3, pain=pain, after=after
    )


def decision(program):
    ((_, suggestion),) = program_suggestions(program)
    return suggestion


def test_two_top_sessions_suggest_progress_and_applying_moves_one_level(
    clinician, patient, abductors
):
    session(patient, abductors, days_ago=6)
    session(patient, abductors, days_ago=4)
    assert decision(abductors).decision == Decision.PROGRESS

    change = suggestion_apply(clinician=clinician, item=abductors.items.get())

    item = abductors.items.get()
    assert (item.exercise.slug, item.exercise.level) == ("standing-banded-hip-abduction", 2)
    assert (item.sets, item.target_low, item.target_high) == (3, 8, 10)  # the new level's defaults
    assert (change.from_exercise.level, change.to_exercise.level) == (1, 2)
    assert change.changed_by == clinician
    assert "3 × 10 at 1/10" in change.reason
    # the sessions that earned it do not count for the new level
    assert decision(abductors).decision == Decision.HOLD


def test_history_keeps_every_change_and_past_logs_keep_their_prescription(
    clinician, patient, abductors
):
    first = session(patient, abductors, days_ago=6)
    session(patient, abductors, days_ago=4)
    suggestion_apply(clinician=clinician, item=abductors.items.get())
    assert ProgressionChange.objects.count() == 1
    assert first.results.get().exercise_name == "Bridge with a band around the knees"


def test_at_the_last_level_progress_is_not_offered(clinician, patient):
    program = program_assign(
        clinician=clinician,
        patient=patient,
        start_date=timezone.localdate() - timedelta(30),
        review_date=timezone.localdate() + timedelta(30),
        items=[ItemInput(exercise=library_exercise("hip-hike-weighted"))],
    )  # level 4 of 4
    session(patient, program, days_ago=6)
    session(patient, program, days_ago=4)

    # the rule holds, and says why, instead of offering a level that does not exist
    suggestion = decision(program)
    assert suggestion.decision == Decision.HOLD
    assert "last level of its progression" in suggestion.reason
    with pytest.raises(ValidationError, match="rule says hold"):
        suggestion_apply(clinician=clinician, item=program.items.get())
    assert program.items.get().exercise.slug == "hip-hike-weighted"


def test_at_the_first_level_repeated_reds_reduce_the_dose_and_record_why(
    clinician, patient, abductors
):
    # given two red sessions of the bridge, level 1 of its progression, at 3 × 8–10
    session(patient, abductors, days_ago=3, pain=5, after=5)
    session(patient, abductors, days_ago=2, pain=6, after=4)

    # then the rule offers a smaller dose, not a level below the first
    suggestion = decision(abductors)
    assert suggestion.decision == Decision.REDUCE
    assert "reduce the dose to 2 × 8–10" in suggestion.reason

    # and one click applies it, recorded like a level change with the doses in its reason
    change = suggestion_apply(clinician=clinician, item=abductors.items.get())

    item = abductors.items.get()
    assert (item.exercise.slug, item.sets, item.target_low, item.target_high) == (
        "banded-bridge-knees-out",
        2,
        8,
        10,
    )
    assert change.direction == ProgressionChange.Direction.REDUCE
    assert change.reason.startswith("3 × 8–10 → 2 × 8–10: ")
    assert change.changed_by == clinician


def test_the_patient_page_offers_reduce_the_dose_and_today_explains_it(
    clinician, patient, abductors
):
    session(patient, abductors, days_ago=3, pain=5, after=5)
    session(patient, abductors, days_ago=2, pain=6, after=4)
    clinician_page = client_for(clinician).get(reverse("patients:detail", args=[patient.pk]))
    assert "Reduce the dose" in clinician_page.content.decode()
    assert "Regress one level" not in clinician_page.content.decode()

    client_for(clinician).post(reverse("programs:apply", args=[abductors.items.get().pk]))

    today = client_for(patient.user).get(reverse("painlogs:today")).content.decode()
    assert "Do a little less of" in today
    page = client_for(clinician).get(reverse("patients:detail", args=[patient.pk]))
    assert "dose of “Bridge with a band around the knees” reduced" in page.content.decode()


def test_dose_reduction_steps_down_sets_then_reps_and_stops_at_the_smallest():
    assert dose_reduced(Dose(3, 8, 10)) == Dose(2, 8, 10)
    assert dose_reduced(Dose(1, 8, 10)) == Dose(1, 6, 7)
    assert dose_reduced(Dose(1, 20, 30)) == Dose(1, 14, 21)
    assert dose_reduced(Dose(1, 1, 1)) == Dose(1, 1, 1)


def test_a_hold_cannot_be_applied_and_a_stranger_cannot_apply(
    clinician, colleague, patient, abductors
):
    session(patient, abductors, days_ago=4, reps=8)
    with pytest.raises(ValidationError, match="rule says hold"):
        suggestion_apply(clinician=clinician, item=abductors.items.get())
    with pytest.raises(ValidationError, match="care team"):
        suggestion_apply(clinician=colleague, item=abductors.items.get())


def test_regress_after_repeated_reds_moves_back_one_level(clinician, patient, abductors):
    session(patient, abductors, days_ago=6)
    session(patient, abductors, days_ago=4)
    level_2_on = timezone.now() - timedelta(days=3, hours=12)
    suggestion_apply(clinician=clinician, item=abductors.items.get(), now=level_2_on)
    session(patient, abductors, days_ago=3, pain=5, after=5)
    session(patient, abductors, days_ago=2, pain=6, after=4)
    assert decision(abductors).decision == Decision.REGRESS
    suggestion_apply(clinician=clinician, item=abductors.items.get())
    assert abductors.items.get().exercise.level == 1


def test_auto_progression_happens_once_per_qualifying_pair(patient, abductors):
    patient.auto_progression = True
    patient.save()
    session(patient, abductors, days_ago=8)
    session(patient, abductors, days_ago=6)

    five_days_ago = timezone.now() - timedelta(days=5)
    first = auto_progression_run(patient=patient, now=five_days_ago)
    again = auto_progression_run(patient=patient, now=five_days_ago)

    assert [c.to_exercise.level for c in first] == [2]
    assert again == []
    assert first[0].automatic is True
    assert first[0].changed_by is None
    # one more top session at level 2 is not yet a pair
    session(patient, abductors, days_ago=4)
    assert auto_progression_run(patient=patient) == []
    session(patient, abductors, days_ago=2)
    assert [c.to_exercise.level for c in auto_progression_run(patient=patient)] == [3]


def test_auto_progression_is_off_by_default(patient, abductors):
    session(patient, abductors, days_ago=6)
    session(patient, abductors, days_ago=4)
    assert auto_progression_run(patient=patient) == []
    assert abductors.items.get().exercise.level == 1


def test_auto_progression_after_the_24_hour_rating_tells_patient_and_clinician(
    patient, clinician, abductors, mailoutbox, django_capture_on_commit_callbacks
):
    from apps.reminders.models import Notification

    patient.auto_progression = True
    patient.save()
    session(patient, abductors, days_ago=6)
    # when the second qualifying session gets its 24-hour rating
    with django_capture_on_commit_callbacks(execute=True):
        session(patient, abductors, days_ago=4)

    assert abductors.items.get().exercise.level == 2
    notes = Notification.objects.filter(kind="program_change")
    assert {n.recipient for n in notes} == {patient.user, clinician}
    assert sorted(m.to[0] for m in mailoutbox if "program" in m.subject.lower()) == sorted(
        [patient.user.email, clinician.email]
    )


def test_clinician_sees_the_suggestion_and_applies_it_in_one_click_patient_sees_why(
    clinician_client, patient_client, patient, abductors
):
    from django.urls import reverse

    session(patient, abductors, days_ago=6)
    session(patient, abductors, days_ago=4)
    page = clinician_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "Ready to progress" in page
    assert "3 × 10 at 1/10" in page

    item = abductors.items.get()
    response = clinician_client.post(reverse("programs:apply", args=[item.pk]), follow=True)
    assert "Progressed" in response.content.decode()
    assert abductors.items.get().exercise.level == 2

    today = patient_client.get(reverse("painlogs:today")).content.decode()
    assert "moved up a level" in today
    assert "Standing resisted hip abduction" in today


def test_a_stranger_cannot_apply_a_suggestion(patient, abductors, other_clinic_clinician):
    from django.urls import reverse

    from tests.conftest import client_for

    session(patient, abductors, days_ago=6)
    session(patient, abductors, days_ago=4)
    item = abductors.items.get()
    response = client_for(other_clinic_clinician).post(reverse("programs:apply", args=[item.pk]))
    assert response.status_code == 404
    assert abductors.items.get().exercise.level == 1
