"""Seed a practice for the load test (`make loadtest`) and write the API tokens it needs.

A clinic with C clinicians (each with the same known TOTP key, as a second factor is required of
them) and P patients on each one's care team, every patient with an active program of four
exercises and W weeks of logs. Bearer tokens are minted here rather than through
`/api/v1/auth/token/`, whose per-address throttle and one-time TOTP codes would make the
load generator's sign-ins the thing measured. Bulk inserts keep seeding short:

    python manage.py seed_loadtest --clinicians 4 --patients 100 --weeks 12
"""

import json
from pathlib import Path

from allauth.mfa.totp.internal.auth import TOTP
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from apps.accounts.models import Clinic, User
from apps.programs.models import PrescribedExercise
from apps.review.management.commands.bench_triage import seed_patients

CLINIC_NAME = "Load test clinic"
# Known on purpose, like seed_demo's: the load test's clinicians are not real accounts.
LOADTEST_TOTP_SECRET = "GREENLIGHTLOADTESTGREENLIGHTLOAD"  # noqa: S105 - public test key
EXERCISES = [
    "banded-bridge-knees-out",
    "side-lying-hip-adduction-lift",
    "supine-hip-flexion-reduced-range",
    "side-plank-knee",
]


class Command(BaseCommand):
    help = "Seed a clinic of clinicians and patients for the load test; write their API tokens."

    def add_arguments(self, parser):
        parser.add_argument("--clinicians", type=int, default=4)
        parser.add_argument("--patients", type=int, default=100, help="per clinician")
        parser.add_argument("--weeks", type=int, default=12, help="weeks of logged history")
        parser.add_argument("--out", type=Path, default=Path("var/loadtest/seed.json"))

    def handle(self, *args, clinicians, patients, weeks, out, **options):
        if Clinic.objects.filter(name=CLINIC_NAME).exists():
            raise CommandError(f"{CLINIC_NAME!r} exists: seed a fresh database.")
        with transaction.atomic():
            seed = seed_practice(clinicians=clinicians, patients=patients, weeks=weeks)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(seed, indent=1))
        self.stdout.write(
            f"seeded {clinicians} clinicians × {patients} patients × {weeks} weeks; tokens in {out}"
        )


def seed_practice(*, clinicians: int, patients: int, weeks: int) -> dict:
    """Create the practice; return what the locustfile needs: tokens, patient and item ids."""
    now = timezone.now()
    clinic = Clinic.objects.create(name=CLINIC_NAME)
    seed: dict[str, list[dict]] = {"clinicians": [], "patients": []}
    for n in range(clinicians):
        clinician = User.objects.create_user(
            email=f"load-clinician{n}@example.com",
            password=None,
            full_name=f"Load clinician {n}",
            role=User.Role.CLINICIAN,
            clinic=clinic,
        )
        TOTP.activate(clinician, LOADTEST_TOTP_SECRET)
        team = seed_patients(clinician, patients, weeks=weeks, now=now, exercises=EXERCISES)
        seed["clinicians"].append({"token": _token(clinician), "patients": [p.pk for p in team]})
        seed["patients"].extend(_patient_entry(p) for p in team)
    return seed


def _patient_entry(patient) -> dict:
    items = PrescribedExercise.objects.filter(program__patient=patient).order_by("pk")
    return {
        "id": patient.pk,
        "token": _token(patient.user),
        "items": [{"id": i.pk, "sets": i.sets, "target": i.target_high or 10} for i in items],
    }


def _token(user: User) -> str:
    _instance, token = AuthToken.objects.create(user)
    return token
