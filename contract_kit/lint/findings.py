"""What linting one file finds, in three categories that never share an id.

A *violation* breaks a rule of the contract (an id of :func:`contract_kit.rules`); one of an
``error`` rule makes the command exit with 1 unless its rule is ignored, one of a ``warning``
rule is reported and makes it exit with 1 only when strict. A file that *could not be checked* (it
cannot be read, is not JSON or YAML, or its kind is unknown) makes it exit with 2 and cannot
be ignored. A *crash* means contract-kit itself failed on the file (a bug, or a worker process
that died); it makes it exit with 3, so that CI never reads a crash as a verdict on the file.

The ids of the last two are hierarchical (``unchecked/json``, ``crash/worker``) and rule ids
never hold a ``/`` (a test keeps it so), so no id is ever both a rule and a file problem.
"""

from __future__ import annotations

import os
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple

from contract_kit.core.rule_catalogue import severity_of
from contract_kit.documents.limits import MAX_DEPTH, MAX_FILE_BYTES, Span

if TYPE_CHECKING:
    from collections.abc import Mapping

    from contract_kit.core.rule_catalogue import Severity

__all__ = [
    "CRASHES",
    "EXIT_CODES",
    "FILE_PROBLEMS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Category",
    "FileResult",
    "Finding",
    "Span",
    "crash",
    "display_path",
    "unchecked",
]

Category = Literal["violation", "unchecked", "crash"]

#: The exit code each category of finding calls for; the highest found wins.
EXIT_CODES: Mapping[Category, int] = MappingProxyType({"violation": 1, "unchecked": 2, "crash": 3})

#: The ids of files that could not be checked, with what each means.
FILE_PROBLEMS: Mapping[str, str] = MappingProxyType(
    {
        "unchecked/file": "The path cannot be read as a file: missing, a directory, a FIFO or "
        "device, a broken symbolic link, part of a directory loop, unreadable, or larger than "
        "10 MiB.",
        "unchecked/json": "The file is not one JSON document: a syntax error, a byte order mark, "
        "invalid UTF-8, NaN or Infinity, a duplicated member name, or nesting deeper than 256 "
        "levels.",
        "unchecked/yaml": "The file is not one YAML document with a JSON value: a syntax error, "
        "invalid UTF-8, a duplicated key, a key that is not a string, a tag or value JSON does "
        "not have, an alias cycle, more than 1,000,000 values, or nesting deeper than 256 levels.",
        "unchecked/kind": "Which kind of payload the file holds cannot be told from its content: "
        "name it with --kind or [tool.contract-kit.kinds].",
    }
)

#: The ids of files contract-kit failed on, with what each means.
CRASHES: Mapping[str, str] = MappingProxyType(
    {
        "crash/exception": "contract-kit raised an unexpected exception on the file: a bug in "
        "contract-kit, not a verdict on the file.",
        "crash/worker": "The worker process linting the file died (killed, or out of memory) "
        "before it reported: the file was not checked.",
    }
)


class Finding(NamedTuple):
    """One thing to report about a file, at a place in it."""

    span: Span
    pointer: str
    message: str
    rule: str  # a rule id for a violation; an id of FILE_PROBLEMS or CRASHES otherwise
    kind: str | None
    category: Category = "violation"

    @property
    def is_file_problem(self) -> bool:
        """Whether the file could not be checked at all (exit code 2)."""
        return self.category == "unchecked"

    @property
    def is_violation(self) -> bool:
        """Whether this breaks a rule of the contract (exit code 1)."""
        return self.category == "violation"

    @property
    def severity(self) -> Severity:
        """The rule's severity; a file not checked, or a crash, is always an error."""
        return severity_of(self.rule) if self.is_violation else "error"

    @property
    def fails(self) -> bool:
        """Whether this finding makes the run fail without strict mode."""
        return self.severity == "error"

    @property
    def is_crash(self) -> bool:
        """Whether contract-kit itself failed on the file (exit code 3)."""
        return self.category == "crash"


def unchecked(problem: str, message: str, span: Span | None = None) -> Finding:
    """The finding of a file that could not be checked (``problem``: the part after ``/``)."""
    rule = f"unchecked/{problem}"
    if rule not in FILE_PROBLEMS:  # pragma: no cover - the callers name known problems
        raise ValueError(f"not a file problem: {problem!r}")
    return Finding(span or Span(), "", message, rule, None, "unchecked")


def crash(what: str, message: str) -> Finding:
    """The finding of a file contract-kit failed on (``what``: the part after ``/``)."""
    rule = f"crash/{what}"
    if rule not in CRASHES:  # pragma: no cover - the callers name known crashes
        raise ValueError(f"not a crash: {what!r}")
    return Finding(Span(), "", message, rule, None, "crash")


class FileResult(NamedTuple):
    """Everything found in one file (nothing at all for a clean file)."""

    path: str
    findings: tuple[Finding, ...] = ()


def display_path(path: str) -> str:
    r"""A path as printed: ``/`` separators, undecodable bytes as ``\xNN``, ``-`` as ``<stdin>``."""
    if path == "-":
        return "<stdin>"
    shown = os.fsencode(path).decode("utf-8", "backslashreplace")
    return shown.replace(os.sep, "/") if os.sep != "/" else shown
