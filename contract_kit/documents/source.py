"""A parsed file: its value, and where each JSON pointer of it is in the text (on demand).

Both syntaxes answer the same questions through :class:`Tree`: what a node holds and where it
is. :class:`Source` walks a pointer down a tree once a file has findings; files without
findings never pay for positions.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, NamedTuple, Protocol

from contract_kit.core.violation import is_index, split_pointer

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

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
    """Turns offsets in a text into 1-based lines and columns (in code points).

    The first few offsets are counted straight from the text, which costs less than listing
    where every line starts; from then on, the list answers each in O(log lines).
    """

    _COUNTED = 8  # offsets counted from the text before the line starts are listed

    def __init__(self, text: str) -> None:
        self._text = text
        self._asked = 0
        self._starts: list[int] | None = None

    def at(self, offset: int) -> tuple[int, int]:
        """The line and column of ``offset``."""
        if self._starts is None:
            if self._asked < self._COUNTED:
                self._asked += 1
                text = self._text
                return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
            self._starts = self._line_starts()
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def _line_starts(self) -> list[int]:
        text = self._text
        starts = [0]
        index = text.find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = text.find("\n", index + 1)
        return starts


class Member(NamedTuple):
    """One member of an object (``name`` and the node of that name) or one item of an array."""

    name: str | None
    name_node: object | None  # placed by the tree's span, as any node, when a finding is there
    node: object


class Tree(Protocol):
    """The nodes of one parsed file, as :class:`Source` needs them (nodes are hashable)."""

    def root(self) -> object:
        """The node of the whole document."""
        ...

    def children(self, node: object) -> Iterable[Member] | None:
        """Members of an object, items of an array (names None), or None for a scalar.

        In order, read as they are taken: a lookup stops at the member it looks for.
        """
        ...

    def span(self, node: object) -> Span:
        """Where the node is: a scalar whole, a container by its first character."""
        ...

    def string(self, node: object) -> str | None:
        """The text of a string scalar node, None for any other node."""
        ...


class _Children:
    """One container's members, read as far as a lookup needs, each name indexed once read.

    Any number of lookups read each member at most once, so the first finding in a large
    object costs the members before it, and all findings together the object once.
    """

    __slots__ = ("_by_lowered", "_by_name", "_unread", "members")

    def __init__(self, members: Iterable[Member]) -> None:
        self._unread: Iterator[Member] | None = iter(members)
        self.members: list[Member] = []  # those read so far, in order
        self._by_name: dict[str, Member] = {}
        self._by_lowered: dict[str, list[Member]] | None = None

    def _read(self) -> Member | None:
        """The next member, now indexed; None at the end."""
        member = None if self._unread is None else next(self._unread, None)
        if member is None:
            self._unread = None
            return None
        self.members.append(member)
        if member.name is not None:
            self._by_name.setdefault(member.name, member)
        return member

    def first(self) -> Member | None:
        """The first member (an array's items have no names)."""
        return self.members[0] if self.members else self._read()

    def named(self, name: str) -> Member | None:
        """The first member called ``name``."""
        found = self._by_name.get(name)
        while found is None and (member := self._read()) is not None:
            if member.name == name:
                found = member
        return found

    def item(self, index: int) -> Member | None:
        """The item at ``index``."""
        while len(self.members) <= index and self._read() is not None:
            pass
        return self.members[index] if index < len(self.members) else None

    def headers(self, tree: Tree) -> dict[str, list[Member]]:
        """Members by lower-cased name, ``[name, value]`` pairs read as members, in order."""
        if self._by_lowered is None:
            while self._read() is not None:
                pass
            self._by_lowered = {}
            for member in self.members:
                if member.name is not None:
                    self._by_lowered.setdefault(member.name.lower(), []).append(member)
                    continue
                pair = tree.children(member.node)
                items = None if pair is None else list(pair)
                if items is not None and len(items) == 2:
                    name = tree.string(items[0].node)
                    if name is not None:
                        header = Member(name, items[0].node, items[1].node)
                        self._by_lowered.setdefault(name.lower(), []).append(header)
        return self._by_lowered


class Source:
    """A parsed file and its tree; :meth:`span` places a finding.

    Each container is listed and indexed once, the first time a pointer passes through it,
    so placing n findings costs time linear in n and in the size of the file, not their product.
    """

    def __init__(self, value: object, tree: Tree) -> None:
        self.value = value
        self.tree = tree
        self._children: dict[object, _Children | None] = {}

    def span(self, pointer: str, rule: str = "", *, headers: bool = False) -> Span:
        """Where ``pointer`` is; the deepest existing node on its way if it is missing.

        A missing member is so placed at the object that lacks it; an unknown member
        (``unknown-key``) at its name. With ``headers`` names match without regard to case and
        a pair ``[name, value]`` is a member, so a header file may be an object or pairs; a
        ``duplicate-header`` is placed at the second header of that name.
        """
        node, name_node, whole = self._walk(pointer, headers=headers, rule=rule)
        if whole and rule == "unknown-key" and name_node is not None:
            return self.tree.span(name_node)
        return self.tree.span(node)

    def node(self, pointer: str) -> object | None:
        """The node ``pointer`` names, or None if the file has none there."""
        node, _, whole = self._walk(pointer, headers=False, rule="")
        return node if whole else None

    def _walk(self, pointer: str, *, headers: bool, rule: str) -> tuple[object, object, bool]:
        """The deepest node on the way to ``pointer``, its name's node, and if it is the end."""
        node = self.tree.root()
        name_node: object = None
        for token in split_pointer(pointer):
            found = self._child(node, token, headers=headers, second=rule == "duplicate-header")
            if found is None:
                return node, name_node, False
            node, name_node = found.node, found.name_node
        return node, name_node, True

    def _indexed(self, node: object) -> _Children | None:
        if node not in self._children:
            members = self.tree.children(node)
            self._children[node] = None if members is None else _Children(members)
        return self._children[node]

    def _child(self, node: object, name: str, *, headers: bool, second: bool) -> Member | None:
        children = self._indexed(node)
        if children is None:
            return None
        if headers:
            matches = children.headers(self.tree).get(name)
            if not matches:
                return None
            return matches[1] if second and len(matches) > 1 else matches[0]
        first = children.first()
        if first is not None and first.name is None:
            if not (is_index(name) and (name == "0" or not name.startswith("0"))):
                return None
            return children.item(int(name))
        return children.named(name)
