"""Whether a FHIR R4 Questionnaire document is one of the instruments Greenlight scores, with
exactly its items, item types and answer ranges: a clinic's imported copy of a licensed
instrument must match the structure the scoring expects, word for word in its linkIds.

Each problem is one sentence naming the item ("item P3 missing"), so that a clinic admin can fix
the file they were given.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .instruments import INSTRUMENTS, Control, Instrument

CANONICAL_BASE = "https://greenlight.example.org/fhir"
INSTRUMENT_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/outcome-instrument"
PLACEHOLDER = "[Wording not shipped"
STATUSES = {"draft", "active", "retired", "unknown"}

_EXT = "http://hl7.org/fhir/StructureDefinition/"
ORDINAL_VALUE = f"{_EXT}ordinalValue"
MIN_VALUE = f"{_EXT}minValue"
MAX_VALUE = f"{_EXT}maxValue"


class DefinitionError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Item:
    link_id: str
    raw: dict[str, Any]


def parse(text: str) -> dict[str, Any]:
    """The document as JSON, or a DefinitionError saying where the JSON breaks."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise DefinitionError(
            [f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]
        ) from error
    except RecursionError as error:
        raise DefinitionError(["not valid JSON: nested too deeply"]) from error
    if not isinstance(doc, dict) or doc.get("resourceType") != "Questionnaire":
        raise DefinitionError(['not a FHIR Questionnaire: resourceType must be "Questionnaire"'])
    return doc


def instrument_of(doc: dict[str, Any]) -> Instrument:
    codes = [c for c in _list(doc.get("code")) if c.get("system") == INSTRUMENT_SYSTEM]
    if not codes:
        raise DefinitionError([f"no instrument code: Questionnaire.code needs {INSTRUMENT_SYSTEM}"])
    code = codes[0].get("code")
    if code not in INSTRUMENTS:
        known = ", ".join(sorted(INSTRUMENTS))
        raise DefinitionError([f"unknown instrument code {code!r} (known: {known})"])
    return INSTRUMENTS[code]


def check(doc: dict[str, Any], *, wording_required: bool) -> Instrument:
    """The instrument ``doc`` defines, or a DefinitionError listing every problem found."""
    spec = instrument_of(doc)
    problems = _header_problems(doc)
    items, item_problems = _leaf_items(_list(doc.get("item")))
    problems += item_problems + _structure_problems(spec, items)
    if wording_required:
        problems += [p for item in items.values() for p in _wording_problems(item)]
    if problems:
        raise DefinitionError(problems)
    return spec


def _header_problems(doc: dict[str, Any]) -> list[str]:
    problems = [
        f"{name} is required" for name in ("url", "version", "title") if not _text(doc.get(name))
    ]
    if doc.get("status") not in STATUSES:
        problems.append(f"status must be one of {', '.join(sorted(STATUSES))}")
    return problems


def _leaf_items(raw_items: list[dict[str, Any]]) -> tuple[dict[str, Item], list[str]]:
    items: dict[str, Item] = {}
    problems = []
    for raw in _walk(raw_items):
        link_id = raw.get("linkId")
        if not isinstance(link_id, str) or not link_id.strip():
            problems.append("an item has no linkId")
        elif link_id in items:
            problems.append(f"item {link_id} appears twice")
        else:
            items[link_id] = Item(link_id, raw)
    return items, problems


def _walk(raw_items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    # A question may have questions nested under it in FHIR: they are items too.
    for raw in raw_items:
        if raw.get("type") != "group":
            yield raw
        yield from _walk(_list(raw.get("item")))


def _structure_problems(spec: Instrument, items: dict[str, Item]) -> list[str]:
    expected = {i: spec.control for i in spec.scored_items} | {
        i: Control.TEXT for i in spec.text_items
    }
    problems = [f"item {i} missing" for i in expected if i not in items]
    problems += [f"unknown item {i}" for i in items if i not in expected]
    for link_id, control in expected.items():
        if link_id in items:
            problems += _item_problems(spec, items[link_id], control)
    return problems


def _item_problems(spec: Instrument, item: Item, control: Control) -> list[str]:
    kind, span = item.raw.get("type"), f"{spec.low}–{spec.high}"
    if control is Control.TEXT:
        return [] if kind == "string" else [f"item {item.link_id} must be of type string"]
    if control is Control.LIKERT:
        if kind != "choice":
            return [f"item {item.link_id} must be of type choice"]
        values = [_ordinal(o) for o in _list(item.raw.get("answerOption"))]
        wanted = list(range(spec.low, spec.high + 1))
        return [] if values == wanted else [f"item {item.link_id} answer options must be {span}"]
    bounds = (_extension(item.raw, MIN_VALUE), _extension(item.raw, MAX_VALUE))
    if kind != "integer" or bounds != (spec.low, spec.high):
        return [f"item {item.link_id} must be an integer from {span} (minValue, maxValue)"]
    return []


def _wording_problems(item: Item) -> list[str]:
    problems = []
    if not _worded(item.raw.get("text")):
        problems.append(f"item {item.link_id} has no wording")
    for option in _list(item.raw.get("answerOption")):
        coding = option.get("valueCoding")
        if not isinstance(coding, dict) or not _worded(coding.get("display")):
            problems.append(f"item {item.link_id} answer {_ordinal(option)} has no wording")
    return problems


def _ordinal(option: dict[str, Any]) -> int | None:
    if isinstance(option.get("valueInteger"), int):
        return int(option["valueInteger"])
    coding = option.get("valueCoding")
    if not isinstance(coding, dict):
        return None
    value = _extension(coding, ORDINAL_VALUE)
    if value is None:
        code = coding.get("code")
        value = int(code) if isinstance(code, str) and code.lstrip("-").isdigit() else None
    return value


def _extension(element: dict[str, Any], url: str) -> int | None:
    for extension in _list(element.get("extension")):
        if extension.get("url") == url:
            value = extension.get("valueInteger", extension.get("valueDecimal"))
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            return int(value) if float(value).is_integer() else None
    return None


def _list(value: object) -> list[dict[str, Any]]:
    """The dicts of a JSON array; anything else in a malformed file reads as nothing."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _worded(value: object) -> bool:
    return _text(value) and PLACEHOLDER not in str(value)
