"""Which stored kind plays which part in a decision, read from the table of object kinds.

A decision (activity) has criteria that name placements and a collection, and a fallback; a
collection names offers or tags; an offer may name an eligibility rule. The kinds are found
by the members that make those references, so no kind is named here.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from contract_kit.core.object_kinds import object_kinds

__all__ = ["Roles", "roles"]


class Roles(NamedTuple):
    """The kind names of each part of a decision."""

    activity: str
    placement: str
    collection: str
    offer: str
    fallback: str
    rule: str


def _named_at(pointer: str) -> tuple[str, tuple[str, ...]]:
    """The kind that references at ``pointer``, and the kinds it may name there."""
    for kind in object_kinds():
        for reference in kind.references:
            if reference.pointer == pointer:
                return kind.name, reference.kinds
    msg = f"object-kinds.json: no kind references at {pointer}"
    raise LookupError(msg)


@functools.cache
def roles() -> Roles:
    """The kinds of a decision's parts (computed once)."""
    activity, placements = _named_at("/xdm:criteria/*/xdm:placements/*")
    _, collections = _named_at("/xdm:criteria/*/xdm:optionSelection/xdm:filter")
    _, fallbacks = _named_at("/xdm:fallback")
    offer, rules = _named_at("/xdm:selectionConstraint/xdm:eligibilityRule")
    return Roles(activity, placements[0], collections[0], offer, fallbacks[0], rules[0])
