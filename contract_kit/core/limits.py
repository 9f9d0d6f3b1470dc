"""What the checks read and list, at most: how deep, how long an integer, how many violations.

Past these limits an instance is not explained further, so no input, however hostile, makes a
check recurse without bound, print a number Python refuses to print, or build a report
nobody reads. Each limit is reported as a violation, never raised.
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING

from contract_kit.core.messages import integer_digits, plural
from contract_kit.core.violation import Violation, join_pointer, sort_violations

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPLAINED",
    "beyond_limits",
    "capped",
    "digits_bound",
    "digits_limit",
    "too_deep",
    "too_long",
]

#: Arrays and objects nested deeper than this are not checked (payloads nest about ten deep).
#: The same limit as ``contract_kit.documents.limits.MAX_DEPTH``, which reads files (a test
#: holds the two equal).
MAX_DEPTH = 256
#: The violations of one instance listed one by one; the rest are counted per rule.
MAX_EXPLAINED = 1000


def digits_limit() -> int:
    """How many digits an integer may have for Python to print it (0: no limit).

    Python's json module refuses longer integers, and jsonschema-rs reads them as null.
    """
    return sys.get_int_max_str_digits()


def digits_bound() -> int:
    """The smallest integer with more digits than :func:`digits_limit` allows (0: no limit)."""
    return _bound(digits_limit())


@functools.cache
def _bound(limit: int) -> int:
    """Costly to compute (a power of ten of thousands of digits): once per limit."""
    return 10**limit if limit else 0


def too_deep() -> str:
    """Why a value nested past :data:`MAX_DEPTH` is not checked."""
    return (
        f"nesting deeper than {MAX_DEPTH} levels of arrays and objects, which contract_kit "
        "does not check (a payload nests about ten deep)"
    )


def too_long(digits: int) -> str:
    """Why an integer of ``digits`` digits is not checked."""
    return (
        f"an integer of {digits} digits is too large to check: contract_kit reads integers of "
        f"up to {digits_limit()} digits, as Python's json module does"
    )


class _Place:
    """A node's place as a chain to its parent, so a walk never copies a path per node."""

    __slots__ = ("parent", "token")

    def __init__(self, parent: _Place | None, token: str | int) -> None:
        self.parent = parent
        self.token = token

    def pointer(self) -> str:
        tokens: list[str | int] = []
        place: _Place | None = self
        while place is not None:
            tokens.append(place.token)
            place = place.parent
        return join_pointer(reversed(tokens))


def beyond_limits(value: object) -> list[Violation]:
    """Where ``value`` goes past what the checks read, each place as a ``json`` violation.

    The first container nested past :data:`MAX_DEPTH` on each branch (nothing below it is
    looked at), and every integer too long for Python to print. Iterative: any depth is safe.
    """
    bound = digits_bound()
    found: list[Violation] = []
    pending: list[tuple[object, _Place | None, int]] = [(value, None, 0)]
    while pending:
        node, place, depth = pending.pop()
        if isinstance(node, dict | list | tuple):
            if depth >= MAX_DEPTH:
                found.append(Violation(place.pointer() if place else "", too_deep(), "json"))
                continue
            items = node.items() if isinstance(node, dict) else enumerate(node)
            pending.extend((child, _Place(place, key), depth + 1) for key, child in items)
        elif bound and isinstance(node, int) and not -bound < node < bound:
            where = place.pointer() if place else ""
            found.append(Violation(where, too_long(integer_digits(node)), "json"))
    return found


def capped(violations: list[Violation]) -> list[Violation]:
    """The first :data:`MAX_EXPLAINED` of sorted ``violations``, then one count per rule left.

    Each count is a violation of its rule at the first place left out, so selecting or
    ignoring a rule keeps or drops its count with it; the result stays in order.
    """
    if len(violations) <= MAX_EXPLAINED:
        return violations
    left: dict[str, list[Violation]] = {}
    for violation in violations[MAX_EXPLAINED:]:
        left.setdefault(violation.rule, []).append(violation)
    return sort_violations([*violations[:MAX_EXPLAINED], *_counts(left.values())])


def _counts(groups: Iterable[list[Violation]]) -> Iterable[Violation]:
    return (
        Violation(
            group[0].pointer,
            f"{plural(len(group), 'more violation')} of this rule from here on "
            f"{'is' if len(group) == 1 else 'are'} not listed: contract_kit lists the first "
            f"{MAX_EXPLAINED} violations of an instance",
            group[0].rule,
        )
        for group in groups
    )
