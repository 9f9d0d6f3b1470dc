"""The hypothesis strategies: their arguments, their surface, how they shrink and what they cover.

The long runs (thousands of draws per kind) are in test_strategies_properties.py.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import contract_kit
from contract_kit import strategies as cs
from contract_kit.core.formats import ecma
from contract_kit.core.kinds import code_only_rules
from contract_kit.core.schema_bundle import subschemas
from contract_kit.core.violation import split_pointer
from contract_kit.strategies.build import Context, values
from contract_kit.strategies.misses import leaf_breaks
from contract_kit.strategies.schema import Node

#: No test may depend on machine speed: no deadline, and hypothesis' one timed health check off.
#: (The others count filtered and oversized draws, which no machine's load changes.)
SPEED_FREE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(SPEED_FREE, max_examples=15, database=None)
YES: Any = "yes"  # not a bool, as a caller without a type checker may pass
_KEYWORD_RULES = {
    "type": "type",
    "required": "required",
    "minItems": "min-items",
    "maxItems": "max-items",
    "maxProperties": "max-properties",
    "minProperties": "min-properties",
    "anyOf": "any-of",
    "minLength": "min-length",
    "minimum": "minimum",
    "maximum": "maximum",
    "format": "format",
}


def one_draw(strategy: Any) -> Any:
    """Some draw of a strategy, for a test that needs one value and no shrinking."""
    return find(strategy, lambda _: True, settings=settings(database=None, phases=[Phase.generate]))


def shrunk(strategy: Any, condition: Any = lambda _: True) -> Any:
    """The draw hypothesis shrinks to, among those meeting ``condition``."""
    return find(strategy, condition, settings=settings(database=None, max_examples=300))


def reported(kind: str, case: cs.InvalidCase) -> bool:
    """Whether the engine reports the violation a case was built to carry."""
    found = {(v.pointer, v.rule) for v in contract_kit.violations(kind, case.instance)}
    return (case.pointer, case.rule) in found


def test_public_names_are_exactly_all() -> None:
    """__all__ is a sorted tuple of every public name the module defines."""
    assert isinstance(cs.__all__, tuple)
    assert list(cs.__all__) == sorted(cs.__all__)
    public = {
        name
        for name, value in vars(cs).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("contract_kit")
    }
    assert public == set(cs.__all__)


def test_only_the_strategies_modules_import_hypothesis() -> None:
    """Only the modules of contract_kit.strategies import hypothesis."""
    package = Path(contract_kit.__file__).parent
    importing = sorted(
        path.relative_to(package).parts[0]
        for path in package.rglob("*.py")
        if re.search(r"^\s*(from|import) hypothesis", path.read_text("utf-8"), re.MULTILINE)
    )
    assert importing
    assert set(importing) == {"strategies"}
    code = "import sys, contract_kit; print('hypothesis' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_invalid_case_is_a_frozen_dataclass() -> None:
    """An InvalidCase holds instance, pointer, rule and description, and cannot be changed."""
    case = cs.InvalidCase({"xdm:name": ""}, "/xdm:name", "min-length", "xdm:name: empty")
    assert [f.name for f in dataclasses.fields(case)] == [
        "instance",
        "pointer",
        "rule",
        "description",
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.rule = "type"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: cs.fallback_offers(channels="web"), "channels must be a list of values, e.g. channels=['web']"),
        (lambda: cs.fallback_offers(channels=["wbe"]), "channels: 'wbe' is not one the contract allows (did you mean \"web\"?); it allows web, social, mobile, messaging, email, offline, display, search, social_display, video, affiliate, affinity, apps, preload, direct, external, mail, instore"),
        (lambda: cs.fallback_offers(component_types=[]), "component_types is empty: name at least one value, or pass None for all"),
        (lambda: cs.fallback_offers(statuses=["live"]), "statuses: 'live' is not one the contract allows; it allows draft, approved, archived, pending, rejected"),
        (lambda: cs.fallback_offers(hal=YES), "hal must be True, False or None, not 'yes'"),
        (lambda: cs.request_headers(form="json"), "form must be one of 'dict', 'pairs' or None, not 'json'"),
        (lambda: cs.invalid_fallback_offers(rules="xcore-id"), "rules must be a list of rule ids, e.g. rules=['type'], not 'xcore-id'"),
        (lambda: cs.invalid_fallback_offers(rules=["xcore_id"]), "unknown rule id 'xcore_id' (did you mean \"xcore-id\"?); contract_kit.rules() lists them"),
        (lambda: cs.invalid_error_bodies(rules=["accept"]), "invalid('error') cannot break rule 'accept'; it breaks type, required, min-length, minimum, maximum, format, error-code"),
        (lambda: cs.invalid_receipts(rules=[]), "rules is empty: name at least one rule id, or pass None for all"),
        (lambda: cs.invalid_request_headers(form="text"), "form must be one of 'dict', 'pairs' or None, not 'text'"),
    ],
)  # fmt: skip
def test_arguments_are_checked_when_the_strategy_is_made(make: Any, message: str) -> None:
    """A wrong argument raises InvalidArgument at once, saying what is allowed."""
    with pytest.raises(InvalidArgument) as raised:
        make()
    assert str(raised.value) == message


def test_create_calls_name_the_rules_they_break() -> None:
    """A rule no part of a create call has is refused, listing the call's rules in catalogue order."""
    with pytest.raises(InvalidArgument) as raised:
        cs.invalid_create_calls(rules=["patch-op"])
    assert str(raised.value).startswith(
        "invalid_create_calls() cannot break rule 'patch-op'; it breaks type, required, unknown-key,"
    )
    assert str(raised.value).endswith(
        "duplicate-header, guardrail, accept, content-type, schema-mismatch, method, path, body, "
        "accept-missing, version-param, schema-version, quoting, recommended, json"
    )


def test_an_unknown_kind_lists_the_bundled_ones() -> None:
    """valid() and invalid() refuse a kind that is not bundled, as the rest of the API does."""
    with pytest.raises(contract_kit.UnknownKindError, match="unknown kind 'offer'"):
        cs.valid("offer")
    with pytest.raises(contract_kit.UnknownKindError, match="unknown kind 'receipts'"):
        cs.invalid("receipts")


@pytest.mark.properties  # a shrinking search: seconds, with the long runs
def test_valid_offers_shrink_to_the_seed_document_shape() -> None:
    """The simplest offer is bare, with one representation of one component and no option."""
    assert shrunk(cs.fallback_offers()) == {
        "xdm:name": "Fallback for sales",
        "xdm:status": "draft",
        "xdm:representations": [
            {
                "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
                "xdm:placement": "xcore:offer-placement:0",
                "xdm:components": [
                    {
                        "@type": "https://ns.adobe.com/experience/offer-management/content-component-text",
                        "dc:format": "text/html",
                    }
                ],
            }
        ],
    }


@pytest.mark.properties  # a shrinking search: seconds, with the long runs
def test_shrinking_keeps_only_what_a_failure_needs() -> None:
    """An archived offer with two components shrinks to required members only, two components."""
    offer = shrunk(
        cs.fallback_offers(hal=False),
        lambda offer: (
            offer["xdm:status"] == "archived"
            and len(offer["xdm:representations"][0]["xdm:components"]) == 2
        ),
    )
    assert set(offer) == {"xdm:name", "xdm:status", "xdm:representations"}
    assert offer["xdm:name"] == "Fallback for sales"
    (representation,) = offer["xdm:representations"]
    assert set(representation) == {"xdm:channel", "xdm:placement", "xdm:components"}
    for component in representation["xdm:components"]:
        assert set(component) == {"@type", "dc:format"}


@pytest.mark.properties  # a shrinking search: seconds, with the long runs
def test_valid_headers_shrink_to_the_five_required_headers() -> None:
    """Headers shrink to the five a create needs, with obviously fake credentials."""
    headers = shrunk(cs.request_headers())
    pairs = headers.items() if isinstance(headers, dict) else headers
    lowered = {name.lower(): value for name, value in pairs}
    assert set(lowered) == {
        "accept",
        "content-type",
        "authorization",
        "x-api-key",
        "x-gw-ims-org-id",
    }
    scheme, token = lowered["authorization"].split()
    assert (scheme.lower(), token) == ("bearer", "fake-access-token")
    assert lowered["x-api-key"] == "fake-api-key"


def _public_strategies() -> list[Any]:
    made = [pytest.param(cs.valid(kind), id=f"valid-{kind}") for kind in contract_kit.kinds()]
    made += [pytest.param(cs.invalid(kind), id=f"invalid-{kind}") for kind in contract_kit.kinds()]
    made += [
        pytest.param(cs.create_calls(), id="create-calls"),
        pytest.param(cs.invalid_create_calls(), id="invalid-create-calls"),
        pytest.param(cs.lookup_calls(), id="lookup-calls"),
        pytest.param(cs.invalid_lookup_calls(), id="invalid-lookup-calls"),
        pytest.param(cs.search_calls(), id="search-calls"),
        pytest.param(cs.invalid_search_calls(), id="invalid-search-calls"),
        pytest.param(cs.fallback_offers(channels=["web"], hal=True), id="restricted-offers"),
    ]
    return made


@pytest.mark.properties  # every public strategy at 100 draws: a long run
@pytest.mark.parametrize("strategy", _public_strategies())
def test_no_health_check_fails_under_default_settings(strategy: Any) -> None:
    """Every strategy passes hypothesis' default health checks, bar the one that times draws."""

    @settings(
        settings.get_profile("default"),
        database=None,
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(strategy)
    def draw(_: Any) -> None:
        pass

    draw()


def _kinds_and_rules() -> list[Any]:
    return [
        pytest.param(kind, rule, id=f"{kind}-{rule}")
        for kind in contract_kit.kinds()
        for rule in cs.invalid_rules(kind)
    ]


@pytest.mark.parametrize(("kind", "rule"), _kinds_and_rules())
def test_each_rule_a_kind_can_break_draws_cases_the_engine_reports(kind: str, rule: str) -> None:
    """invalid(kind, rules=[rule]) draws only that rule, each case reported where it says."""

    @settings(SPEED_FREE, max_examples=4, database=None)
    @given(cs.invalid(kind, rules=[rule]))
    def check(case: cs.InvalidCase) -> None:
        assert case.rule == rule
        assert case.description
        assert reported(kind, case), case

    check()


def _schema_rules(kind: str) -> set[str]:
    """Rule ids the schema of ``kind`` (and what its $refs point at) can report, read directly."""
    found: set[str] = set()
    pending, seen = [(kind, "")], set()
    while pending:
        document, pointer = pending.pop()
        schema: Any = contract_kit.load_schema(document)
        for token in split_pointer(pointer):
            schema = schema[token]
        for where, sub in subschemas(schema):
            if "/if" in where:
                continue  # a condition reports nothing itself
            for keyword, rule in _KEYWORD_RULES.items():
                if keyword in sub:
                    structural = keyword == "type" or (
                        keyword == "required" and sub.get("x-rule") != "recommended"
                    )
                    found.add(rule if structural else sub.get("x-rule", rule))
            found.update(
                sub["x-rule"]
                for key in ("enum", "pattern", "not")
                if key in sub and "x-rule" in sub
            )
            if "propertyNames" in sub:
                found.add(sub["propertyNames"]["x-rule"])
            if "$ref" in sub:
                target, _, fragment = sub["$ref"].partition("#")
                key = (target.removesuffix(".schema.json") or document, fragment)
                if key not in seen:
                    seen.add(key)
                    pending.append(key)
    return found


@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_invalid_rules_are_the_schemas_rules_and_the_code_rules(kind: str) -> None:
    """Each kind's invalid strategy breaks every rule its schemas and its code rules can report."""
    assert set(cs.invalid_rules(kind)) == _schema_rules(kind) | set(code_only_rules(kind))


def _documented_scopes() -> dict[str, str]:
    """Each rule id with what docs/rules.md says checks it: kinds, check_request, or a tool."""
    docs = (Path(__file__).parent.parent / "docs" / "rules.md").read_text("utf-8")
    return {
        rule: scope.strip()
        for rule, scope in re.findall(r"^\| `([a-z-]+)` \| [a-z]+ \|([^|]+)\|", docs, re.MULTILINE)
    }


def _drawn_by_calls(rule: str) -> bool:
    """Whether some strategy of broken calls draws ``rule``."""
    makers = (
        cs.invalid_create_calls,
        cs.invalid_lookup_calls,
        cs.invalid_search_calls,
        cs.invalid_decision_calls,
    )
    for make in makers:
        try:
            make(rules=[rule])
        except InvalidArgument:
            continue
        return True
    return False


def test_every_rule_of_an_instance_or_a_call_is_drawn() -> None:
    """Rules docs/rules.md gives to kinds are drawn by invalid(), check_request's by calls.

    No exemption: a new rule id of a kind or of check_request without a strategy fails here.
    """
    scopes = _documented_scopes()
    assert set(scopes) == set(contract_kit.rules())
    kinds = set(contract_kit.kinds())
    of_kinds = {
        rule for rule, scope in scopes.items() if scope == "all" or set(scope.split(", ")) & kinds
    }
    drawn = {rule for kind in contract_kit.kinds() for rule in cs.invalid_rules(kind)}
    assert of_kinds - drawn == set()
    of_calls = {rule for rule, scope in scopes.items() if "check_request" in scope}
    assert of_calls >= {"method", "path", "body", "json", "query"}
    assert {rule for rule in of_calls if not _drawn_by_calls(rule)} == set()


@settings(SPEED_FREE, max_examples=20, database=None)
@given(cs.decision_calls())
def test_valid_decision_calls_pass_check_request(call: cs.CreateCall) -> None:
    """A drawn decision call, on either path form, passes check_request without a violation."""
    assert contract_kit.check_request(*call) == [], call


@pytest.mark.parametrize(
    "rule", ["request-id", "request-id-missing", "identity-map", "proposition-count", "required"]
)
def test_decision_call_rules_are_reported_by_check_request(rule: str) -> None:
    """A broken decision call unpacks into check_request, which reports the rule where it says."""

    @settings(SPEED_FREE, max_examples=10, database=None)
    @given(cs.invalid_decision_calls(rules=[rule]))
    def check(case: cs.InvalidCase) -> None:
        found = contract_kit.check_request(*case.instance)
        assert any(v.pointer == case.pointer and v.rule == rule for v in found), (case, found)

    check()


@pytest.mark.parametrize("rule", ["method", "path", "body", "json"])
def test_create_call_rules_are_reported_by_check_request(rule: str) -> None:
    """A broken create call unpacks into check_request, which reports the rule where it says."""

    @FEW
    @given(cs.invalid_create_calls(rules=[rule]))
    def check(case: cs.InvalidCase) -> None:
        found = {(v.pointer, v.rule) for v in contract_kit.check_request(*case.instance)}
        assert (case.pointer, case.rule) in found, case

    check()


@FEW
@given(
    cs.fallback_offers(
        channels=["web", "email"], component_types=["html"], statuses=["approved"], hal=False
    )
)
def test_restrictions_hold_in_every_draw(offer: dict[str, Any]) -> None:
    """Restricted offers use only the channels, types and status asked for, in the form asked."""
    assert "_instance" not in offer
    assert offer["xdm:status"] == "approved"
    for representation in offer["xdm:representations"]:
        assert representation["xdm:channel"].rsplit("/", 1)[1] in {"web", "email"}
        for component in representation["xdm:components"]:
            assert component["@type"].endswith("content-component-html")


@FEW
@given(
    cs.request_headers(form="pairs"),
    cs.invalid_request_headers(form="dict", rules=["accept", "duplicate-header"]),
)
def test_header_forms_are_as_asked(pairs: Any, case: cs.InvalidCase) -> None:
    """form="pairs" draws lists of (name, value); form="dict" draws dicts, duplicates by case."""
    assert isinstance(pairs, list)
    assert all(isinstance(pair, tuple) and len(pair) == 2 for pair in pairs)
    assert isinstance(case.instance, dict)
    if case.rule == "duplicate-header":
        assert len({name.lower() for name in case.instance}) == len(case.instance) - 1


@FEW
@given(cs.request_headers(form="dict"))
def test_credentials_are_obviously_fake(headers: dict[str, str]) -> None:
    """Tokens and keys start with "fake", so no log ever holds a real-looking secret."""
    lowered = {name.lower(): value for name, value in headers.items()}
    assert lowered["authorization"].split()[1].startswith("fake")
    assert lowered["x-api-key"].startswith("fake")
    assert lowered.get("x-user-token", "fake").startswith("fake")


def test_a_required_member_without_a_schema_stops_the_build() -> None:
    """A schema requiring a member it does not describe raises SchemaBundleError, not bad draws."""
    schema = {
        "type": "object",
        "required": ["name", "colour"],
        "properties": {"name": {"type": "string"}},
    }
    with pytest.raises(
        contract_kit.SchemaBundleError, match="required member 'colour' has no schema"
    ):
        values((Node(schema, "https://contract-kit.invalid/test", "test#"),), Context())


def test_a_keyword_the_strategies_do_not_know_stops_the_build() -> None:
    """A new keyword (maxLength) raises SchemaBundleError naming it, in valid and invalid alike."""
    node = Node({"type": "string", "maxLength": 3}, "https://contract-kit.invalid/test", "test#/x")
    with pytest.raises(contract_kit.SchemaBundleError, match="keyword 'maxLength'"):
        values((node,), Context())
    with pytest.raises(contract_kit.SchemaBundleError, match="keyword 'maxLength'"):
        leaf_breaks((node,))


def test_a_new_pattern_rule_is_drawn_and_broken_without_an_edit() -> None:
    """A pattern with a new x-rule gets valid values from the pattern and breaks with that rule."""
    schema = {"type": "string", "pattern": "^[a-z]{3}-[0-9]{2}$", "x-rule": "ticket"}
    node = Node(schema, "https://contract-kit.invalid/test", "test#/ticket")
    pattern = ecma(schema["pattern"])
    (rule, bad), *_ = [(r, b) for r, b in leaf_breaks((node,)) if r != "type"]
    assert rule == "ticket"

    @FEW
    @given(values((node,), Context()), bad)
    def check(good: str, broken: tuple[str, str]) -> None:
        assert pattern.search(good)
        assert not pattern.search(broken[0])

    check()


def test_every_schema_enum_and_pattern_is_covered_by_the_drawn_rules() -> None:
    """Every x-rule in the bundle is a rule some invalid strategy draws."""
    annotated = {
        sub["x-rule"]
        for kind in contract_kit.kinds()
        for _, sub in subschemas(contract_kit.load_schema(kind))
        if "x-rule" in sub
    }
    drawn = {rule for kind in contract_kit.kinds() for rule in cs.invalid_rules(kind)}
    assert annotated <= drawn


def _page_with(change: Any) -> dict[str, Any]:
    """A valid page of one search result, changed by ``change(item)``."""
    item = one_draw(cs.valid("fallback-offer-instance"))
    change(item)
    return {
        "_embedded": {"results": [item], "total": 1, "count": 1},
        "_links": {"self": {"href": "/"}},
    }


def test_core_reports_a_member_missing_in_a_search_result_at_its_pointer() -> None:
    """A result item lacking "schemas" is reported at /_embedded/results/0/schemas."""
    found = contract_kit.violations("search-results", _page_with(lambda item: item.pop("schemas")))
    assert ("/_embedded/results/0/schemas", "required") in {(v.pointer, v.rule) for v in found}


def test_core_reports_an_unknown_member_in_a_search_result_at_its_pointer() -> None:
    """A result item with "@unknown" is reported at /_embedded/results/0/@unknown."""
    found = contract_kit.violations(
        "search-results", _page_with(lambda item: item.update({"@unknown": 1}))
    )
    assert ("/_embedded/results/0/@unknown", "unknown-key") in {(v.pointer, v.rule) for v in found}


def test_core_refuses_a_trailing_newline_in_a_search_result_id() -> None:
    """An @id ending in a newline is refused inside search results, as it is anywhere else."""

    def spoil(item: dict[str, Any]) -> None:
        item["_instance"]["@id"] += "\n"

    found = contract_kit.violations("search-results", _page_with(spoil))
    assert ("/_embedded/results/0/_instance/@id", "xcore-id") in {
        (v.pointer, v.rule) for v in found
    }


def test_core_reports_a_create_whose_body_is_null() -> None:
    """A create call sending the JSON document null is reported at /body with rule type."""
    call = one_draw(cs.create_calls())._replace(body=b"null")
    assert ("/body", "type") in {(v.pointer, v.rule) for v in contract_kit.check_request(*call)}


@FEW
@given(cs.invalid("container-list", rules=["required", "type", "format"]))
def test_pointers_of_cases_are_rfc6901(case: cs.InvalidCase) -> None:
    """A case's pointer leads into its instance, "/" and "~" in member names escaped."""
    if not case.pointer:  # the whole instance is of another type: there is nothing to walk
        assert case.rule == "type"
        return
    *parents, last = split_pointer(case.pointer)
    parent: Any = case.instance
    for token in parents:
        parent = parent[int(token)] if isinstance(parent, list) else parent[token]
    if case.rule == "required":
        assert last not in parent
    else:
        assert (int(last) if isinstance(parent, list) else last) in (
            range(len(parent)) if isinstance(parent, list) else parent
        )
    assert "https:~1~1ns.adobe.com" in case.pointer or not case.pointer.startswith("/_embedded/")


def test_invalid_draws_compose_with_other_strategies() -> None:
    """Strategies compose with st.* like any other: here in a tuple with plain integers."""
    pair = one_draw(st.tuples(st.integers(), cs.invalid_receipts(rules=["date-order"])))
    assert pair[1].rule == "date-order"
    assert reported("receipt", pair[1])
