"""The bundled schemas: valid 2020-12, self-contained, and in step with the rule catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

import contract_kit
from contract_kit.core.references import resolve
from contract_kit.core.schema_bundle import registry, subschemas
from contract_kit.core.schema_check import build_validator, validator_for
from contract_kit.core.violation import Violation

KINDS = contract_kit.kinds()
# Keywords that only route to subschemas or annotate; their failures are the subschemas' own.
_ROUTING = {
    "$schema", "$id", "$ref", "$defs", "$comment", "title", "description", "properties",
    "items", "if", "then", "else", "anyOf", "allOf", "not", "additionalProperties", "propertyNames",
    "x-rule", "x-expected", "x-message",
}  # fmt: skip


def test_kinds_are_the_bundled_files() -> None:
    """kinds() lists the bundled kinds, sorted."""
    assert KINDS == (
        "container-list",
        "decision-request",
        "decision-response",
        "delete-outcome",
        "eligibility-rule",
        "eligibility-rule-instance",
        "error",
        "fallback-offer",
        "fallback-offer-instance",
        "fallback-offer-patch",
        "offer-activity",
        "offer-activity-instance",
        "offer-filter",
        "offer-filter-instance",
        "offer-placement",
        "offer-placement-instance",
        "personalized-offer",
        "personalized-offer-instance",
        "receipt",
        "request-headers",
        "search-results",
        "tag",
        "tag-instance",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_schema_passes_the_2020_12_metaschema(kind: str) -> None:
    """Each bundled schema is a valid Draft 2020-12 schema with an $id of its own."""
    schema = contract_kit.load_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://contract-kit.invalid/schemas/{kind}.schema.json"


@pytest.mark.parametrize("kind", KINDS)
def test_every_reference_resolves_inside_the_bundle(kind: str) -> None:
    """Each $ref names a subschema of a bundled schema, the same for referencing and for us."""
    schema = contract_kit.load_schema(kind)
    bundled = {contract_kit.load_schema(k)["$id"] for k in KINDS}
    resolver = registry().resolver(base_uri=schema["$id"])
    for pointer, sub in subschemas(schema):
        if "$ref" not in sub:
            continue
        theirs = resolver.lookup(sub["$ref"])
        ours = resolve(sub["$ref"], schema["$id"])
        assert ours.uri in bundled, pointer
        assert isinstance(ours.schema, dict), pointer
        assert theirs.contents == {k: v for k, v in ours.schema.items() if k != "$schema"}, pointer


def test_the_bundle_uses_references_across_and_within_documents() -> None:
    """The check above has something to check: references to other files and to $defs."""
    targets = {
        (kind, resolve(sub["$ref"], contract_kit.load_schema(kind)["$id"]).uri)
        for kind in KINDS
        for _, sub in subschemas(contract_kit.load_schema(kind))
        if "$ref" in sub
    }
    assert any(uri.endswith(f"/{kind}.schema.json") for kind, uri in targets)
    assert any(not uri.endswith(f"/{kind}.schema.json") for kind, uri in targets)


def test_a_reference_naming_nothing_is_an_error() -> None:
    """A $ref whose pointer leads nowhere in a bundled schema is refused, naming the file."""
    base = contract_kit.load_schema("receipt")["$id"]
    with pytest.raises(contract_kit.SchemaBundleError) as caught:
        resolve("#/$defs/nothing", base)
    assert str(caught.value) == (
        f"the $ref '#/$defs/nothing' (from {base}) names nothing in receipt.schema.json"
    )


def _reportable_rules(schema: dict[str, Any]) -> set[str]:
    found = set()
    for pointer, sub in subschemas(schema):
        if "/propertyNames/" in pointer or "/if" in pointer:
            continue  # reported as the propertyNames x-rule; an if only chooses a branch
        named = sub.get("x-rule")
        for keyword in set(sub) - _ROUTING:
            kebab = "".join("-" + c.lower() if c.isupper() else c for c in keyword)
            if keyword == "required" and named == "recommended":
                kebab = named  # a member the examples show but no source requires
            found.add(named if named and keyword not in {"type", "required"} else kebab)
        if "propertyNames" in sub:
            found.add(sub["propertyNames"]["x-rule"])
        found.update(
            "not-allowed" for value in sub.values() if value is False
        )  # a false schema, should one appear
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_every_rule_a_schema_can_report_is_in_the_catalogue(kind: str) -> None:
    """A schema change that adds a rule id must also document it."""
    assert _reportable_rules(contract_kit.load_schema(kind)) - set(contract_kit.rules()) == set()


@pytest.mark.parametrize("kind", KINDS)
def test_known_names_match_the_defined_properties(kind: str) -> None:
    """The names that pass the unknown-key check are exactly the properties the schema defines."""
    for pointer, sub in subschemas(contract_kit.load_schema(kind)):
        if "propertyNames" in sub:
            known = sub["propertyNames"]["anyOf"][0]["enum"]
            assert sorted(known) == sorted(sub["properties"]), pointer


def test_load_schema_returns_a_fresh_copy() -> None:
    """Changing a loaded schema changes neither the bundle nor the next copy."""
    first = contract_kit.load_schema("fallback-offer")
    first["$defs"].clear()
    assert contract_kit.load_schema("fallback-offer")["$defs"]


def test_unknown_kind_lists_the_bundled_kinds() -> None:
    """An unknown kind is a ValueError naming the kinds there are, with a suggestion."""
    with pytest.raises(contract_kit.UnknownKindError) as caught:
        contract_kit.violations("fallback_offer", {})
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == (
        "unknown kind 'fallback_offer' (did you mean \"fallback-offer\"?); the bundled kinds are "
        + ", ".join(f'"{kind}"' for kind in KINDS)
    )


def test_a_remote_reference_is_an_error_not_a_download() -> None:
    """A $ref outside the bundle fails when the validator is built, naming the reference."""
    schema = {"$id": "https://contract-kit.invalid/t.json", "$ref": "https://example.com/s.json"}
    with pytest.raises(contract_kit.SchemaBundleError) as caught:
        build_validator(schema, "t.json")
    assert str(caught.value) == (
        "t.json#: $ref 'https://example.com/s.json': the $ref 'https://example.com/s.json' "
        "points outside contract_kit's bundled schemas; remote references are never fetched"
    )


def test_a_format_without_a_checker_is_an_error() -> None:
    """A format the engine cannot check fails at build time instead of passing silently."""
    schema = {"properties": {"host": {"type": "string", "format": "hostname"}}}
    with pytest.raises(contract_kit.SchemaBundleError) as caught:
        build_validator(schema, "t.json")
    assert str(caught.value) == (
        "t.json#/properties/host: format 'hostname' has no checker in contract_kit (it checks "
        "date-time, uri, uri-reference, uuid); an unchecked format would pass every value silently"
    )


def test_a_pattern_python_cannot_compile_is_an_error() -> None:
    """A broken pattern fails at build time, naming where it is."""
    with pytest.raises(contract_kit.SchemaBundleError, match=r"^t.json#/items: pattern '\('"):
        build_validator({"items": {"pattern": "("}}, "t.json")


def test_a_schema_jsonschema_rs_cannot_compile_is_an_error() -> None:
    """What only jsonschema-rs refuses is a SchemaBundleError too, naming the schema."""
    with pytest.raises(contract_kit.SchemaBundleError, match=r"^t\.json: \"foo\" is not valid"):
        build_validator({"type": "foo"}, "t.json")


def test_a_property_named_like_a_keyword_is_not_taken_for_one() -> None:
    """Walking by keyword position, a member called "format" is a name, not the keyword."""
    schema = {"properties": {"format": {"type": "string"}, "$ref": {"type": "string"}}}
    validator = build_validator(schema, "t.json")
    assert validator.violations({"format": "hostname", "$ref": "https://example.com/s"}) == []
    assert set(validator.violations({"format": 1, "$ref": 2})) == {
        Violation("/format", "expected a string, got an integer (1)", "type"),
        Violation("/$ref", "expected a string, got an integer (2)", "type"),
    }


def test_validators_are_built_once_per_kind() -> None:
    """The same validator object serves every check of a kind in a process."""
    assert validator_for("receipt") is validator_for("receipt")


def test_schemas_read_through_importlib_resources_when_not_plain_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A zipped install has no schema folder: the same kinds and schemas come from the package."""
    from contract_kit.core import schema_bundle

    from_folder = {kind: schema_bundle.load_schema(kind) for kind in schema_bundle.kinds()}
    monkeypatch.setattr(schema_bundle, "_folder", lambda: None)
    schema_bundle.kinds.cache_clear()
    schema_bundle._read.cache_clear()  # noqa: SLF001 - the cache of what is read
    try:
        assert {kind: schema_bundle.load_schema(kind) for kind in schema_bundle.kinds()} == (
            from_folder
        )
    finally:
        schema_bundle.kinds.cache_clear()
        schema_bundle._read.cache_clear()  # noqa: SLF001 - the cache of what is read
