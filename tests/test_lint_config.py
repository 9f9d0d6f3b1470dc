"""Turning rules off, naming kinds and choosing files: options and [tool.contract-kit]."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contract_kit.cli import main

CASES = Path(__file__).parent / "lint_cases"
TYPO = CASES / "fallback-offer" / "invalid" / "typo-status-key.json"
SEED = CASES / "fallback-offer" / "valid" / "seed-create-body.json"
PATCH = CASES / "fallback-offer-patch" / "valid" / "documented-status-change.json"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder, current, with a payload that breaks two rules in offers/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "offers").mkdir()
    shutil.copy(TYPO, tmp_path / "offers" / "typo.json")
    return tmp_path


def _configure(project: Path, table: str) -> None:
    (project / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n{table}\n", "utf-8")


def _lint(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str], str]:
    code = main(["lint", "--color", "never", *arguments])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def _rules(lines: list[str]) -> list[str]:
    return [line.rsplit("[", 1)[1].rstrip("]") for line in lines if line.endswith("]")]


@pytest.mark.usefixtures("project")
def test_without_configuration_every_rule_reports(capsys: pytest.CaptureFixture[str]) -> None:
    """The payload breaks required and unknown-key."""
    code, lines, _ = _lint(capsys, "offers")
    assert _rules(lines) == ["required", "unknown-key"]
    assert code == 1


def test_ignore_in_pyproject(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A rule ignored in [tool.contract-kit] is not reported and cannot fail the run."""
    _configure(project, '[tool.contract-kit]\nignore = ["unknown-key", "required"]')
    code, lines, _ = _lint(capsys, "offers")
    assert lines == ["No violations in 1 file."]
    assert code == 0


def test_ignore_on_the_command_line_adds_to_the_configured(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--ignore takes comma-separated ids, repeated, on top of the configured ones."""
    _configure(project, '[tool.contract-kit]\nignore = ["unknown-key"]')
    assert _rules(_lint(capsys, "offers")[1]) == ["required"]
    code, lines, _ = _lint(capsys, "--ignore", "status,required", "--ignore=format", "offers")
    assert _rules(lines) == []
    assert code == 0


def test_select_on_the_command_line_replaces_the_configured(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--select reports only the rules it names, whatever [tool.contract-kit] selects."""
    _configure(project, '[tool.contract-kit]\nselect = ["required"]')
    assert _rules(_lint(capsys, "offers")[1]) == ["required"]
    assert _rules(_lint(capsys, "--select", "unknown-key", "offers")[1]) == ["unknown-key"]


def test_kinds_by_glob(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A glob mapped to a kind names the kind of files whose content does not tell it."""
    (project / "patches").mkdir()
    (project / "patches" / "empty.json").write_text("[]", "utf-8")
    code, lines, _ = _lint(capsys, "patches")
    assert lines[0].endswith("[unchecked/kind]")
    assert code == 2
    _configure(project, '[tool.contract-kit.kinds]\n"patches/*.json" = "fallback-offer-patch"')
    code, lines, _ = _lint(capsys, "patches")
    assert (
        lines[0]
        == "patches/empty.json:1:1: error: (root): expected at least 1 item, got none [min-items]"
    )
    assert code == 1


def test_kind_option_overrides_inference(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--kind checks every file as that kind, even a file that looks like another."""
    shutil.copy(PATCH, project / "patch.json")
    code, lines, _ = _lint(capsys, "--kind", "receipt", "patch.json")
    assert lines[0] == "patch.json:1:1: error: (root): expected an object, got an array [type]"
    assert code == 1


def test_include_and_exclude(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Includes choose what a walk picks up; excludes skip paths, even named ones."""
    shutil.copy(SEED, project / "offers" / "seed.payload")
    (project / "offers" / "drafts").mkdir()
    shutil.copy(TYPO, project / "offers" / "drafts" / "typo.json")
    assert _lint(capsys, "--include", "*.payload", "offers")[1] == ["No violations in 1 file."]
    shutil.copy(SEED, project / "offers" / "seed.json")
    assert (
        _lint(capsys, "offers")[1][-2]
        == "Found 4 violations (2 errors, 2 warnings) in 2 of 3 files."
    )
    _configure(project, '[tool.contract-kit]\nexclude = ["drafts", "offers/typo.json"]')
    assert _lint(capsys, "offers")[1] == ["No violations in 1 file."]
    code, lines, _ = _lint(capsys, "offers/typo.json", "offers/seed.payload")
    assert lines == ["No violations in 1 file."]
    assert code == 0


def test_default_excludes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Virtual environments, version control and caches are never walked."""
    for skipped in (".venv", ".git", "node_modules"):
        (project / skipped).mkdir()
        (project / skipped / "x.json").write_text("{", "utf-8")
    code, lines, _ = _lint(capsys, ".")
    assert lines[-2] == "Found 2 violations (1 error, 1 warning) in 1 of 1 file."
    assert code == 1


def test_an_explicit_config_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--config reads [tool.contract-kit] from the file named; its folder roots the globs."""
    (project / "ci").mkdir()
    (project / "ci" / "lint.toml").write_text(
        '[tool.contract-kit]\nignore = ["required", "unknown-key"]\n', "utf-8"
    )
    assert _lint(capsys, "--config", "ci/lint.toml", "offers")[0] == 0


def test_the_nearest_pyproject_above(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a subfolder, the project's pyproject.toml is found; its globs are from its folder."""
    _configure(project, '[tool.contract-kit]\nexclude = ["offers/typo.json"]')
    monkeypatch.chdir(project / "offers")
    shutil.copy(SEED, project / "offers" / "seed.json")
    assert _lint(capsys, ".")[1] == ["No violations in 1 file."]


@pytest.mark.parametrize(
    ("table", "error"),
    [
        (
            '[tool.contract-kit]\nignor = ["format"]',
            """[tool.contract-kit]: unknown option 'ignor' (did you mean "ignore"?); the options are exclude, ignore, include, kinds, select, strict""",
        ),
        (
            '[tool.contract-kit]\nignore = ["unknown-keys"]',
            """[tool.contract-kit] ignore: unknown rule id 'unknown-keys' (did you mean "unknown-key"?); contract-kit rules lists them""",
        ),
        (
            '[tool.contract-kit]\nignore = ["unchecked/json"]',
            "[tool.contract-kit] ignore: 'unchecked/json' reports files that cannot be checked at all, which cannot be selected or ignored",
        ),
        (
            '[tool.contract-kit]\nselect = "format"',
            "[tool.contract-kit] select: expected a list of strings, got 'format'",
        ),
        (
            '[tool.contract-kit.kinds]\n"offers/*.json" = "fallback-ofer"',
            """[tool.contract-kit] kinds: 'offers/*.json' = 'fallback-ofer' is not a kind (did you mean "fallback-offer"?); contract-kit kinds lists them""",
        ),
        (
            '[tool.contract-kit]\nexclude = ["offers/[abc"]',
            "[tool.contract-kit] exclude: glob 'offers/[abc': the [ at position 8 is not closed",
        ),
        (
            "[tool.contract-kit]\nkinds = 3",
            """[tool.contract-kit] kinds: expected a table of globs and kinds ("offers/*.json" = ...)""",
        ),
    ],
)
def test_configuration_mistakes_are_usage_errors(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, error: str
) -> None:
    """A misspelt option, an unknown rule id or kind, a wrong type: exit 2, saying what to fix."""
    _configure(project, table)
    code, lines, err = _lint(capsys, "offers")
    pyproject = project / "pyproject.toml"
    assert err == f"contract-kit lint: error: {pyproject}: {error}\n"
    assert lines == []
    assert code == 2


def test_invalid_toml_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A pyproject.toml that is not TOML is reported, not a traceback."""
    (project / "pyproject.toml").write_text("[tool.contract-kit\n", "utf-8")
    code, _, err = _lint(capsys, "offers")
    assert err == (
        f"contract-kit lint: error: {project / 'pyproject.toml'}: not valid TOML: "
        "Expected ']' at the end of a table declaration (at line 1, column 19)\n"
    )
    assert code == 2


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (
            ["--kind", "fallback-ofer"],
            """--kind: unknown kind 'fallback-ofer' (did you mean "fallback-offer"?); contract-kit kinds lists them""",
        ),
        (
            ["--ignore", "stauts"],
            """--ignore: unknown rule id 'stauts' (did you mean "status"?); contract-kit rules lists them""",
        ),
        (
            ["--select", "unchecked/kind"],
            "--select: 'unchecked/kind' reports files that cannot be checked at all, which cannot be selected or ignored",
        ),
        (["--jobs", "0"], "--jobs: expected at least 1, got 0"),
        (["--exclude", "[x"], "glob '[x': the [ at position 1 is not closed"),
    ],
)
@pytest.mark.usefixtures("project")
def test_option_mistakes_are_usage_errors(
    capsys: pytest.CaptureFixture[str], arguments: list[str], error: str
) -> None:
    """Wrong option values exit 2 before any file is read."""
    code, lines, err = _lint(capsys, *arguments, "offers")
    assert err == f"contract-kit lint: error: {error}\n"
    assert lines == []
    assert code == 2


@pytest.mark.usefixtures("project")
def test_argparse_errors_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown format, or no path at all, is argparse's usage error: exit 2."""
    for arguments in (["--format", "xml", "offers"], []):
        with pytest.raises(SystemExit) as exit_info:
            main(["lint", *arguments])
        assert exit_info.value.code == 2
    assert "usage: contract-kit lint" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("document", "error"),
    [
        (
            'tool = "x"',
            'tool: expected a table ([tool] or [tool.contract-kit]), got the string "x"',
        ),
        (
            "[tool]\ncontract-kit = 3",
            "tool.contract-kit: expected a table ([tool.contract-kit]), got the number 3",
        ),
        (
            "[tool]\ncontract-kit = [1]",
            "tool.contract-kit: expected a table ([tool.contract-kit]), got an array",
        ),
        (
            '[tool.contract-kit]\nignore = "json"',
            "[tool.contract-kit] ignore: expected a list of strings, got 'json'",
        ),
        (
            '[tool.contract-kit]\nexclude = ["[z-a].json"]',
            (
                "[tool.contract-kit] exclude: glob '[z-a].json': the range z-a in [z-a] is "
                "backwards (z comes after a); write a-z"
            ),
        ),
        (
            '[tool.contract-kit.kinds]\n"offers/[9-0]*.json" = "fallback-offer"',
            (
                "[tool.contract-kit] kinds: glob 'offers/[9-0]*.json': the range 9-0 in [9-0] is "
                "backwards (9 comes after 0); write 0-9"
            ),
        ),
    ],
)
def test_a_malformed_tool_table_is_a_config_error(
    project: Path, capsys: pytest.CaptureFixture[str], document: str, error: str
) -> None:
    """A tool or tool.contract-kit that is not a table names the file, the key and what to write."""
    (project / "pyproject.toml").write_text(document + "\n", "utf-8")
    code, lines, err = _lint(capsys, "offers")
    assert err == f"contract-kit lint: error: {project / 'pyproject.toml'}: {error}\n"
    assert lines == []
    assert code == 2


def test_a_pyproject_that_is_not_utf8(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Latin-1 pyproject.toml is a config error at its first bad byte, not a traceback."""
    (project / "pyproject.toml").write_bytes(b'[project]\nname = "caf\xe9"\n')
    code, lines, err = _lint(capsys, "offers")
    assert err == (
        f"contract-kit lint: error: {project / 'pyproject.toml'}: not UTF-8: byte 0xe9 on line 2 "
        "cannot be decoded; TOML files are UTF-8: save it as UTF-8\n"
    )
    assert lines == []
    assert code == 2


@pytest.mark.usefixtures("project")
def test_a_backwards_range_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    """--exclude '[z-a]' is a usage error naming the glob, before any file is read."""
    code, lines, err = _lint(capsys, "--exclude", "[z-a]", "offers")
    assert err == (
        "contract-kit lint: error: glob '[z-a]': the range z-a in [z-a] is backwards "
        "(z comes after a); write a-z\n"
    )
    assert lines == []
    assert code == 2


def test_json_is_a_rule_that_can_be_ignored(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rule json (a recorded body that is not usable JSON) is a violation: ignored, it passes."""
    shutil.copy(CASES / "recording" / "invalid" / "repeated-member.yaml", project / "rec.yaml")
    code, lines, _ = _lint(capsys, "rec.yaml")
    assert _rules(lines) == ["json"]
    assert lines[-2] == "Found 1 violation in 1 of 1 file."
    assert code == 1
    assert _lint(capsys, "--ignore", "json", "rec.yaml")[:2] == (0, ["No violations in 1 file."])


def test_file_problem_ids_never_collide_with_rule_ids() -> None:
    """Rule ids hold no /, the ids of unchecked files and crashes all do: never the same id."""
    import re

    import contract_kit
    from contract_kit.lint.findings import CRASHES, FILE_PROBLEMS

    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", rule) for rule in contract_kit.rules())
    assert all(problem.startswith("unchecked/") for problem in FILE_PROBLEMS)
    assert all(crashed.startswith("crash/") for crashed in CRASHES)
