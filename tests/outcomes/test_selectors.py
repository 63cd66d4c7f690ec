"""Which definition a clinic's patients would be given: its own imported copy, else the shipped
one, and never another clinic's copy."""

import pytest

from apps.outcomes.models import Questionnaire
from apps.outcomes.selectors import questionnaire_for, questionnaires_for
from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db


def _copy(clinic, code: str, version: str = "1.0.0") -> Questionnaire:
    shipped = Questionnaire.objects.get(clinic=None, code=code)
    return Questionnaire.objects.create(
        clinic=clinic,
        code=code,
        version=version,
        title=shipped.title,
        definition=shipped.definition,
        wording_imported=True,
    )


def test_a_licensed_instrument_without_wording_is_not_given(clinic):
    assert questionnaire_for(clinic=clinic, code="hagos") is None


def test_the_instruments_greenlight_words_itself_are_given_as_shipped(clinic):
    assert questionnaire_for(clinic=clinic, code="psfs").clinic is None


def test_the_clinics_newest_own_copy_is_given(clinic):
    _copy(clinic, "hagos", "1.0.0")
    newest = _copy(clinic, "hagos", "1.0.1")
    assert questionnaire_for(clinic=clinic, code="hagos") == newest


def test_the_clinics_own_copy_comes_before_the_shipped_one(clinic):
    own = _copy(clinic, "psfs", "1.0.1")
    assert questionnaire_for(clinic=clinic, code="psfs") == own


def test_another_clinics_copy_is_never_seen(clinic):
    stranger = ClinicFactory(name="Elsewhere Physio")
    theirs = _copy(stranger, "hagos")
    assert questionnaire_for(clinic=clinic, code="hagos") is None
    assert theirs not in questionnaires_for(clinic)
    assert questionnaire_for(clinic=stranger, code="hagos") == theirs
