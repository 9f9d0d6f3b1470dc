"""Read the members a table pointer names, as ``values_at`` does, at a third of its cost.

The store's checks read a kind's names, references and fallback on every write: each table
pointer is read by a walk compiled once, with no generator and the pointer text of each
step written once. :func:`references_in` is ``reference_values`` on these walks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from contract_kit.core.object_kinds import Reference, ReferenceValue, object_kind
from contract_kit.core.violation import escape_token

__all__ = ["members_at", "references_in"]

_Members = list[tuple[str, object]]


def members_at(instance: object, pointer: str) -> _Members:
    """``list(values_at(instance, pointer))``: each ``(concrete pointer, value)`` reached."""
    return _reader(pointer)(instance)


def references_in(kind: str, instance: object) -> list[ReferenceValue]:
    """``list(reference_values(kind, instance))``: each reference a ``kind`` body makes."""
    found = []
    for reference, read in _reference_readers(kind):
        named = read(instance)
        if named:
            kinds = reference.kinds_for(instance)
            found += [ReferenceValue(at, v, kinds) for at, v in named if isinstance(v, str)]
    return found


@functools.lru_cache(maxsize=64)
def _reference_readers(kind: str) -> tuple[tuple[Reference, Callable[[object], _Members]], ...]:
    """Each reference of ``kind`` with the walk of its pointer: read on every write."""
    return tuple((ref, _reader(ref.pointer)) for ref in object_kind(kind).references)


@functools.lru_cache(maxsize=256)
def _reader(pointer: str) -> Callable[[object], _Members]:
    """The walk of one table pointer (the table has a few dozen)."""
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]
    if "*" not in tokens:
        return _member_reader(tuple(tokens), "".join(f"/{escape_token(t)}" for t in tokens))
    steps = tuple((token, f"/{escape_token(token)}") for token in tokens)

    def read_all(instance: object) -> _Members:
        # One level at a time, each in order: the order of walking depth first.
        found: _Members = [("", instance)]
        for head, written in steps:
            reached: _Members = []
            if head == "*":
                for at, node in found:
                    if isinstance(node, list):
                        reached += [(f"{at}/{index}", item) for index, item in enumerate(node)]
            else:
                for at, node in found:
                    if _holds(node, head):
                        reached.append((at + written, node[head]))  # type: ignore[index]
            if not reached:
                return reached
            found = reached
        return found

    return read_all


def _member_reader(heads: tuple[str, ...], written: str) -> Callable[[object], _Members]:
    """A pointer without ``*`` names one member at most: read it down, key after key."""

    def read(node: object) -> _Members:
        for head in heads:
            if not _holds(node, head):
                return []
            node = node[head]  # type: ignore[index]
        return [(written, node)]

    return read


def _holds(node: object, head: str) -> bool:
    # A plain dict first: isinstance against the Mapping ABC costs more than the read.
    return (type(node) is dict or isinstance(node, Mapping)) and head in node
