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

__all__ = ["ARM", "arm_chains", "dispatch_arms", "dispatched", "failures", "has_arms"]

#: Marks an ``(ARM, arm)`` pair among the ``(site, member)`` pairs a draw must hold: the
#: dispatch arm (by where its keywords start) the draw takes, so the site under it occurs.
ARM = "#arm"

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


def _inner(keyword: str, node: Node, value: object) -> list[tuple[str, Node]]:
    """Failures below a structural keyword (members and items of a condition on an object)."""
    schema = node.schema
    if keyword == "required":
        missing = isinstance(value, dict) and any(name not in value for name in schema[keyword])
        return [(keyword, node)] if missing else []
    if keyword == "properties" and isinstance(value, dict):
        return [
            found
            for name in schema[keyword]
            if name in value
            for found in failures(chain(node.child(keyword, name)), value[name])
        ]
    if keyword == "items" and isinstance(value, list):
        return [found for item in value for found in failures(chain(node.child("items")), item)]
    if keyword == "minItems" and isinstance(value, list) and len(value) < int(schema[keyword]):
        return [(keyword, node)]
    return []


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
        elif keyword in {"required", "properties", "items", "minItems"}:
            found.extend(_inner(keyword, node, value))
        elif keyword == "const":
            found.extend([(keyword, node)] if value != expected else [])
        elif _fails(keyword, expected, value):
            found.append((keyword, node))
    return found


def dispatch_arms(nodes: Chain) -> list[tuple[Chain, Chain]] | None:
    """The ``(condition, object schema)`` arms of an ``if``/``then``/``else`` chain over kinds.

    A page's results are such a chain: each item is checked as the kind its ``schemas`` names.
    None when the chain is not one (a value-level condition, or one on an object's own members).
    """
    found: list[tuple[Chain, Chain]] = []
    current = nodes
    while True:
        holder = next((node for node in current if "if" in node.schema), None)
        if holder is None or any("properties" in node.schema for node in current):
            return found or None
        if set(holder.schema["if"]) == {"type", "required"}:
            return None  # a body's bare-or-HAL branch, which the strategies read as a branch
        then = chain(holder.child("then"))
        if not any("properties" in node.schema for node in then):
            return None
        found.append((chain(holder.child("if")), then))
        if "else" not in holder.schema:
            return found
        current = chain(holder.child("else"))


def dispatched(nodes: Chain, value: object) -> Chain | None:
    """The arm of a dispatch chain that checks ``value``, if one does."""
    for condition, arm in dispatch_arms(nodes) or ():
        if not failures(condition, value):
            return arm
    return None


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
