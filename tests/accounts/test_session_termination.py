"""Sessions and API tokens end when they should (OWASP ASVS 5.0 V7.4.1, V7.4.3, V7.4.2)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.accounts.models import User
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-hip-password"


def _token_for(user) -> APIClient:
    _, token = AuthToken.objects.create(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/").status_code == 200
    return api


def _signed_in(browser: Client) -> bool:
    return browser.get(reverse("accounts:password_change")).status_code == 200


def test_v7_4_3_changing_the_password_ends_the_other_sessions_and_every_token(clinician):
    # given the clinician signed in on two computers and in the app
    here, elsewhere = client_for(clinician), client_for(clinician)
    api = _token_for(clinician)

    # when they change their password on one computer
    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    # then that computer stays signed in, the other one is signed out, and the token is dead
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    assert api.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=clinician).exists()


def test_v7_4_3_a_password_reset_ends_every_session_and_token(
    client, patient, mailoutbox, django_capture_on_commit_callbacks
):
    # given the patient is signed in on their phone, browser and app
    phone = client_for(patient.user)
    api = _token_for(patient.user)

    # when a reset link sets a new password
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": patient.user.email})
    link = re.search(r"https?://\S+?(/accounts/password/reset/\S+/)", mailoutbox[0].body)[1]
    form = client.get(link, follow=True)
    done = client.post(
        form.request["PATH_INFO"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302

    # then the old sessions and tokens are over
    assert not _signed_in(phone)
    assert api.get("/api/v1/me/").status_code == 401


def _set_status(admin, member, action: str):
    url = reverse(f"accounts:team_member_{action}", args=[member.pk])
    return client_for(admin).post(url)


def test_v7_4_2_deactivating_a_clinician_ends_their_sessions_and_tokens_for_good(
    clinic_admin, colleague
):
    # given a colleague signed in in the browser and the app
    browser = client_for(colleague)
    api = _token_for(colleague)

    # when the clinic admin deactivates them
    response = _set_status(clinic_admin, colleague, "deactivate")
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active

    # then they are out at once
    assert not _signed_in(browser)
    assert api.get("/api/v1/me/").status_code == 401
    assert not Client().login(email=colleague.email, password=PASSWORD)

    # and reactivating them revives neither the session nor the token
    _set_status(clinic_admin, colleague, "reactivate")
    colleague.refresh_from_db()
    assert colleague.is_active
    assert not _signed_in(browser)
    assert api.get("/api/v1/me/").status_code == 401
    # but they can sign in again with their password
    assert Client().login(email=colleague.email, password=PASSWORD)


def test_the_team_page_offers_deactivate_with_a_confirmation(clinic_admin, colleague):
    admin = client_for(clinic_admin)

    team = admin.get(reverse("accounts:team")).content.decode()
    confirm_url = reverse("accounts:team_member_deactivate", args=[colleague.pk])
    assert confirm_url in team
    # not for themselves
    assert reverse("accounts:team_member_deactivate", args=[clinic_admin.pk]) not in team

    # the link asks first, and asking changes nothing
    confirm = admin.get(confirm_url).content.decode()
    assert "Deactivate Carl Colleague?" in confirm
    assert "signed out everywhere" in confirm
    colleague.refresh_from_db()
    assert colleague.is_active

    # after deactivation the page says so and offers to reactivate
    follow = admin.post(confirm_url, follow=True).content.decode()
    assert "Carl Colleague is deactivated" in follow
    assert "Deactivated" in follow
    assert reverse("accounts:team_member_reactivate", args=[colleague.pk]) in follow


def test_an_admin_cannot_deactivate_themselves(clinic_admin):
    response = _set_status(clinic_admin, clinic_admin, "deactivate")

    assert response.status_code == 404
    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active


@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
def test_a_stranger_cannot_see_or_change_a_clinician_of_another_clinic(
    action, colleague, other_clinic_clinician
):
    # given an admin of another clinic
    stranger = UserFactory(
        clinic=other_clinic_clinician.clinic, role=User.Role.CLINIC_ADMIN, email="eve@else.test"
    )
    url = reverse(f"accounts:team_member_{action}", args=[colleague.pk])

    # then the colleague is not found, to look at or to change
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(stranger).post(url).status_code == 404
    colleague.refresh_from_db()
    assert colleague.is_active


@pytest.mark.parametrize("persona", ["clinician", "patient"])
def test_only_a_clinic_admin_can_deactivate(persona, request, colleague):
    user = request.getfixturevalue(persona)
    user = user if isinstance(user, User) else user.user
    url = reverse("accounts:team_member_deactivate", args=[colleague.pk])

    assert client_for(user).post(url).status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active
