import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, totp_code, totp_enrol

pytestmark = pytest.mark.django_db


def test_login_sends_each_role_to_its_home(client, clinician, patient):
    totp_enrol(clinician)
    client.post(reverse("accounts:login"), {"login": clinician.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()}, follow=True)
    assert response.request["PATH_INFO"] == reverse("patients:list")

    client.post(reverse("accounts:logout"))
    response = client.post(
        reverse("accounts:login"),
        {"login": patient.user.email, "password": PASSWORD},
        follow=True,
    )
    assert response.request["PATH_INFO"] == reverse("painlogs:today")


def test_wrong_password_is_refused_with_a_message_and_the_email_kept(client, clinician):
    response = client.post(
        reverse("accounts:login"), {"login": clinician.email, "password": "nope"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "correct email" in page.lower()
    assert clinician.email in page


def test_logout_ends_the_session(clinician_client):
    clinician_client.post(reverse("accounts:logout"))
    response = clinician_client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_password_reset_emails_a_link_that_sets_a_new_password(
    client, patient, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # a worker sends it after the commit
        client.post(reverse("accounts:password_reset"), {"email": patient.user.email})
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mailoutbox[0].body).group(0)

    form_page = client.get(link, follow=True)
    client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": "a-new-hip-password", "new_password2": "a-new-hip-password"},
    )

    assert client.login(email=patient.user.email, password="a-new-hip-password")


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.com"}, follow=True
    )
    assert "If an account uses that address" in response.content.decode()
    assert mailoutbox == []


def test_password_change_needs_the_old_password(clinician_client, clinician):
    response = clinician_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "x-long-pass-9",
            "new_password2": "x-long-pass-9",
        },
    )
    assert response.status_code == 200
    assert "old password was entered incorrectly" in response.content.decode()
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)
