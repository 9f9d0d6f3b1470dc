"""contract-kit --version and contract-kit rules: what a user with only the wheel can read."""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path

import pytest

import contract_kit
from contract_kit.cli import main
from contract_kit.core.object_kinds import object_kinds
from contract_kit.core.rule_catalogue import WARNINGS
from contract_kit.lint.rule_index import rule_index

DOCS = Path(__file__).parent.parent / "docs"
#: Every stored kind's body and instance, the receipt, the page, a delete's outcome and the
#: decision request and response own their namespaces.
_UNKNOWN_KEY_KINDS = sorted(
    {"delete-outcome", "receipt", "search-results", "decision-request", "decision-response"}
    | {kind.body_kind for kind in object_kinds()}
    | {kind.instance_kind for kind in object_kinds()}
)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the installed distribution's version and exits with 0."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    expected = importlib.metadata.version("contract-kit")
    assert capsys.readouterr().out == f"contract-kit {expected}\n"


def test_version_when_not_installed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a source tree never installed, --version says so instead of failing."""

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out == (
        "contract-kit (version unknown: contract_kit is not installed as a distribution)\n"
    )


def test_rules_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Each rule id a paragraph: the id and what it applies to, then its summary, indented."""
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:6] == [
        "type  error  (all kinds)",
        "    A value has the wrong JSON type (or the headers are not headers at all).",
        "required  error  (all kinds)",
        "    A required member or header is missing; reported at its own pointer.",
        f"unknown-key  warning  ({', '.join(_UNKNOWN_KEY_KINDS)})",
        (
            "    A member in a namespace the contract owns (xdm:, dc:, repo:, @) that it does "
            "not define: most often a typo."
        ),
    ]
    assert "min-length  warning  (all kinds but fallback-offer-patch)" in lines
    assert "method  error  (check_request)" in lines
    assert "accept-missing  warning  (request-headers; check_request)" in lines
    assert "unknown-parameter  warning  (check_request)" in lines
    assert "secret  error  (contract-kit lint, on recordings (cassettes))" in lines
    assert "json  error  (check_request; any kind, past the checks' limits)" in lines
    assert all(line.startswith("    ") for line in lines[1::2])  # each id, then its summary
    assert [line.split("  ")[0] for line in lines[::2]] == list(contract_kit.rules())


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json lists every rule as an object; the kinds are bundled kinds."""
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [entry["rule"] for entry in listed] == list(contract_kit.rules())
    assert [entry["summary"] for entry in listed] == list(contract_kit.rules().values())
    assert listed[2] == {
        "rule": "unknown-key",
        "severity": "warning",
        "summary": contract_kit.rules()["unknown-key"],
        "kinds": list(_UNKNOWN_KEY_KINDS),
        "checked_by": [],
    }
    by_rule = {entry["rule"]: entry for entry in listed}
    assert by_rule["response-status"]["kinds"] == []
    assert by_rule["response-status"]["checked_by"] == ["assert_receipt"]
    assert {entry["rule"] for entry in listed if entry["severity"] == "warning"} == WARNINGS


def _documented_kinds(column: str) -> str:
    """The Kinds column of docs/rules.md, spelt as contract-kit rules spells it."""
    column = column.replace("`", "")
    if column == "all":
        return "all kinds"
    return column.replace("all but ", "all kinds but ")


def test_rules_agree_with_the_repository_docs() -> None:
    """contract-kit rules and docs/rules.md agree on each rule: its severity and its kinds."""
    docs = (DOCS / "rules.md").read_text("utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| ([^|]+) \| ([^|]+) \|", docs, flags=re.MULTILINE)
    severities = {rule: severity.strip() for rule, severity, _ in rows}
    assert severities == {entry.rule: entry.severity for entry in rule_index()}
    documented = {rule: kinds for rule, _, kinds in rows}
    derived = {entry.rule: entry.applies_to() for entry in rule_index()}
    payload_rules = {rule: _documented_kinds(kinds.strip()) for rule, kinds in documented.items()}
    for entry in rule_index():
        if entry.kinds:
            assert derived[entry.rule] == payload_rules[entry.rule], entry.rule
        else:  # no kind reports it: what checks it is named instead
            assert entry.checked_by, entry.rule


@pytest.mark.parametrize(
    "argv", [["--help"], ["lint", "--help"], ["rules", "--help"], ["serve", "--help"]]
)
def test_help_points_to_what_the_wheel_has(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """No help text sends a wheel user to a docs/ folder they do not have."""
    monkeypatch.setenv("COLUMNS", "400")
    with pytest.raises(SystemExit):
        main(argv)
    text = " ".join(capsys.readouterr().out.split())
    assert "docs/" not in text.replace("docs/lint.md in the contract_kit repository", "")


def test_top_level_help_names_the_rules_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """contract-kit --help lists rules and --version, and its epilog names rules and kinds."""
    monkeypatch.setenv("COLUMNS", "400")
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "rules list the rule ids, each with what it reports and the kinds it applies to" in text
    assert "--version print contract-kit's version and exit" in text
    assert "contract-kit rules lists the rule ids, contract-kit kinds the kinds." in text
