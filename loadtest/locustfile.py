"""Two mixes against a running Greenlight, each a user class; `loadtest/run.py` runs them in turn.

PatientLogging: patients log a workout (`POST /api/v1/workouts/`) with their Bearer token, as
the app does after a session, with an Idempotency-Key. ClinicianReading: clinicians review, in
the proportions of a morning's triage: red workouts first (the API's triage), the patient list,
then a patient's detail, programs and pain trend.

Reads the tokens and ids `manage.py seed_loadtest` wrote (LOADTEST_SEED, default
var/loadtest/seed.json). Users wait no time between requests: a closed loop at saturation.
"""

import itertools
import json
import os
import random
import uuid

from locust import FastHttpUser, constant, task

with open(os.environ.get("LOADTEST_SEED", "var/loadtest/seed.json")) as seed_file:
    SEED = json.load(seed_file)

# gunicorn believes X-Forwarded-Proto from 127.0.0.1, as from the TLS proxy in production: the
# production settings' HTTPS redirect and secure cookies stay on.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
_patients = itertools.cycle(SEED["patients"])
_clinicians = itertools.cycle(SEED["clinicians"])


class PatientLogging(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        # Each simulated user is a different patient, so no one patient's rows are contended.
        self.patient = next(_patients)
        self.headers = {**PROXY_HEADERS, "Authorization": f"Bearer {self.patient['token']}"}

    @task
    def log_workout(self):
        results = [
            {
                "prescribed": item["id"],
                "set_values": [item["target"]] * item["sets"],
                "pain_during": random.randint(0, 4),  # noqa: S311 - test data
            }
            for item in self.patient["items"]
        ]
        headers = {**self.headers, "Idempotency-Key": str(uuid.uuid4())}
        self.client.post(
            "/api/v1/workouts/", json={"results": results}, headers=headers, name="workout log"
        )


class ClinicianReading(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        clinician = next(_clinicians)
        self.patients = clinician["patients"]
        self.headers = {**PROXY_HEADERS, "Authorization": f"Bearer {clinician['token']}"}

    def _get(self, path, name):
        self.client.get(path, headers=self.headers, name=name)

    @task(3)
    def triage(self):
        self._get("/api/v1/workouts/?light=red", "triage (red workouts)")

    @task(2)
    def patient_list(self):
        self._get("/api/v1/patients/", "patient list")

    @task(3)
    def patient_detail(self):
        pk = random.choice(self.patients)  # noqa: S311 - test data
        self._get(f"/api/v1/patients/{pk}/", "patient detail")
        self._get(f"/api/v1/patients/{pk}/programs/", "patient programs")
        self._get(f"/api/v1/workouts/?patient={pk}", "patient workouts")

    @task(2)
    def trend(self):
        pk = random.choice(self.patients)  # noqa: S311 - test data
        self._get(f"/api/v1/patients/{pk}/trend/?bucket=week", "patient trend")
