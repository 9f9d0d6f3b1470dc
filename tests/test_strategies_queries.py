"""Lookup and search calls: valid ones pass check_request and the fake, broken ones break one rule.

The long runs (thousands of draws each) are in test_strategies_properties.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from test_strategies import FEW, SPEED_FREE, one_draw, shrunk

import contract_kit
from contract_kit import strategies as cs
from contract_kit.fake import OfferLibrary
from contract_kit.fake.exchange import FakeRequest
from contract_kit.strategies.queries import query_breaks

SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
OPERATIONS = {"lookup": (cs.lookup_calls, cs.invalid_lookup_calls),
              "search": (cs.search_calls, cs.invalid_search_calls)}  # fmt: skip


def found(call: Any) -> set[tuple[str, str]]:
    """The (pointer, rule) pairs check_request reports for a call."""
    return {(v.pointer, v.rule) for v in contract_kit.check_request(*call)}


def query(call: Any) -> list[tuple[str, str]]:
    """The call's query as check_request reads it: decoded pairs, in order."""
    return parse_qsl(urlsplit(call.url).query, keep_blank_values=True)


def fake_status(call: cs.QueryCall, body: dict[str, Any]) -> int:
    """The status a new fake holding one offer answers the call, sent as it was drawn."""
    fake = OfferLibrary()
    fake.add_fallback_offer(body)
    return fake.handle(FakeRequest.from_call(*call)).status


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: cs.invalid_lookup_calls(rules="query"), "rules must be a list of rule ids, e.g. rules=['required'], not 'query'"),
        (lambda: cs.invalid_search_calls(rules=["querry"]), "unknown rule id 'querry' (did you mean \"query\"?); contract_kit.rules() lists them"),
        (lambda: cs.invalid_lookup_calls(rules=["json"]), "invalid_lookup_calls() cannot break rule 'json'; it breaks required, query, schema-version, unknown-parameter, query-mismatch"),
        (lambda: cs.invalid_search_calls(rules=["query", "accept"]), "invalid_search_calls() cannot break rule 'accept'; it breaks required, query, schema-version, unknown-parameter, query-mismatch"),
        (lambda: cs.invalid_search_calls(rules=[]), "rules is empty: name at least one rule id, or pass None for all"),
    ],
)  # fmt: skip
def test_query_call_arguments_are_checked_when_the_strategy_is_made(
    make: Any, message: str
) -> None:
    """A wrong rules argument raises InvalidArgument at once, listing what the calls break."""
    with pytest.raises(InvalidArgument) as raised:
        make()
    assert str(raised.value) == message


@pytest.mark.properties  # a shrinking search: seconds, with the long runs
def test_query_calls_shrink_to_the_documented_calls() -> None:
    """The simplest calls are the docs' ones: GET, the API's host, the readable schema, HAL."""
    lookup, search = shrunk(st.tuples(cs.lookup_calls(), cs.search_calls()))
    for call, path in ((lookup, "instances"), (search, "queries/core/search")):
        assert call.method == "GET"
        assert call.url.startswith("https://platform.adobe.io/data/core/xcore/")
        assert call.url.endswith(f"/{path}?schema={SCHEMA}")
        pairs = call.headers.items() if isinstance(call.headers, dict) else call.headers
        lowered = {name.lower(): value for name, value in pairs}
        assert lowered["accept"] == "application/vnd.adobe.platform.xcore.hal+json"
        assert "content-type" not in lowered
        assert call.body is None


@pytest.mark.parametrize("operation", OPERATIONS)
def test_valid_query_calls_pass_check_request_and_the_fake(
    operation: str, seed_body: dict[str, Any]
) -> None:
    """Valid draws have no violation, and the fake answers them 200, q and field included."""

    @FEW
    @given(OPERATIONS[operation][0]())
    def check(call: cs.QueryCall) -> None:
        assert contract_kit.check_request(*call) == []
        assert fake_status(call, seed_body) == 200

    check()


def _families() -> list[Any]:
    return [
        pytest.param(operation, rule, index, id=f"{operation}-{rule}-{index}")
        for operation in OPERATIONS
        for rule, breaks in query_breaks(operation).items()
        for index in range(len(breaks))
    ]


@pytest.mark.parametrize(("operation", "rule", "index"), _families())
def test_each_broken_parameter_is_reported_alone(operation: str, rule: str, index: int) -> None:
    """Each way of breaking a query is reported at its pointer with its rule, and nothing else."""

    @settings(SPEED_FREE, max_examples=10, database=None)
    @given(query_breaks(operation)[rule][index])
    def check(case: Any) -> None:
        call, pointer, case_rule, description = case
        assert case_rule == rule
        assert description.startswith(pointer.removeprefix("/query/") + ": ")
        assert found(call) == {(pointer, rule)}, case

    check()


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("rule", ["required", "query"])
def test_rules_argument_restricts_the_cases(operation: str, rule: str) -> None:
    """rules=[rule] draws only that rule's cases, each reported where it says."""

    @FEW
    @given(OPERATIONS[operation][1](rules=[rule]))
    def check(case: cs.InvalidCase) -> None:
        assert case.rule == rule
        assert (case.pointer, case.rule) in found(case.instance)

    check()


def test_a_missing_schema_is_required_not_malformed() -> None:
    """Without a schema parameter (or with it misspelt) the violation is required, at /query/schema."""
    case = one_draw(cs.invalid_search_calls(rules=["required"]))
    assert (case.pointer, case.rule) == ("/query/schema", "required")
    assert "schema" not in dict(query(case.instance))


def test_id_with_name_is_reported_at_every_id() -> None:
    """A lookup sending id and name is told, at /query/id, that they cannot go together."""
    # One draw of each way to break a lookup's query: a search among them all could miss it.
    drawn = [one_draw(family) for family in query_breaks("lookup")["query"]]
    call, pointer, rule, _ = next(case for case in drawn if "sent with name" in case[3])
    assert (pointer, rule) == ("/query/id", "query")
    names = [name for name, _ in query(call)]
    assert "name" in names
    assert "id" in names
    messages = {v.message for v in contract_kit.check_request(*call)}
    assert messages == {"id and name cannot be used together in one lookup"}


def test_search_ids_are_broken_as_lookup_ids() -> None:
    """Search takes id as lookup does, so its draws break id too, alone and with name."""

    @FEW
    @given(cs.invalid_search_calls(rules=["query", "query-mismatch"]))
    def check(case: cs.InvalidCase) -> None:
        assert (case.pointer, case.rule) in found(case.instance)

    check()
    case = one_draw(cs.invalid_search_calls(rules=["query-mismatch"]))
    assert (case.pointer, case.rule) == ("/query/id", "query-mismatch")
    assert found(case.instance) == {("/query/id", "query-mismatch")}
