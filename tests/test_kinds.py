"""The kind table: one entry per bundled kind, holding what its schema cannot say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import contract_kit
from contract_kit.core.kinds import code_only_rules, instance_form, kind_entry
from contract_kit.core.schema_check import schema_violations

CASES = Path(__file__).parent / "cases"


def _invalid_cases(kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text("utf-8")) for path in sorted(CASES.glob(f"{kind}/invalid/*.json"))
    ]


@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_every_bundled_kind_has_an_entry_of_its_own_name(kind: str) -> None:
    """Each kind of the bundle has an entry, so a new schema file needs a decided entry."""
    assert kind_entry(kind).name == kind


def test_only_the_headers_kind_is_given_as_headers() -> None:
    """request-headers is checked as headers; every other kind is a parsed JSON value."""
    forms = {kind: instance_form(kind) for kind in contract_kit.kinds()}
    assert forms.pop("request-headers") == "headers"
    assert set(forms.values()) == {"json"}


def test_an_unknown_kind_is_refused_with_the_bundled_kinds() -> None:
    """Asking the table about a kind it lacks raises the error the rest of the API raises."""
    with pytest.raises(contract_kit.UnknownKindError, match='did you mean "receipt"'):
        instance_form("reciept")


def test_the_code_only_rule_ids_come_from_the_entries() -> None:
    """Each kind's code-only rules are its entry's rule ids, once each, in the entry's order."""
    assert {kind: code_only_rules(kind) for kind in contract_kit.kinds()} == {
        "container-list": ("recommended",),
        "decision-request": (),
        "decision-response": ("scope",),
        "delete-outcome": ("date-order",),
        "eligibility-rule": ("guardrail",),
        "eligibility-rule-instance": ("date-order", "guardrail"),
        "error": (),
        "fallback-offer": ("duplicate-placement", "recommended"),
        "fallback-offer-instance": ("date-order", "duplicate-placement", "recommended"),
        "fallback-offer-patch": (),
        "offer-activity": ("date-range", "guardrail"),
        "offer-activity-instance": ("date-order", "date-range", "guardrail"),
        "offer-filter": (),
        "offer-filter-instance": ("date-order",),
        "offer-placement": (),
        "offer-placement-instance": ("date-order",),
        "personalized-offer": ("duplicate-placement", "date-range"),
        "personalized-offer-instance": ("date-order", "duplicate-placement", "date-range"),
        "receipt": ("date-order",),
        "request-headers": (
            "accept",
            "accept-missing",
            "content-type",
            "version-param",
            "schema-version",
            "quoting",
            "schema-mismatch",
            "duplicate-header",
        ),
        "search-results": (
            "date-order",
            "guardrail",
            "duplicate-placement",
            "date-range",
            "recommended",
        ),
        "tag": (),
        "tag-instance": ("date-order",),
    }


@pytest.mark.parametrize(
    ("kind", "rule"),
    [(kind, rule) for kind in contract_kit.kinds() for rule in code_only_rules(kind)],
)
def test_each_code_rule_is_reported_by_its_check(kind: str, rule: str) -> None:
    """An example file breaking a code rule is reported with it by the check its entry names."""
    (check,) = {entry.check for entry in kind_entry(kind).code_rules if entry.rule == rule}
    breaking = [
        case
        for case in _invalid_cases(kind)
        if any(found == rule for _, found in case["violations"])
    ]
    assert breaking, f"no example of {kind} breaks {rule}"
    for case in breaking:
        assert rule in {v.rule for v in check(case["instance"])}, case["description"]


@pytest.mark.parametrize("kind", [k for k in contract_kit.kinds() if instance_form(k) == "json"])
def test_a_json_kind_is_its_schema_then_its_code_rules(kind: str) -> None:
    """violations() of a JSON kind is what its schema finds and what its code rules add."""
    for case in _invalid_cases(kind):
        instance = case["instance"]
        expected = set(schema_violations(kind, instance))
        for check in kind_entry(kind).checks:
            expected.update(check(instance))
        assert set(contract_kit.violations(kind, instance)) == expected, case["description"]
