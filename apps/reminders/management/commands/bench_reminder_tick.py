"""Benchmark: one scheduler tick for N patients with programs; prints time and query count.

Everything it creates is rolled back, so it can run against any database:
    DATABASE_URL=postgres://... python manage.py bench_reminder_tick --patients 10000
"""

import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Clinic, User
from apps.exercises.models import Exercise
from apps.painlogs.models import Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program
from apps.reminders.models import Notification
from apps.reminders.services import reminders_tick


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time one reminders tick for N patients (default 10,000); all data is rolled back."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=10_000)

    def handle(self, *args, patients, **options):
        try:
            with transaction.atomic():
                self._run(patients)
                raise Rollback
        except Rollback:
            self.stdout.write("(benchmark data rolled back)")

    def _run(self, count: int):
        now = timezone.now()
        started = time.perf_counter()
        self._seed(count, now)
        self.stdout.write(f"seeded {count} patients in {time.perf_counter() - started:.1f} s")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            queued = reminders_tick(now=now)
            elapsed = time.perf_counter() - started
        made = Notification.objects.count()
        self.stdout.write(
            f"tick: {elapsed:.2f} s, {len(queries)} queries, {made} notifications, "
            f"{queued} emails queued ({connection.vendor})"
        )

    def _seed(self, count: int, now, *, clinic_name="Bench clinic", prefix="bench"):
        clinic = Clinic.objects.create(name=clinic_name)
        clinician = User.objects.create(
            email=f"{prefix}-clinician@example.com",
            full_name="Bench",
            role=User.Role.CLINICIAN,
            clinic=clinic,
        )
        unusable = make_password(None)
        # Zones spread around the world; reminder time just passed in UTC for a third of them.
        zones = ["UTC", "America/Los_Angeles", "Australia/Sydney", "Europe/Berlin"]
        users = User.objects.bulk_create(
            [
                User(
                    email=f"{prefix}{i}@example.com",
                    full_name=f"Bench {i}",
                    role=User.Role.PATIENT,
                    clinic=clinic,
                    timezone=zones[i % len(zones)],
                    password=unusable,
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        at = (now - timedelta(minutes=5)).time()
        people = Patient.objects.bulk_create(
            [
                Patient(
                    user=u,
                    clinic=clinic,
                    date_of_birth=now.date().replace(year=1990),
                    condition="fai",
                    affected_side="left",
                    reminder_time=at,
                )
                for u in users
            ],
            batch_size=2000,
        )
        programs = Program.objects.bulk_create(
            [
                Program(
                    patient=p,
                    created_by=clinician,
                    sessions_per_week=7,
                    start_date=now.date() - timedelta(days=30),
                    review_date=now.date() + timedelta(days=30),
                )
                for p in people
            ],
            batch_size=2000,
        )
        exercise = Exercise.objects.filter(clinic__isnull=True).first()
        PrescribedExercise.objects.bulk_create(
            [
                PrescribedExercise(
                    program=p,
                    exercise=exercise,
                    # The shared library is migrated in: there is a first exercise.
                    dose_kind=exercise.dose_kind,  # type: ignore[union-attr]
                    sets=3,
                    target_low=8,
                    target_high=10,
                )
                for p in programs
            ],
            batch_size=2000,
        )
        # Half of them trained yesterday and have not rated it yet: 24-hour checks are due too.
        Workout.objects.bulk_create(
            [
                Workout(
                    patient=p,
                    performed_at=now - timedelta(hours=25),
                    local_date=(now - timedelta(hours=25)).date(),
                    pain_during=2,
                    pain_ceiling=3,
                    green_max=2,
                    light="green",
                )
                for p in people[::2]
            ],
            batch_size=2000,
        )
