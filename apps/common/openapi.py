"""Document the error responses every API operation can give, in one place."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class TokenScheme(KnoxTokenScheme):
    """Greenlight's bearer tokens are knox's (apps/accounts/auth.py): documented the same way."""

    target_class = "apps.accounts.auth.TokenAuthentication"


DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# Field name → list of messages; nested lists are keyed by the item's index.
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {},
    "description": 'Field messages, e.g. {"pain_during": ["Ensure this value is ≤ 10."]}.',
}


def _response(description: str, schema_ref: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}},
    }


COMMON = {
    "400": _response("Invalid input: messages per field.", "FieldErrors"),
    "401": _response("Not authenticated, or the token expired or was revoked.", "ErrorDetail"),
    "403": _response("Authenticated, but this role may not do this.", "ErrorDetail"),
    "404": _response("Not found, or not visible to you.", "ErrorDetail"),
    "405": _response("Method not allowed.", "ErrorDetail"),
    "415": _response("Unsupported media type.", "ErrorDetail"),
}
TOO_MANY = _response(
    "Too many: wait the Retry-After seconds (sign-in lockout, or the user's hourly limit).",
    "ErrorDetail",
)
NOT_ACCEPTABLE = _response("A _format other than JSON (the FHIR endpoints).", "ErrorDetail")
SPECIFIC = {
    ("/api/v1/workouts/", "post"): {
        "409": _response("The Idempotency-Key was already used with another body.", "ErrorDetail"),
        "429": TOO_MANY,
    },
    ("/api/v1/auth/token/", "post"): {"429": TOO_MANY},
    ("/api/v1/activities/", "post"): {"429": TOO_MANY},
    ("/api/v1/patients/", "post"): {"429": TOO_MANY},
    ("/api/v1/patients/{patient_pk}/messages/", "post"): {"429": TOO_MANY},
    ("/api/v1/patients/{id}/fhir/", "get"): {"406": NOT_ACCEPTABLE},
    ("/api/v1/fhir/Questionnaire/{id}", "get"): {"406": NOT_ACCEPTABLE},
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", DETAIL)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, response in {**COMMON, **SPECIFIC.get((path, method), {})}.items():
                responses.setdefault(code, response)
    return result
