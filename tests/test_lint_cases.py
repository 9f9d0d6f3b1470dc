"""The lint example folders, in every output format: each file reports exactly what it expects.

``tests/lint_cases/<kind>/valid`` holds files with no violation, ``<kind>/invalid`` files whose
findings are listed, one ``line:column: severity: pointer: message [rule]`` a line (a file
that cannot be checked has no severity or pointer), in the ``<file>.expected`` beside them (``recording`` holds cassettes); ``problems`` holds files that
cannot be checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from contract_kit.cli import main
from contract_kit.core.violation import display_pointer
from contract_kit.lint.findings import FILE_PROBLEMS

CASES = Path(__file__).parent / "lint_cases"
ROOT = Path(__file__).parent.parent
FORMATS = ("text", "json", "github", "sarif")
_GITHUB = re.compile(
    r"::(?P<level>error|warning) file=(?P<file>[^,]*),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=\d+,endColumn=\d+,title=contract-kit (?P<rule>[a-z/-]+)::(?P<message>.*)"
)


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in the expected output are relative to the repository root."""
    monkeypatch.chdir(ROOT)


def _payloads(*folders: str) -> list[Path]:
    return sorted(
        path
        for folder in folders
        for path in CASES.glob(folder)
        if path.suffix in {".json", ".yaml", ".yml"}
    )


VALID = _payloads("*/valid/*")
WITH_FINDINGS = _payloads("*/invalid/*", "problems/*")


def _id(path: Path) -> str:
    return str(path.relative_to(CASES))


def _expected(path: Path) -> list[str]:
    return path.with_name(path.name + ".expected").read_text("utf-8").splitlines()


def _expected_code(path: Path) -> int:
    """2 for a file not checked; 1 for one with an error; 0 for warnings only (not strict)."""
    if path.parent.name == "problems":
        return 2
    return 1 if any(": error: " in line for line in _expected(path)) else 0


def _line(
    line: int, column: int, pointer: str, message: str, rule: str, category: str, level: str
) -> str:
    if category != "violation":
        assert rule in FILE_PROBLEMS, rule
        assert level == "error", level
        return f"{line}:{column}: {message} [{rule}]"
    return f"{line}:{column}: {level}: {display_pointer(pointer)}: {message} [{rule}]"


def _lint(capsys: pytest.CaptureFixture[str], output_format: str, *paths: Path) -> tuple[int, str]:
    arguments = [str(path.relative_to(ROOT)) for path in paths]
    code = main(["lint", "--color", "never", "--format", output_format, *arguments])
    return code, capsys.readouterr().out


def _findings(output_format: str, output: str) -> list[tuple[str, str]]:
    """The (file, finding line) pairs an output holds, whatever its format."""
    if output_format == "text":
        listing = output.split("\n\n", maxsplit=1)[0] if "\n\n" in output else ""
        return [tuple(line.split(":", 1)) for line in listing.splitlines()]  # type: ignore[misc]
    if output_format == "json":
        return [
            (
                o["file"],
                _line(
                    o["line"],
                    o["column"],
                    o["pointer"],
                    o["message"],
                    o["rule"],
                    o["category"],
                    o["severity"],
                ),
            )
            for o in json.loads(output)
        ]
    if output_format == "github":
        found = []
        for annotation in output.splitlines():
            match = _GITHUB.fullmatch(annotation)
            assert match is not None, annotation
            severity = f"{match['level']}: " if "/" not in match["rule"] else ""
            prefix = f"{match['line']}:{match['col']}: {severity}"
            message = match["message"].replace("%0A", "\n").replace("%25", "%")
            found.append((match["file"], f"{prefix}{message} [{match['rule']}]"))
        return found
    run: dict[str, Any] = json.loads(output)["runs"][0]
    found = []
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        region = physical["region"]
        rendered = _line(
            region["startLine"],
            region["startColumn"],
            result["properties"]["pointer"],
            result["message"]["text"],
            result["ruleId"],
            result["properties"]["category"],
            result["level"],
        )
        found.append((physical["artifactLocation"]["uri"], rendered))
    return found


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_file_is_clean(
    capsys: pytest.CaptureFixture[str], path: Path, output_format: str
) -> None:
    """A valid example file of each kind, JSON or YAML, exits 0 with nothing reported."""
    code, output = _lint(capsys, output_format, path)
    assert code == 0
    assert _findings(output_format, output) == []
    if output_format == "text":
        assert output == "No violations in 1 file.\n"


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("path", WITH_FINDINGS, ids=_id)
def test_file_reports_exactly_its_expected_findings(
    capsys: pytest.CaptureFixture[str], path: Path, output_format: str
) -> None:
    """Each finding is at its expected line and column, with its pointer, message and rule id."""
    code, output = _lint(capsys, output_format, path)
    relative = str(path.relative_to(ROOT))
    found = _findings(output_format, output)
    assert [line for _, line in found] == _expected(path)
    assert {file for file, _ in found} == {relative}
    assert code == _expected_code(path)


@pytest.mark.parametrize("path", WITH_FINDINGS, ids=_id)
def test_json_output_names_the_kind(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    """Each JSON finding names the kind checked: the folder's, none for a file never checked."""
    _, output = _lint(capsys, "json", path)
    kinds = {finding["kind"] for finding in json.loads(output)}
    folder = path.parent.parent.name
    expected = None if path.parent.name == "problems" else folder
    assert kinds == {expected}


@pytest.mark.parametrize("output_format", FORMATS)
def test_the_whole_folder_in_one_run(
    capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    """Linting the folder lists every file's findings, ordered by file path, then place."""
    code, output = _lint(capsys, output_format, CASES)
    expected = [
        (str(path.relative_to(ROOT)), line)
        for path in sorted(WITH_FINDINGS, key=lambda path: path.relative_to(CASES).parts)
        for line in _expected(path)
    ]
    assert _findings(output_format, output) == expected
    assert code == 2


def test_every_kind_has_valid_and_invalid_files() -> None:
    """No kind goes unlinted by the example folders."""
    import contract_kit

    for kind in [*contract_kit.kinds(), "recording"]:
        assert list((CASES / kind / "valid").iterdir()), kind
        assert list((CASES / kind / "invalid").glob("*.expected")), kind


def test_every_file_with_findings_lists_them() -> None:
    """Each invalid and problem file has its .expected, and nothing else has one."""
    listed = {path.with_suffix("") for path in CASES.glob("**/*.expected")}
    assert listed == set(WITH_FINDINGS)
