"""Values under a value-level ``if``/``then``/``else``: which arm holds, and what fails in it.

A channel that names the older XDM form, a media type with parameters, a collection member id
that is a tag's or an offer's: the schemas say these with conditions on the value itself. The
strategies draw such a value from the arms that can produce one, keep what the whole chain
admits, and break it with near misses that fail exactly one keyword of one arm, whose rule
the schema names. Only the keywords a leaf value carries are read here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_kit.core.formats import FORMATS, ecma
from contract_kit.strategies.schema import Node, chain, keywords

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator

    from contract_kit.strategies.schema import Chain

__all__ = ["arm_chains", "failures", "has_arms"]

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}


def _typed(value: object, name: str) -> bool:
    if isinstance(value, bool) and name in {"integer", "number"}:
        return False
    return isinstance(value, _TYPES.get(name, ()))


def _fails(keyword: str, expected: Any, value: object) -> bool:
    """Whether one leaf keyword refuses ``value`` (keywords that do not apply to it pass)."""
    if keyword == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        return not any(_typed(value, name) for name in names)
    if keyword == "enum":
        return value not in expected
    if not isinstance(value, str):
        return False
    if keyword == "pattern":
        return ecma(expected).search(value) is None
    if keyword == "format":
        return expected in FORMATS and not FORMATS[expected](value)
    if keyword == "minLength":
        return len(value) < int(expected)
    return False


def has_arms(nodes: Chain) -> bool:
    """Whether a leaf chain holds an ``if`` other than the ``minLength`` one of a text member."""
    return any("if" in node.schema and set(node.schema["if"]) != {"minLength"} for node in nodes)


def failures(nodes: Chain, value: object) -> list[tuple[str, Node]]:
    """Each keyword of the chain that refuses ``value``, with the node holding it (for its rule)."""
    found: list[tuple[str, Node]] = []
    for keyword, expected, node in keywords(nodes):
        if keyword in {"then", "else"}:
            continue
        if keyword == "if":
            arm = "else" if failures(chain(node.child("if")), value) else "then"
            if arm in node.schema:
                found.extend(failures(chain(node.child(arm)), value))
        elif _fails(keyword, expected, value):
            found.append((keyword, node))
    return found


def _sources(nodes: Chain) -> Iterator[Chain]:
    for node in nodes:
        if "if" not in node.schema:
            continue
        for arm in ("then", "else"):
            if arm in node.schema:
                below = chain(node.child(arm))
                yield below
                yield from _sources(below)


def arm_chains(nodes: Chain, drawn: Collection[str]) -> list[Chain]:
    """The ``then``/``else`` chains (at any depth) that name their values.

    An enum does, and so does a pattern whose rule is in ``drawn`` (those the strategies draw
    by construction). A bare pattern does not: an arm that only tells how a value must be
    written (the older channel form) draws values its own condition refuses.
    """
    return [
        below
        for below in _sources(nodes)
        if any(
            keyword == "enum" or (keyword == "pattern" and node.schema.get("x-rule") in drawn)
            for keyword, _, node in keywords(below)
        )
    ]
