"""The demo's questionnaires as the clinician sees them: Maya's hip rating up past its MCID,
Tom's PSFS down by more than its MCID and flagged in triage."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.outcomes.models import QuestionnaireResponse
from apps.patients.models import Patient
from tests.conftest import mfa_pass

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam():
    call_command("seed_demo", stdout=io.StringIO())
    client = Client()
    user = User.objects.get(email="sam@demo.greenlight.test")
    client.force_login(user)
    mfa_pass(client, user)
    return client


def page_of(client, email) -> str:
    patient = Patient.objects.get(user__email=email)
    page = client.get(reverse("patients:detail", args=[patient.pk]))
    assert page.status_code == 200
    return page.content.decode()


def outcome_data(html: str) -> list[dict]:
    return json.loads(re.search(r'id="outcome-data"[^>]*>(.*?)</script>', html, re.S)[1])


def test_maya_page_shows_her_hip_rating_rising_past_the_mcid(sam):
    html = page_of(sam, "maya@demo.greenlight.test")

    assert "Hip rating 55 → 78 (+23, better than the 15-point MCID)" in html
    assert "Greenlight&#x27;s default, not a published value; a clinic may set its own" in html
    (chart,) = outcome_data(html)
    assert chart["values"] == [55, 62, 78]
    assert chart["marked"] == [False, False, True]
    assert chart["band"] == [40, 70]


def test_tom_page_and_triage_show_his_psfs_worsening(sam):
    tom = Patient.objects.get(user__email="tom@demo.greenlight.test")
    first = QuestionnaireResponse.objects.filter(patient=tom).order_by("due_date").first()
    since = f"{first.due_date.day} {first.due_date:%b}"

    html = page_of(sam, "tom@demo.greenlight.test")
    assert "PSFS 6 → 3.3 (-2.7, worse than the 2-point MCID)" in html
    reason = f"PSFS down 2.7 since {since} (MCID 2)"
    assert reason in html  # in the status line at the top of the page
    triage = sam.get(reverse("review:triage")).content.decode()
    assert reason in triage
    assert tom.status.needs_attention
    latest = QuestionnaireResponse.objects.filter(patient=tom).order_by("due_date").last()
    names = [latest.answers[f"activity-name-{n}"] for n in (1, 2, 3)]
    assert names == ["Running 5 km", "Sitting in the car", "Squatting to lift"]
