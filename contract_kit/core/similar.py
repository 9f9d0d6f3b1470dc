"""The choice a misspelt value most likely means: difflib's answer, at a fraction of its cost.

Messages suggest a name (``did you mean "xdm:status"?``) by the answer of
``difflib.get_close_matches(value, choices, n=1, cutoff)``: the highest similarity ratio at
or above the cutoff, the greatest choice among equals. difflib computes the full ratio of
every choice that passes its quick bounds, in Python; an unknown member among a kind's many
``xdm:`` names cost more than the rest of its check. :func:`most_similar` gives the same
answer (a property test holds it to difflib's) with the cheapest test first: it tries the
choices from the highest bound by length down and stops when no bound left can reach the
best ratio found; a choice whose characters in common with the value cannot reach it either
is passed over; only the others get the full ratio, whose longest common blocks are found by
substring search. The choices of one schema location can be prepared once (:class:`Names`),
so that a search among them skips the ordering. Values of 200 characters or more are left to
difflib, whose "popular element" heuristic then changes the ratio.
"""

from __future__ import annotations

from itertools import repeat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["Names", "most_similar", "ratio"]

#: From this length of the value on, difflib treats frequent characters as junk.
_AUTOJUNK = 200

#: The choices in the order they are tried, each with its bound: ``(bound, choice)``.
_Order = tuple[tuple[float, str], ...]


def _ratio(matches: int, length: int) -> float:
    return 2.0 * matches / length if length else 1.0  # difflib's own formula, to the bit


def _matches(a: str, b: str) -> int:
    """How many characters difflib's matching blocks of ``a`` and ``b`` cover.

    Each block is the longest common one of its span, earliest in ``a`` then in ``b``, as
    difflib's ``find_longest_match`` gives it when nothing is junk. It is found in one pass
    over ``a``: a block longer than the best so far starting at ``i`` has the best's length
    plus one as its prefix, and the earliest place of a longer block in ``b`` is never
    before the earliest place of its prefix.
    """
    total = 0
    pending = [(0, len(a), 0, len(b))]
    while pending:
        alo, ahi, blo, bhi = pending.pop()
        window = b[blo:bhi]
        size = start = where = 0
        i = alo
        while i + size < ahi:
            k = size + 1
            j = window.find(a[i : i + k])
            if j >= 0:
                while i + k < ahi:
                    longer = window.find(a[i : i + k + 1], j)
                    if longer < 0:
                        break
                    k, j = k + 1, longer
                size, start, where = k, i, j
            i += 1
        if size:
            total += size
            where += blo
            if alo < start and blo < where:
                pending.append((alo, start, blo, where))
            if start + size < ahi and where + size < bhi:
                pending.append((start + size, ahi, where + size, bhi))
    return total


def ratio(choice: str, value: str) -> float:
    """The ratio of difflib's ``SequenceMatcher(None, choice, value)``, for ``value`` under 200."""
    return _ratio(_matches(choice, value), len(choice) + len(value))


def _order(choices: Iterable[str], size: int) -> _Order:
    """``choices`` from the highest length bound on their ratio with a value of ``size`` down.

    Once a bound is below the best ratio found, so is every bound after it.
    """
    bounded = [(_ratio(min(len(c), size), len(c) + size), c) for c in choices]
    bounded.sort(reverse=True)
    return tuple(bounded)


#: What the bounds need of a choice: a table deleting its characters, and how often each is in it.
_Prepared = tuple[dict[int, None], list[tuple[str, int]]]


def _prepare(choice: str) -> _Prepared:
    return dict.fromkeys(map(ord, choice)), [(char, choice.count(char)) for char in set(choice)]


class Names:
    """The choices of one place (an enum, a schema location's members), prepared for searches.

    What a search needs of them is made once: the order in which a value tries them (it
    depends only on the value's length: made once per length), and each name's characters.
    A search among a kind's names then starts at its first candidate.
    """

    __slots__ = ("_orders", "_prepared", "names")

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        self._orders: dict[int, _Order] = {}
        self._prepared = {name: _prepare(name) for name in self.names}

    def order(self, size: int) -> _Order:
        """The names as a value of ``size`` characters tries them (see :func:`_order`)."""
        found = self._orders.get(size)
        if found is None:
            found = self._orders[size] = _order(self.names, size)
        return found

    def prepared(self, name: str) -> _Prepared:
        """What the bounds need of ``name``, one of the names."""
        return self._prepared[name]


def _tried(choices: Sequence[object] | Names, size: int) -> _Order | None:
    """The order a value of ``size`` tries ``choices`` in; None when difflib must answer."""
    if size >= _AUTOJUNK:
        return None
    if isinstance(choices, Names):
        return choices.order(size)
    if not all(map(isinstance, choices, repeat(str))):
        return None
    return _order(choices, size)  # type: ignore[arg-type] # all are strings


def most_similar(value: str, choices: Sequence[object] | Names, cutoff: float) -> str | None:
    """What ``difflib.get_close_matches(value, choices, n=1, cutoff=cutoff)`` names, or None."""
    size = len(value)
    order = _tried(choices, size)
    if order is None:
        return _by_difflib(value, choices.names if isinstance(choices, Names) else choices, cutoff)
    names = choices if isinstance(choices, Names) else None
    own: _Prepared | None = None  # the value's, for choices not prepared
    best: tuple[float, str] | None = None
    floor = cutoff
    for bound, choice in order:
        if bound < floor:
            break
        length = len(choice) + size
        if names is not None:
            reached = _may_reach(value, names.prepared(choice), length, floor)
        elif len(order) > 1:
            own = _prepare(value) if own is None else own
            reached = _may_reach(choice, own, length, floor)
        else:  # the one choice: its bounds would cost about what its ratio does
            reached = True
        if not reached:
            continue
        score = (_ratio(_matches(choice, value), length), choice)
        if score[0] >= cutoff and (best is None or score > best):
            best = score
            floor = max(cutoff, score[0])
    return best[1] if best is not None else None


def _may_reach(text: str, prepared: _Prepared, length: int, floor: float) -> bool:
    """Whether ``text`` and the choice or value ``prepared`` describes may reach ``floor``.

    ``length`` is the two lengths' sum. Two bounds on the characters they can share, cheapest
    first: those of ``text`` found in the other at all, then how often each is found in both.
    Each is compared as the ratio itself is, so a tie at the floor is never passed over.
    """
    table, counts = prepared
    if _ratio(len(text) - len(text.translate(table)), length) < floor:
        return False
    shared = 0
    for char, count in counts:
        found = text.count(char)
        shared += count if found > count else found  # noqa: FURB136 - min() costs a call
    return _ratio(shared, length) >= floor


def _by_difflib(value: str, choices: Sequence[object], cutoff: float) -> str | None:
    import difflib

    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=cutoff)  # type: ignore[type-var]
    return str(close[0]) if close else None
