"""Read what a table pointer names: each ``(concrete pointer, value)`` it reaches, in order.

The kind table's pointers are RFC 6901 with ``*`` for every item of an array. The store reads
a kind's names, references and fallback on every write, so each pointer is turned once into a
walk (the table has a few dozen): no generator, and the text of each step written once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from contract_kit.core.violation import escape_token

__all__ = ["Members", "values_at"]

#: What a walk reaches: each value with the concrete pointer it sits at, in document order.
Members = list[tuple[str, object]]


def values_at(instance: object, pointer: str) -> Members:
    """Each ``(concrete pointer, value)`` a table pointer (``*`` = every item) reaches.

    Stars expand in document order, nested ones depth first; a missing member, a star on a
    non-list or a name on a non-object reaches nothing.
    """
    return walk(pointer)(instance)


@functools.lru_cache(maxsize=256)
def walk(pointer: str) -> Callable[[object], Members]:
    """The walk of one table pointer, made on its first use."""
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]
    if "*" not in tokens:
        return _member_walk(tuple(tokens), "".join(f"/{escape_token(t)}" for t in tokens))
    steps = tuple((token, f"/{escape_token(token)}") for token in tokens)

    def read_all(instance: object) -> Members:
        # One level at a time, each in order: the order of walking depth first.
        found: Members = [("", instance)]
        for head, written in steps:
            reached: Members = []
            if head == "*":
                for at, node in found:
                    if isinstance(node, list):
                        reached += [(f"{at}/{index}", item) for index, item in enumerate(node)]
            else:
                for at, node in found:
                    # A plain dict first: isinstance against the Mapping ABC costs more than
                    # the read. Written out, not called: every write reads several pointers.
                    if (type(node) is dict or isinstance(node, Mapping)) and head in node:
                        reached.append((at + written, node[head]))
            if not reached:
                return reached
            found = reached
        return found

    return read_all


def _member_walk(heads: tuple[str, ...], written: str) -> Callable[[object], Members]:
    """A pointer without ``*`` names one member at most: read it down, key after key."""

    def read(node: object) -> Members:
        for head in heads:
            if type(node) is dict:
                if head not in node:
                    return []
            elif not (isinstance(node, Mapping) and head in node):
                return []
            node = node[head]
        return [(written, node)]

    return read
