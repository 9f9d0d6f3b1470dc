"""The contract-kit command: its subcommands, its help, how fast it starts, and its processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import contract_kit
from contract_kit.cli import main
from contract_kit.lint.documents import identify

CASES = Path(__file__).parent / "lint_cases"
SEED = CASES / "fallback-offer" / "valid" / "seed-create-body.json"
TYPO = CASES / "fallback-offer" / "invalid" / "typo-status-key.json"
RECEIPT = CASES / "receipt" / "invalid" / "modified-before-created.json"


def test_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    """One kind a line, with its title, and the schema id of each stored kind's body or instance."""
    assert main(["kinds"]) == 0
    assert capsys.readouterr().out == (
        "container-list               The containers the caller may use\n"
        "decision-request             Decision request\n"
        "decision-response            Decision response\n"
        "delete-outcome               The outcome of a delete\n"
        "eligibility-rule             Decision rule (eligibility rule)              https://ns.adobe.com/experience/offer-management/eligibility-rule;version=0.3\n"
        "eligibility-rule-instance    A stored decision rule                        https://ns.adobe.com/experience/offer-management/eligibility-rule;version=0.3\n"
        "error                        Error response body\n"
        "fallback-offer               Fallback offer                                https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1\n"
        "fallback-offer-instance      A stored fallback offer                       https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.5\n"
        "fallback-offer-patch         A JSON Patch of a fallback offer\n"
        "offer-activity               Decision (offer activity)                     https://ns.adobe.com/experience/offer-management/offer-activity;version=0.5\n"
        "offer-activity-instance      A stored decision                             https://ns.adobe.com/experience/offer-management/offer-activity;version=0.5\n"
        "offer-filter                 Collection (offer filter)                     https://ns.adobe.com/experience/offer-management/offer-filter;version=0.1\n"
        "offer-filter-instance        A stored collection                           https://ns.adobe.com/experience/offer-management/offer-filter;version=0.3\n"
        "offer-placement              Placement                                     https://ns.adobe.com/experience/offer-management/offer-placement;version=0.4\n"
        "offer-placement-instance     A stored placement                            https://ns.adobe.com/experience/offer-management/offer-placement;version=0.4\n"
        "personalized-offer           Personalized offer                            https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5\n"
        "personalized-offer-instance  A stored personalized offer                   https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5\n"
        "receipt                      Receipt of a write\n"
        "request-headers              Request headers of a fallback-offer create\n"
        "search-results               A page of stored instances\n"
        "tag                          Tag (collection qualifier)                    https://ns.adobe.com/experience/offer-management/tag;version=0.1\n"
        "tag-instance                 A stored tag                                  https://ns.adobe.com/experience/offer-management/tag;version=0.1\n"
        "recording                    A cassette of recorded exchanges (lint only)\n"
    )


@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_example_is_valid_and_recognised(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    """contract-kit example prints an instance that passes its kind and is inferred as it."""
    assert main(["example", kind]) == 0
    value = json.loads(capsys.readouterr().out)
    assert contract_kit.violations(kind, value) == []
    recognised = identify(value)
    assert not isinstance(recognised, str)
    assert recognised.name == kind


@pytest.mark.parametrize("command", ["example", "schema"])
def test_an_unknown_kind(capsys: pytest.CaptureFixture[str], command: str) -> None:
    """A kind that is not bundled is a usage error listing the kinds."""
    assert main([command, "fallback-ofer"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"contract-kit {command}: error: unknown kind 'fallback-ofer' (did you mean "
        '"fallback-offer"?); the bundled kinds are "container-list", "decision-request", '
        '"decision-response", "delete-outcome", "eligibility-rule", "eligibility-rule-instance", "error", "fallback-offer", '
        '"fallback-offer-instance", '
        '"fallback-offer-patch", "offer-activity", "offer-activity-instance", "offer-filter", '
        '"offer-filter-instance", "offer-placement", "offer-placement-instance", '
        '"personalized-offer", "personalized-offer-instance", "receipt", "request-headers", '
        '"search-results", "tag", "tag-instance"\n'
    )


def test_help_states_exit_codes_and_limits(capsys: pytest.CaptureFixture[str]) -> None:
    """Lint --help documents the exit codes, the size and depth limits and the configuration."""
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert (
        "exit codes:\n  0  every file passes the contract, or has warnings only (without "
        "--strict)\n  1  errors found, or warnings with --strict\n"
    ) in text
    assert "larger\n     than 10 MiB" in text
    assert "nesting deeper than 256 levels" in text
    assert "2 wins over 1" in text
    assert "[tool.contract-kit]" in text


def test_serve_keeps_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    """Serve still takes --host and --port, with the same defaults."""
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())  # --sandbox's metavar widens the columns
    assert "--host HOST address to bind (default: 127.0.0.1)" in text
    assert "--port PORT port to bind; 0 picks a free one (default: 0)" in text


def _modules_after_lint(tmp_path: Path, payload: Path) -> set[str]:
    shutil.copy(payload, tmp_path / "one.json")
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    program = (
        "import sys\n"
        "from contract_kit.cli import main\n"
        "code = main(['lint', 'one.json'])\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    names = set(done.stderr.split())
    return names | {name.split(".")[0] for name in names}


def test_linting_a_valid_file_imports_nothing_heavy(tmp_path: Path) -> None:
    """One clean file needs neither python-jsonschema nor hypothesis, requests or YAML."""
    loaded = _modules_after_lint(tmp_path, SEED)
    heavy = {"jsonschema", "hypothesis", "requests", "responses", "httpx", "yaml", "referencing"}
    heavy |= {
        "contract_kit.cassettes.recording_check",
        "contract_kit.fake",
        "contract_kit.strategies",
    }
    heavy |= {"shutil", "bz2", "lzma"}  # the terminal's width, asked only to print help
    assert loaded & heavy == set()
    assert "jsonschema_rs" in loaded


def test_explaining_an_invalid_file_imports_nothing_heavy(tmp_path: Path) -> None:
    """A file with findings is explained from jsonschema-rs's errors: still nothing heavy."""
    loaded = _modules_after_lint(tmp_path, TYPO)
    heavy = {"jsonschema", "referencing", "hypothesis", "requests", "responses", "httpx", "yaml"}
    heavy |= {"dataclasses", "inspect"}  # milliseconds in every explaining process
    assert loaded & heavy == set()
    assert "contract_kit.core.fast_explain" in loaded


def test_python_dash_m(tmp_path: Path) -> None:
    """Python -m contract_kit lint is the same command."""
    shutil.copy(TYPO, tmp_path / "offer.json")
    done = subprocess.run(
        [sys.executable, "-m", "contract_kit", "lint", "--format", "json", "offer.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert [finding["rule"] for finding in json.loads(done.stdout)] == ["required", "unknown-key"]
    assert done.returncode == 1


def test_many_files_on_two_processes_report_as_one(tmp_path: Path) -> None:
    """Past the threshold two worker processes lint; the output is the same, in the same order."""
    for number in range(1200):
        source = (SEED, TYPO, RECEIPT)[number % 3]
        shutil.copy(source, tmp_path / f"offer-{1199 - number:04}.json")
    (tmp_path / "broken.json").write_text("{", "utf-8")
    outputs = [
        subprocess.run(
            [sys.executable, "-m", "contract_kit", "lint", f"--jobs={jobs}", "--format=json", "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        for jobs in (1, 2)
    ]
    assert outputs[0].stdout == outputs[1].stdout
    assert outputs[0].returncode == outputs[1].returncode == 2
    files = [finding["file"] for finding in json.loads(outputs[1].stdout)]
    assert files == sorted(files)
    assert len(files) == 1 + 400 * 2 + 400 * 2


def test_workers_started_by_spawn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where fork is not used (macOS, Windows), spawned workers get the options and agree."""
    from contract_kit.lint import runner
    from contract_kit.lint.file_lint import LintOptions
    from contract_kit.lint.globs import Glob, GlobSet

    for number, source in enumerate((SEED, TYPO, RECEIPT)):
        shutil.copy(source, tmp_path / f"offer-{number}.json")
    options = LintOptions(root=str(tmp_path), ignore=frozenset({"unknown-key"}))
    globs = {"include": GlobSet([Glob("*.json")]), "exclude": GlobSet([])}
    alone = runner.run_lint([str(tmp_path)], options, jobs=1, **globs)
    monkeypatch.setattr(runner, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(runner, "_WARM_UP", 1)  # one file here, two in the workers
    monkeypatch.setattr(sys, "platform", "darwin")
    spawned = runner.run_lint([str(tmp_path)], options, jobs=2, **globs)
    assert spawned == alone
    assert [Path(result.path).name for result in spawned.results] == [
        "offer-1.json",
        "offer-2.json",
    ]
