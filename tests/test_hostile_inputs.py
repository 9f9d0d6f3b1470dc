"""Hostile inputs to the engine and check_request: many errors, deep nesting, huge numbers."""

from __future__ import annotations

import copy
import json
import types
from typing import Any

import pytest

import contract_kit
from contract_kit.core import limits
from contract_kit.core.fast_explain import UNEXPLAINED, explain, fast_form
from contract_kit.core.limits import MAX_DEPTH, MAX_EXPLAINED, capped
from contract_kit.core.references import referenced
from contract_kit.core.schema_bundle import load_schema, subschemas
from contract_kit.core.schema_check import validator_for
from contract_kit.core.violation import Violation, sort_violations
from contract_kit.documents import limits as document_limits

CREATE_URL = "/data/core/xcore/b3966680-13ec-11eb-9c20-8323709cfc65/instances"
TOO_DEEP = (
    "nesting deeper than 256 levels of arrays and objects, which contract_kit does not check "
    "(a payload nests about ten deep)"
)


def _with_unknown_members(body: dict[str, Any], count: int) -> dict[str, Any]:
    offer = copy.deepcopy(body)
    offer.update({f"xdm:unknown{index}": index for index in range(count)})
    return offer


def _nested(depth: int) -> list[Any]:
    """Arrays nested ``depth`` deep, built without recursion."""
    top: list[Any] = []
    current = top
    for _ in range(depth - 1):
        inner: list[Any] = []
        current.append(inner)
        current = inner
    return top


def test_thousands_of_unknown_members_are_listed_up_to_the_cap(seed_body: dict[str, Any]) -> None:
    """3,200 unknown members: the first 1,000 are listed, the other 2,200 counted in one line."""
    found = contract_kit.violations("fallback-offer", _with_unknown_members(seed_body, 3200))
    assert len(found) == MAX_EXPLAINED + 1
    assert {v.rule for v in found} == {"unknown-key"}
    assert UNEXPLAINED not in {v.message for v in found}
    assert found[0].pointer == "/xdm:unknown0"
    assert found[0].message.startswith('unknown member "xdm:unknown0": the contract defines no')
    left_out = sorted(f"xdm:unknown{index}" for index in range(3200))[MAX_EXPLAINED]
    assert found[-1] == Violation(
        f"/{left_out}",
        "2200 more violations of this rule from here on are not listed: contract_kit lists "
        "the first 1000 violations of an instance",
        "unknown-key",
    )


def test_the_cap_is_one_thousand() -> None:
    """docs/contract.md states the cap; this pins it."""
    assert MAX_EXPLAINED == 1000


def test_each_rule_keeps_its_own_count() -> None:
    """Past the cap one violation per rule counts the rest, so dropping a rule drops its count."""
    listed = [Violation(f"/a{index:04}", "m", "type") for index in range(MAX_EXPLAINED)]
    rest = [Violation("/b", "m", "type"), Violation("/c", "m", "format")]
    result = capped(sort_violations([*listed, *rest]))
    assert result[:MAX_EXPLAINED] == listed
    assert result[MAX_EXPLAINED:] == [
        Violation(
            "/b",
            "1 more violation of this rule from here on is not listed: contract_kit lists the "
            "first 1000 violations of an instance",
            "type",
        ),
        Violation(
            "/c",
            "1 more violation of this rule from here on is not listed: contract_kit lists the "
            "first 1000 violations of an instance",
            "format",
        ),
    ]
    assert capped(listed) == listed


def test_both_engines_explain_many_unknown_members_alike(seed_body: dict[str, Any]) -> None:
    """jsonschema-rs, given propertyNames as patternProperties, says what python-jsonschema says."""
    offer = _with_unknown_members(seed_body, 300)
    offer["xdm:stauts"] = "draft"
    del offer["xdm:status"]
    compiled = validator_for("fallback-offer")
    fast = sort_violations(compiled.violations(offer))
    assert len(fast) == 302
    assert fast == sort_violations(compiled.jsonschema_violations(offer))


def test_only_the_violations_listed_are_worded(seed_body: dict[str, Any]) -> None:
    """With a limit, the first violations in order are explained; the rest only placed."""
    offer = _with_unknown_members(seed_body, 30)
    compiled = validator_for("fallback-offer")
    everything = sort_violations(compiled.violations(offer))
    limited = sort_violations(compiled.violations(offer, limit=10))
    assert limited[:10] == everything[:10]
    assert [(v.pointer, v.rule, v.message) for v in limited[10:]] == [
        (v.pointer, v.rule, UNEXPLAINED) for v in everything[10:]
    ]


class _NoInstance:
    """A jsonschema-rs error whose ``instance`` (a copy of part of the checked one) is off limits."""

    def __init__(self, error: Any) -> None:
        self._error = error

    def __getattr__(self, name: str) -> Any:
        if name == "instance":
            raise AssertionError("explain read the instance an error carries")
        return getattr(self._error, name)


def test_explanations_read_values_from_the_checked_instance(seed_body: dict[str, Any]) -> None:
    """No error's own copy of the instance is read: values come from the instance, by path."""
    offer = _with_unknown_members(seed_body, 20)
    offer["xdm:name"] = 7
    del offer["xdm:status"]
    compiled = validator_for("fallback-offer")
    errors = [_NoInstance(error) for error in compiled.listing.iter_errors(offer)]
    explained = explain(errors, compiled._resources, offer, "member")  # noqa: SLF001
    assert explained is not None
    assert sort_violations(explained) == sort_violations(compiled.jsonschema_violations(offer))


@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_jsonschema_rs_is_given_no_property_names_of_the_bundle(kind: str) -> None:
    """Every propertyNames of the bundle reaches jsonschema-rs in its linear form."""
    for uri, schema in referenced(load_schema(kind)).items():
        fast = fast_form(schema)
        assert [p for p, sub in subschemas(fast) if "propertyNames" in sub] == [], uri


def test_the_depth_limit_is_the_documents_limit() -> None:
    """One depth limit: what the checks go into is what the file readers accept."""
    assert limits.MAX_DEPTH == document_limits.MAX_DEPTH == 256


@pytest.mark.parametrize("form", ["bytes", "str"])
def test_a_body_nested_100_000_deep_is_a_json_violation(
    form: str, seed_headers: dict[str, str]
) -> None:
    """The parser gives up on it; check_request reports it at /body instead of raising."""
    text = "[" * 100_000 + "]" * 100_000
    body = text.encode() if form == "bytes" else text
    found = contract_kit.check_request("POST", CREATE_URL, seed_headers, body)
    assert found == [Violation("/body", f"the body is not usable JSON: {TOO_DEEP}", "json")]


def test_a_parsed_body_nested_100_000_deep_is_a_json_violation(
    seed_headers: dict[str, str],
) -> None:
    """Built without recursion, it is reported at its first container past the limit."""
    found = contract_kit.check_request("POST", CREATE_URL, seed_headers, _nested(100_000))
    assert found == [Violation("/body" + "/0" * MAX_DEPTH, TOO_DEEP, "json")]


def test_a_body_the_parser_reads_but_too_deep_is_placed(seed_headers: dict[str, str]) -> None:
    """300 levels parse; the violation names where the nesting passes the limit."""
    body = '{"acme:x": ' + "[" * 300 + "]" * 300 + "}"
    found = contract_kit.check_request("POST", CREATE_URL, seed_headers, body)
    assert found == [Violation("/body/acme:x" + "/0" * (MAX_DEPTH - 1), TOO_DEEP, "json")]


@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_violations_of_a_deep_value_never_raise(kind: str) -> None:
    """Any kind, given 100,000 levels of nesting, answers with violations."""
    for instance in (_nested(100_000), {"xdm:name": _nested(100_000)}):
        found = contract_kit.violations(kind, instance)
        assert found
        assert {v.rule for v in found} <= set(contract_kit.rules())


def test_a_deep_value_where_the_schema_looks_is_not_checked(seed_body: dict[str, Any]) -> None:
    """A wrong value 300 levels deep is not handed to a recursive checker: one json violation."""
    seed_body["xdm:name"] = _nested(300)
    assert contract_kit.violations("fallback-offer", seed_body) == [
        Violation("/xdm:name" + "/0" * (MAX_DEPTH - 1), TOO_DEEP, "json")
    ]


def test_a_deep_vendor_member_of_a_valid_offer_passes(seed_body: dict[str, Any]) -> None:
    """What the schema never looks into is not walked: the verdict stands at any depth."""
    seed_body["acme:x"] = _nested(100_000)
    assert contract_kit.violations("fallback-offer", seed_body) == []


def test_a_long_integer_is_named_by_its_digits(seed_body: dict[str, Any]) -> None:
    """10**400 where a string belongs: the message counts its digits, never "got null"."""
    seed_body["xdm:name"] = 10**400
    seed_body["xdm:status"] = -(10**400)
    assert contract_kit.violations("fallback-offer", seed_body) == [
        Violation("/xdm:name", "expected a string, got an integer of 401 digits", "type"),
        Violation(
            "/xdm:status",
            'an integer of 401 digits is not one of "draft", "approved", "archived", "pending", '
            '"rejected"',
            "status",
        ),
    ]


def test_an_integer_python_cannot_print_is_too_large_to_check(seed_body: dict[str, Any]) -> None:
    """A 5,000-digit integer (which jsonschema-rs reads as null) is a json violation, placed."""
    seed_body["xdm:representations"][0]["xdm:components"][0]["dc:format"] = 10**4999
    assert contract_kit.violations("fallback-offer", seed_body) == [
        Violation(
            "/xdm:representations/0/xdm:components/0/dc:format",
            "an integer of 5000 digits is too large to check: contract_kit reads integers of "
            "up to 4300 digits, as Python's json module does",
            "json",
        )
    ]


def test_a_body_with_a_5000_digit_integer_is_a_json_violation(
    seed_headers: dict[str, str], seed_body: dict[str, Any]
) -> None:
    """The parser's own refusal would point at sys.set_int_max_str_digits; ours says what it is."""
    text = json.dumps(seed_body).replace('"Fallback for sales"', "9" * 5000)
    assert contract_kit.check_request("POST", CREATE_URL, seed_headers, text) == [
        Violation(
            "/body",
            "the body is not usable JSON: an integer of 5000 digits is too large to check: "
            "contract_kit reads integers of up to 4300 digits, as Python's json module does",
            "json",
        )
    ]


def test_a_mapping_that_is_not_a_dict_is_named_as_what_it_is(seed_body: dict[str, Any]) -> None:
    """A read-only mapping is not a JSON object to the validators, and the message says so."""
    seed_body["xdm:representations"][0] = types.MappingProxyType(
        seed_body["xdm:representations"][0]
    )
    assert contract_kit.violations("fallback-offer", seed_body) == [
        Violation("/xdm:representations/0", "expected an object, got a Python mappingproxy", "type")
    ]
