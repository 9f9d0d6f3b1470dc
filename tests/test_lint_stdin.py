"""``-`` lints standard input, and ``--format json-summary`` adds a summary to the findings."""

from __future__ import annotations

import io
import json
import sys
from typing import TYPE_CHECKING

import pytest

from contract_kit.cli import main
from contract_kit.documents.limits import MAX_FILE_BYTES

if TYPE_CHECKING:
    from pathlib import Path

VALID = '{"xdm:name": "a", "xdm:status": "draft", "xdm:representations": {}}'


# Every test runs in an empty working folder (the shared ``folder`` fixture).
pytestmark = pytest.mark.usefixtures("folder")


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def _lint(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str]]:
    code = main(["lint", "--color", "never", *arguments])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out.splitlines()


def test_json_on_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON on standard input is linted, its kind inferred, and reported as <stdin>."""
    _stdin(monkeypatch, VALID.encode())
    code, lines = _lint(capsys, "-")
    assert code == 1
    assert lines[:3] == [
        "<stdin>:1:65: error: /xdm:representations: expected an array, got an object [type]",
        "",
        "Found 1 violation in 1 of 1 file.",
    ]


def test_yaml_on_stdin_with_kind(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What does not start as JSON does is read as YAML; --kind is honoured."""
    _stdin(monkeypatch, b"xdm:name: on\n")
    code, lines = _lint(capsys, "--kind", "receipt", "-")
    assert code == 1
    assert lines[0] == '<stdin>:1:1: error: /@id: required member "@id" is missing [required]'


def test_stdin_first_and_read_once(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Named twice and with files, standard input is read once and reported first."""
    (folder / "a.json").write_text("[1,]", "utf-8")
    _stdin(monkeypatch, b'{"xdm:name": 1,}')
    code, lines = _lint(capsys, "a.json", "-", "-")
    assert code == 2
    assert lines[:2] == [
        (
            "<stdin>:1:15: invalid JSON: a trailing comma before }: JSON allows none (remove it) "
            "[unchecked/json]"
        ),
        (
            "a.json:1:3: invalid JSON: a trailing comma before ]: JSON allows none (remove it) "
            "[unchecked/json]"
        ),
    ]
    assert lines[3] == "2 of 2 files could not be checked."


def test_a_file_named_dash_is_not_stdin(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """./- names a file called -, read as a file."""
    (folder / "-").write_text(VALID, "utf-8")
    _stdin(monkeypatch, b"")
    _, lines = _lint(capsys, "./-")
    assert lines[0].startswith("./-:1:65: error: /xdm:representations: ")


def test_empty_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty standard input is an empty JSON file."""
    _stdin(monkeypatch, b"")
    code, lines = _lint(capsys, "-")
    assert code == 2
    assert lines[0] == (
        "<stdin>:1:1: the file is empty; a payload file holds one JSON value [unchecked/json]"
    )


def test_stdin_over_the_size_limit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Standard input is refused past the limit a file has."""
    _stdin(monkeypatch, b" " * (MAX_FILE_BYTES + 1))
    code, lines = _lint(capsys, "-")
    assert code == 2
    assert lines[0] == (
        "<stdin>:1:1: standard input is over 10 MiB; input over 10 MiB is not linted "
        "[unchecked/file]"
    )


def test_json_summary(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """json-summary: an object with the counts, exit code and headline, and the findings."""
    (folder / "bad.json").write_text("// x\n{}", "utf-8")
    (folder / "good.json").write_text(VALID.replace("{}", '[{"xdm:components": []}]'), "utf-8")
    _stdin(monkeypatch, VALID.encode())
    code = main(["lint", "--format", "json-summary", "-", "bad.json", "good.json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert report["summary"] == {
        "files": 3,
        "violations": report["summary"]["violations"],
        "errors": report["summary"]["errors"],
        "warnings": report["summary"]["warnings"],
        "strict": False,
        "files_with_violations": 2,
        "files_not_checked": 1,
        "files_crashed": 0,
        "rules": report["summary"]["rules"],
        "exit_code": 2,
        "headline": report["summary"]["headline"],
    }
    violations = [f for f in report["findings"] if f["category"] == "violation"]
    assert report["summary"]["violations"] == len(violations)
    warned = [f for f in violations if f["severity"] == "warning"]
    assert report["summary"]["warnings"] == len(warned)
    assert report["summary"]["errors"] == len(violations) - len(warned)
    counted: dict[str, int] = {}
    for finding in violations:
        counted[finding["rule"]] = counted.get(finding["rule"], 0) + 1
    assert report["summary"]["rules"] == counted
    assert (report["summary"]["errors"], report["summary"]["warnings"]) == (2, 2)
    assert report["summary"]["headline"] == (
        "Found 4 violations (2 errors, 2 warnings) in 2 of 3 files; 1 file could not be checked."
    )
    assert report["findings"][0]["file"] == "<stdin>"


def test_json_stays_an_array(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json is still the array of findings its consumers read."""
    (folder / "bad.json").write_text("[1,]", "utf-8")
    main(["lint", "--format", "json", "bad.json"])
    assert isinstance(json.loads(capsys.readouterr().out), list)


def test_clean_json_summary(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clean run's summary has zero counts and exit code 0."""
    _stdin(monkeypatch, b'{"error_code": "404001", "message": "x"}')
    code = main(["lint", "--format", "json-summary", "--kind", "error", "-"])
    report = json.loads(capsys.readouterr().out)
    assert (code, report["findings"]) == (report["summary"]["exit_code"], [])
    assert report["summary"]["headline"] == "No violations in 1 file."
