"""The example folders: every valid file has no violation, every invalid one exactly its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from documented_warnings import VALID_WITH_WARNINGS

import contract_kit
from contract_kit.core.rule_catalogue import CHECKED_BY_THE_FAKE

CASES = Path(__file__).parent / "cases"


def _files(state: str) -> list[pytest.param]:  # type: ignore[valid-type]
    return [
        pytest.param(path.parent.parent.name, path, id=f"{path.parent.parent.name}/{path.stem}")
        for path in sorted(CASES.glob(f"*/{state}/*.json"))
    ]


@pytest.mark.parametrize(("kind", "path"), _files("valid"))
def test_valid_example_has_no_violation(kind: str, path: Path) -> None:
    """A documented or realistic instance passes its kind's contract, bar its pinned warnings."""
    found = contract_kit.violations(kind, json.loads(path.read_text("utf-8")))
    assert [[v.pointer, v.rule] for v in found] == VALID_WITH_WARNINGS.get(
        f"{kind}/{path.stem}", []
    )
    assert not any(v.is_error for v in found)


@pytest.mark.parametrize(("kind", "path"), _files("invalid"))
def test_invalid_example_has_exactly_its_violations(kind: str, path: Path) -> None:
    """Each invalid file is reported at the pointers, with the rule ids, that it lists."""
    case = json.loads(path.read_text("utf-8"))
    found = [[v.pointer, v.rule] for v in contract_kit.violations(kind, case["instance"])]
    assert found == case["violations"], case["description"]


def test_every_kind_has_valid_and_invalid_examples() -> None:
    """No kind goes untested by the example folders."""
    for kind in contract_kit.kinds():
        assert list((CASES / kind / "valid").glob("*.json")), kind
        assert list((CASES / kind / "invalid").glob("*.json")), kind


def test_every_rule_has_an_invalid_example() -> None:
    """Each rule id a single-kind check can report is shown rejecting some example file."""
    shown = {
        rule
        for path in CASES.glob("*/invalid/*.json")
        for _, rule in json.loads(path.read_text("utf-8"))["violations"]
    }
    only_in_check_request = {"method", "path", "body", "json", "response-status"}
    only_in_check_request |= {"query", "unknown-parameter", "query-mismatch"}
    only_in_check_request |= {
        "request-id",
        "request-id-missing",
        "request-id-reused",
    }  # a decision call's headers
    # A response checked with its request (tests/test_decisioning_response_check.py).
    only_in_check_request |= {"content-not-requested", "metadata-not-requested"}
    only_in_recordings = {"recording", "secret"}  # tests/lint_cases/recording shows them
    # Rules that need the fake's store (the fake's tests show them).
    only_in_the_fake = set(CHECKED_BY_THE_FAKE)
    expected = set(contract_kit.rules()) - only_in_check_request - only_in_recordings
    expected -= only_in_the_fake
    assert expected - shown == set()
