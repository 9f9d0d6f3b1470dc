"""When each code rule certainly reports nothing, said more cheaply than running the rule.

Most checked instances are valid, so :mod:`contract_kit.core.valid_path` asks each rule of
:mod:`contract_kit.core.code_rules` only whether it would be silent: by conditions
jsonschema-rs checks in the same call as the kind's schema, or by a predicate that builds no
violation. A silence may be stricter than its rule (an instance failing it is then checked by
the rule itself), never looser: a test draws instances, rules broken, to hold each one to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from contract_kit.core.code_rules import CONTAINERS, before
from contract_kit.core.object_kinds import values_at
from contract_kit.core.violation import split_pointer

if TYPE_CHECKING:
    from collections.abc import Callable

    from contract_kit.core.object_kinds import DateRange, Guardrail

__all__ = [
    "Silence",
    "container_types_silence",
    "date_order_silence",
    "date_range_silence",
    "duplicate_placements_silence",
    "guardrails_silence",
    "recommended_members_silence",
]


class Silence(NamedTuple):
    """When a code rule certainly reports nothing on an instance of its kind's schema.

    Both parts must hold: the instance meets ``schema`` (a JSON Schema, checked with the kind's
    own; None: no condition) and ``holds(instance)`` is true (None: no condition).
    """

    schema: dict[str, Any] | None = None
    holds: Callable[[object], bool] | None = None


def _enveloped(inner: dict[str, Any]) -> dict[str, Any]:
    """``inner`` applied where the rules look: in ``_instance``, if present (``fallback_instance``).

    Only applicator keywords, each vacuous on a value of another type, as the rules skip such
    values; and no ``properties`` a sibling ``unevaluatedProperties`` could see (the kind's
    schema is a separate branch of the same ``allOf``).
    """
    return {
        "if": {"required": ["_instance"]},
        "then": {"properties": {"_instance": inner}},
        "else": inner,
    }


def _inner(body: object) -> object:
    """The instance a rule reads in a body (``fallback_instance``), cheaper on a dict."""
    if type(body) is dict:
        return body.get("_instance", body)
    if isinstance(body, Mapping) and "_instance" in body:
        return body["_instance"]
    return body


def _distinct_placements(body: object) -> bool:
    instance = _inner(body)
    if type(instance) is not dict:
        return not isinstance(instance, Mapping)  # another mapping: let the rule read it
    representations = instance.get("xdm:representations")
    if type(representations) is not list:
        return not isinstance(representations, list)  # a list subclass: let the rule read it
    if len(representations) < 2:
        return True
    seen: set[str] = set()
    for representation in representations:
        if type(representation) is dict:
            placement = representation.get("xdm:placement")
        elif isinstance(representation, Mapping):
            return False
        else:
            continue
        if isinstance(placement, str):
            if placement in seen:
                return False
            seen.add(placement)
    return True


def duplicate_placements_silence() -> Silence:
    """No placement is named twice among the representations."""
    return Silence(holds=_distinct_placements)


def recommended_members_silence() -> Silence:
    """The representations are there, not empty, and each names its channel and components."""
    representation = {
        "required": ["xdm:channel"],
        "properties": {"xdm:components": {"not": {"const": []}}},
    }
    representations = {"not": {"enum": [None, []]}, "items": representation}
    return Silence(
        schema=_enveloped(
            {
                "required": ["xdm:representations"],
                "properties": {"xdm:representations": representations},
            }
        )
    )


def container_types_silence() -> Silence:
    """Every listed container's ``_instance`` says its type."""
    container = {"properties": {"_instance": {"required": ["containerType"]}}}
    listed = {"properties": {CONTAINERS: {"items": container}}}
    return Silence(schema={"properties": {"_embedded": listed}})


def _not_before(later: object, earlier: object) -> bool:
    """``not before(later, earlier)``, most often read from the text alone.

    Two date-times of the same shape (same length, ``T`` and ``Z``) in text order are in
    time order too, or one is no date-time and orders nothing; otherwise both are parsed.
    """
    if (
        type(later) is str
        and type(earlier) is str
        and later >= earlier
        and len(later) == len(earlier) > 10
        and later[-1] == "Z" == earlier[-1]
        and later[10] == "T" == earlier[10]
    ):
        return True
    return not before(later, earlier)


def _in_order(receipt: object) -> bool:
    if not isinstance(receipt, dict):
        return not isinstance(receipt, Mapping)
    return _not_before(receipt.get("repo:lastModifiedDate"), receipt.get("repo:createdDate"))


def date_order_silence() -> Silence:
    """The last modification is not before the creation."""
    return Silence(holds=_in_order)


def _first_at(pointer: str) -> Callable[[object], object]:
    """The first value :func:`values_at` reaches by ``pointer`` (None if none), as a function."""
    if "*" in pointer:
        return lambda instance: next((v for _, v in values_at(instance, pointer)), None)
    tokens = split_pointer(pointer)

    def first(instance: object) -> object:
        for token in tokens:
            if type(instance) is dict:
                instance = instance.get(token)  # a missing member is None: it orders nothing
            elif isinstance(instance, Mapping) and token in instance:
                instance = instance[token]
            else:
                return None
        return instance

    if len(tokens) == 1:  # a member of the instance itself, as most dates are
        (name,) = tokens
        return lambda instance: instance.get(name) if type(instance) is dict else first(instance)
    return first


def date_range_silence(dates: DateRange) -> Silence:
    """``dates.end`` is not before ``dates.start``."""
    start, end = _first_at(dates.start), _first_at(dates.end)

    def holds(body: object) -> bool:
        instance = body.get("_instance", body) if type(body) is dict else _inner(body)
        later, earlier = end(instance), start(instance)
        if (  # _not_before's shortcut, inline: the one call most checks of a kind make
            type(later) is str
            and type(earlier) is str
            and later >= earlier
            and len(later) == len(earlier) > 10  # past the date, to index T
            and later[-1] == "Z" == earlier[-1]
            and later[10] == "T" == earlier[10]
        ):
            return True
        return _not_before(later, earlier)

    return Silence(holds=holds)


def _reaching(
    pointer: str, leaf: dict[str, Any], sizes: Mapping[int, int] | None = None
) -> dict[str, Any]:
    """A schema applying ``leaf`` to each value :func:`values_at` reaches by ``pointer``.

    ``sizes`` caps the arrays on the way: the ``n``-th ``*`` of the pointer (from 0) at
    ``sizes[n]`` items.
    """
    tokens = split_pointer(pointer)
    star = tokens.count("*")
    schema = leaf
    for step in reversed(tokens):
        if step != "*":
            schema = {"properties": {step: schema}} if schema else {}  # {}: nothing to check
            continue
        star -= 1
        schema = {"items": schema} if schema else {}
        if sizes is not None and star in sizes:
            schema["maxItems"] = sizes[star]
    return schema


def _at_most(pointer: str, most: int) -> dict[str, Any]:
    """A schema under which ``pointer`` reaches at most ``most`` values (it has a ``*``).

    One array: at most ``most`` items. Several: the first holds ``a`` items and the last
    ``most // a`` (those between one), for each split ``a`` an ``anyOf`` branch.
    """
    stars = split_pointer(pointer).count("*")
    if stars == 1 or most < 1:
        return _reaching(pointer, {}, {0: most})
    splits = sorted({most // (most // first) for first in range(1, most + 1)})
    middle = dict.fromkeys(range(1, stars - 1), 1)
    return {
        "anyOf": [
            _reaching(pointer, {}, {0: first, **middle, stars - 1: most // first})
            for first in splits
        ]
    }


def guardrails_silence(limits: tuple[Guardrail, ...]) -> Silence | None:
    """Values short enough and few enough for the guardrails certainly to hold.

    Each value is at most a quarter of its byte limit in characters (UTF-8 takes at most four
    bytes per character), and no more values are reached than distinct ones are allowed.
    None if a limit of no distinct value at all cannot be stated so: the rule then runs.
    """
    conditions: list[dict[str, Any]] = []
    for limit in limits:
        if limit.max_bytes is not None:
            conditions.append(_reaching(limit.pointer, {"maxLength": limit.max_bytes // 4}))
        if limit.max_distinct is not None:
            if "*" not in limit.pointer and limit.max_distinct >= 1:
                continue  # one value at most: never past the limit
            if "*" not in limit.pointer:
                return None
            conditions.append(_at_most(limit.pointer, limit.max_distinct))
    return Silence(schema=_enveloped({"allOf": conditions}) if conditions else None)
