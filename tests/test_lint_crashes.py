"""When contract-kit itself fails it exits with 3, never 1: CI must not read a crash as a verdict."""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from contract_kit.cli import main
from contract_kit.documents import reading
from contract_kit.lint import file_lint, runner

if TYPE_CHECKING:
    from contract_kit.lint.file_lint import LintOptions, Pending
    from contract_kit.lint.findings import FileResult

CASES = Path(__file__).parent / "lint_cases"
SEED = CASES / "fallback-offer" / "valid" / "seed-create-body.json"
TYPO = CASES / "fallback-offer" / "invalid" / "typo-status-key.json"
WORKER_DIED = (
    "not checked: the worker process linting this file died (killed, or out of memory) before "
    "it reported; run again, with --jobs 1 to lint in one process [crash/worker]"
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder with a clean payload, one with violations, and one that kills a worker."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    shutil.copy(SEED, tmp_path / "0-seed.json")
    shutil.copy(TYPO, tmp_path / "1-typo.json")
    shutil.copy(SEED, tmp_path / "2-kill.json")
    return tmp_path


def _lint(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str], str]:
    code = main(["lint", "--color", "never", *arguments])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


@pytest.fixture
def killed_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start from the second file, and the one linting 2-kill.json is killed (SIGKILL)."""
    parent = os.getpid()
    screen = file_lint.screen

    def screen_or_die(path: str, options: LintOptions) -> FileResult | Pending:
        if os.getpid() != parent and path.endswith("2-kill.json"):
            os.kill(os.getpid(), signal.SIGKILL)
        return screen(path, options)

    monkeypatch.setattr(runner, "screen", screen_or_die)
    monkeypatch.setattr(runner, "_SHARE", False)  # else this process may take the chunk itself
    monkeypatch.setattr(runner, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(runner, "_WARM_UP", 1)


@pytest.mark.usefixtures("folder", "killed_worker")
def test_a_killed_worker_is_reported_and_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    """The files the dead worker held are each reported as not checked; the exit code is 3."""
    code, lines, err = _lint(capsys, "--jobs", "2", ".")
    assert lines == [
        f"1-typo.json:1:1: {WORKER_DIED}",
        f"2-kill.json:1:1: {WORKER_DIED}",
        "",
        "contract-kit failed on 2 of 3 files.",
        (
            "Hint: a crash is contract-kit failing, not a verdict on the file (exit code 3): run "
            "again, and if it happens again report it with the file."
        ),
    ]
    assert err == ""
    assert code == 3


@pytest.mark.usefixtures("folder", "killed_worker")
def test_a_killed_worker_in_sarif_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    """SARIF marks the run as failed; JSON lists the files in the category crash."""
    assert main(["lint", "--jobs", "2", "--format", "sarif", "."]) == 3
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["invocations"] == [{"executionSuccessful": False, "exitCode": 3}]
    assert {result["ruleId"] for result in run["results"]} == {"crash/worker"}
    assert main(["lint", "--jobs", "2", "--format", "json", "."]) == 3
    found = json.loads(capsys.readouterr().out)
    assert [(o["file"], o["rule"], o["category"]) for o in found] == [
        ("1-typo.json", "crash/worker", "crash"),
        ("2-kill.json", "crash/worker", "crash"),
    ]


def test_an_exception_on_one_file_exits_3(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug met on one file is a crash of that file, reported with the others; 3 wins over 1."""

    def failing(path: str) -> bytes:
        if path.endswith("2-kill.json"):
            raise RuntimeError("boom")
        return reading.read_file(path)

    monkeypatch.setattr(file_lint, "read_file", failing)
    code, lines, _ = _lint(capsys, "--jobs", "1", ".")
    assert lines[2] == (
        "2-kill.json:1:1: contract-kit failed on this file (RuntimeError: boom); this is a bug "
        "in contract-kit: please report it with the file [crash/exception]"
    )
    assert (
        lines[4]
        == "Found 2 violations (1 error, 1 warning) in 1 of 3 files; contract-kit failed on 1 file."
    )
    assert code == 3
    (folder / "broken.json").write_text("{", "utf-8")
    assert _lint(capsys, "--jobs", "1", ".")[1][-2] == (
        "Found 2 violations (1 error, 1 warning) in 1 of 4 files; 1 file could not be checked; contract-kit failed "
        "on 1 file."
    )


@pytest.mark.usefixtures("folder")
def test_a_crash_outside_any_file_is_one_paragraph(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anything else that fails prints a paragraph without a traceback, and exits 3."""

    def broken(arguments: list[str]) -> int:
        raise KeyError(arguments[0])

    monkeypatch.setattr("contract_kit.lint.command.run_lint_command", broken)
    monkeypatch.delenv("CONTRACT_KIT_DEBUG", raising=False)
    code, lines, err = _lint(capsys, ".")
    assert err == (
        "contract-kit: internal error: KeyError: '--color'\n"
        "This is a bug in contract-kit, not a verdict on your files (exit code 3). Set "
        "CONTRACT_KIT_DEBUG=1 to see the traceback; please report it with the command you ran.\n"
    )
    assert lines == []
    assert code == 3


@pytest.mark.usefixtures("folder")
def test_the_traceback_when_debugging(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CONTRACT_KIT_DEBUG=1 prints the traceback before the paragraph."""

    def broken(_arguments: list[str]) -> int:
        raise ValueError("no")

    monkeypatch.setattr("contract_kit.lint.command.run_lint_command", broken)
    monkeypatch.setenv("CONTRACT_KIT_DEBUG", "1")
    code, _, err = _lint(capsys, ".")
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith(
        "ValueError: no\n"
        "contract-kit: internal error: ValueError: no\n"
        "This is a bug in contract-kit, not a verdict on your files (exit code 3). The "
        "traceback is above; please report it with the command you ran.\n"
    )
    assert code == 3
