"""The shipped FHIR R4 definitions: each matches its instrument's structure; the licensed ones
carry no item wording; the data migration loads them all."""

import json
from pathlib import Path

import pytest

from apps.outcomes.instruments import INSTRUMENTS
from apps.outcomes.models import Questionnaire
from apps.outcomes.validation import (
    CANONICAL_BASE,
    PLACEHOLDER,
    DefinitionError,
    check,
    parse,
)

DEFINITIONS = Path(__file__).resolve().parents[2] / "apps" / "outcomes" / "definitions"
LICENSED = ["hagos", "hoos-12", "ihot-12"]
OWN_WORDING = ["psfs", "hip-rating", "grc"]
# Questionnaire.item.type in FHIR R4 (4.0.1)
R4_ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string",
    "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
}  # fmt: skip


def _doc(code: str) -> dict:
    return parse((DEFINITIONS / f"{code}.json").read_text(encoding="utf-8"))


def _items(items: list[dict]):
    for item in items:
        yield item
        yield from _items(item.get("item", []))


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_each_shipped_definition_has_its_instruments_structure(code):
    doc = _doc(code)
    assert check(doc, wording_required=False).code == code
    assert doc["url"] == f"{CANONICAL_BASE}/Questionnaire/{code}"
    assert doc["version"]
    assert doc["status"] == "active"


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_each_shipped_definition_keeps_to_fhir_r4(code):
    # fhir.resources is not a dependency yet: these are the R4 rules the files could break
    for item in _items(_doc(code)["item"]):
        assert item["type"] in R4_ITEM_TYPES
        assert isinstance(item["linkId"], str)
        assert item["linkId"]
        assert ("item" in item) == (item["type"] == "group")
        if "answerOption" in item:
            assert item["type"] == "choice"
            assert all(set(o) == {"valueCoding"} for o in item["answerOption"])


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_each_shipped_definition_validates_with_fhir_resources(code):
    r4b = pytest.importorskip("fhir.resources.R4B.questionnaire")
    r4b.Questionnaire.model_validate(_doc(code))


def test_hagos_has_37_items_in_six_subscales():
    groups = _doc("hagos")["item"]
    assert [(g["linkId"], len(g["item"])) for g in groups] == [
        ("symptoms", 7), ("pain", 10), ("adl", 5), ("sport", 8), ("participation", 2), ("qol", 5)
    ]  # fmt: skip


@pytest.mark.parametrize("code", LICENSED)
def test_the_licensed_instruments_ship_without_their_wording(code):
    doc = _doc(code)
    questions = [i for i in _items(doc["item"]) if i["type"] != "group"]
    assert all(PLACEHOLDER in q["text"] for q in questions)
    with pytest.raises(DefinitionError, match="has no wording"):
        check(doc, wording_required=True)


@pytest.mark.parametrize("code", OWN_WORDING)
def test_the_instruments_greenlight_words_itself_ship_complete(code):
    assert check(_doc(code), wording_required=True).code == code
    assert PLACEHOLDER not in json.dumps(_doc(code))


@pytest.mark.django_db
def test_the_migration_loads_every_shipped_definition():
    shipped = Questionnaire.objects.filter(clinic=None)
    assert {q.code: q.wording_imported for q in shipped} == {
        "hagos": False, "hoos-12": False, "ihot-12": False,
        "psfs": True, "hip-rating": True, "grc": True,
    }  # fmt: skip
    assert shipped.get(code="psfs").definition == _doc("psfs")
