"""Thousands of draws per kind, in a CI step of their own (``-m properties``).

Valid draws keep the contract and reach all of it; invalid draws carry the violation they name.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given, settings
from test_strategies import SPEED_FREE, reported
from test_strategies_queries import fake_status

import contract_kit
from contract_kit import strategies as cs
from contract_kit.core.violation import split_pointer
from contract_kit.fake import FakeRequest, OfferLibrary
from contract_kit.strategies.build import forbidden
from contract_kit.strategies.walk import locate, sites

DRAWS = 2000
#: Draws per kind (each of the 23, valid and invalid): enough to reach every site, member, enum
#: value and rule of each, at three quarters of the long step's time that 2,000 took.
KIND_DRAWS = 1500
LONG = settings(SPEED_FREE, max_examples=DRAWS, database=None)


def _canonical(kind: str, instance: Any) -> Any:
    """Headers keyed by lower-cased name, as the engine reads them; other kinds as they are."""
    if kind != "request-headers":
        return instance
    pairs = instance.items() if isinstance(instance, dict) else instance
    return {name.lower(): value for name, value in pairs}


class Reach:
    """What valid draws of a kind reached: objects, members and enum values, read by site."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.count = 0
        self.members: set[tuple[str, str]] = set()
        self.values: set[tuple[str, str, Any]] = set()
        self.sites: set[Any] = set()

    def add(self, instance: Any) -> None:
        """Record one draw."""
        self.count += 1
        canonical = _canonical(self.kind, instance)
        for tokens, site in locate(self.kind, canonical):
            self.sites.add(site.key)
            found: Any = canonical
            for token in tokens:
                found = found[token]
            for name, value in found.items():
                self.members.add((site.where, name))
                if isinstance(value, str):
                    self.values.add((site.where, name, value))

    def missing(self) -> list[str]:
        """Sites, members and enum values of the schema no draw reached."""
        gaps = [
            f"site {site.where}"
            for site, _, _ in sites(self.kind).values()
            if site.key not in self.sites
        ]
        for site, _, _ in sites(self.kind).values():
            for name, nodes in site.members.items():
                if name in site.never or forbidden(nodes):
                    continue
                if (site.where, name) not in self.members:
                    gaps.append(f"member {site.where}/{name}")
                enum = next((node.schema["enum"] for node in nodes if "enum" in node.schema), ())
                gaps.extend(
                    f"value {site.where}/{name} = {value!r}"
                    for value in enum
                    if (site.where, name, value) not in self.values
                )
        return gaps


def _offer_features(offer: dict[str, Any]) -> set[str]:
    instance = offer.get("_instance", offer)
    features = {"hal" if "_instance" in offer else "bare"}
    representations = instance["xdm:representations"]
    features.add(f"{min(len(representations), 2)} representations")
    components = [c for r in representations for c in r["xdm:components"]]
    features.add(f"{min(max(len(r['xdm:components']) for r in representations), 2)} components")
    digits = {len(r["xdm:placement"].rpartition(":")[2]) for r in representations}
    features.update(f"{n} hex digits" for n in digits & {1, 16})
    if not instance["xdm:name"].isascii():
        features.add("non-ASCII name")
    if any("%" in c.get("xdm:deliveryURL", "") for c in components):
        features.add("percent-encoded URL")
    if any(not key.startswith(("xdm:", "@")) for key in instance):
        features.add("vendor member")
    return features


def _header_features(headers: Any) -> set[str]:
    pairs = list(headers.items()) if isinstance(headers, dict) else headers
    features = {"dict" if isinstance(headers, dict) else "pairs"}
    for name, _ in pairs:
        if name.islower():
            features.add("lower-case name")
        elif name.isupper():
            features.add("upper-case name")
        elif name == "-".join(part.capitalize() for part in name.split("-")):
            features.add("Title-Case name")
        else:
            features.add("mixed-case name")
    lowered = {name.lower(): value for name, value in pairs}
    content_type, accept = lowered["content-type"], lowered["accept"]
    features.add("HAL" if "hal+json" in content_type.lower() else "schema-instance")
    features.add("quoted version" if 'version="1"' in content_type else "bare version")
    lowered_type = content_type.lower()
    first = (
        "schema" if lowered_type.index("schema=") < lowered_type.index("version=") else "version"
    )
    features.add(f"{first} first")
    features.update(f"schema {v}" for v in ("0.1", "0.5") if f"version={v}" in content_type)
    features.update(w for w in ("*/*", "application/*", ",") if w in accept)
    if "x-sandbox-name" not in lowered:
        features.add("no sandbox")
    return features


def _receipt_features(receipt: dict[str, Any]) -> set[str]:
    features = set()
    for date in (receipt["repo:createdDate"], receipt["repo:lastModifiedDate"]):
        fraction = re.search(r"\.([0-9]+)", date)
        features.add(f"{len(fraction[1]) if fraction else 0} fraction digits")
        if ":60" in date[14:]:
            features.add("leap second")
        features.add("Z" if date[-1] in "Zz" else "offset")
        if "t" in date:
            features.add("lower case")
    if receipt["repo:etag"] == 1:
        features.add("first etag")
    return features


FEATURES = {
    "fallback-offer": (_offer_features, {"bare", "hal", "2 representations", "2 components", "1 hex digits", "16 hex digits", "non-ASCII name", "percent-encoded URL", "vendor member"}),
    "request-headers": (_header_features, {"dict", "pairs", "lower-case name", "upper-case name", "Title-Case name", "mixed-case name", "HAL", "schema-instance", "quoted version", "bare version", "schema first", "version first", "schema 0.1", "schema 0.5", "*/*", "application/*", ",", "no sandbox"}),
    "receipt": (_receipt_features, {"0 fraction digits", "3 fraction digits", "6 fraction digits", "9 fraction digits", "leap second", "Z", "offset", "lower case", "first etag"}),
}  # fmt: skip


@pytest.mark.properties
@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_valid_draws_keep_the_contract_and_reach_all_of_it(kind: str) -> None:
    """1,500 valid draws have no violation and reach every site, member and enum value."""
    reach = Reach(kind)
    describe, wanted = FEATURES.get(kind, (lambda _: set(), set()))
    seen: set[str] = set()

    # Derandomized: a page reaches an enum value five optional levels deep only some runs.
    @settings(LONG, max_examples=KIND_DRAWS, derandomize=True)
    @given(cs.valid(kind))
    def check(instance: Any) -> None:
        found = contract_kit.violations(kind, instance)
        assert found == [], "\n".join(map(str, found))
        reach.add(instance)
        seen.update(describe(instance))

    check()
    assert reach.count >= KIND_DRAWS
    gaps = reach.missing()
    if kind == "search-results":
        # A page's items are stored instances of every kind: each kind's own run (its
        # "-instance" parameter) reaches its deep enum values; a page must reach its own.
        gaps = [gap for gap in gaps if not gap.startswith("value ") or "search-results" in gap]
    assert gaps == []
    assert wanted - seen == set()


def _leads_into(case: cs.InvalidCase, instance: Any) -> bool:
    """A case's pointer names a place in its instance: the member, or its parent if deleted."""
    *parents, last = split_pointer(case.pointer) or [""]
    found: Any = instance
    for token in parents:
        found = found[int(token)] if isinstance(found, list) else found[token]
    if case.rule in {"required", "recommended"} or not case.pointer:  # deleted, or emptied
        return True
    return (int(last) < len(found)) if isinstance(found, list) else last in found


@pytest.mark.properties
@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_invalid_draws_carry_the_violation_they_name(kind: str) -> None:
    """1,500 invalid draws are each reported at their pointer with their rule; all rules occur."""
    rules: Counter[str] = Counter()

    @settings(LONG, max_examples=KIND_DRAWS)
    @given(cs.invalid(kind))
    def check(case: cs.InvalidCase) -> None:
        rules[case.rule] += 1
        assert reported(kind, case), case
        if kind != "request-headers":  # header pointers are lower-cased names, not keys
            assert _leads_into(case, case.instance), case

    check()
    assert sum(rules.values()) >= KIND_DRAWS
    assert set(rules) == set(cs.invalid_rules(kind))


@pytest.mark.properties
def test_valid_create_calls_pass_check_request_and_the_fake() -> None:
    """2,000 create calls (any host, any body encoding) pass check_request and get 201."""
    count = 0
    fake = OfferLibrary()

    @LONG
    @given(cs.create_calls())
    def check(call: cs.CreateCall) -> None:
        nonlocal count
        count += 1
        found = contract_kit.check_request(*call)
        assert found == [], "\n".join(map(str, found))
        fake.reset()
        response = fake.handle(FakeRequest.from_call(*call))
        assert response.status == 201, response.body

    check()
    assert count >= DRAWS


@pytest.mark.properties
def test_invalid_create_calls_carry_the_violation_they_name() -> None:
    """2,000 broken create calls are reported by check_request as they say; all rules occur."""
    rules: Counter[str] = Counter()

    @LONG
    @given(cs.invalid_create_calls())
    def check(case: cs.InvalidCase) -> None:
        rules[case.rule] += 1
        found = {(v.pointer, v.rule) for v in contract_kit.check_request(*case.instance)}
        assert (case.pointer, case.rule) in found, case

    check()
    assert sum(rules.values()) >= DRAWS
    assert {"method", "path", "body", "json", "accept", "duplicate-placement", "xcore-id"} <= set(
        rules
    )


_QUERY_CALLS = {"lookup": cs.lookup_calls, "search": cs.search_calls}
_INVALID_QUERY_CALLS = {"lookup": cs.invalid_lookup_calls, "search": cs.invalid_search_calls}


def _query_features(call: cs.QueryCall) -> set[str]:
    """What a lookup or search call shows of the ways clients write queries."""
    raw = urlsplit(call.url).query
    pairs = parse_qsl(raw, keep_blank_values=True)
    names = {name for name, _ in pairs}
    features = {"dict" if isinstance(call.headers, dict) else "pairs"}
    features.update(f"sends {name}" for name in names)
    features.update(f"schema {value[-3:]}" for name, value in pairs if name == "schema")
    features.add("readable schema" if "schema=https://" in raw else "encoded schema")
    features.update(w for w, there in (("+ for space", "+" in raw), ("lower-case hex", re.search("%[0-9a-f][a-f]", raw))) if there)  # fmt: skip
    if "id" not in names and "name" not in names:
        features.add("neither id nor name")
    for name, value in pairs:
        if name == "property":
            op = re.search("==|!=|<=|>=|<|>|~", value)
            features.add(f"property {op[0] if op else 'bare'}")
        elif name in {"orderby", "orderBy"}:
            fields = [field.strip() for field in value.split(",")]
            features.update(
                f"orderby {field[0] if field[0] in '+-' else 'plain'}" for field in fields
            )
            features.add(f"{len(fields)} orderby fields")
        elif name in {"limit", "start"} and value in {"1", ""}:
            features.add(f"{name}={value}")
    return features


QUERY_FEATURES = {
    "lookup": {"sends id", "sends name", "neither id nor name", "sends property", "sends limit", "sends start", "sends orderby", "sends orderBy"},
    "search": {"sends property", "sends q", "sends qop", "sends field", "sends orderby", "sends orderBy", "sends start", "sends limit",
               "property bare", "property ==", "property !=", "property <", "property <=", "property >", "property >=", "property ~",
               "orderby -", "orderby +", "orderby plain", "3 orderby fields"},
    "both": {"dict", "pairs", "schema 0.1", "schema 0.5", "readable schema", "encoded schema", "+ for space", "lower-case hex", "limit=1", "start="},
}  # fmt: skip


@pytest.mark.properties
@pytest.mark.parametrize("operation", ["lookup", "search"])
def test_valid_query_calls_pass_check_request(operation: str, seed_body: dict[str, Any]) -> None:
    """2,000 lookups or searches, written as clients write queries, pass check_request.

    The fake answers each with 200: what check_request leaves alone (q, qop, field) is drawn
    in forms the fake accepts.
    """
    count = 0
    seen: set[str] = set()

    @LONG
    @given(_QUERY_CALLS[operation]())
    def check(call: cs.QueryCall) -> None:
        nonlocal count
        count += 1
        found = contract_kit.check_request(*call)
        assert found == [], "\n".join(map(str, found))
        assert fake_status(call, seed_body) == 200, call
        seen.update(_query_features(call))

    check()
    assert count >= DRAWS
    assert QUERY_FEATURES[operation] | QUERY_FEATURES["both"] <= seen


#: What check_request says of a bad query parameter, by the start of its message's reason.
_QUERY_PROBLEMS = (
    "does not name the schema of a stored kind",
    "schema in a version the API documents",
    "is not a whole number of at least 1",
    "id and name cannot be used together",
    "is not a fallback-offer @id",
    "has no operator",
    "names no property before its operator",
    "has an empty name in the path",
    "has a bad regular expression after ~: its groups nest too deeply",
    "has a bad regular expression after ~",
    "has no field name at position",
    "is required by",
    "names no version",
    "documents, so the service ignores it",
    "is an @id of kind",
)


def _problem(violation: contract_kit.Violation) -> str:
    parameter = violation.pointer.removeprefix("/query/").lower()
    return parameter + ": " + next(p for p in _QUERY_PROBLEMS if p in violation.message)


@pytest.mark.properties
@pytest.mark.parametrize("operation", ["lookup", "search"])
def test_invalid_query_calls_carry_the_violation_they_name(operation: str) -> None:
    """2,000 broken lookups or searches are each reported alone, as they say; every way occurs."""
    rules: Counter[str] = Counter()
    problems: set[str] = set()

    # The same draws every run: that every way occurs is then a fact, not a chance. With
    # every kind in the table, 2,000 lookups met every way but one (an empty path name).
    @settings(LONG, max_examples=DRAWS * 3 // 2, derandomize=True)
    @given(_INVALID_QUERY_CALLS[operation](rules=["required", "query"]))
    def check(case: cs.InvalidCase) -> None:
        rules[case.rule] += 1
        found = contract_kit.check_request(*case.instance)
        assert {(v.pointer, v.rule) for v in found} == {(case.pointer, case.rule)}, case
        problems.update(_problem(v) for v in found)

    check()
    assert sum(rules.values()) >= DRAWS
    assert set(rules) == {"required", "query"}
    expected = {
        "id: id and name cannot be used together",
        "id: is not a fallback-offer @id",
        "schema: does not name the schema of a stored kind",
        "schema: schema in a version the API documents",
        "schema: is required by",
        "limit: is not a whole number of at least 1",
        "property: has no operator",
        "property: names no property before its operator",
        "property: has an empty name in the path",
        "property: has a bad regular expression after ~",
        "property: has a bad regular expression after ~: its groups nest too deeply",
        "orderby: has no field name at position",
        "orderby: has an empty name in the path",
    }
    assert problems == expected


@pytest.mark.properties
@pytest.mark.parametrize("operation", ["lookup", "search"])
def test_query_calls_the_service_takes_carry_the_warning_they_name(operation: str) -> None:
    """500 lookups or searches the service takes, but the docs write otherwise, warn alone."""
    rules: Counter[str] = Counter()
    problems: set[str] = set()
    warnings = ["schema-version", "unknown-parameter", "query-mismatch"]

    # Every warning, each run: with every kind in the table, 500 lookups missed one typo.
    @settings(LONG, max_examples=DRAWS // 2, derandomize=True)
    @given(_INVALID_QUERY_CALLS[operation](rules=warnings))
    def check(case: cs.InvalidCase) -> None:
        rules[case.rule] += 1
        found = contract_kit.check_request(*case.instance)
        assert {(v.pointer, v.rule) for v in found} == {(case.pointer, case.rule)}, case
        assert not any(v.is_error for v in found), case
        problems.update(_problem(v) for v in found)

    check()
    assert set(rules) == set(warnings)
    ignored = "documents, so the service ignores it"
    undocumented = ("oderby", "schema", "schemaid", "limt", "page", "trace")
    assert problems == {
        "schema: names no version",
        "id: is an @id of kind",
        *(f"{name}: {ignored}" for name in undocumented),
    }
