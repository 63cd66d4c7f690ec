"""Importing a clinic's licensed copy: ``manage.py import_questionnaire FILE [--clinic ID]``.
A malformed file gives a clear error naming each problem, and changes nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.outcomes.models import Questionnaire
from apps.outcomes.services import questionnaire_import
from apps.outcomes.validation import PLACEHOLDER

pytestmark = pytest.mark.django_db

DEFINITIONS = Path(__file__).resolve().parents[2] / "apps" / "outcomes" / "definitions"


def _worded(code: str) -> dict:
    """The shipped structure with placeholder wording standing in for the licensor's."""
    doc = json.loads((DEFINITIONS / f"{code}.json").read_text(encoding="utf-8"))
    return _fill(doc)


def _fill(node):
    if isinstance(node, dict):
        return {key: _fill(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(value) for value in node]
    if isinstance(node, str) and node.startswith(PLACEHOLDER):
        return "Test wording, not the licensor's"
    return node


def _group(doc: dict, link_id: str) -> list[dict]:
    return next(g for g in doc["item"] if g["linkId"] == link_id)["item"]


def _file(tmp_path: Path, content: dict | str) -> str:
    path = tmp_path / "questionnaire.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def _import(*args: str) -> str:
    out = StringIO()
    call_command("import_questionnaire", *args, stdout=out)
    return out.getvalue()


def _rows():
    return list(Questionnaire.objects.order_by("pk").values())


def test_a_clinic_imports_its_licensed_hagos(tmp_path, clinic):
    # when a clinic admin imports their worded copy for their clinic
    output = _import(_file(tmp_path, _worded("hagos")), "--clinic", str(clinic.pk))
    # then the clinic has a worded HAGOS of its own, next to the shipped structure
    own = Questionnaire.objects.get(clinic=clinic, code="hagos")
    assert own.wording_imported
    assert own.version == "1.0.0"
    assert _group(own.definition, "pain")[2]["text"] == "Test wording, not the licensor's"
    assert "Imported Copenhagen Hip and Groin Outcome Score (HAGOS) 1.0.0" in output
    assert Questionnaire.objects.get(clinic=None, code="hagos").wording_imported is False


def test_without_a_clinic_the_wording_completes_the_installations_definition(tmp_path):
    shipped = Questionnaire.objects.get(clinic=None, code="ihot-12")
    _import(_file(tmp_path, _worded("ihot-12")))
    shipped.refresh_from_db()
    assert shipped.wording_imported
    assert Questionnaire.objects.filter(code="ihot-12").count() == 1


def test_malformed_json_is_a_clear_error_and_changes_nothing(tmp_path, clinic):
    before = _rows()
    with pytest.raises(CommandError, match=r"not valid JSON: .* at line 1, column 2"):
        _import(_file(tmp_path, "{resourceType: Questionnaire"), "--clinic", str(clinic.pk))
    assert _rows() == before


def test_a_wrong_structure_lists_every_problem_and_changes_nothing(tmp_path, clinic):
    # given a HAGOS copy missing P3, with S2 offering 0–3, and an item HAGOS does not have
    doc = _worded("hagos")
    pain, symptoms = _group(doc, "pain"), _group(doc, "symptoms")
    pain.remove(pain[2])
    symptoms[1]["answerOption"].pop()
    symptoms.append({**symptoms[0], "linkId": "X9"})
    before = _rows()
    # when it is imported
    with pytest.raises(CommandError) as error:
        _import(_file(tmp_path, doc), "--clinic", str(clinic.pk))
    # then each problem is named, and nothing was stored
    message = str(error.value)
    assert "nothing changed" in message
    assert "item P3 missing" in message
    assert "item S2 answer options must be 0–4" in message
    assert "unknown item X9" in message
    assert _rows() == before


def test_a_copy_still_without_the_licensors_wording_is_refused(tmp_path, clinic):
    shipped = json.loads((DEFINITIONS / "hoos-12.json").read_text(encoding="utf-8"))
    with pytest.raises(CommandError, match="item P1 has no wording"):
        _import(_file(tmp_path, shipped), "--clinic", str(clinic.pk))
    assert not Questionnaire.objects.filter(clinic=clinic).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"resourceType": "Patient"}, "not a FHIR Questionnaire"),
        ({"code": []}, "no instrument code"),
        ({"version": ""}, "version is required"),
        ({"status": "final"}, "status must be one of"),
    ],
)
def test_a_document_that_is_not_an_instrument_definition_is_refused(tmp_path, change, message):
    before = _rows()
    with pytest.raises(CommandError, match=message):
        _import(_file(tmp_path, _worded("ihot-12") | change))
    assert _rows() == before


def test_an_item_of_the_wrong_type_is_named(tmp_path):
    doc = _worded("ihot-12")
    item = _group(doc, "total")[0]
    item["extension"][1]["valueInteger"] = 10
    with pytest.raises(CommandError, match=r"item I1 must be an integer from 0–100"):
        _import(_file(tmp_path, doc))


def test_an_imported_version_is_not_reworded_in_place(tmp_path, clinic):
    path = _file(tmp_path, _worded("hagos"))
    _import(path, "--clinic", str(clinic.pk))
    before = _rows()
    with pytest.raises(CommandError, match="already imported; give the new copy a new version"):
        _import(path, "--clinic", str(clinic.pk))
    assert _rows() == before


def test_an_unknown_clinic_or_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no clinic with id 999999"):
        _import(_file(tmp_path, _worded("hagos")), "--clinic", "999999")
    with pytest.raises(CommandError, match="cannot read"):
        _import(str(tmp_path / "missing.json"))


def test_the_service_gives_the_same_messages_to_a_form(clinic):
    with pytest.raises(ValidationError) as error:
        questionnaire_import(text="[]", clinic=clinic)
    assert error.value.messages == [
        'not a FHIR Questionnaire: resourceType must be "Questionnaire"'
    ]


def test_an_item_nested_under_a_question_is_still_checked(tmp_path):
    doc = _worded("ihot-12")
    _group(doc, "total")[0]["item"] = [{"linkId": "I99", "type": "integer", "text": "Extra"}]
    with pytest.raises(CommandError, match="unknown item I99"):
        _import(_file(tmp_path, doc))


def test_junk_where_an_answer_option_belongs_is_named_not_a_crash(tmp_path):
    doc = _worded("hoos-12")
    _group(doc, "pain")[0]["answerOption"][0]["valueCoding"] = "none"
    with pytest.raises(CommandError, match="item P1 answer options must be 0–4"):
        _import(_file(tmp_path, doc))


def test_a_title_too_long_for_the_library_is_named(tmp_path):
    with pytest.raises(CommandError, match="at most 200 characters"):
        _import(_file(tmp_path, _worded("ihot-12") | {"title": "x" * 201}))
