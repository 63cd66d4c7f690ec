"""Create the demo clinic: a clinician, an admin and three patients with weeks of logs.

Each patient shows one state of the progression rule: Maya is ready to progress, Tom is in a
flare and due a regression, Priya is returning to running between two stages. Their
questionnaires tell the same stories: Maya's hip rating rises past its MCID, Tom's PSFS falls
by more than its MCID, Priya's hip rating creeps up within it.

Idempotent: when the demo clinic exists it only prints the logins again.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from apps.accounts.models import Clinic, User
from apps.accounts.services import clinic_create
from apps.care.models import EducationCard, Message
from apps.care.services import (
    message_send,
    program_cards_set,
    thread_mark_read,
    visit_note_record,
)
from apps.common.signals import status_stale
from apps.exercises.models import Exercise
from apps.media.services import media_upload
from apps.outcomes.models import Occasion, QuestionnaireResponse, QuestionnaireSchedule
from apps.outcomes.selectors import questionnaire_for
from apps.outcomes.services import response_answer, response_complete, response_open
from apps.painlogs.services import (
    ResultInput,
    activity_log,
    activity_soreness_record,
    followup_record,
    workout_log,
)
from apps.patients.models import Patient
from apps.programs.models import Program
from apps.programs.services import ItemInput, program_assign, suggestion_apply
from apps.reminders.services import outbox_settle
from config.celery_app import tasks_paused

CLINIC_NAME = "Greenlight Demo Clinic"
PASSWORD = "greenlight-demo"  # noqa: S105 - demo accounts only, printed on purpose
# The demo clinician's and admin's authenticator app key (clinicians must use a second factor).
# Public on purpose, like the password: add it to an authenticator app, or `make totp`.
DEMO_TOTP_SECRET = "GREENLIGHTDEMOGREENLIGHTDEMO2345"  # noqa: S105 - public demo key
WEEKS = 6


@dataclass
class DemoPatient:
    email: str
    name: str
    timezone: str
    condition: str
    diagnosis: str
    exercises: list[str]
    story: str


MAYA = DemoPatient(
    "maya@demo.greenlight.test",
    "Maya Chen",
    "America/Los_Angeles",
    "fai",
    "Cam-type FAI, right hip; marathon runner",
    [
        "banded-bridge-knees-out",
        "side-lying-hip-adduction-lift",
        "supine-hip-flexion-reduced-range",
        "side-plank-knee",
    ],
    "improving",
)
TOM = DemoPatient(
    "tom@demo.greenlight.test",
    "Tom Becker",
    "Europe/Berlin",
    "gluteal_tendinopathy",
    "Left gluteal tendinopathy; trail runner",
    ["weighted-bridge-hip-thrust", "standing-banded-hip-abduction", "side-plank-knee"],
    "flare",
)

PRIYA = DemoPatient(
    "priya@demo.greenlight.test",
    "Priya Shah",
    "America/New_York",
    "fai",
    "Mixed-type FAI, left hip; half-marathoner returning to running",
    ["banded-bridge-knees-out", "side-plank-knee", "conversational-pace-running"],
    "running",
)
# Priya's preferred step rate; her target is the default 10 % above it.
PRIYA_STEP_RATE = 164

LOGINS = [
    ("Clinician", "sam@demo.greenlight.test"),
    ("Clinic admin", "admin@demo.greenlight.test"),
    ("Patient (FAI, ready to progress)", MAYA.email),
    ("Patient (in a flare, to regress)", TOM.email),
    ("Patient (back to running, stage 2)", PRIYA.email),
]


class Command(BaseCommand):
    help = "Create the demo clinic, clinician and three patients with six weeks of logs."

    def handle(self, *args, **options):
        if Clinic.objects.filter(name=CLINIC_NAME).exists():
            self.stdout.write("Demo data already present.")
        else:
            # Six weeks of history would queue hundreds of alerts and emails about the past:
            # nothing is published, and the outbox rows the history wrote are settled.
            started = timezone.now()
            with tasks_paused(), transaction.atomic():
                self._seed(started)
                outbox_settle(since=started)
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for role, email in LOGINS:
            self.stdout.write(f"  {role:34} {email}")
        self.stdout.write(
            f"Clinicians then type a code: add the key {DEMO_TOTP_SECRET} to an authenticator "
            "app, or run `make totp` for the current code."
        )

    def _seed(self, now: datetime):
        admin = clinic_create(
            name=CLINIC_NAME,
            timezone="Europe/London",
            admin_email="admin@demo.greenlight.test",
            admin_name="Ada Admin",
            admin_password=PASSWORD,
        )
        sam = User.objects.create_user(
            email="sam@demo.greenlight.test",
            password=PASSWORD,
            full_name="Sam Rivera",
            role=User.Role.CLINICIAN,
            clinic=admin.clinic,
            timezone="Europe/London",
        )
        for clinician in (admin, sam):
            TOTP.activate(clinician, DEMO_TOTP_SECRET)
        for demo in (MAYA, TOM, PRIYA):
            self._patient(demo, clinician=sam, rng=random.Random(demo.email), now=now)  # noqa: S311 - repeatable demo, not crypto
        _conversations(sam, now)
        _questionnaires(sam, now)

    def _patient(self, demo: DemoPatient, *, clinician: User, rng: random.Random, now: datetime):
        user = User.objects.create_user(
            email=demo.email,
            password=PASSWORD,
            full_name=demo.name,
            role=User.Role.PATIENT,
            clinic=clinician.clinic,
            timezone=demo.timezone,
        )
        # The demo clinician has a clinic; the stubs see a nullable key.
        patient = Patient.objects.create(  # type: ignore[misc]
            user=user,
            clinic=clinician.clinic,
            date_of_birth=date(1987, 4, 12),
            condition=demo.condition,
            diagnosis=demo.diagnosis,
            affected_side="right" if demo.condition == "fai" else "left",
        )
        patient.care_team.set([clinician])
        zone = ZoneInfo(demo.timezone)
        start = now.astimezone(zone).date() - timedelta(weeks=WEEKS)
        exercises = [Exercise.objects.get(clinic__isnull=True, slug=s) for s in demo.exercises]
        program = program_assign(
            clinician=clinician,
            patient=patient,
            start_date=start,
            review_date=start + timedelta(weeks=WEEKS + 2),
            name="Hip strength, phase 1",
            items=[
                ItemInput(
                    exercise=e,
                    caution_acknowledged=True,
                    baseline_step_rate=PRIYA_STEP_RATE if e.is_run else None,
                )
                for e in exercises
            ],
        )
        # Assigned at the first visit, six weeks ago, not when the demo was seeded.
        assigned = datetime.combine(start, time(9), tzinfo=zone)
        Program.objects.filter(pk=program.pk).update(created_at=assigned, updated_at=assigned)
        for day in range(WEEKS * 7):
            self._day(demo, user, program, start + timedelta(days=day), zone, rng, now)
            if demo.story == "running" and day == RUN_STAGE_UP_DAY:
                self._run_stage_up(clinician, program, start + timedelta(days=day), zone)
        first = program.items.all()[0]
        media_upload(
            user=clinician,
            file=ContentFile(_demo_photo(first.exercise.name), name="demo.jpg"),
            prescribed=first,
            caption=f"Filmed in clinic at the first visit: {demo.name.split()[0]}'s set-up",
        )

    @staticmethod
    def _run_stage_up(clinician, program, day: date, zone):
        """Half-way through, Sam moves Priya's running on to stage 2, as the rule suggested."""
        run = next(item for item in program.items.all() if item.exercise.is_run)
        at = datetime.combine(day, time(20), tzinfo=zone)
        suggestion_apply(clinician=clinician, item=run, now=at)

    def _day(self, demo, user, program, day: date, zone, rng, now):
        progress = (day - program.start_date).days / (WEEKS * 7)
        flare = demo.story == "flare" and progress > 0.75
        # In his flare Tom drops his Friday sessions.
        trains = day.weekday() in (0, 2, 4) and not (flare and day.weekday() == 4)
        moment = datetime.combine(day, time(7, 15), tzinfo=zone) + timedelta(
            minutes=rng.randint(0, 600)
        )
        # Maya's and Priya's latest sessions are all rated 24 hours later, so the rule can judge
        # them; Tom leaves his sessions of the last day unrated, as real patients do.
        settled = demo.story == "flare" or moment < now - timedelta(hours=32)
        if trains and settled and moment < now - timedelta(hours=2):
            self._workout(user, program, moment, self._pain(demo, progress, flare, rng), rng, now)
        if day.weekday() == 5 and moment < now - timedelta(hours=2):
            self._activity(demo, user, day, progress, flare, rng, now, logged_at=moment)
        if demo.story == "improving" and day.weekday() == 6 and moment < now - timedelta(hours=2):
            activity_log(
                user=user,
                kind="walk",
                date=day,
                duration_minutes=60,
                pain_during=1,
                description="Hike with the dog",
                now=moment,  # logged that day, as the patient would
            )

    @staticmethod
    def _pain(demo, progress, flare, rng) -> tuple[int, int]:
        """(during, 24 h after): Maya and Priya settle to about 1; Tom is fine, then flares."""
        if demo.story == "running":
            return rng.choice([1, 1, 2]), rng.choice([0, 1, 1, 2])
        if demo.story == "improving":
            base = 4 - 3 * progress
        else:
            base = 6 if flare else 2
        during = max(0, min(10, round(base + rng.uniform(-1, 1))))
        after = max(0, min(10, during + rng.choice([-1, 0, 0, 1] if not flare else [0, 1, 2])))
        return during, after

    @staticmethod
    def _workout(user, program, moment, pains, rng, now):
        during, after = pains
        results = []
        for item in program.items.all():
            done = _done(item, during, program, moment)
            results.append(
                ResultInput(
                    prescribed=item,
                    set_values=done,
                    pain_during=max(0, during - rng.randint(0, 1)),
                    **(_run_extras(done[0], program, moment, rng) if item.exercise.is_run else {}),
                )
            )
        results[0].pain_during = during
        workout = workout_log(
            user=user,
            results=results,
            performed_at=moment,
            note="Felt stiff at the start." if during >= 4 else "",
        )
        rated_at = moment + timedelta(hours=24, minutes=rng.randint(5, 300))
        if rated_at < now - timedelta(hours=2):
            followup_record(user=user, workout=workout, pain=after, now=rated_at)

    @staticmethod
    def _activity(demo, user, day, progress, flare, rng, now, *, logged_at):
        kind, minutes = {
            "improving": ("bike", 30 + int(30 * progress)),
            "running": ("walk", 45),
        }.get(demo.story, ("elliptical", 20))
        pain = 5 if flare else (2 if demo.story == "flare" else 1)
        activity = activity_log(
            user=user,
            kind=kind,
            date=day,
            duration_minutes=minutes,
            pain_during=pain,
            description="Easy pace",
            now=logged_at,
        )
        next_day = datetime.combine(
            day + timedelta(days=1), time(9), tzinfo=ZoneInfo(demo.timezone)
        )
        if next_day < now:
            soreness = pain + (3 if flare else rng.randint(0, 1))
            activity_soreness_record(
                user=user, activity=activity, soreness=min(soreness, 10), now=next_day
            )


# Priya moves on to stage 2 of her return to running after this many days.
RUN_STAGE_UP_DAY = WEEKS * 7 // 2


def _done(item, during: int, program, moment: datetime) -> list[int]:
    """What a demo patient did of one exercise: the top of the dose when it felt fine."""
    if item.exercise.is_run:
        # Stage 1 builds to the top of its minutes; stage 2 is still short of its top.
        days = (moment.date() - program.start_date).days
        stage_two = days > RUN_STAGE_UP_DAY
        return [min(item.target_high, 10 + days) if not stage_two else 20 + days % 5]
    if program.patient.user.email == PRIYA.email:
        return [item.target_low] * item.sets  # her strength work holds at the bottom of the range
    return [item.target_high if during <= 3 else item.target_low] * item.sets


def _run_extras(minutes: int, program, moment: datetime, rng) -> dict:
    """About 6 minutes a kilometre, and a step rate creeping up towards the target."""
    days = (moment.date() - program.start_date).days
    pace = Decimal(rng.randint(560, 640)) / 100
    return {
        "distance_km": (minutes / pace).quantize(Decimal("0.01")),
        "step_rate": min(PRIYA_STEP_RATE + 2 + days // 3, 182),
    }


def _demo_photo(title: str) -> bytes:
    """A stand-in for a photo filmed in clinic: a drawn card naming the exercise."""
    image = Image.new("RGB", (640, 360), (225, 238, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 623, 343), outline=(24, 94, 64), width=4)
    draw.text((40, 40), "Demo photo", fill=(24, 94, 64), font_size=36)
    draw.text((40, 100), title, fill=(30, 30, 30), font_size=24)
    out = BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _backdate(message, at: datetime):
    Message.objects.filter(pk=message.pk).update(created_at=at, updated_at=at)
    return message


def _conversations(sam: User, now: datetime) -> None:
    """Messages, visits and education cards: Tom's flare worry answered, Maya's visits."""
    tom, maya, priya = (Patient.objects.get(user__email=d.email) for d in (TOM, MAYA, PRIYA))
    worry = _backdate(
        message_send(
            author=tom.user,
            patient=tom,
            body="20 minutes on the elliptical caused soreness for days. Should I stop "
            "everything until it settles?",
        ),
        now - timedelta(days=2, hours=3),
    )
    thread_mark_read(reader=sam, patient=tom, now=now - timedelta(days=2, hours=1))
    _backdate(
        message_send(
            author=sam,
            patient=tom,
            body="Thanks for telling me. Soreness that settles within a day or two is not "
            "damage. Keep moving, but drop the elliptical to 10 minutes and skip the hip thrust "
            "for now. I've sent you a card on flares.",
        ),
        now - timedelta(days=2),
    )
    visit_note_record(
        clinician=sam,
        patient=tom,
        visit_date=(now - timedelta(days=2)).date(),
        kind="between_visits",
        text="Flare after elliptical. Reassured; elliptical 10 min, hip thrust paused. "
        "Review at the video visit.",
        next_visit_date=(now + timedelta(days=3)).date(),
        message=worry,
    )
    visit_note_record(
        clinician=sam,
        patient=maya,
        visit_date=(now - timedelta(weeks=WEEKS)).date(),
        kind="in_clinic",
        text="Initial assessment. Cam-type FAI right; flexion 95° with pinching at end range. "
        "Started hip strength phase 1; avoid deep flexion stretches.",
        manual_therapy=["soft_tissue", "joint"],
        next_visit_date=(now + timedelta(days=5)).date(),
    )
    cards = {
        tom: ["when-it-flares", "pain-during-exercise-traffic-light"],
        maya: ["what-imaging-shows", "staying-active-who-targets"],
        priya: ["returning-to-running"],
    }
    for patient, slugs in cards.items():
        program = patient.programs.get(status="active")
        chosen = [EducationCard.objects.get(clinic=None, slug=slug) for slug in slugs]
        program_cards_set(clinician=sam, program=program, cards=chosen, now=now)
    # Maya has read her imaging card already.
    maya.programs.get(status="active").card_assignments.filter(
        card__slug="what-imaging-shows"
    ).update(read_at=now - timedelta(days=20))


# The activities Tom named at his first visit, rated again at every follow-up (PSFS).
TOM_ACTIVITIES = ["Running 5 km", "Sitting in the car", "Squatting to lift"]


def _psfs(ratings: list[int]) -> dict:
    answers: dict[str, str | int] = {}
    for number, (name, rating) in enumerate(zip(TOM_ACTIVITIES, ratings, strict=True), 1):
        answers[f"activity-name-{number}"] = name
        answers[f"activity-rating-{number}"] = rating
    return answers


# Each administration's answers, every two (Priya: four) weeks from the program's start.
QUESTIONNAIRES: dict[str, tuple[str, int, list[dict[str, str | int]]]] = {
    MAYA.email: ("hip-rating", 2, [{"hip-rating": 55}, {"hip-rating": 62}, {"hip-rating": 78}]),
    TOM.email: ("psfs", 2, [_psfs(r) for r in ([7, 6, 5], [6, 6, 4], [5, 5, 4], [4, 3, 3])]),
    PRIYA.email: ("hip-rating", 4, [{"hip-rating": 60}, {"hip-rating": 68}]),
}


def _questionnaires(sam: User, now: datetime) -> None:
    """Each patient answered their program's questionnaire on schedule, through the services."""
    for email, (code, every, administrations) in QUESTIONNAIRES.items():
        patient = Patient.objects.select_related("user").get(user__email=email)
        program = patient.programs.get(status="active")
        schedule = QuestionnaireSchedule.objects.create(
            program=program, code=code, at_start=True, every_weeks=every, created_by=sam
        )
        questionnaire = questionnaire_for(clinic=patient.clinic, code=code)
        assert questionnaire is not None  # noqa: S101 - shipped complete (docs/outcomes.md)
        zone = ZoneInfo(patient.user.timezone)
        for index, answers in enumerate(administrations):
            due = program.start_date + timedelta(weeks=every * index)
            response = response_open(
                patient=patient,
                questionnaire=questionnaire,
                due_date=due,
                occasion=Occasion.START if index == 0 else Occasion.INTERVAL,
                schedule=schedule,
            )
            response_answer(user=patient.user, response=response, answers=answers)
            response_complete(user=patient.user, response=response)
            # Answered that evening (today's a little before now), not when the demo was seeded.
            at = min(datetime.combine(due, time(19), tzinfo=zone), now - timedelta(hours=1))
            QuestionnaireResponse.objects.filter(pk=response.pk).update(
                started_at=at, completed_at=at, created_at=at, updated_at=at
            )
        # The status read the scores at the seeding's moment; the dates changed since.
        status_stale([patient.pk], parts=frozenset({"outcomes"}))
