"""Glob patterns for --include, --exclude and the per-glob kinds of the configuration.

A pattern without ``/`` matches one path component, whatever the folder (``*.json``,
``node_modules``); a pattern with ``/`` matches the path relative to the project root, from its
start (``offers/**/*.json``). ``*`` and ``?`` stay within a component, ``**`` spans any number
of them, ``[...]`` is a character class (``[!...]`` its complement). A set of patterns is
compiled into one regular expression, so a folder of ten thousand files is filtered fast.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Glob", "GlobError", "GlobSet"]


class GlobError(ValueError):
    """A glob pattern that cannot be read (an empty one, or an unclosed ``[``)."""


def _translate(pattern: str) -> str:
    parts: list[str] = []
    index, size = 0, len(pattern)
    while index < size:
        char = pattern[index]
        if pattern.startswith("**/", index):
            parts.append("(?:[^/]*/)*")
            index += 3
        elif pattern.startswith("**", index):
            parts.append(".*")
            index += 2
        elif char in "*?":
            parts.append("[^/]*" if char == "*" else "[^/]")
            index += 1
        elif char == "[":
            close = pattern.find("]", index + 2)
            if close < 0:
                raise GlobError(f"glob {pattern!r}: the [ at position {index + 1} is not closed")
            body = pattern[index + 1 : close]
            negate = body.startswith("!")
            body = body.removeprefix("!").replace("\\", "\\\\").replace("^", "\\^")
            parts.append(f"[{'^/' if negate else ''}{body}]")
            index = close + 1
        else:
            parts.append(re.escape(char))
            index += 1
    return "".join(parts)


class Glob:
    """One pattern, checked when it is made."""

    __slots__ = ("pattern",)

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        if not self.body:
            raise GlobError(f"glob {pattern!r} matches nothing")
        re.compile(_translate(self.body))

    def __repr__(self) -> str:
        return f"Glob({self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Glob) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    @property
    def body(self) -> str:
        """The pattern without a leading ``./`` or surrounding ``/``."""
        return self.pattern.removeprefix("./").strip("/")

    @property
    def anchored(self) -> bool:
        """Whether the pattern names a path from the root (it has a ``/``), not a component."""
        return "/" in self.body


def _union(globs: Iterable[Glob]) -> re.Pattern[str] | None:
    alternatives = [f"(?:{_translate(glob.body)})" for glob in globs]
    return re.compile("|".join(alternatives)) if alternatives else None


class GlobSet:
    """Several patterns, matched as one."""

    def __init__(self, globs: Iterable[Glob]) -> None:
        self.globs = tuple(globs)
        self._names = _union(glob for glob in self.globs if not glob.anchored)
        self._paths = _union(glob for glob in self.globs if glob.anchored)

    def matches_entry(self, name: str, relative: str) -> bool:
        """Whether one entry met in a walk matches: by its name, or by its whole path."""
        return bool(
            (self._names is not None and self._names.fullmatch(name))
            or (self._paths is not None and self._paths.fullmatch(relative))
        )

    def matches_path(self, relative: str) -> bool:
        """Whether the ``/``-separated path, or a folder on the way to it, matches."""
        parts = relative.split("/")
        return any(
            self.matches_entry(part, "/".join(parts[: end + 1])) for end, part in enumerate(parts)
        )
