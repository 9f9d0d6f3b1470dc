"""A parsed file: its value, and where each JSON pointer of it is in the text (on demand).

Both syntaxes answer the same questions through :class:`Tree`: what a node holds and where it
is. :class:`Source` walks a pointer down a tree once a file has findings; files without
findings never pay for positions.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, NamedTuple, Protocol

from contract_kit.core.violation import split_pointer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.documents.limits import Span

__all__ = ["Lines", "Member", "ParseProblemError", "Source", "Tree", "undecodable"]


class ParseProblemError(Exception):
    """The file is not one document of its syntax; ``offset`` is where, in code points."""

    def __init__(
        self, message: str, offset: int = 0, *, line_column: tuple[int, int] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.line_column = line_column


def undecodable(data: bytes, error: UnicodeDecodeError) -> ParseProblemError:
    """The problem of a file that is not UTF-8, placed at its first undecodable byte."""
    before = data[: error.start].decode("utf-8")
    message = (
        f"the file is not UTF-8: byte 0x{data[error.start]:02x} cannot be decoded; save it as UTF-8"
    )
    return ParseProblemError(message, line_column=Lines(before).at(len(before)))


class Lines:
    """Turns offsets in a text into 1-based lines and columns (in code points)."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        index = text.find("\n")
        while index >= 0:
            self._starts.append(index + 1)
            index = text.find("\n", index + 1)

    def at(self, offset: int) -> tuple[int, int]:
        """The line and column of ``offset``."""
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


class Member(NamedTuple):
    """One member of an object (``name`` and where that is) or one item of an array."""

    name: str | None
    name_span: Span | None
    node: object


class Tree(Protocol):
    """The nodes of one parsed file, as :class:`Source` needs them."""

    def root(self) -> object:
        """The node of the whole document."""
        ...

    def children(self, node: object) -> Sequence[Member] | None:
        """Members of an object, items of an array (names None), or None for a scalar."""
        ...

    def span(self, node: object) -> Span:
        """Where the node is: a scalar whole, a container by its first character."""
        ...

    def string(self, node: object) -> str | None:
        """The text of a string scalar node, None for any other node."""
        ...


class Source:
    """A parsed file and its tree; :meth:`span` places a finding."""

    def __init__(self, value: object, tree: Tree) -> None:
        self.value = value
        self.tree = tree

    def span(self, pointer: str, rule: str = "", *, headers: bool = False) -> Span:
        """Where ``pointer`` is; the deepest existing node on its way if it is missing.

        A missing member is so placed at the object that lacks it; an unknown member
        (``unknown-key``) at its name. With ``headers`` names match without regard to case and
        a pair ``[name, value]`` is a member, so a header file may be an object or pairs; a
        ``duplicate-header`` is placed at the second header of that name.
        """
        node = self.tree.root()
        name_span: Span | None = None
        for token in split_pointer(pointer):
            found = self._child(node, token, headers=headers, second=rule == "duplicate-header")
            if found is None:
                return self.tree.span(node)
            node, name_span = found.node, found.name_span
        if rule == "unknown-key" and name_span is not None:
            return name_span
        return self.tree.span(node)

    def _child(self, node: object, name: str, *, headers: bool, second: bool) -> Member | None:
        children = self.tree.children(node)
        if children is None:
            return None
        if headers:
            return self._header(children, name, second=second)
        if children and children[0].name is None:
            if not (name.isdigit() and (name == "0" or not name.startswith("0"))):
                return None
            index = int(name)
            return children[index] if index < len(children) else None
        return next((member for member in children if member.name == name), None)

    def _header(self, children: Sequence[Member], lowered: str, *, second: bool) -> Member | None:
        matches = []
        for member in children:
            if member.name is not None:
                if member.name.lower() == lowered:
                    matches.append(member)
                continue
            pair = self.tree.children(member.node)  # a [name, value] pair
            if pair is not None and len(pair) == 2:
                name = self.tree.string(pair[0].node)
                if name is not None and name.lower() == lowered:
                    matches.append(Member(name, self.tree.span(pair[0].node), pair[1].node))
        if not matches:
            return None
        return matches[1] if second and len(matches) > 1 else matches[0]
