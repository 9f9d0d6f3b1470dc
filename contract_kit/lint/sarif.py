"""Report a lint run as SARIF 2.1.0, for code scanning and other SARIF viewers.

One run, with every id described (the contract's rules, the file problems and the crashes)
and columns declared as Unicode code points (``columnKind``), which is how contract-kit counts
them. A crash marks the invocation as not successful.
Paths inside the current folder are relative to ``%SRCROOT%`` (that folder); others are
absolute ``file:`` URIs. A finding's JSON pointer is its logical location.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from contract_kit.core.rule_catalogue import RULES, severity_of
from contract_kit.lint.escaping import json_text
from contract_kit.lint.findings import CRASHES, FILE_PROBLEMS

if TYPE_CHECKING:
    from contract_kit.lint.findings import Finding
    from contract_kit.lint.runner import LintRun

__all__ = ["SARIF_SCHEMA", "sarif_report"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_ROOT = "%SRCROOT%"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("contract-kit")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree never installed
        return "0+unknown"


def _rules() -> list[dict[str, Any]]:
    described = {**RULES, **FILE_PROBLEMS, **CRASHES}
    return [
        {
            "id": rule,
            "shortDescription": {"text": summary},
            # A file problem or a crash is not a rule id: severity_of calls it an error.
            "defaultConfiguration": {"level": severity_of(rule)},
        }
        for rule, summary in described.items()
    ]


def _artifact(path: str, cwd: str) -> dict[str, str]:
    absolute = os.path.abspath(path)  # noqa: PTH100 - resolve() would follow links and rename
    relative = os.path.relpath(absolute, cwd) if absolute.startswith(cwd + os.sep) else None
    if relative is not None:
        return {"uri": quote(os.fsencode(relative.replace(os.sep, "/"))), "uriBaseId": _ROOT}
    posix = absolute.replace(os.sep, "/")
    return {"uri": "file://" + quote(os.fsencode(posix if posix.startswith("/") else "/" + posix))}


def _result(path: str, finding: Finding, index: dict[str, int], cwd: str) -> dict[str, Any]:
    span = finding.span
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": _artifact(path, cwd),
            "region": {
                "startLine": span.line,
                "startColumn": span.column,
                "endLine": span.end_line,
                "endColumn": span.end_column,
            },
        }
    }
    if finding.pointer:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.pointer, "kind": "member"}]
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": finding.severity,
        "message": {"text": finding.message},
        "locations": [location],
        "properties": {
            "pointer": finding.pointer,
            "kind": finding.kind,
            "category": finding.category,
        },
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    return result


def sarif_report(run: LintRun) -> str:
    """The SARIF 2.1.0 log of the run, as JSON text."""
    cwd = str(Path.cwd())
    rules = _rules()
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    found = run.findings()
    results = [_result(path, finding, index, cwd) for path, finding in found]
    succeeded = not any(finding.is_crash for _, finding in found)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "contract-kit",
                        "version": _version(),
                        "informationUri": "https://pypi.org/project/contract-kit/",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    _ROOT: {"uri": "file://" + quote(os.fsencode(cwd.replace(os.sep, "/"))) + "/"}
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [{"executionSuccessful": succeeded, "exitCode": run.exit_code}],
                "results": results,
            }
        ],
    }
    return json_text(log) + "\n"
