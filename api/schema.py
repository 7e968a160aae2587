"""What the OpenAPI schema describes: v1 only, our integration tokens, and the one error shape on every operation."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


def only_v1(endpoints):
    """Leave out the first paths (/api/inventory/, /api/intake/): each has its /api/v1/ twin, described once."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An integration token (manage.py integration_token create), sent as `Authorization: Bearer rpt_…`."
            ),
        }


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "Stable, for programs: e.g. invalid, not_found."},
                "message": {"type": "string", "description": "For people, in the caller's language."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Each wrong input (dotted for nested ones) with its messages.",
                },
            },
        }
    },
}
ERRORS = {
    "400": "Invalid input or query parameter",
    "401": "No credentials, or a wrong or revoked token",
    "403": "The role or the token's scope does not allow this",
    "404": "No such object (or not one the caller may see)",
    "422": "The Idempotency-Key was already used for another request",
    "429": "Too many calls; send again after Retry-After seconds",
}


def _times_without_offset(node) -> None:
    """DRF writes and reads times of day as "09:00:00", with no offset; JSON Schema's "time" format is RFC 3339's
    full-time, which needs one ("09:00:00Z"), so a validator refused every order's window. RFC 3339 names the time
    without offset "partial-time"."""
    if isinstance(node, dict):
        if node.get("format") == "time":
            node["format"] = "partial-time"
            node.setdefault("pattern", r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")
        for value in node.values():
            _times_without_offset(value)
    elif isinstance(node, list):
        for value in node:
            _times_without_offset(value)


def error_responses(result, generator, request, public):
    """Every operation may answer the error shape; POSTs also 422 (Idempotency-Key) and say they take the header."""
    _times_without_offset(result)
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            # 404 on lists too: the inventory lists' page numbers past the end answer it (DRF's page pagination).
            codes = ["400", "401", "403", "404", "429"]
            if method == "post":
                codes.append("422")
                operation.setdefault("parameters", []).append(
                    {
                        "in": "header",
                        "name": "Idempotency-Key",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 255},
                        "description": "Send the same key again to get the first answer; nothing is done twice.",
                    }
                )
            for code in codes:
                operation["responses"].setdefault(code, {"description": ERRORS[code], "content": reference})
    return result
