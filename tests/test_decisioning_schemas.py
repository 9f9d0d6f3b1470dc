"""The decision request and response schemas, held to their example folders by both engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from contract_kit.core.schema_check import validator_for
from contract_kit.core.violation import sort_violations

SCHEMAS = Path(__file__).parent.parent / "schemas"
CASES = Path(__file__).parent / "cases"
KINDS = ("decision-request", "decision-response")
#: Rules code checks (contract_kit.decisioning.response_check), which no schema states.
CODE_RULES = frozenset({"scope"})


def _files(state: str) -> list[Any]:
    return [
        pytest.param(kind, path, id=f"{kind}/{path.stem}")
        for kind in KINDS
        for path in sorted((CASES / kind / state).glob("*.json"))
    ]


def _found(kind: str, instance: object) -> tuple[list[list[str]], list[list[str]]]:
    """What jsonschema-rs and python-jsonschema report, each in the documented order."""
    compiled = validator_for(kind)
    fast = sort_violations(compiled.violations(instance))
    reference = sort_violations(compiled.jsonschema_violations(instance))
    return [[v.pointer, v.rule] for v in fast], [[v.pointer, v.rule] for v in reference]


@pytest.mark.parametrize("kind", KINDS)
def test_schema_passes_the_2020_12_metaschema(kind: str) -> None:
    """Each decision schema is valid Draft 2020-12 and carries the $id its file name gives."""
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://contract-kit.invalid/schemas/{kind}.schema.json"


@pytest.mark.parametrize(("kind", "path"), _files("valid"))
def test_valid_example_breaks_no_schema_rule(kind: str, path: Path) -> None:
    """A documented or realistic decision body passes both engines."""
    assert _found(kind, json.loads(path.read_text("utf-8"))) == ([], [])


@pytest.mark.parametrize(("kind", "path"), _files("invalid"))
def test_invalid_example_fails_where_it_says(kind: str, path: Path) -> None:
    """Both engines report the pointers and rule ids the file lists, less the code rules."""
    case = json.loads(path.read_text("utf-8"))
    assert set(case) == {"description", "instance", "violations"}
    expected = [v for v in case["violations"] if v[1] not in CODE_RULES]
    assert _found(kind, case["instance"]) == (expected, expected), case["description"]
