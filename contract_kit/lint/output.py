"""Report a lint run as text for people, JSON for programs, or GitHub workflow annotations.

Every format lists the same findings in the same order: by file path, then by place in the
file. SARIF, the fourth format, has a module of its own (:mod:`contract_kit.lint.sarif`). What
comes from a file is escaped in every format (:mod:`contract_kit.lint.escaping`).
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from contract_kit.core.messages import plural
from contract_kit.core.violation import display_pointer
from contract_kit.lint.escaping import json_safe, json_text, printable
from contract_kit.lint.findings import display_path

if TYPE_CHECKING:
    from collections.abc import Iterator

    from contract_kit.lint.findings import Finding
    from contract_kit.lint.runner import LintRun

__all__ = [
    "github_report",
    "json_report",
    "json_report_parts",
    "json_summary_report",
    "text_report",
]

_RESET = "\033[0m"
_BOLD = "\033[1m"
_RED = "\033[31m"
_GREEN = "\033[32m"
_YELLOW = "\033[33m"
_CYAN = "\033[36m"


class _Paint:
    def __init__(self, *, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *styles: str) -> str:
        return f"{''.join(styles)}{text}{_RESET}" if self.colour and styles else text


def _text_line(path: str, finding: Finding, paint: _Paint) -> str:
    span = finding.span
    where = f"{paint(printable(display_path(path)), _BOLD)}:{span.line}:{span.column}:"
    message = printable(finding.message)
    if not finding.is_violation:
        return f"{where} {message} {paint(f'[{finding.rule}]', _RED)}"
    # "error:" or "warning:" after the place, as compilers print it: editors and grep know it.
    severity = paint(f"{finding.severity}:", _RED if finding.fails else _YELLOW)
    pointer = paint(printable(display_pointer(finding.pointer)), _CYAN)
    return f"{where} {severity} {pointer}: {message} {paint(f'[{finding.rule}]', _YELLOW)}"


def _counts(violations: list[Finding]) -> str:
    """``3 violations`` if all are errors, ``3 violations (2 errors, 1 warning)``, ``1 warning``."""
    warnings = sum(not finding.fails for finding in violations)
    total = plural(len(violations), "violation")
    if not warnings:
        return total
    errors = len(violations) - warnings
    if not errors:
        return plural(warnings, "warning")
    return f"{total} ({plural(errors, 'error')}, {plural(warnings, 'warning')})"


def _headline(run: LintRun) -> tuple[str, bool]:
    """The summary line, and whether the run failed."""
    found = run.findings()
    violations = [(path, finding) for path, finding in found if finding.is_violation]
    broken = {path for path, finding in found if finding.is_file_problem}
    crashed = {path for path, finding in found if finding.is_crash}
    total = plural(run.files, "file")
    if not violations and not broken and not crashed:
        return f"No violations in {total}.", False
    parts = []
    if violations:
        violated = len({path for path, _ in violations})
        counted = _counts([finding for _, finding in violations])
        parts.append(f"Found {counted} in {violated} of {total}")
    if broken:
        parts.append(
            f"{plural(len(broken), 'file')} could not be checked"
            if parts
            else f"{len(broken)} of {total} could not be checked"
        )
    if crashed:
        parts.append(
            f"contract-kit failed on {plural(len(crashed), 'file')}"
            if parts
            else f"contract-kit failed on {len(crashed)} of {total}"
        )
    return "; ".join(parts) + ".", run.exit_code != 0


def _summary(run: LintRun, paint: _Paint) -> list[str]:
    headline, failed = _headline(run)
    found = [finding for _, finding in run.findings()]
    if not found:
        return [paint(headline, _BOLD, _GREEN)]
    lines = [paint(headline, _BOLD, _RED if failed else _YELLOW)]
    violations = any(finding.is_violation for finding in found)
    warnings = any(finding.is_violation and not finding.fails for finding in found)
    broken = any(finding.is_file_problem for finding in found)
    crashed = any(finding.is_crash for finding in found)
    hints = []
    if violations:
        hints.append(
            "each line reads file:line:column: severity: JSON pointer: what is wrong [rule id]; "
            "a rule can be turned off with --ignore RULE, or with "
            'ignore = ["RULE"] under [tool.contract-kit] in pyproject.toml'
        )
    if warnings:
        hints.append(
            "a warning is what the service takes: it fails the run only with --strict, or "
            "strict = true under [tool.contract-kit]"
        )
    if broken:
        hints.append(
            "a file that cannot be read or parsed, or whose kind cannot be told, is not "
            "checked at all: fix it, name its kind with --kind, or leave it out with --exclude"
        )
    if crashed:
        hints.append(
            "a crash is contract-kit failing, not a verdict on the file (exit code 3): run "
            "again, and if it happens again report it with the file"
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
        "category": finding.category,
        "kind": finding.kind,
        "severity": finding.severity,
        "level": finding.severity,
    }


def _json_object(path: str, finding: Finding) -> str:
    """:func:`_as_object` as dumped by :func:`json_text`, one level deeper, written directly.

    The same text as the dump (a test holds them equal) at a fraction of its cost: the
    standard library dumps indented JSON in Python, member by member.
    """
    span = finding.span
    severity = encode_basestring(finding.severity)
    kind = "null" if finding.kind is None else encode_basestring(finding.kind)
    members = (
        f'"file": {encode_basestring(display_path(path))}',
        f'"line": {span.line:d}',
        f'"column": {span.column:d}',
        f'"end_line": {span.end_line:d}',
        f'"end_column": {span.end_column:d}',
        f'"pointer": {encode_basestring(finding.pointer)}',
        f'"message": {encode_basestring(finding.message)}',
        f'"rule": {encode_basestring(finding.rule)}',
        f'"category": {encode_basestring(finding.category)}',
        f'"kind": {kind}',
        f'"severity": {severity}',
        f'"level": {severity}',
    )
    return json_safe("{\n    " + ",\n    ".join(members) + "\n  }")


def json_report(run: LintRun) -> str:
    """A JSON array with one object per finding (see docs/lint.md for the members)."""
    return "".join(json_report_parts(run))


def json_report_parts(run: LintRun) -> Iterator[str]:
    """:func:`json_report` in pieces, one per finding, to be written as they come.

    The text is the same as the whole array dumped at once, each object written as the dump
    indents it.
    """
    found = run.findings()
    if not found:
        yield "[]\n"
        return
    for number, (path, finding) in enumerate(found):
        yield ("[\n  " if number == 0 else ",\n  ") + _json_object(path, finding)
    yield "\n]\n"


def json_summary_report(run: LintRun) -> str:
    """One JSON object: ``summary`` (counts, exit code, headline) and the ``findings`` array.

    A format of its own, so that consumers of ``--format json`` (an array) keep working.
    """
    found = run.findings()
    violations = [(path, finding) for path, finding in found if finding.is_violation]
    rules: dict[str, int] = {}
    for _, finding in violations:
        rules[finding.rule] = rules.get(finding.rule, 0) + 1
    warnings = sum(not finding.fails for _, finding in violations)
    summary = {
        "files": run.files,
        "violations": len(violations),
        "errors": len(violations) - warnings,
        "warnings": warnings,
        "strict": run.strict,
        "files_with_violations": len({path for path, _ in violations}),
        "files_not_checked": len({path for path, f in found if f.is_file_problem}),
        "files_crashed": len({path for path, f in found if f.is_crash}),
        "rules": dict(sorted(rules.items())),
        "exit_code": run.exit_code,
        "headline": _headline(run)[0],
    }
    findings = [_as_object(path, finding) for path, finding in found]
    return json_text({"summary": summary, "findings": findings}) + "\n"


def _escape_data(text: str) -> str:
    text = printable(text, line_breaks=True)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_report(run: LintRun) -> str:
    """One GitHub Actions workflow command per finding (``::error file=…,line=…::…``).

    A warning is a ``::warning`` command, so the annotation shows as one.
    """
    lines = []
    for path, finding in run.findings():
        span = finding.span
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
        where = display_pointer(finding.pointer) + ": " if finding.is_violation else ""
        command = finding.severity
        lines.append(f"::{command} {listed}::{_escape_data(where + finding.message)}")
    return "".join(line + "\n" for line in lines)
