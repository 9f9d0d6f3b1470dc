"""Report a lint run as text for people, JSON for programs, or GitHub workflow annotations.

Every format lists the same findings in the same order: by file path, then by place in the
file. SARIF, the fourth format, has a module of its own (:mod:`contract_kit.lint.sarif`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from contract_kit.core.violation import display_pointer
from contract_kit.lint.findings import display_path

if TYPE_CHECKING:
    from contract_kit.lint.findings import Finding
    from contract_kit.lint.runner import LintRun

__all__ = ["github_report", "json_report", "text_report"]

_RESET = "\033[0m"
_BOLD = "\033[1m"
_RED = "\033[31m"
_GREEN = "\033[32m"
_YELLOW = "\033[33m"
_BLUE = "\033[34m"
_CYAN = "\033[36m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


class _Paint:
    def __init__(self, *, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *styles: str) -> str:
        return f"{''.join(styles)}{text}{_RESET}" if self.colour and styles else text


def _text_line(path: str, finding: Finding, paint: _Paint) -> str:
    span = finding.span
    where = f"{paint(display_path(path), _BOLD)}:{span.line}:{span.column}:"
    if finding.level == "note":
        return f"{where} {paint('note:', _BLUE)} {finding.message}"
    rule = paint(f"[{finding.rule}]", _RED if finding.is_file_problem else _YELLOW)
    if finding.is_file_problem:
        return f"{where} {finding.message} {rule}"
    pointer = paint(display_pointer(finding.pointer), _CYAN)
    return f"{where} {pointer}: {finding.message} {rule}"


def _headline(run: LintRun) -> tuple[str, bool]:
    """The summary line, and whether the run failed."""
    found = [(path, finding) for path, finding in run.findings()]
    violations = [path for path, finding in found if finding.is_violation]
    broken = {path for path, finding in found if finding.is_file_problem}
    skipped = {path for path, finding in found if finding.level == "note"}
    total = _plural(run.files, "file")
    if not violations and not broken:
        note = f" ({len(skipped)} skipped: not linted yet)" if skipped else ""
        return f"No violations in {total}{note}.", False
    if not violations:
        return f"{len(broken)} of {total} could not be checked.", True
    headline = f"Found {_plural(len(violations), 'violation')} in {len(set(violations))} of {total}"
    if broken:
        headline += f"; {_plural(len(broken), 'file')} could not be checked"
    return headline + ".", True


def _summary(run: LintRun, paint: _Paint) -> list[str]:
    headline, failed = _headline(run)
    if not failed:
        return [paint(headline, _BOLD, _GREEN)]
    lines = [paint(headline, _BOLD, _RED)]
    found = [finding for _, finding in run.findings()]
    violations = any(finding.is_violation for finding in found)
    broken = any(finding.is_file_problem for finding in found)
    hints = []
    if violations:
        hints.append(
            "each line reads file:line:column: JSON pointer: what is wrong [rule id]; a rule "
            "the real server does not enforce can be turned off with --ignore RULE, or with "
            'ignore = ["RULE"] under [tool.contract-kit] in pyproject.toml'
        )
    if broken:
        hints.append(
            "a file that cannot be read or parsed, or whose kind cannot be told, is not "
            "checked at all: fix it, name its kind with --kind, or leave it out with --exclude"
        )
    lines.append("Hint: " + ". Also: ".join(hints) + ".")
    return lines


def text_report(run: LintRun, *, colour: bool) -> str:
    """One line per finding (``file:line:column: pointer: message [rule]``), then a summary."""
    paint = _Paint(colour=colour)
    lines = [_text_line(path, finding, paint) for path, finding in run.findings()]
    if lines:
        lines.append("")
    lines.extend(_summary(run, paint))
    return "\n".join(lines) + "\n"


def _as_object(path: str, finding: Finding) -> dict[str, Any]:
    span = finding.span
    return {
        "file": display_path(path),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "pointer": finding.pointer,
        "message": finding.message,
        "rule": finding.rule,
        "kind": finding.kind,
        "level": finding.level,
    }


def json_report(run: LintRun) -> str:
    """A JSON array with one object per finding (see docs/lint.md for the members)."""
    objects = [_as_object(path, finding) for path, finding in run.findings()]
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_report(run: LintRun) -> str:
    """One GitHub Actions workflow command per finding (``::error file=…,line=…::…``)."""
    lines = []
    for path, finding in run.findings():
        span = finding.span
        command = "notice" if finding.level == "note" else "error"
        properties = {
            "file": display_path(path),
            "line": span.line,
            "col": span.column,
            "endLine": span.end_line,
            "endColumn": span.end_column,
            "title": f"contract-kit {finding.rule}",
        }
        listed = ",".join(
            f"{name}={_escape_property(str(value))}" for name, value in properties.items()
        )
        where = (
            ""
            if finding.is_file_problem or finding.level == "note"
            else display_pointer(finding.pointer) + ": "
        )
        lines.append(f"::{command} {listed}::{_escape_data(where + finding.message)}")
    return "".join(line + "\n" for line in lines)
