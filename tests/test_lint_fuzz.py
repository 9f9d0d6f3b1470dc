"""Random bytes and mutated payload files never crash the linter or its reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from draw_budgets import quick_and_long
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_kit.lint.file_lint import LintOptions, lint_file
from contract_kit.lint.output import github_report, json_report, text_report
from contract_kit.lint.runner import LintRun
from contract_kit.lint.sarif import sarif_report

CASES = Path(__file__).parent / "lint_cases"
SEEDS = sorted(
    path.read_bytes()
    for path in CASES.glob("*/*/*")
    if path.suffix in {".json", ".yaml"} and path.parent.name in {"valid", "invalid"}
)
_BUG = "this is a bug in contract-kit"


@st.composite
def _mutations(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["insert", "delete", "replace", "repeat", "truncate"]))
        chunk = draw(
            st.binary(min_size=1, max_size=4)
            | st.sampled_from(
                [
                    b'"',
                    b"{",
                    b"[",
                    b"]",
                    b"}",
                    b",",
                    b":",
                    b"\\u",
                    b"&a",
                    b"*a",
                    b"\n-",
                    b"NaN",
                    b"\xc3",
                ]
            )
        )
        if operation == "insert":
            data[position:position] = chunk
        elif operation == "delete":
            del data[position : position + len(chunk)]
        elif operation == "replace":
            data[position : position + len(chunk)] = chunk
        elif operation == "repeat":
            data[position:position] = data[position : position + 40]
        else:
            del data[position:]
    return bytes(data)


def _check(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzzed{suffix}"
    path.write_bytes(data)
    result = lint_file(str(path), LintOptions())
    assert all(_BUG not in finding.message for finding in result.findings), result
    run = LintRun((result,) if result.findings else (), 1)
    assert run.exit_code in {0, 1, 2}
    for report in (
        text_report(run, colour=True),
        json_report(run),
        github_report(run),
        sarif_report(run),
    ):
        report.encode("utf-8")


_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("draws", quick_and_long(100, 1000))
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_random_bytes(tmp_path: Path, suffix: str, draws: int) -> None:
    """Any bytes at all, read as JSON or as YAML, give findings, never an exception."""

    @settings(_SETTINGS, max_examples=draws)
    @given(data=st.binary(max_size=200))
    def check(data: bytes) -> None:
        _check(tmp_path, data, suffix)

    check()


@pytest.mark.parametrize("draws", quick_and_long(100, 1000))
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_mutated_payloads(tmp_path: Path, suffix: str, draws: int) -> None:
    """Payload files with bytes inserted, deleted, replaced or cut give findings, never a crash."""

    @settings(_SETTINGS, max_examples=draws)
    @given(data=_mutations())
    def check(data: bytes) -> None:
        _check(tmp_path, data, suffix)

    check()
