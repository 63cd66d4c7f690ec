"""Schemathesis fuzzes every operation of the OpenAPI schema, as a clinician and as a patient.

Its checks run: no server error, status codes, content types and headers as documented,
response bodies that match the schema, schema-violating input refused, authorization not
ignored, and the rest (one exclusion, explained at EXCLUDED).
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from knox.models import AuthToken

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))


def _served_schema() -> dict:
    """The same document /api/schema/ serves, built without a request (no database at import).

    Schemathesis's lazy fixture loader is not used: it relies on a pytest internal that pytest 9
    removed.
    """
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = WSGIHandler()  # requests go to the app in-process, inside the test's transaction
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    # Reproducible in CI; SCHEMATHESIS_RANDOM=1 explores new inputs on each run.
    derandomize=not os.environ.get("SCHEMATHESIS_RANDOM"),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


# Every check runs except positive_data_acceptance, which expects any schema-valid request to
# succeed. The API refuses some schema-valid requests with a 400 on purpose, and no OpenAPI
# document can express those rules: an id that does not exist for you, a 24-hour rating before
# 24 hours, a care team without a clinician.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the real WSGI handler, whose request_finished signal would close the
    database connection in the middle of the test's transaction. Django's test Client unhooks
    the same receiver."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def bearer(user) -> dict:
    _, token = AuthToken.objects.create(user)
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@FUZZ
def test_api_as_a_clinician(case, clinician, patient, program):
    case.call_and_validate(headers=bearer(clinician), excluded_checks=EXCLUDED)


@schema.parametrize()
@FUZZ
def test_api_as_a_patient(case, patient, program):
    case.call_and_validate(headers=bearer(patient.user), excluded_checks=EXCLUDED)
