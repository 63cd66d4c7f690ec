"""Benchmark: the triage dashboard for N patients with W weeks of logs; prints its time.

Everything it creates is rolled back:
    DATABASE_URL=postgres://... python manage.py bench_triage --patients 2000 --weeks 26
"""

import gc
import random
import statistics
import time
from datetime import timedelta

import pgtrigger
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.mfa import MFA_SESSION_KEY
from apps.accounts.models import Clinic, User
from apps.exercises.models import Exercise
from apps.painlogs.models import ExerciseResult, Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program
from apps.review.services import statuses_refresh_all

EXERCISES = ["banded-bridge-knees-out", "side-plank-knee"]


def seed_patients(
    clinician: User, count: int, *, weeks: int, now, seed: int = 1, exercises=EXERCISES
) -> list[Patient]:
    """Bulk-create patients on the clinician's care team with a program of ``exercises`` (slugs)
    and ``weeks`` of logs."""
    rng = random.Random(seed)  # noqa: S311 - repeatable benchmark data, not crypto
    start = clinician.pk * 10_000_000 + Patient.objects.count()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench{start + i}@example.com",
                full_name=f"Bench patient {start + i}",
                role=User.Role.PATIENT,
                clinic_id=clinician.clinic_id,
                password=unusable,
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    patients = Patient.objects.bulk_create(
        [
            # The bench clinician has a clinic; the stubs see a nullable key.
            Patient(  # type: ignore[misc]
                user=u,
                clinic_id=clinician.clinic_id,
                date_of_birth=now.date().replace(year=1990),
                condition="fai",
                affected_side="left",
            )
            for u in users
        ],
        batch_size=1000,
    )
    Patient.care_team.through.objects.bulk_create(
        [Patient.care_team.through(patient_id=p.pk, user_id=clinician.pk) for p in patients],
        batch_size=2000,
    )
    programs = Program.objects.bulk_create(
        [
            Program(
                patient=p,
                created_by=clinician,
                sessions_per_week=3,
                start_date=(now - timedelta(weeks=weeks)).date(),
                review_date=(now + timedelta(weeks=4)).date(),
            )
            for p in patients
        ],
        batch_size=1000,
    )
    library = [Exercise.objects.get(clinic__isnull=True, slug=s) for s in exercises]
    items = PrescribedExercise.objects.bulk_create(
        [
            PrescribedExercise(
                program=pr,
                exercise=e,
                dose_kind=e.dose_kind,
                sets=3,
                target_low=e.default_target_low,
                target_high=e.default_target_high,
            )
            for pr in programs
            for e in library
        ],
        batch_size=2000,
    )
    _seed_logs(programs, items, weeks=weeks, now=now, rng=rng)
    return patients


def _seed_logs(programs, items, *, weeks, now, rng):
    by_program: dict[int | None, list] = {}
    for item in items:
        by_program.setdefault(item.program_id, []).append(item)
    workouts = []
    for program in programs:
        for day in range(0, weeks * 7, 2 if rng.random() < 0.5 else 3):
            at = now - timedelta(days=day, hours=rng.randint(1, 12))
            pain = rng.choice([0, 1, 1, 2, 2, 3, 4])
            rated = day > 1 and rng.random() < 0.8
            after = min(pain + rng.choice([-1, 0, 1]), 10) if rated else None
            after = max(after, 0) if after is not None else None
            light = (
                "red"
                if max(pain, after or 0) > 3
                else ("yellow" if max(pain, after or 0) == 3 else "green")
            )
            workouts.append(
                Workout(
                    patient_id=program.patient_id,
                    program=program,
                    performed_at=at,
                    local_date=at.date(),
                    pain_during=pain,
                    followup_pain=after,
                    followup_at=at + timedelta(hours=25) if rated else None,
                    pain_ceiling=3,
                    green_max=2,
                    light=light,
                )
            )
    Workout.objects.bulk_create(workouts, batch_size=5000)
    ExerciseResult.objects.bulk_create(
        [
            ExerciseResult(
                workout=w,
                prescribed=item,
                exercise_id=item.exercise_id,
                exercise_name="bench",
                dose_kind=item.dose_kind,
                prescribed_sets=3,
                prescribed_low=item.target_low,
                prescribed_high=item.target_high,
                set_values=[item.target_high] * 3,
                sets_done=3,
                pain_during=w.pain_during,
            )
            for w in workouts
            for item in by_program[w.program_id]
        ],
        batch_size=5000,
    )


WARM_REPEATS = 9


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the triage dashboard for N patients with W weeks of logs (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=2000)
        parser.add_argument("--weeks", type=int, default=26)

    def handle(self, *args, patients, weeks, **options):
        self.verbosity = options["verbosity"]
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:  # seeding takes longer than a request
                        cursor.execute("SET LOCAL statement_timeout = 0")
                self._run(patients, weeks)
                raise Rollback
        except Rollback:
            self.stdout.write("(benchmark data rolled back)")

    def _run(self, count, weeks):
        now = timezone.now()
        clinic = Clinic.objects.create(name="Bench clinic")
        clinician = User.objects.create_user(
            email="bench-triage@example.com",
            password=None,
            full_name="Bench",
            role=User.Role.CLINICIAN,
            clinic=clinic,
        )
        started = time.perf_counter()
        # The change history of seeded rows is not what this measures: skip writing it.
        with pgtrigger.ignore():
            seed_patients(clinician, count, weeks=weeks, now=now)
        self.stdout.write(
            f"seeded {count} patients × {weeks} weeks "
            f"({Workout.objects.count()} workouts) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        # What the scheduler's round does for everyone (and each write does for its patient).
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            refreshed = statuses_refresh_all(now=now)
        self.stdout.write(
            f"status refresh of {refreshed} patients: {time.perf_counter() - started:.2f} s, "
            f"{len(queries)} queries"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the statistics autovacuum keeps up to date
                cursor.execute("ANALYZE")
        # A web worker does not hold the seeding's objects: collect them, and keep what is left
        # out of the collector's way, so that its pauses do not grow with the seeded history.
        gc.collect()
        gc.freeze()
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(clinician)
        # A clinician's session as after their second factor (the benchmark times the page).
        TOTP.activate(clinician, generate_totp_secret())
        session = client.session
        session[MFA_SESSION_KEY] = time.time()
        session.save()
        # The first request pays for warming up; the figure is the median of the next ones.
        for attempt, repeats in (("cold", 1), ("warm", WARM_REPEATS)):
            times = []
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get("/patients/triage/?show=all")
                    times.append(time.perf_counter() - started)
            rows = response.content.decode().count('data-testid="triage-row"')
            if self.verbosity > 1:  # the slowest queries of the page
                for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]:
                    self.stdout.write(
                        f"  {float(query['time']) * 1000:.1f} ms  {query['sql'][:150]}"
                    )
            self.stdout.write(
                f"triage ({attempt}): {statistics.median(times) * 1000:.1f} ms, "
                f"{len(queries)} queries, {rows} rows, HTTP {response.status_code} "
                f"({connection.vendor})"
            )
