"""What linting one file finds: contract violations placed in the file, and file problems.

A *file problem* means the file could not be checked at all (it cannot be read, is not JSON
or YAML, or its kind is unknown); it makes the command exit with 2 and cannot be ignored.
A *violation* breaks a rule of the contract; it makes the command exit with 1 unless its rule
is ignored. A *note* (a recording, which is not linted yet) changes no exit code.
"""

from __future__ import annotations

import os
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple

from contract_kit.documents.limits import MAX_DEPTH, MAX_FILE_BYTES, Span

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "FILE_PROBLEMS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "NOTES",
    "FileResult",
    "Finding",
    "Level",
    "Span",
    "display_path",
]


#: The ids under which file problems are reported, with what each means.
FILE_PROBLEMS: Mapping[str, str] = MappingProxyType(
    {
        "file": "The path cannot be read as a file: missing, a directory, a FIFO or device, a "
        "broken symbolic link, part of a directory loop, unreadable, or larger than 10 MiB.",
        "json": "The file is not one JSON document: a syntax error, a byte order mark, invalid "
        "UTF-8, NaN or Infinity, a duplicated member name, or nesting deeper than 256 levels.",
        "yaml": "The file is not one YAML document with a JSON value: a syntax error, invalid "
        "UTF-8, a duplicated key, a key that is not a string, a tag or value JSON does not "
        "have, an alias cycle or alias bomb, or nesting deeper than 256 levels.",
        "kind": "Which kind of payload the file holds cannot be told from its content: name it "
        "with --kind or [tool.contract-kit.kinds].",
    }
)

#: The ids of notes: findings that change no exit code.
NOTES: Mapping[str, str] = MappingProxyType(
    {"not-linted": "The file was recognised as a kind of document that is not checked yet."}
)

Level = Literal["error", "note"]


class Finding(NamedTuple):
    """One thing to report about a file, at a place in it."""

    span: Span
    pointer: str
    message: str
    rule: str
    kind: str | None
    level: Level = "error"

    @property
    def is_file_problem(self) -> bool:
        """Whether the file could not be checked at all (exit code 2)."""
        return self.level == "error" and self.rule in FILE_PROBLEMS

    @property
    def is_violation(self) -> bool:
        """Whether this breaks a rule of the contract (exit code 1)."""
        return self.level == "error" and self.rule not in FILE_PROBLEMS


class FileResult(NamedTuple):
    """Everything found in one file (nothing at all for a clean file)."""

    path: str
    findings: tuple[Finding, ...] = ()


def display_path(path: str) -> str:
    r"""A path as printed: ``/`` separators, and undecodable bytes as ``\xNN`` escapes."""
    shown = os.fsencode(path).decode("utf-8", "backslashreplace")
    return shown.replace(os.sep, "/") if os.sep != "/" else shown
