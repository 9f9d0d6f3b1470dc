"""The four output formats, whole, and colour: what a person, a program, GitHub and SARIF see."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import contract_kit
from contract_kit.cli import main
from contract_kit.lint.findings import CRASHES, FILE_PROBLEMS

CASES = Path(__file__).parent / "lint_cases"
TYPO = CASES / "fallback-offer" / "invalid" / "typo-status-key.json"
SEED = CASES / "fallback-offer" / "valid" / "seed-create-body.json"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder holding the payload with a typo, as offer.json."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    shutil.copy(TYPO, tmp_path / "offer.json")
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    code = main(["lint", *arguments])
    return code, capsys.readouterr().out


@pytest.mark.usefixtures("folder")
def test_text(capsys: pytest.CaptureFixture[str]) -> None:
    """One line per finding, a blank line, the summary, and a hint."""
    code, output = _run(capsys, "offer.json")
    assert output == (
        'offer.json:1:1: error: /xdm:status: required member "xdm:status" is missing (found '
        '"xdm:stauts": a misspelling?) [required]\n'
        'offer.json:3:3: warning: /xdm:stauts: unknown member "xdm:stauts": the contract defines no '
        'such member in the "xdm:" namespace; did you mean "xdm:status"? [unknown-key]\n'
        "\n"
        "Found 2 violations (1 error, 1 warning) in 1 of 1 file.\n"
        "Hint: each line reads file:line:column: severity: JSON pointer: what is wrong [rule id]; "
        "a rule can be turned off with --ignore RULE, or with "
        'ignore = ["RULE"] under [tool.contract-kit] in pyproject.toml. Also: a warning is what '
        "the service takes: it fails the run only with --strict, or strict = true under "
        "[tool.contract-kit].\n"
    )
    assert code == 1


def test_text_summaries(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The summary counts clean, failing and unreadable files."""
    shutil.copy(SEED, folder / "seed.json")
    (folder / "broken.json").write_text("[1,", "utf-8")
    assert _run(capsys, "seed.json")[1] == "No violations in 1 file.\n"
    lines = _run(capsys, "broken.json", "seed.json")[1].splitlines()
    assert lines[-2:] == [
        "1 of 2 files could not be checked.",
        (
            "Hint: a file that cannot be read or parsed, or whose kind cannot be told, is not "
            "checked at all: fix it, name its kind with --kind, or leave it out with --exclude."
        ),
    ]


@pytest.mark.usefixtures("folder")
def test_colour_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    """--color always paints the path, the pointer, the rule id and the summary."""
    output = _run(capsys, "--color", "always", "offer.json")[1]
    assert output.splitlines()[0] == (
        "\033[1moffer.json\033[0m:1:1: \033[31merror:\033[0m \033[36m/xdm:status\033[0m: "
        "required member "
        '"xdm:status" is missing (found "xdm:stauts": a misspelling?) \033[33m[required]\033[0m'
    )
    assert "\033[1m\033[31mFound 2 violations (1 error, 1 warning) in 1 of 1 file.\033[0m" in output


def _on_a_terminal(folder: Path, environment: dict[str, str]) -> bytes:
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "contract_kit", "lint", "offer.json"],
        cwd=folder,
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        env=environment,
    ) as process:
        os.close(terminal)
        output = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            output += chunk
        process.wait(timeout=30)
    os.close(controller)
    return output


def test_colour_on_a_terminal_unless_no_color(folder: Path) -> None:
    """By default a terminal gets colour; NO_COLOR, or a pipe, gets plain text."""
    environment = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "TERM"}}
    assert b"\033[" in _on_a_terminal(folder, environment)
    assert b"\033[" not in _on_a_terminal(folder, {**environment, "NO_COLOR": "1"})
    piped = subprocess.run(
        [sys.executable, "-m", "contract_kit", "lint", "offer.json"],
        cwd=folder,
        capture_output=True,
        env=environment,
        check=False,
    )
    assert b"\033[" not in piped.stdout
    assert piped.returncode == 1


@pytest.mark.usefixtures("folder")
def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    """A list of objects with place, pointer, message, rule, kind and level."""
    code, output = _run(capsys, "--format", "json", "offer.json")
    assert json.loads(output) == [
        {
            "file": "offer.json",
            "line": 1,
            "column": 1,
            "end_line": 1,
            "end_column": 2,
            "pointer": "/xdm:status",
            "message": 'required member "xdm:status" is missing (found "xdm:stauts": a misspelling?)',
            "rule": "required",
            "category": "violation",
            "kind": "fallback-offer",
            "severity": "error",
            "level": "error",
        },
        {
            "file": "offer.json",
            "line": 3,
            "column": 3,
            "end_line": 3,
            "end_column": 15,
            "pointer": "/xdm:stauts",
            "message": 'unknown member "xdm:stauts": the contract defines no such member in the "xdm:" namespace; did you mean "xdm:status"?',
            "rule": "unknown-key",
            "category": "violation",
            "kind": "fallback-offer",
            "severity": "warning",
            "level": "warning",
        },
    ]
    assert code == 1


def test_json_of_a_clean_run_is_an_empty_list(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing found, nothing listed."""
    shutil.copy(SEED, folder / "seed.json")
    assert _run(capsys, "--format", "json", "seed.json") == (0, "[]\n")


def test_github(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Workflow commands: one error per finding, a file that could not be checked included."""
    (folder / "broken.json").write_text("[1,", "utf-8")
    code, output = _run(capsys, "--format", "github", "offer.json", "broken.json")
    assert output == (
        "::error file=broken.json,line=1,col=4,endLine=1,endColumn=5,title=contract-kit "
        "unchecked/json::invalid JSON: expecting a value\n"
        "::error file=offer.json,line=1,col=1,endLine=1,endColumn=2,title=contract-kit required"
        '::/xdm:status: required member "xdm:status" is missing (found "xdm:stauts": a '
        "misspelling?)\n"
        "::warning file=offer.json,line=3,col=3,endLine=3,endColumn=15,title=contract-kit "
        'unknown-key::/xdm:stauts: unknown member "xdm:stauts": the contract defines no such '
        'member in the "xdm:" namespace; did you mean "xdm:status"?\n'
    )
    assert code == 2


def test_github_escapes_what_workflow_commands_reserve(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """%, newlines, and in properties : and , are escaped as GitHub documents."""
    name = "a,b:100%\nc.json"
    (folder / name).write_text('{"xdm:name": "x",\n"xdm:status": "50%"}', "utf-8")
    output = _run(capsys, "--format", "github", "--select", "status", name)[1]
    assert output == (
        "::error file=a%2Cb%3A100%25%0Ac.json,line=2,col=15,endLine=2,endColumn=20,"
        'title=contract-kit status::/xdm:status: "50%25" is not one of "draft", "approved", '
        '"archived", "pending", "rejected"\n'
    )


def _sarif(capsys: pytest.CaptureFixture[str], *paths: str) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(_run(capsys, "--format", "sarif", *paths)[1])
    return log


def test_sarif(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A SARIF 2.1.0 log: code-point columns, every rule described, results located."""
    log = _sarif(capsys, "offer.json")
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": folder.as_uri() + "/"}}
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
    driver = run["tool"]["driver"]
    assert driver["name"] == "contract-kit"
    rules = [rule["id"] for rule in driver["rules"]]
    assert rules == list(dict.fromkeys([*contract_kit.rules(), *FILE_PROBLEMS, *CRASHES]))
    assert run["results"][1] == {
        "ruleId": "unknown-key",
        "ruleIndex": rules.index("unknown-key"),
        "level": "warning",
        "message": {
            "text": 'unknown member "xdm:stauts": the contract defines no such member in the "xdm:" namespace; did you mean "xdm:status"?'
        },
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "offer.json", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 3, "startColumn": 3, "endLine": 3, "endColumn": 15},
                },
                "logicalLocations": [{"fullyQualifiedName": "/xdm:stauts", "kind": "member"}],
            }
        ],
        "properties": {
            "pointer": "/xdm:stauts",
            "kind": "fallback-offer",
            "category": "violation",
        },
    }


def test_sarif_uris(
    folder: Path, capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Paths are percent-encoded; a file outside the current folder gets an absolute file URI."""
    (folder / "with space").mkdir()
    shutil.copy(TYPO, folder / "with space" / "offer #1.json")
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "offer.json"
    shutil.copy(TYPO, elsewhere)
    results = _sarif(capsys, "with space", str(elsewhere))["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    assert {"uri": "with%20space/offer%20%231.json", "uriBaseId": "%SRCROOT%"} in uris
    assert {"uri": elsewhere.as_uri()} in uris


def test_a_closed_pipe_is_not_a_traceback(folder: Path) -> None:
    """A reader that stops early (``| head``) ends the output quietly; the exit code stays."""
    for number in range(300):
        shutil.copy(TYPO, folder / f"offer-{number:03}.json")
    with subprocess.Popen(
        [sys.executable, "-m", "contract_kit", "lint", "--jobs", "1", "."],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        errors = process.stderr.read()
        assert process.wait(timeout=60) == 1
    assert errors == b""


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_json_report_in_pieces_is_the_array_dumped_whole(count: int) -> None:
    """Written finding by finding, the JSON report is the text of the whole array at once."""
    from contract_kit.documents.limits import Span
    from contract_kit.lint.escaping import json_text
    from contract_kit.lint.findings import FileResult, Finding
    from contract_kit.lint.output import _as_object, json_report, json_report_parts
    from contract_kit.lint.runner import LintRun

    messages = ['line\nbreak "quoted"', "h\u00e9 \u202e\x1b[2J", "tab\tand \\ slash"]
    results = tuple(
        FileResult(
            f"offers/n\u00f6 {number}.json",
            (
                Finding(
                    Span(number + 1, 2, 3, 4), f"/xdm:name/{number}", messages[number], "x", None
                ),
            ),
        )
        for number in range(count)
    )
    run = LintRun(results, files=count)
    whole = json_text([_as_object(path, finding) for path, finding in run.findings()]) + "\n"
    assert json_report(run) == whole
    assert len(list(json_report_parts(run))) == max(1, count + 1)
