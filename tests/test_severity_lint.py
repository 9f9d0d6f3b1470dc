"""Severity in contract-kit lint: warnings are reported in every format and fail only when strict."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from contract_kit.cli import main

TYPO = Path(__file__).parent / "lint_cases" / "fallback-offer" / "invalid" / "typo-status-key.json"
SEED = Path(__file__).parent / "lint_cases" / "fallback-offer" / "valid" / "seed-create-body.json"
WARNING = (
    'offer.json:2:3: warning: /xdm:extra: unknown member "xdm:extra": the contract defines no '
    'such member in the "xdm:" namespace; did you mean "xdm:tags"? [unknown-key]'
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder holding offer.json: the seed body with one member the contract lacks."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    text = SEED.read_text("utf-8").replace("{", '{\n  "xdm:extra": 1,', 1)
    (tmp_path / "offer.json").write_text(text, "utf-8")
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    code = main(["lint", "--color", "never", *arguments])
    return code, capsys.readouterr().out


@pytest.mark.usefixtures("folder")
def test_warnings_only_exit_0_and_are_still_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """A file with a warning only: the line says warning, the summary counts it, exit code 0."""
    code, output = _run(capsys, "offer.json")
    assert output.splitlines()[:3] == [WARNING, "", "Found 1 warning in 1 of 1 file."]
    assert code == 0


@pytest.mark.usefixtures("folder")
def test_strict_option_fails_on_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    """--strict makes the same warning exit with 1."""
    code, output = _run(capsys, "--strict", "offer.json")
    assert output.splitlines()[0] == WARNING
    assert code == 1


def test_strict_in_the_configuration(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The configuration's strict = true does what --strict does."""
    (folder / "pyproject.toml").write_text("[tool.contract-kit]\nstrict = true\n", "utf-8")
    assert _run(capsys, "offer.json")[0] == 1


def test_strict_must_be_a_boolean(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A strict = "yes" is a configuration error that says what to write."""
    (folder / "pyproject.toml").write_text('[tool.contract-kit]\nstrict = "yes"\n', "utf-8")
    code = main(["lint", "offer.json"])
    assert code == 2
    assert capsys.readouterr().err == (
        f"contract-kit lint: error: {folder / 'pyproject.toml'}: [tool.contract-kit] strict: "
        'expected true or false, got the string "yes"\n'
    )


@pytest.mark.usefixtures("folder")
def test_select_and_ignore_work_on_warning_ids(capsys: pytest.CaptureFixture[str]) -> None:
    """--ignore drops a warning's id; --select of another id leaves the file clean."""
    assert _run(capsys, "--strict", "--ignore", "unknown-key", "offer.json") == (
        0,
        "No violations in 1 file.\n",
    )
    assert _run(capsys, "--strict", "--select", "required", "offer.json")[0] == 0
    assert _run(capsys, "--strict", "--select", "unknown-key", "offer.json")[0] == 1


@pytest.mark.usefixtures("folder")
def test_json_summary_counts_each_severity(capsys: pytest.CaptureFixture[str]) -> None:
    """json-summary counts errors and warnings apart; each finding carries its severity."""
    shutil.copy(TYPO, "typo.json")
    code, output = _run(capsys, "--format", "json-summary", "offer.json", "typo.json")
    report: dict[str, Any] = json.loads(output)
    summary = report["summary"]
    assert (summary["errors"], summary["warnings"], summary["strict"]) == (1, 2, False)
    assert summary["exit_code"] == code == 1
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [
        ("unknown-key", "warning"),
        ("required", "error"),
        ("unknown-key", "warning"),
    ]


@pytest.mark.usefixtures("folder")
def test_github_and_sarif_levels(capsys: pytest.CaptureFixture[str]) -> None:
    """GitHub gets a ::warning command; SARIF a warning result and the rule's default level."""
    assert _run(capsys, "--format", "github", "offer.json")[1].startswith(
        "::warning file=offer.json,line=2,col=3,"
    )
    log = json.loads(_run(capsys, "--format", "sarif", "offer.json")[1])
    (run,) = log["runs"]
    assert [result["level"] for result in run["results"]] == ["warning"]
    levels = {
        rule["id"]: rule["defaultConfiguration"]["level"] for rule in run["tool"]["driver"]["rules"]
    }
    assert (levels["unknown-key"], levels["required"], levels["unchecked/json"]) == (
        "warning",
        "error",
        "error",
    )
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]
