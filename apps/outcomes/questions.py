"""A questionnaire definition read as the patient's screens: each answerable item with its
wording, how it is asked and, for a Likert item, its labelled answers."""

from dataclasses import dataclass
from typing import Any

from .instruments import INSTRUMENTS
from .rules import Answer

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
# Up to this many scored items are asked on one page; longer ones one question per screen.
ONE_PAGE_ITEMS = 5


@dataclass(frozen=True)
class Question:
    number: int
    link_id: str
    text: str
    section: str
    control: str  # "choice", "range" or "text"
    options: tuple[tuple[int, str], ...] = ()
    low: int = 0
    high: int = 10


def questions(definition: dict[str, Any]) -> list[Question]:
    found: list[Question] = []
    _collect(definition.get("item") or [], "", found)
    return found


def _collect(items: list[dict[str, Any]], section: str, found: list[Question]) -> None:
    for raw in items:
        if raw.get("type") == "group":
            _collect(raw.get("item") or [], str(raw.get("text") or ""), found)
        else:
            found.append(_question(raw, section, len(found) + 1))


def _question(raw: dict[str, Any], section: str, number: int) -> Question:
    kind = raw.get("type")
    base = {"number": number, "link_id": raw["linkId"], "text": raw.get("text") or ""}
    if kind == "choice":
        options = tuple(_option(o["valueCoding"]) for o in raw.get("answerOption") or [])
        return Question(**base, section=section, control="choice", options=options)
    if kind == "string":
        return Question(**base, section=section, control="text")
    extensions = {e["url"]: e.get("valueInteger") for e in raw.get("extension") or []}
    return Question(
        **base,
        section=section,
        control="range",
        low=extensions.get(MIN_VALUE) or 0,
        high=extensions.get(MAX_VALUE) or 10,
    )


def _option(coding: dict[str, Any]) -> tuple[int, str]:
    extensions = coding.get("extension") or []
    ordinal = next(e["valueDecimal"] for e in extensions if e["url"] == ORDINAL)
    return int(ordinal), str(coding.get("display") or coding.get("code"))


def one_page(code: str) -> bool:
    return len(INSTRUMENTS[code].scored_items) <= ONE_PAGE_ITEMS


def first_unanswered(asked: list[Question], answers: dict[str, Answer]) -> int | None:
    """The number of the first question without an answer, None when all are answered."""
    for question in asked:
        if answers.get(question.link_id) in (None, ""):
            return question.number
    return None


def parse_answer(question: Question, raw: str) -> Answer:
    """The value of one submitted field; None for an empty one. Raises ValueError on junk."""
    raw = raw.strip()
    if not raw:
        return None
    if question.control == "text":
        return raw[:200]
    value = int(raw)
    if question.control == "choice" and value not in {v for v, _ in question.options}:
        raise ValueError(raw)
    if question.control == "range" and not question.low <= value <= question.high:
        raise ValueError(raw)
    return value
