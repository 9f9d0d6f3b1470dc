"""Failure messages, pinned: each says where, what is wrong and what was expected."""

from __future__ import annotations

from typing import Any

import pytest

import contract_kit
from contract_kit.core.examples import fallback_offer_body
from contract_kit.core.messages import did_you_mean, plural, rule_for
from contract_kit.core.violation import Violation

_PLACEMENT = "xcore:offer-placement:124e0be5699743d3"
_REPRESENTATION = {
    "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
    "xdm:placement": _PLACEMENT,
    "xdm:components": [{"@type": "bad", "dc:format": "text/html"}],
}
_HTML = "https://ns.adobe.com/experience/offer-management/content-component-html"
_GOOD_REPRESENTATION = {
    **_REPRESENTATION,
    "xdm:components": [{"@type": _HTML, "dc:format": "text/html"}],
}


def test_assert_valid_lists_every_violation_with_a_headline_and_a_hint(
    seed_body: dict[str, Any],
) -> None:
    """The assertion text is a headline, one bullet per violation, a blank line and a hint."""
    del seed_body["xdm:name"]
    seed_body["xdm:stauts"] = "approved"
    seed_body["xdm:representations"][0]["xdm:placement"] = "xcore:offer-placement:NOT-HEX"
    with pytest.raises(contract_kit.ContractViolation) as caught:
        contract_kit.assert_valid("fallback-offer", seed_body, strict=True)
    assert isinstance(caught.value, AssertionError)
    assert str(caught.value).splitlines() == [
        "fallback-offer breaks the contract (2 errors, 1 warning):",
        '- /xdm:name: required member "xdm:name" is missing [required]',
        (
            "- /xdm:representations/0/xdm:placement: "
            '"xcore:offer-placement:NOT-HEX" is not an offer-placement id: "xcore:offer-placement:" '
            "and 1 to 16 lowercase hex digits [xcore-id]"
        ),
        (
            '- /xdm:stauts: unknown member "xdm:stauts": the contract defines no such member in the '
            '"xdm:" namespace; did you mean "xdm:status"? [unknown-key] (warning)'
        ),
        "",
        (
            "Hint: each line is a JSON pointer into the checked value, what is wrong there and, in "
            "brackets, the rule id; contract_kit.violations(kind, value) returns the same list as data."
            " A (warning) is what the service takes: it fails here because strict=True was given; "
            "leave strict out to let warnings pass."
        ),
    ]
    assert len(caught.value.violations) == 3


def test_assert_valid_caps_a_long_list(seed_body: dict[str, Any]) -> None:
    """Past ten bullets the rest are counted, not listed."""
    seed_body["xdm:representations"] = [dict(_REPRESENTATION) for _ in range(13)]
    with pytest.raises(contract_kit.ContractViolation) as caught:
        contract_kit.assert_valid("fallback-offer", seed_body)
    lines = str(caught.value).splitlines()
    assert lines[0] == "fallback-offer breaks the contract (25 violations):"
    assert lines[11] == "- and 15 more"
    assert lines[12] == ""
    assert len(caught.value.violations) == 25


def test_assert_valid_shows_the_root_readably() -> None:
    """A violation of the whole value is shown at "(root)", not at an empty pointer."""
    with pytest.raises(contract_kit.ContractViolation) as caught:
        contract_kit.assert_valid("receipt", [])
    assert str(caught.value).splitlines()[1] == "- (root): expected an object, got an array [type]"


def test_assert_valid_passes_silently_on_a_valid_value(seed_body: dict[str, Any]) -> None:
    """No violation, no exception, nothing returned."""
    contract_kit.assert_valid("fallback-offer", seed_body)


@pytest.mark.parametrize(
    ("kind", "instance", "expected"),
    [
        pytest.param(
            "fallback-offer",
            {"xdm:name": "n", "xdm:status": "live", "xdm:representations": [_REPRESENTATION]},
            [
                Violation(
                    "/xdm:representations/0/xdm:components/0/@type",
                    '"bad" is not a content component type: '
                    '"https://ns.adobe.com/experience/offer-management/content-component-" '
                    "followed by text, html, imagelink or json",
                    "component-type",
                ),
                Violation(
                    "/xdm:status",
                    '"live" is not one of "draft", "approved", "archived", "pending", "rejected"',
                    "status",
                ),
            ],
            id="enum-lists-small-sets",
        ),
        pytest.param(
            "fallback-offer",
            {"xdm:nmae": "n", "xdm:status": "draft", "xdm:representations": [_GOOD_REPRESENTATION]},
            [
                Violation(
                    "/xdm:name",
                    'required member "xdm:name" is missing (found "xdm:nmae": a misspelling?)',
                    "required",
                ),
                Violation(
                    "/xdm:nmae",
                    'unknown member "xdm:nmae": the contract defines no such member in the "xdm:" '
                    'namespace; did you mean "xdm:name"?',
                    "unknown-key",
                ),
            ],
            id="required-points-at-the-typo",
        ),
        pytest.param(
            "receipt",
            {
                "instanceId": "b3966680-13ec-11eb-9c20-8323709cfc65",
                "@id": "xcore:fallback-offer:1",
                "repo:etag": 0,
                "repo:createdDate": "2023-10-21 22:28:11",
                "repo:lastModifiedDate": "2023-10-21T22:28:11Z",
                "repo:createdBy": "a",
                "repo:lastModifiedBy": "",
                "repo:createdByClientId": "c",
                "repo:lastModifiedByClientId": "d",
                "acme:note": {"vendor": "extension"},
            },
            [
                Violation(
                    "/repo:createdDate",
                    '"2023-10-21 22:28:11" is not an RFC 3339 date-time such as '
                    '"2023-10-21T22:28:11.111732Z"',
                    "format",
                ),
                Violation("/repo:etag", "expected at least 1, got 0", "minimum"),
                Violation(
                    "/repo:lastModifiedBy", "an empty string is not allowed here", "min-length"
                ),
            ],
            id="formats-bounds-and-empty-strings",
        ),
        pytest.param(
            "fallback-offer",
            {
                "xdm:name": "n",
                "xdm:status": "draft",
                "xdm:representations": [],
                "xdm:characteristics": {"n": 3},
                "xdm:selectionConstraint": {},
            },
            [
                Violation(
                    "/xdm:characteristics/n",
                    "expected a string (characteristic values are always strings), got an integer (3)",
                    "type",
                ),
                Violation(
                    "/xdm:representations",
                    "the offer has an empty xdm:representations; the service stores it, but it "
                    "renders in no placement: add a representation (xdm:placement, xdm:channel, "
                    "xdm:components) per placement",
                    "recommended",
                ),
                Violation(
                    "/xdm:selectionConstraint",
                    'member "xdm:selectionConstraint" is not allowed: fallback offers have no '
                    "ranking and no selection or capping constraints: they are what a decision "
                    "shows when no personalized offer is eligible; remove it, or create a "
                    "personalized offer instead",
                    "not-for-fallback",
                ),
            ],
            id="types-items-and-the-reason-for-a-refusal",
        ),
        pytest.param(
            "fallback-offer",
            {
                "xdm:name": "n",
                "xdm:status": "draft",
                "xdm:representations": [_REPRESENTATION, _REPRESENTATION],
            },
            [
                Violation(
                    "/xdm:representations/0/xdm:components/0/@type",
                    '"bad" is not a content component type: '
                    '"https://ns.adobe.com/experience/offer-management/content-component-" '
                    "followed by text, html, imagelink or json",
                    "component-type",
                ),
                Violation(
                    "/xdm:representations/1/xdm:components/0/@type",
                    '"bad" is not a content component type: '
                    '"https://ns.adobe.com/experience/offer-management/content-component-" '
                    "followed by text, html, imagelink or json",
                    "component-type",
                ),
                Violation(
                    "/xdm:representations/1/xdm:placement",
                    f'placement "{_PLACEMENT}" already has a representation '
                    "(/xdm:representations/0); an offer has one representation per placement: "
                    "merge the components into it",
                    "duplicate-placement",
                ),
            ],
            id="duplicate-placement-names-the-first",
        ),
        pytest.param(
            "error",
            {"error_code": "4030", "message": ""},
            [
                Violation(
                    "/error_code",
                    '"4030" is not six digits, the first three being the HTTP status (e.g. "403010")',
                    "error-code",
                ),
                Violation("/message", "an empty string is not allowed here", "min-length"),
            ],
            id="gateway-error",
        ),
    ],
)
def test_violation_messages(kind: str, instance: Any, expected: list[Violation]) -> None:
    """Every keyword the schemas use has its own sentence, pinned here."""
    assert contract_kit.violations(kind, instance) == expected


def test_long_and_unprintable_values_are_shortened_and_escaped(seed_body: dict[str, Any]) -> None:
    """A value is shown as JSON, cut at 80 characters, with control characters escaped."""
    seed_body["xdm:status"] = "a\tb" + "x" * 100
    [found] = contract_kit.violations("fallback-offer", seed_body)
    assert found.message.startswith('"a\\tb' + "x" * 76 + '…" is not one of')


def test_violation_str_reads_like_a_bullet() -> None:
    """str(Violation) is pointer, message and rule, as in the assertion text."""
    assert str(Violation("", "expected an object", "type")) == "(root): expected an object [type]"
    assert str(Violation("/a~1b", "m", "r")) == "/a~1b: m [r]"


@pytest.mark.parametrize(
    ("keyword", "schema", "rule"),
    [
        ("enum", {"enum": ["a"], "x-rule": "status"}, "status"),
        ("type", {"type": "string", "x-rule": "status"}, "type"),
        ("required", {"required": ["a"], "x-rule": "status"}, "required"),
        ("minItems", {"minItems": 1}, "min-items"),
        ("propertyNames", {"propertyNames": {"x-rule": "unknown-key"}}, "unknown-key"),
        ("", {}, "not-allowed"),
    ],
)
def test_rule_for_names_the_rule_a_keyword_reports(
    keyword: str, schema: dict[str, Any], rule: str
) -> None:
    """x-rule names a keyword's rule, except for shape; else the keyword in kebab case."""
    assert rule_for(keyword, schema) == rule


def test_did_you_mean_is_one_wording_as_a_clause_or_an_aside() -> None:
    """A typo hint ends a sentence after "; " or sits in parentheses; no close choice, nothing."""
    assert did_you_mean("stauts", ["status", "channel"]) == '; did you mean "status"?'
    assert did_you_mean("stauts", ["status"], aside=True) == ' (did you mean "status"?)'
    assert did_you_mean("zzz", ["status"]) == ""
    assert did_you_mean(3, ["status"]) == ""


def test_plural_counts_one_and_many() -> None:
    """Counts read "1 file", "0 files", "2 files"."""
    assert [plural(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]


def test_a_member_named_as_a_credential_keeps_its_value_out_of_messages() -> None:
    """Messages hide what recordings redact (any spelling of the name); other values show."""
    offer = fallback_offer_body()
    offer["xdm:characteristics"] = {"Client_Secret": 12345678, "region": 7}
    assert [str(v) for v in contract_kit.violations("fallback-offer", offer)] == [
        (
            "/xdm:characteristics/Client_Secret: expected a string (characteristic values are "
            "always strings), got an integer [type]"
        ),
        (
            "/xdm:characteristics/region: expected a string (characteristic values are always "
            "strings), got an integer (7) [type]"
        ),
    ]
