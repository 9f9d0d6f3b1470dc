"""The decisioning rule list: every rule its schemas and checks report is listed once."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import contract_kit
from contract_kit.core.object_kinds import object_kinds
from contract_kit.core.rule_catalogue import RULES
from contract_kit.decisioning.rules import DECISION_RULES

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


def test_every_rule_of_the_decision_schemas_is_listed() -> None:
    """Each x-rule of the two schemas is in the catalogue already or in the local list."""
    assert _x_rules_of_schemas() - set(RULES) - set(DECISION_RULES) == set()


def test_the_local_list_adds_only_new_rules() -> None:
    """No rule id of the local list is already in the catalogue under another meaning."""
    assert set(DECISION_RULES) & set(RULES) == set()
    assert all(rule.summary.endswith(".") for rule in DECISION_RULES.values())


def test_every_rule_the_code_reports_is_listed() -> None:
    """Each local rule is reported by the code or a schema (pql-unsupported is the fake's)."""
    reported = {s for s in _strings() if s in RULES or s in DECISION_RULES}
    assert set(DECISION_RULES) - {"pql-unsupported"} <= reported | _x_rules_of_schemas()


def test_the_package_names_no_kind() -> None:
    """Kinds are read from the table of object kinds, never written in the code."""
    names = {kind.name for kind in object_kinds()}
    assert names & _strings() == set()
