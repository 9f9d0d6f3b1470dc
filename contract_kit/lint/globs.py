"""Glob patterns for --include, --exclude and the per-glob kinds of the configuration.

A pattern without ``/`` matches one path component, whatever the folder (``*.json``,
``node_modules``); a pattern with ``/`` matches the path relative to the project root, from its
start (``offers/**/*.json``). ``*`` and ``?`` stay within a component; ``**`` as a whole
component spans any number of them (at the end, at least one: ``offers/**`` is what is inside
``offers``); ``**`` inside a component is ``*``. ``[...]`` is a character class (``[!...]`` its
complement).

Matching never backtracks without bound, whatever the pattern: a component is matched by the
standard library's :func:`fnmatch.translate` (whose regular expressions use atomic groups), and
the components of a path against a pattern's by one greedy pass that returns to the last
``**`` only, so the cost is at most (components of the path) x (components of the pattern).
Patterns without ``/`` are joined into one regular expression, so a walk of ten thousand files
is filtered fast.
"""

from __future__ import annotations

import fnmatch
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["Glob", "GlobError", "GlobSet"]

#: A component ``**``: any number of path components.
_ANY_COMPONENTS = None
_ONE_COMPONENT = re.compile(fnmatch.translate("*"))

_Token = re.Pattern[str] | None


class GlobError(ValueError):
    """A glob pattern that cannot be read (an empty one, an unclosed ``[``, a backwards range)."""


def _class_end(pattern: str, start: int) -> int:
    """The index of the ``]`` closing the class opened at ``start``, read as fnmatch reads it."""
    index = start + 1
    if pattern.startswith("!", index):
        index += 1
    if pattern.startswith("]", index):  # a ] first in a class is one of its characters
        index += 1
    return pattern.find("]", index)


def _check(pattern: str) -> None:
    """Refuse an unclosed ``[`` and a range whose ends are the wrong way round."""
    index = pattern.find("[")
    while index >= 0:
        close = _class_end(pattern, index)
        if close < 0:
            raise GlobError(f"glob {pattern!r}: the [ at position {index + 1} is not closed")
        body = pattern[index + 1 : close]
        at = 1 if body.startswith("!") else 0
        while at < len(body):
            if at + 2 < len(body) and body[at + 1] == "-":
                low, high = body[at], body[at + 2]
                if low > high:
                    raise GlobError(
                        f"glob {pattern!r}: the range {low}-{high} in "
                        f"{pattern[index : close + 1]} is backwards ({low} comes after {high}); "
                        f"write {high}-{low}"
                    )
                at += 3
            else:
                at += 1
        index = pattern.find("[", close + 1)


def _component(part: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(part))


def _tokens(body: str) -> tuple[_Token, ...]:
    """One matcher per component, a run of ``**`` as one, a final ``**`` as one or more."""
    tokens: list[_Token] = []
    for part in body.split("/"):
        if part == "**":
            if not tokens or tokens[-1] is not _ANY_COMPONENTS:
                tokens.append(_ANY_COMPONENTS)
        else:
            tokens.append(_component(part))
    if len(tokens) > 1 and tokens[-1] is _ANY_COMPONENTS:
        tokens.insert(-1, _ONE_COMPONENT)
    return tuple(tokens)


def _matches(tokens: Sequence[_Token], parts: Sequence[str]) -> bool:
    """Whether the path components ``parts`` match, in one greedy pass.

    Each ``**`` first takes no component; on a mismatch the last ``**`` takes one more and the
    pass resumes after it. An earlier ``**`` never needs to take more: a later one can take
    whatever it would have.
    """
    token = part = 0
    star, star_part = -1, 0
    while part < len(parts):
        if token < len(tokens) and tokens[token] is _ANY_COMPONENTS:
            star, star_part = token, part
            token += 1
            continue
        matcher = tokens[token] if token < len(tokens) else None
        if matcher is not None and matcher.match(parts[part]):
            token += 1
            part += 1
        elif star >= 0:
            star_part += 1
            token, part = star + 1, star_part
        else:
            return False
    return all(rest is _ANY_COMPONENTS for rest in tokens[token:])


class Glob:
    """One pattern, checked and compiled when it is made."""

    __slots__ = ("_tokens", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        if not self.body:
            raise GlobError(f"glob {pattern!r} matches nothing")
        _check(pattern)
        self._tokens = _tokens(self.body) if self.anchored else ()

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

    def matches_parts(self, parts: Sequence[str]) -> bool:
        """Whether an anchored pattern matches the path of components ``parts``."""
        return _matches(self._tokens, parts)


def _union(globs: Iterable[Glob]) -> re.Pattern[str] | None:
    alternatives = [f"(?:{fnmatch.translate(glob.body)})" for glob in globs]
    return re.compile("|".join(alternatives)) if alternatives else None


def _plain(globs: Sequence[Glob]) -> tuple[tuple[str, ...], frozenset[str]] | None:
    """The endings and the names the globs are, if each is ``*`` and a literal, or a literal.

    As the default globs are (``*.json``, ``.git``): a name matches one of them when it ends
    so or is so, which ``str.endswith`` and a set tell in a fraction of a regular
    expression's time (a walk asks it of every file). None if a glob is any other.
    """
    endings: list[str] = []
    names: set[str] = set()
    for glob in globs:
        body = glob.body
        rest = body.removeprefix("*")
        if glob.anchored or any(char in rest for char in "*?["):
            return None
        if rest == body:
            names.add(body)
        else:
            endings.append(rest)
    return tuple(endings), frozenset(names)


class GlobSet:
    """Several patterns, matched as one."""

    def __init__(self, globs: Iterable[Glob]) -> None:
        self.globs = tuple(globs)
        self._names = _union(glob for glob in self.globs if not glob.anchored)
        self._paths = tuple(glob for glob in self.globs if glob.anchored)
        self._plain = _plain(self.globs)

    def _matches(self, name: str, parts: Sequence[str]) -> bool:
        return bool(self._names is not None and self._names.match(name)) or any(
            glob.matches_parts(parts) for glob in self._paths
        )

    def matches_entry(self, name: str, relative: str) -> bool:
        """Whether one entry met in a walk matches: by its name, or by its whole path."""
        if not self._paths:  # the usual set (no glob with a /): one expression for every name
            return self._names is not None and self._names.match(name) is not None
        return self._matches(name, relative.split("/"))

    def matching_entries(self, names: list[str], prefix: str) -> list[str]:
        """The ``names`` (one folder's entries, each at ``prefix`` + name) that match, in order.

        :meth:`matches_entry` for each, in one comprehension: a walk asks it of every file.
        """
        if self._plain is not None:
            endings, plain = self._plain
            if not plain:
                return [name for name in names if name.endswith(endings)]
            return [name for name in names if name in plain or name.endswith(endings)]
        if not self._paths:
            if self._names is None:
                return []
            match = self._names.match
            return [name for name in names if match(name)]
        return [name for name in names if self._matches(name, (prefix + name).split("/"))]

    def matches_path(self, relative: str) -> bool:
        """Whether the ``/``-separated path, or a folder on the way to it, matches."""
        parts = relative.split("/")
        return any(self._matches(part, parts[: end + 1]) for end, part in enumerate(parts))
