"""Choices inside a draw, made with strategies built once.

Hypothesis validates every strategy object the first time it is drawn from, and validating
costs more than drawing: a ``sampled_from`` of a list made in the draw, or a
``permutations`` of it, is a new object each time. These helpers draw integers from cached
``integers`` strategies instead, the choices those strategies make themselves, so draws
shrink as before: to the first item, to the order given.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, TypeVar

from hypothesis import strategies as st

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hypothesis.strategies import DrawFn, SearchStrategy

__all__ = ["between", "pick", "shuffled"]

T = TypeVar("T")


@functools.cache
def _integers(low: int, high: int) -> SearchStrategy[int]:
    return st.integers(low, high)


def between(draw: DrawFn, low: int, high: int) -> int:
    """An integer from ``low`` to ``high``, both included (shrinks to ``low``)."""
    return draw(_integers(low, high))


def pick(draw: DrawFn, items: Sequence[T]) -> T:
    """One of ``items``, as ``sampled_from`` picks it (shrinks to the first)."""
    if len(items) == 1:
        return items[0]
    return items[draw(_integers(0, len(items) - 1))]


def shuffled(draw: DrawFn, items: Sequence[T]) -> list[T]:
    """``items`` in some order, as ``permutations`` shuffles them (shrinks to the order given)."""
    found = list(items)
    for i in range(len(found) - 1):
        j = draw(_integers(i, len(found) - 1))
        found[i], found[j] = found[j], found[i]
    return found
