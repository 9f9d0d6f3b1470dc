"""The decision rules: every rule the decision schemas and checks report is in the catalogue."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import contract_kit
from contract_kit.core.object_kinds import object_kinds
from contract_kit.core.rule_catalogue import RULES, severity_of

PACKAGE = Path(contract_kit.__file__).parent / "decisioning"
SCHEMAS = Path(__file__).parent.parent / "schemas"


def _x_rules(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["x-rule"]} if "x-rule" in node else set()
        return found.union(*(_x_rules(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_x_rules(value) for value in node))
    return set()


def _x_rules_of_schemas() -> set[str]:
    found: set[str] = set()
    for kind in ("decision-request", "decision-response"):
        found |= _x_rules(json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8")))
    return found


def _strings() -> set[str]:
    """Every string constant in the decisioning package's code (docstrings aside)."""
    found: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


#: The rules only the decision call reports, and the four of them the service takes.
DECISION_RULES = {
    "proposition-count", "profile-count", "item-count", "identity-map", "include-metadata",
    "request-id", "request-id-missing", "request-id-reused", "options-or-fallback",
    "empty-options",
    "content-not-requested", "metadata-not-requested", "scope", "unknown-activity",
    "unknown-placement", "activity-not-live", "placement-not-in-activity", "no-fallback",
    "fallback-not-approved", "pql-unsupported",
}  # fmt: skip
DECISION_WARNINGS = {
    "request-id-missing",
    "request-id-reused",
    "fallback-not-approved",
    "pql-unsupported",
}


def test_every_rule_of_the_decision_schemas_is_in_the_catalogue() -> None:
    """Each x-rule of the two schemas is a rule id of the catalogue."""
    assert _x_rules_of_schemas() - set(RULES) == set()


def test_the_decision_rules_are_in_the_catalogue_with_their_severity() -> None:
    """The decision rules have one home, the catalogue, and four of them are warnings."""
    assert set(RULES) >= DECISION_RULES
    assert {rule for rule in DECISION_RULES if severity_of(rule) == "warning"} == DECISION_WARNINGS


def test_every_decision_rule_is_reported() -> None:
    """Each decision rule is reported by the code or a schema (pql-unsupported is the fake's)."""
    reported = {s for s in _strings() if s in DECISION_RULES}
    core = Path(contract_kit.__file__).parent
    for module in ("api/decision_request.py", "core/decision_scope.py"):
        tree = ast.parse((core / module).read_text("utf-8"))
        reported |= {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and n.value in DECISION_RULES
        }
    assert DECISION_RULES - {"pql-unsupported"} <= reported | _x_rules_of_schemas()


def test_the_package_names_no_kind() -> None:
    """Kinds are read from the table of object kinds, never written in the code."""
    names = {kind.name for kind in object_kinds()}
    assert names & _strings() == set()
