"""Who may see and change what: "a stranger cannot see it", for every page with patient data.

Personas come from ``conftest.py``: ``clinician`` treats ``patient`` ("Pat Quennell");
``colleague`` (same clinic) treats ``other_patient`` ("Olive Other"); ``other_clinic_clinician``
("Bob Stranger") and ``other_clinic_patient`` belong to a clinic that must never see ours.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import emergency_access_open
from apps.care.models import EducationCard
from apps.exercises.services import exercise_create
from apps.painlogs.models import Activity, ExerciseResult, Workout
from apps.programs.models import Program
from apps.programs.services import ItemInput, program_assign

from .conftest import client_for
from .factories import WorkoutFactory, library_exercise

pytestmark = pytest.mark.django_db

PAT, OLIVE = "Pat Quennell", "Olive Other"

# (HTTP method, URL name, which object's pk goes into the URL)
PATIENT_PAGES = [
    ("get", "patients:detail", "patient"),
    ("get", "patients:edit", "patient"),
    ("get", "programs:new", "patient"),
    ("get", "programs:edit", "program"),
    (
        "get",
        "programs:end",
        "program",
    ),  # the confirmation page; tests/programs/test_program_end.py ends
    ("get", "care:program_cards", "program"),
    ("get", "outcomes:program", "program"),
    ("get", "media:prescription_new", "item"),
]
PAGE_IDS = [name for _, name, _ in PATIENT_PAGES]
# Pages the patient shares with their care team: the program's handout and its PDF.
SHARED_PAGES = [
    ("get", "handouts:page", "program"),
    ("get", "handouts:pdf", "program"),
]
SHARED_IDS = [name for _, name, _ in SHARED_PAGES]


def _open(client, method, name, target, *, patient, program):
    pk = {"patient": patient.pk, "program": program.pk}.get(target) or program.items.first().pk
    return getattr(client, method)(reverse(name, args=[pk]))


def _program_is_active(program) -> bool:
    return Program.objects.get(pk=program.pk).status == Program.Status.ACTIVE


def _link(url: str) -> str:
    """An exact ``href`` attribute, so /patients/3/ never matches /patients/31/."""
    return f'href="{url}"'


def _activity(patient, *, days_ago=1, duration=30, description=""):
    return Activity.objects.create(
        patient=patient,
        kind=Activity.Kind.RUN,
        description=description,
        date=timezone.localdate() - timedelta(days=days_ago),
        duration_minutes=duration,
        pain_during=2,
        pain_ceiling=3,
        green_max=2,
        light="green",
    )


def _main(response) -> str:
    """The page without its navigation, which names whoever is signed in."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _result(workout, name):
    exercise = library_exercise()
    return ExerciseResult.objects.create(
        workout=workout,
        exercise=exercise,
        exercise_name=name,
        dose_kind=exercise.dose_kind,
        prescribed_sets=3,
        prescribed_low=8,
        prescribed_high=10,
        set_values=[10, 10, 10],
        sets_done=3,
        pain_during=2,
    )


# --- Clinician pages of one patient -------------------------------------------------------------


@pytest.mark.parametrize(("method", "name", "target"), PATIENT_PAGES, ids=PAGE_IDS)
def test_a_clinician_of_another_clinic_gets_404_on_our_patient(
    method, name, target, patient, program, other_clinic_clinician
):
    # given a clinician of another clinic
    client = client_for(other_clinic_clinician)

    # when they open one of our patient's pages
    response = _open(client, method, name, target, patient=patient, program=program)

    # then the patient does not exist for them, and nothing changed
    assert response.status_code == 404
    assert PAT not in response.content.decode()
    assert _program_is_active(program)


@pytest.mark.parametrize(("method", "name", "target"), PATIENT_PAGES, ids=PAGE_IDS)
def test_a_colleague_off_the_care_team_gets_404(method, name, target, patient, program, colleague):
    # given a clinician of the same clinic who is not on Pat's care team
    client = client_for(colleague)

    # when they open one of Pat's pages
    response = _open(client, method, name, target, patient=patient, program=program)

    # then Pat does not exist for them, and the program still runs
    assert response.status_code == 404
    assert PAT not in response.content.decode()
    assert _program_is_active(program)


@pytest.mark.parametrize("who", ["clinician", "clinic_admin"])
@pytest.mark.parametrize(("method", "name", "target"), PATIENT_PAGES, ids=PAGE_IDS)
def test_the_care_team_and_a_clinic_admin_with_emergency_access_may_open_and_change(
    who, method, name, target, patient, program, request
):
    # given the care-team clinician, or the clinic admin who opened Pat's record with a reason
    user = request.getfixturevalue(who)
    if who == "clinic_admin":
        emergency_access_open(admin=user, patient=patient, reason="Covering for Alice today")
    client = client_for(user)

    # when they open one of Pat's pages
    response = _open(client, method, name, target, patient=patient, program=program)

    # then they see Pat (or, for ending the program, are sent back to Pat's page)
    if method == "get":
        assert response.status_code == 200
        assert PAT in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("patients:detail", args=[patient.pk])
        assert not _program_is_active(program)


@pytest.mark.parametrize(("method", "name", "target"), PATIENT_PAGES, ids=PAGE_IDS)
def test_a_clinic_admin_off_the_care_team_sees_no_clinical_page_without_a_reason(
    method, name, target, patient, program, clinic_admin
):
    # given the clinic admin, on no care team and with no emergency access open
    client = client_for(clinic_admin)

    # when they open one of Pat's pages
    response = _open(client, method, name, target, patient=patient, program=program)

    # then the record stays closed: Pat's page offers emergency access, the others do not exist
    if name == "patients:detail":
        assert response.status_code == 302
        assert response["Location"] == reverse("audit:emergency_access", args=[patient.pk])
    else:
        assert response.status_code == 404
    assert "cam" not in response.content.decode().lower()
    assert _program_is_active(program)


@pytest.mark.parametrize("whose", ["patient", "other_patient"])
@pytest.mark.parametrize(("method", "name", "target"), PATIENT_PAGES, ids=PAGE_IDS)
def test_a_patient_cannot_use_clinician_pages(
    whose, method, name, target, patient, program, other_patient, colleague, patient_client, request
):
    # given Pat logged in, and a program for Olive too
    olive_program = program_assign(
        clinician=colleague,
        patient=other_patient,
        start_date=timezone.localdate(),
        review_date=timezone.localdate() + timedelta(days=28),
        items=[ItemInput(exercise=library_exercise())],
    )
    owner = request.getfixturevalue(whose)
    target_program = program if whose == "patient" else olive_program

    # when Pat opens a clinician page about themself or about Olive
    response = _open(patient_client, method, name, target, patient=owner, program=target_program)

    # then it is refused, shows no patient data, and changes nothing
    assert response.status_code in (403, 404)
    content = _main(response)
    assert PAT not in content
    assert OLIVE not in content
    assert _program_is_active(target_program)


@pytest.mark.parametrize(("method", "name", "target"), SHARED_PAGES, ids=SHARED_IDS)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("patient", 200),
        ("clinician", 200),
        ("other_patient", 404),
        ("colleague", 404),
        ("clinic_admin", 404),
        ("other_clinic_clinician", 404),
    ],
)
def test_a_shared_page_opens_for_the_patient_and_care_team_only(
    who, status, method, name, target, patient, program, request
):
    # given Pat's program, and someone signed in
    persona = request.getfixturevalue(who)
    client = client_for(getattr(persona, "user", persona))

    # when they open its handout
    response = _open(client, method, name, target, patient=patient, program=program)

    # then Pat and Alice see it; for anyone else it does not exist
    assert response.status_code == status
    if status == 404:
        assert PAT not in response.content.decode()


@pytest.mark.parametrize(("method", "name", "target"), SHARED_PAGES, ids=SHARED_IDS)
def test_a_clinic_admin_with_emergency_access_opens_a_shared_page(
    method, name, target, patient, program, clinic_admin
):
    emergency_access_open(admin=clinic_admin, patient=patient, reason="Covering for Alice today")

    response = _open(
        client_for(clinic_admin), method, name, target, patient=patient, program=program
    )

    assert response.status_code == 200


# --- Patient pages ------------------------------------------------------------------------------


def test_a_patient_cannot_rate_another_patients_workout(patient, other_patient, patient_client):
    # given a workout of Pat's and one of Olive's, both waiting for their 24-hour rating
    own = WorkoutFactory(patient=patient)
    olives = WorkoutFactory(patient=other_patient)

    # when Pat opens each rating page, and tries to rate Olive's
    own_page = patient_client.get(reverse("painlogs:followup", args=[own.pk]))
    other_page = patient_client.get(reverse("painlogs:followup", args=[olives.pk]))
    other_post = patient_client.post(
        reverse("painlogs:followup", args=[olives.pk]), {"followup_pain": "9"}
    )

    # then only their own exists for them, and Olive's workout is untouched
    assert own_page.status_code == 200
    assert other_page.status_code == 404
    assert other_post.status_code == 404
    assert Workout.objects.get(pk=olives.pk).followup_pain is None


def test_a_patient_cannot_rate_another_patients_activity(patient, other_patient, patient_client):
    # given a run of Pat's and one of Olive's, both from yesterday
    own = _activity(patient)
    olives = _activity(other_patient)

    # when Pat opens each next-day soreness page, and tries to rate Olive's
    own_page = patient_client.get(reverse("painlogs:activity_soreness", args=[own.pk]))
    other_page = patient_client.get(reverse("painlogs:activity_soreness", args=[olives.pk]))
    other_post = patient_client.post(
        reverse("painlogs:activity_soreness", args=[olives.pk]), {"next_day_soreness": "9"}
    )

    # then only their own exists for them, and Olive's run is untouched
    assert own_page.status_code == 200
    assert other_page.status_code == 404
    assert other_post.status_code == 404
    assert Activity.objects.get(pk=olives.pk).next_day_soreness is None


def test_today_never_asks_about_another_patients_workouts_or_activities(
    patient, other_patient, program, patient_client
):
    # given Pat and Olive each have a workout and a run awaiting a rating
    own_workout = WorkoutFactory(patient=patient, note="my own session")
    olives_workout = WorkoutFactory(patient=other_patient, note="Olive secret session")
    own_run, olives_run = _activity(patient), _activity(other_patient)

    # when Pat opens Today
    response = patient_client.get(reverse("painlogs:today"))

    # then Pat is asked about their own, never about Olive's
    content = response.content.decode()
    assert response.status_code == 200
    assert _link(reverse("painlogs:followup", args=[own_workout.pk])) in content
    assert _link(reverse("painlogs:activity_soreness", args=[own_run.pk])) in content
    assert _link(reverse("painlogs:followup", args=[olives_workout.pk])) not in content
    assert _link(reverse("painlogs:activity_soreness", args=[olives_run.pk])) not in content
    assert "Olive secret session" not in content
    assert OLIVE not in content


def test_history_never_shows_another_patients_workouts_or_activities(
    patient, other_patient, patient_client
):
    # given Pat and Olive each logged a workout and a run, with distinctive details
    own_workout = WorkoutFactory(patient=patient, note="my own session")
    _result(own_workout, "Pat own bridge")
    _activity(patient, duration=41)
    olives_workout = WorkoutFactory(patient=other_patient, note="Olive secret session")
    _result(olives_workout, "Olive secret bridge")
    _activity(other_patient, duration=777)

    # when Pat opens their history
    response = patient_client.get(reverse("painlogs:history"))

    # then Pat sees their own sessions, and nothing of Olive's
    content = response.content.decode()
    assert response.status_code == 200
    assert "Pat own bridge" in content
    assert "41 min" in content
    assert "Olive secret bridge" not in content
    assert "777 min" not in content
    assert _link(reverse("painlogs:followup", args=[olives_workout.pk])) not in content
    assert "Olive secret session" not in content
    assert OLIVE not in content


# --- Anonymous visitors -------------------------------------------------------------------------


ANONYMOUS_PAGES = [
    *PATIENT_PAGES,
    *SHARED_PAGES,
    ("post", "handouts:email", "program"),
    ("get", "painlogs:followup", "workout"),
    ("post", "painlogs:followup", "workout"),
    ("get", "painlogs:activity_soreness", "activity"),
    ("get", "painlogs:today", None),
    ("get", "painlogs:history", None),
    ("get", "painlogs:activity_new", None),
    ("get", "patients:list", None),
    ("get", "patients:new", None),
    ("get", "exercises:library", None),
    ("get", "exercises:detail", "exercise"),
    ("get", "accounts:team", None),
    ("get", "patients:trend", "patient"),
    ("get", "care:mine", None),
    ("post", "care:mine", None),
    ("get", "care:thread", "patient"),
    ("post", "care:thread", "patient"),
    ("get", "care:note_new", "patient"),
    ("post", "care:note_new", "patient"),
    ("get", "care:program_cards", "program"),
    ("post", "care:program_cards", "program"),
    ("get", "care:cards", None),
    ("get", "care:card", "card"),
]


@pytest.mark.parametrize(
    ("method", "name", "target"),
    ANONYMOUS_PAGES,
    ids=[f"{method}-{name}" for method, name, _ in ANONYMOUS_PAGES],
)
def test_an_anonymous_visitor_is_sent_to_log_in(method, name, target, client, patient, program):
    # given someone who is not logged in, and a patient with a workout and a run
    pks = {
        "patient": patient.pk,
        "program": program.pk,
        "workout": WorkoutFactory(patient=patient).pk,
        "activity": _activity(patient).pk,
        "exercise": library_exercise().pk,
        "card": EducationCard.objects.first().pk,
        "item": program.items.first().pk,
    }
    url = reverse(name, args=[pks[target]] if target else [])

    # when they open the page
    response = getattr(client, method)(url)

    # then they are sent to log in, and come back here afterwards
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert PAT not in response.content.decode()
    assert _program_is_active(program)


# --- Patient list -------------------------------------------------------------------------------


def test_a_clinician_lists_only_their_care_team_patients(
    patient, other_patient, other_clinic_patient, clinician_client
):
    # when Pat's clinician opens the patient list
    response = clinician_client.get(reverse("patients:list"))

    # then Pat is listed, Olive (a colleague's) and the other clinic's patient are not
    content = response.content.decode()
    assert response.status_code == 200
    assert _link(reverse("patients:detail", args=[patient.pk])) in content
    assert PAT in content
    assert _link(reverse("patients:detail", args=[other_patient.pk])) not in content
    assert OLIVE not in content
    assert _link(reverse("patients:detail", args=[other_clinic_patient.pk])) not in content
    assert other_clinic_patient.user.email not in content


def test_a_clinic_admin_lists_only_their_own_and_opened_patients(
    patient, other_patient, other_clinic_patient, clinic_admin
):
    # given the clinic admin, on no care team, who opened Olive's record with a reason
    emergency_access_open(admin=clinic_admin, patient=other_patient, reason="Covering for Carl")

    # when they open the patient list
    response = client_for(clinic_admin).get(reverse("patients:list"))

    # then Olive is listed, Pat (whose record they did not open) and the other clinic are not
    content = _main(response)
    assert response.status_code == 200
    assert OLIVE in content
    assert PAT not in content
    assert other_clinic_patient.user.email not in content


def test_the_patient_list_search_filters_by_name(patient, other_patient, clinician):
    # given a clinician who treats both Pat and Olive
    other_patient.care_team.add(clinician)
    client = client_for(clinician)

    # when they search for "olive"
    response = client.get(reverse("patients:list"), {"q": "olive"})

    # then only Olive is listed
    content = _main(response)
    assert response.status_code == 200
    assert OLIVE in content
    assert PAT not in content


def test_the_patient_list_search_stays_within_the_care_team(
    patient, other_patient, clinician_client
):
    # when Pat's clinician searches for Olive, a colleague's patient
    response = clinician_client.get(reverse("patients:list"), {"q": "Olive"})

    # then nobody matches
    content = response.content.decode()
    assert response.status_code == 200
    assert OLIVE not in content
    assert PAT not in content
    assert "No patient matches" in content


# --- Exercise library ---------------------------------------------------------------------------


@pytest.fixture
def elsewhere_exercise(other_clinic_clinician):
    """An exercise the other clinic added to its own library."""
    return exercise_create(
        clinician=other_clinic_clinician,
        name="Elsewhere secret lunge",
        region="hip",
        instructions="Step forward and lower the back knee.",
        dose_kind="reps",
        default_sets=3,
        default_target_low=8,
        default_target_high=12,
    )


def test_another_clinics_own_exercise_is_invisible_to_us(elsewhere_exercise, clinician_client):
    # when our clinician browses the library and opens the other clinic's exercise
    listing = clinician_client.get(reverse("exercises:library"))
    detail = clinician_client.get(reverse("exercises:detail", args=[elsewhere_exercise.pk]))

    # then it is not listed and does not exist for them (the shared library still is there)
    assert listing.status_code == 200
    assert "Side plank from knee and elbow" in listing.content.decode()
    assert "Elsewhere secret lunge" not in listing.content.decode()
    assert detail.status_code == 404


def test_a_clinics_own_exercise_is_visible_to_that_clinic(
    elsewhere_exercise, other_clinic_clinician
):
    # given a clinician of the clinic that added the exercise
    client = client_for(other_clinic_clinician)

    # when they browse their clinic's exercises and open it
    listing = client.get(reverse("exercises:library"), {"progression": "own"})
    detail = client.get(reverse("exercises:detail", args=[elsewhere_exercise.pk]))

    # then it is listed and opens
    assert "Elsewhere secret lunge" in listing.content.decode()
    assert detail.status_code == 200
    assert "Elsewhere secret lunge" in detail.content.decode()


def test_another_clinics_exercise_is_invisible_to_our_patient(elsewhere_exercise, patient_client):
    # when our patient opens the other clinic's exercise by its address
    response = patient_client.get(reverse("exercises:detail", args=[elsewhere_exercise.pk]))

    # then it does not exist for them
    assert response.status_code == 404


def test_the_library_filters_by_progression(clinician_client):
    # when the clinician filters the library on the trunk progression
    response = clinician_client.get(reverse("exercises:library"), {"progression": "trunk"})

    # then trunk exercises are listed, hip adductor ones are not
    content = response.content.decode()
    assert response.status_code == 200
    assert "Side plank from knee and elbow" in content
    assert "Full side plank" in content
    assert "Copenhagen" not in content
    assert "Bridge with a band around the knees" not in content


def test_the_library_filters_by_region(clinician_client):
    # when the clinician filters the library on the running region
    response = clinician_client.get(reverse("exercises:library"), {"region": "running"})

    # then running exercises are listed, trunk and hip ones are not
    content = response.content.decode()
    assert response.status_code == 200
    assert "Marching with hands overhead" in content
    assert "Side plank" not in content
    assert "Copenhagen" not in content


# --- Team page ----------------------------------------------------------------------------------


def test_a_plain_clinician_cannot_open_the_team_page(clinician_client):
    # when a clinician who is not an admin opens the team page
    response = clinician_client.get(reverse("accounts:team"))

    # then it is refused and lists nobody
    assert response.status_code == 403
    assert "Carl Colleague" not in response.content.decode()


def test_the_team_page_lists_only_our_clinics_clinicians(
    clinician, colleague, clinic_admin, patient, other_clinic_clinician
):
    # when the clinic admin opens the team page
    response = client_for(clinic_admin).get(reverse("accounts:team"))

    # then our clinicians are listed, not the other clinic's, nor our patients
    content = response.content.decode()
    assert response.status_code == 200
    assert "alice@riverside.test" in content
    assert "carl@riverside.test" in content
    assert "ada@riverside.test" in content
    assert "Bob Stranger" not in content
    assert "bob@elsewhere.test" not in content
    assert "pat@example.com" not in content


def test_the_clinic_admin_invites_a_clinician_by_email(
    clinic, clinic_admin, django_capture_on_commit_callbacks
):
    # given the clinic admin on the team page
    client = client_for(clinic_admin)

    # when they invite a new clinician
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:team"),
            {"full_name": "Nina New", "email": "nina@riverside.test", "role": "clinician"},
        )

    # then one invitation email goes to the new clinician, who joins our clinic's team
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:team")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nina@riverside.test"]
    invited = User.objects.get(email="nina@riverside.test")
    assert invited.clinic == clinic
    assert invited.role == User.Role.CLINICIAN
    assert not invited.has_usable_password()
    assert "Nina New" in client.get(reverse("accounts:team")).content.decode()
