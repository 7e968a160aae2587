"""The OpenAPI schema is generated without drf-spectacular's warnings (the deploy check fails on them), and a choice
set that several fields share is one named component, so generated clients get one type for it."""

from drf_spectacular.checks import schema_check
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


def _reference(schema: dict, component: str, field: str) -> str:
    described = schema["components"]["schemas"][component]["properties"][field]
    if "$ref" in described:
        return described["$ref"]
    # A choice that may also be blank is one of the enum or BlankEnum.
    return (described.get("allOf") or described["oneOf"])[0]["$ref"]


def test_the_schema_is_generated_without_warnings():
    GENERATOR_STATS.reset()

    assert schema_check(None) == []


def test_a_requests_channel_and_its_households_preferred_channel_are_one_enum():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert {
        _reference(schema, "AidRequest", "channel"),
        _reference(schema, "AidRequest", "preferred_channel"),
        _reference(schema, "AidRequestCreateRequest", "channel"),
    } == {"#/components/schemas/ContactChannelEnum"}


def test_a_requests_rejection_code_and_the_reject_actions_code_are_one_enum():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert {
        _reference(schema, "AidRequest", "rejection_code"),
        _reference(schema, "RejectRequest", "code"),
    } == {"#/components/schemas/RejectionCodeEnum"}
