"""Benchmark: a patient's whole-record export, streamed; prints size, time, queries and memory.

It seeds one patient with N workouts of five exercise results each (years of daily logs), then
consumes the JSON export piece by piece as the response would send it. The peak of Python
memory (tracemalloc) is what streaming keeps small: it should not grow with N.

Everything it creates is rolled back, so it can run against any database:
    DATABASE_URL=postgres://... python manage.py bench_export --workouts 2000 --workouts 20000
"""

import time
import tracemalloc
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Clinic, User
from apps.exercises.models import Exercise
from apps.painlogs.models import ExerciseResult, Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program
from apps.records.export import export_json_chunks

RESULTS_PER_WORKOUT = 5


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Stream one patient's export for each --workouts N; all data is rolled back."

    def add_arguments(self, parser):
        parser.add_argument("--workouts", type=int, action="append")

    def handle(self, *args, workouts, **options):
        for count in workouts or [2_000, 20_000]:
            try:
                with transaction.atomic():
                    if connection.vendor == "postgresql":
                        with connection.cursor() as cursor:  # seeding takes longer than a request
                            cursor.execute("SET LOCAL statement_timeout = 0")
                    self._run(count)
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write("(benchmark data rolled back)")

    def _run(self, count: int):
        started = time.perf_counter()
        patient = self._seed(count)
        seeded = time.perf_counter() - started
        size = 0
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            for piece in export_json_chunks(patient, exported_at=timezone.now(), withheld=[]):
                size += len(piece.encode())
            elapsed = time.perf_counter() - started
        # A second pass under tracemalloc, which slows Python down: its time is not quoted.
        tracemalloc.start()
        for _ in export_json_chunks(patient, exported_at=timezone.now(), withheld=[]):
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"{count} workouts, {count * RESULTS_PER_WORKOUT} results (seeded in {seeded:.1f} s): "
            f"{size / 1e6:.1f} MB of JSON in {elapsed:.2f} s, {len(queries)} queries, "
            f"peak Python memory {peak / 1e6:.1f} MB ({connection.vendor})"
        )

    def _seed(self, count: int) -> Patient:
        now = timezone.now()
        clinic = Clinic.objects.create(name="Bench clinic")
        clinician = User.objects.create(
            email="bench-clinician@example.com",
            full_name="Bench",
            role=User.Role.CLINICIAN,
            clinic=clinic,
        )
        user = User.objects.create(
            email="bench-patient@example.com",
            full_name="Bench Patient",
            role=User.Role.PATIENT,
            clinic=clinic,
            password=make_password(None),
        )
        patient = Patient.objects.create(
            user=user,
            clinic=clinic,
            date_of_birth=now.date().replace(year=1990),
            condition="fai",
            affected_side="left",
        )
        program = Program.objects.create(
            patient=patient,
            created_by=clinician,
            sessions_per_week=7,
            start_date=now.date() - timedelta(days=count),
            review_date=now.date() + timedelta(days=30),
        )
        exercises = list(Exercise.objects.filter(clinic__isnull=True)[:RESULTS_PER_WORKOUT])
        items = PrescribedExercise.objects.bulk_create(
            [
                PrescribedExercise(
                    program=program,
                    exercise=e,
                    dose_kind=e.dose_kind,
                    sets=3,
                    target_low=8,
                    target_high=10,
                    order=n,
                )
                for n, e in enumerate(exercises)
            ]
        )
        workouts = Workout.objects.bulk_create(
            [
                Workout(
                    patient=patient,
                    program=program,
                    performed_at=now - timedelta(hours=6 * n + 1),
                    local_date=(now - timedelta(hours=6 * n + 1)).date(),
                    pain_during=n % 5,
                    pain_ceiling=3,
                    green_max=2,
                    light="green",
                    note="Felt steady; hill at the end." if n % 3 == 0 else "",
                )
                for n in range(count)
            ],
            batch_size=5000,
        )
        ExerciseResult.objects.bulk_create(
            [
                ExerciseResult(
                    workout=w,
                    prescribed=item,
                    exercise=item.exercise,
                    exercise_name=item.exercise.name,
                    dose_kind=item.dose_kind,
                    prescribed_sets=3,
                    prescribed_low=8,
                    prescribed_high=10,
                    set_values=[10, 9, 8],
                    sets_done=3,
                    pain_during=w.pain_during,
                )
                for w in workouts
                for item in items
            ],
            batch_size=5000,
        )
        return patient
