"""Password rules (OWASP ASVS 5.0 V6.2) and storage (V11.4.2), on the forms people use."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.test import Client, override_settings
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.services import invite_link, user_create_invited
from config.settings import base
from tests.conftest import mfa_pass
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# The suite hashes with MD5 for speed; these tests put the production list back.
real_hashers = override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)


def _invite_form(clinician) -> tuple[Client, str]:
    """An invited patient's browser on the page where they choose their first password."""
    user = user_create_invited(
        invited_by=clinician, email="nina@example.com", full_name="Nina New", role="patient"
    )
    browser = Client()
    page = browser.get(urlsplit(invite_link(user)).path)
    assert page.status_code == 302
    return browser, page["Location"]


def _set_first_password(clinician, password: str):
    browser, url = _invite_form(clinician)
    return browser.post(url, {"new_password1": password, "new_password2": password})


def _change_password(client: Client, password: str):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )


@real_hashers
def test_v11_4_2_new_passwords_are_hashed_with_argon2id():
    # when a password is hashed with the production settings
    encoded = make_password("a-long-enough-password")

    # then the first hasher is Argon2, in its id variant
    assert encoded.startswith("argon2$argon2id$")


@real_hashers
def test_v11_4_2_an_old_pbkdf2_hash_still_works_and_becomes_argon2id_at_login(clinician):
    # given a clinician whose password was stored before Argon2 (PBKDF2)
    clinician.password = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt123", iterations=1000)
    clinician.save(update_fields=["password"])

    # when they log in with it
    response = Client().post(
        reverse("accounts:login"), {"login": clinician.email, "password": PASSWORD}
    )

    # then it works, and the stored hash is now Argon2id
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert clinician.password.startswith("argon2$argon2id$")
    assert clinician.check_password(PASSWORD)


def test_v6_2_1_a_first_password_needs_at_least_12_characters(clinician):
    browser, url = _invite_form(clinician)

    # an 11-character password is refused, with the reason
    refused = browser.post(url, {"new_password1": "hip-hinge-1", "new_password2": "hip-hinge-1"})
    assert refused.status_code == 200
    assert "at least 12 characters" in refused.content.decode()
    assert not User.objects.get(email="nina@example.com").has_usable_password()

    # and a 12-character one is accepted
    accepted = browser.post(url, {"new_password1": "hip-hinges-1", "new_password2": "hip-hinges-1"})
    assert accepted.status_code == 302
    assert User.objects.get(email="nina@example.com").check_password("hip-hinges-1")


@pytest.mark.parametrize(("length", "accepted"), [(128, True), (129, False)])
def test_v6_2_9_a_first_password_may_be_128_characters_long(clinician, length, accepted):
    password = ("long passphrase for my hips " * 10)[:length]

    response = _set_first_password(clinician, password)

    user = User.objects.get(email="nina@example.com")
    assert user.check_password(password) is accepted
    if not accepted:
        assert "at most 128 characters" in response.content.decode()


@pytest.mark.parametrize(
    ("length", "accepted"), [(11, False), (12, True), (128, True), (129, False)]
)
def test_v6_2_1_and_v6_2_9_a_changed_password_is_12_to_128_characters(
    clinician_client, clinician, length, accepted
):
    password = ("another passphrase for hips " * 10)[:length]

    response = _change_password(clinician_client, password)

    clinician.refresh_from_db()
    assert clinician.check_password(password) is accepted
    if not accepted:
        page = response.content.decode()
        assert "at least 12 characters" in page or "at most 128 characters" in page


def test_v6_2_4_a_common_password_is_refused(clinician_client, clinician):
    response = _change_password(clinician_client, "qwerty123456")

    assert "too common" in response.content.decode()
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)


def test_v6_2_5_no_composition_rules_a_long_password_of_digits_or_words_is_fine(
    clinician_client, clinician
):
    # digits only, and lowercase words only: no "must contain a symbol" rules
    for password in ("739104826351840", "gentle hip hinges every day"):
        response = _change_password(clinician_client, password)
        assert response.status_code == 302, response.content.decode()
        clinician.set_password(PASSWORD)
        clinician.save()
        clinician_client.force_login(clinician)
        mfa_pass(clinician_client, clinician)


def test_v6_2_1_the_form_tells_the_length_rules_before_you_type(clinician):
    browser, url = _invite_form(clinician)

    page = browser.get(url).content.decode()

    assert "at least 12 characters" in page
    assert "up to 128 characters" in page
