"""What reaches Sentry: enough to find the bug, nothing about the patient."""

import json

from apps.common.sentry import scrub_event

TOKEN = "cbx9k2-4f0c2a9e1b7d3c5a8e6f0b1d2c3a4e5f"  # noqa: S105 - a made-up invitation token
KNOX = "8c1f0e2d9b7a6c5e4d3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d"
DIAGNOSIS = "Cam-type FAI, right hip; marathon runner"


def _event() -> dict:
    """A realistic event: a failed workout log through the API, as the Django SDK builds it."""
    frame_vars = {"pain_during": "7", "diagnosis": repr(DIAGNOSIS), "token": repr(KNOX)}
    return {
        "level": "error",
        "transaction": "/api/v1/workouts/",
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": 'new row for relation "painlogs_workout" violates check constraint '
                    '"workout_pain_range"\nDETAIL:  Failing row contains (12, 7, '
                    f"{DIAGNOSIS}).",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "apps/painlogs/services.py",
                                "function": "workout_log",
                                "lineno": 120,
                                "context_line": "    model_validate_and_save(workout)",
                                "vars": frame_vars,
                            }
                        ]
                    },
                }
            ]
        },
        "threads": {"values": [{"stacktrace": {"frames": [{"vars": frame_vars}]}}]},
        "request": {
            "method": "POST",
            "url": f"https://greenlight.example.org/accounts/invite/MTI/{TOKEN}/?next=/",
            "query_string": f"token={KNOX}",
            "data": {"pain_during": 7, "note": "Sharp groin pain after squats"},
            "cookies": {"sessionid": "s3ss10n", "csrftoken": "csrf"},
            "headers": {
                "Authorization": f"Bearer {KNOX}",
                "Cookie": "sessionid=s3ss10n",
                "User-Agent": "Mozilla/5.0",
                "Content-Type": "application/json",
                "Referer": f"https://greenlight.example.org/invite/MTI/{TOKEN}/",
            },
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "user": {"id": 42, "email": "maya@example.org", "username": "Maya Chen", "name": "Maya"},
        "breadcrumbs": {
            "values": [
                {
                    "category": "query",
                    "type": "default",
                    "message": 'UPDATE "patients_patient" SET "diagnosis" = %s',
                    "data": {"db.params": [DIAGNOSIS, 7], "db.paramstyle": "format"},
                    "timestamp": "2026-11-21T10:00:00Z",
                },
                {"category": "django.request", "message": f"Bad pain 7 for {DIAGNOSIS}"},
            ]
        },
        "logentry": {
            "message": "Could not log workout for %s",
            "params": ["maya@example.org"],
            "formatted": "Could not log workout for maya@example.org",
        },
        "extra": {"celery-job": {"task_name": "t", "args": [DIAGNOSIS], "kwargs": {}}},
    }


def test_scrubbed_event_holds_no_health_data_token_or_identity():
    scrubbed = json.dumps(scrub_event(_event(), {}))

    for secret in (DIAGNOSIS, "Cam-type", TOKEN, KNOX, "maya@example.org", "Maya", "s3ss10n"):
        assert secret not in scrubbed
    for field in ("pain_during", "Sharp groin pain", "Failing row", "203.0.113.9", "db.params"):
        assert field not in scrubbed


def test_scrubbed_event_still_locates_the_bug():
    scrubbed = scrub_event(_event(), {})

    exception = scrubbed["exception"]["values"][0]
    assert exception["type"] == "IntegrityError"
    assert "workout_pain_range" in exception["value"]
    assert exception["stacktrace"]["frames"][0]["function"] == "workout_log"
    assert scrubbed["request"]["method"] == "POST"
    assert scrubbed["request"]["url"] == (
        "https://greenlight.example.org/accounts/invite/[uid]/[token]/"
    )
    assert scrubbed["request"]["headers"] == {
        "User-Agent": "Mozilla/5.0",
        "Content-Type": "application/json",
    }
    assert scrubbed["user"] == {"id": 42}
    assert scrubbed["breadcrumbs"]["values"][0] == {
        "category": "query",
        "type": "default",
        "timestamp": "2026-11-21T10:00:00Z",
    }
    assert scrubbed["logentry"] == {"message": "Could not log workout for %s"}


def test_scrubbing_leaves_the_original_event_alone():
    event = _event()

    scrub_event(event, {})

    assert event == _event()
