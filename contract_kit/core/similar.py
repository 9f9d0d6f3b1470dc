"""The choice a misspelt value most likely means: difflib's answer, at a fraction of its cost.

Messages suggest a name (``did you mean "xdm:status"?``) by the answer of
``difflib.get_close_matches(value, choices, n=1, cutoff)``: the highest similarity ratio at
or above the cutoff, the greatest choice among equals. difflib computes the full ratio of
every choice that passes its quick bounds, in Python; an unknown member among a kind's many
``xdm:`` names cost more than the rest of its check. :func:`most_similar` gives the same
answer (a property test holds it to difflib's): it tries the choices from the highest bound
(by length) down, stops when no bound left can reach the best ratio found, and finds each
longest common block by substring search. Values of 200 characters or more are left to difflib,
whose "popular element" heuristic then changes the ratio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["most_similar", "ratio"]

#: From this length of the value on, difflib treats frequent characters as junk.
_AUTOJUNK = 200


def _ratio(matches: int, length: int) -> float:
    return 2.0 * matches / length if length else 1.0  # difflib's own formula, to the bit


def _longest(a: str, b: str, span: tuple[int, int, int, int]) -> tuple[int, int, int]:
    """The longest common block of ``a[alo:ahi]`` and ``b[blo:bhi]``: earliest in a, then in b.

    ``span`` is ``(alo, ahi, blo, bhi)``. The same block difflib's ``find_longest_match``
    returns when nothing is junk.
    """
    alo, ahi, blo, bhi = span
    window = b[blo:bhi]
    low, high = 0, min(ahi - alo, bhi - blo)
    found = (alo, blo, 0)
    while low < high:  # a common block of length k means one of every shorter length
        size = (low + high + 1) // 2
        for i in range(alo, ahi - size + 1):
            j = window.find(a[i : i + size])
            if j >= 0:
                low, found = size, (i, blo + j, size)  # the earliest in a of this size
                break
        else:
            high = size - 1
    return found


def _matches(a: str, b: str) -> int:
    """How many characters difflib's matching blocks of ``a`` and ``b`` cover."""
    total = 0
    pending = [(0, len(a), 0, len(b))]
    while pending:
        span = alo, ahi, blo, bhi = pending.pop()
        i, j, size = _longest(a, b, span)
        if size:
            total += size
            if alo < i and blo < j:
                pending.append((alo, i, blo, j))
            if i + size < ahi and j + size < bhi:
                pending.append((i + size, ahi, j + size, bhi))
    return total


def ratio(choice: str, value: str) -> float:
    """The ratio of difflib's ``SequenceMatcher(None, choice, value)``, for ``value`` under 200."""
    return _ratio(_matches(choice, value), len(choice) + len(value))


def _counts(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for char in text:
        found[char] = found.get(char, 0) + 1
    return found


def most_similar(value: str, choices: Sequence[object], cutoff: float) -> str | None:
    """What ``difflib.get_close_matches(value, choices, n=1, cutoff=cutoff)`` names, or None."""
    size = len(value)
    # Tried from the highest length bound down: once a bound is below the best ratio found,
    # so is every bound after it.
    bounded: list[tuple[float, str]] = []
    for choice in choices:
        if not isinstance(choice, str) or size >= _AUTOJUNK:
            return _by_difflib(value, choices, cutoff)
        bounded.append((_ratio(min(len(choice), size), len(choice) + size), choice))
    bounded.sort(reverse=True)
    wanted: dict[str, int] | None = None
    best: tuple[float, str] | None = None
    for bound, choice in bounded:
        floor = cutoff if best is None else max(cutoff, best[0])
        if bound < floor:
            break
        wanted = _counts(value) if wanted is None else wanted
        shared = 0
        for char, count in wanted.items():
            shared += min(choice.count(char), count)
        if _ratio(shared, len(choice) + size) < floor:  # never above the characters shared
            continue
        found = (ratio(choice, value), choice)
        if found[0] >= cutoff and (best is None or found > best):
            best = found
    return best[1] if best is not None else None


def _by_difflib(value: str, choices: Sequence[object], cutoff: float) -> str | None:
    import difflib

    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=cutoff)  # type: ignore[type-var]
    return str(close[0]) if close else None
