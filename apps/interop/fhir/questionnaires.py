"""Answered questionnaires as QuestionnaireResponses, their scores as Observations."""

from collections.abc import Iterable
from typing import Any

from apps.outcomes.instruments import INSTRUMENTS
from apps.outcomes.models import QuestionnaireResponse

from .base import SCORE_SYSTEM, SURVEY, UCUM, Ids, Resource, instant, patient_id, program_id


def _answer(item: Resource, value: Any) -> Resource:
    kind = item.get("type")
    if kind in ("string", "text"):
        return {"valueString": str(value)}
    if kind == "choice":
        for option in item.get("answerOption", []):
            coding = option.get("valueCoding", {})
            if coding.get("code") == str(int(value)):
                return {
                    "valueCoding": {
                        k: coding[k] for k in ("system", "code", "display") if k in coding
                    }
                }
    if isinstance(value, float) and not value.is_integer():
        return {"valueDecimal": value}
    if kind == "decimal":
        return {"valueDecimal": float(value)}
    return {"valueInteger": int(value)}


def _answered(value: Any) -> bool:
    return value is not None and value != ""


def response_items(items: Iterable[Resource], answers: dict[str, Any]) -> list[Resource]:
    """The definition's items that hold an answer, in its order and groups; wording is left to
    the Questionnaire (a licensed instrument's text is the clinic's licence, not ours to send)."""
    found = []
    for item in items:
        link = item["linkId"]
        if item.get("type") == "group":
            children = response_items(item.get("item", []), answers)
            if children:
                found.append({"linkId": link, "item": children})
        elif _answered(answers.get(link)):
            found.append({"linkId": link, "answer": [_answer(item, answers[link])]})
    return found


def response_id(response: QuestionnaireResponse) -> str:
    return f"response-{response.pk}"


def questionnaire_response(response: QuestionnaireResponse, ids: Ids) -> Resource:
    questionnaire = response.questionnaire
    definition = questionnaire.definition
    completed = response.status == QuestionnaireResponse.Status.COMPLETED
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id(response),
        "questionnaire": f"{definition.get('url')}|{questionnaire.version}",
        "status": "completed" if completed else "in-progress",
        "subject": ids.ref_to("Patient", patient_id(response.patient_id)),
        "source": ids.ref_to("Patient", patient_id(response.patient_id)),
    }
    authored = response.completed_at or response.started_at
    if authored:
        resource["authored"] = instant(authored)
    if response.program_id:
        resource["basedOn"] = [ids.ref_to("CarePlan", program_id(response.program_id))]
    items = response_items(definition.get("item", []), response.answers)
    if items:
        resource["item"] = items
    return resource


def _subscale_title(code: str, subscale: str) -> str:
    spec = INSTRUMENTS.get(code)
    titles = {s.code: s.title for s in spec.subscales} if spec else {}
    return titles.get(subscale, subscale.capitalize())


def score_observations(response: QuestionnaireResponse, ids: Ids) -> list[Resource]:
    """One Observation per scored subscale of a completed response; an unscored subscale (too
    few answers) has no value to send and is left out."""
    if response.status != QuestionnaireResponse.Status.COMPLETED or response.completed_at is None:
        return []
    code = response.questionnaire.code
    instrument = INSTRUMENTS[code].title if code in INSTRUMENTS else response.questionnaire.title
    found = []
    for subscale, value in response.scores.items():
        if value is None:
            continue
        text = f"{instrument} {_subscale_title(code, subscale)}"
        resource: Resource = {
            "resourceType": "Observation",
            "id": f"{response_id(response)}-{subscale}",
            "status": "final",
            "category": [SURVEY],
            "code": {
                "coding": [{"system": SCORE_SYSTEM, "code": f"{code}/{subscale}", "display": text}],
                "text": text,
            },
            "subject": ids.ref_to("Patient", patient_id(response.patient_id)),
            "effectiveDateTime": instant(response.completed_at),
            "valueQuantity": {
                "value": round(float(value), 2),
                "unit": "score",
                "system": UCUM,
                "code": "{score}",
            },
            "derivedFrom": [ids.ref_to("QuestionnaireResponse", response_id(response))],
        }
        if response.program_id:
            resource["basedOn"] = [ids.ref_to("CarePlan", program_id(response.program_id))]
        found.append(resource)
    return found
