"""The rules of the contract that a JSON Schema cannot state, checked by code.

Each takes a parsed instance and yields violations, reported like the schema's. Most checked
instances are valid, so each rule also says, as its :class:`Silence`, when it certainly finds
nothing, in a form cheaper than running it: conditions jsonschema-rs checks in the same call
as the kind's schema, or a predicate that builds no violation (see
:mod:`contract_kit.core.valid_path`). A silence may be stricter than its rule (an instance
failing it is then checked by the rule itself), never looser: a test draws instances to hold
each one to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from contract_kit.core.formats import parse_date_time
from contract_kit.core.messages import show
from contract_kit.core.object_kinds import values_at
from contract_kit.core.violation import Violation, join_pointer, split_pointer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from contract_kit.core.object_kinds import DateRange, Guardrail

__all__ = [
    "Silence",
    "container_types",
    "container_types_silence",
    "date_order",
    "date_order_silence",
    "date_range",
    "date_range_silence",
    "duplicate_placements",
    "duplicate_placements_silence",
    "each_result",
    "guardrails",
    "guardrails_silence",
    "recommended_members",
    "recommended_members_silence",
]

_CONTAINERS = "https://ns.adobe.com/experience/xcore/container"


class Silence(NamedTuple):
    """When a code rule certainly reports nothing on an instance of its kind's schema.

    Both parts must hold: the instance meets ``schema`` (a JSON Schema, checked with the kind's
    own; None: no condition) and ``holds(instance)`` is true (None: no condition).
    """

    schema: dict[str, Any] | None = None
    holds: Callable[[object], bool] | None = None


def _enveloped(inner: dict[str, Any]) -> dict[str, Any]:
    """``inner`` applied where :func:`_fallback_instance` looks: in ``_instance``, if present.

    Only applicator keywords, each vacuous on a value of another type, as the rules skip such
    values; and no ``properties`` a sibling ``unevaluatedProperties`` could see (the kind's
    schema is a separate branch of the same ``allOf``).
    """
    return {
        "if": {"required": ["_instance"]},
        "then": {"properties": {"_instance": inner}},
        "else": inner,
    }


def _fallback_instance(body: object) -> tuple[object, list[str]]:
    """The instance inside a body, and the tokens leading to it (the HAL envelope's _instance)."""
    if isinstance(body, Mapping) and "_instance" in body:
        return body["_instance"], ["_instance"]
    return body, []


def duplicate_placements(body: object) -> Iterator[Violation]:
    """An offer has one representation per placement; report each repeat at its placement."""
    instance, prefix = _fallback_instance(body)
    if not isinstance(instance, Mapping):
        return
    representations = instance.get("xdm:representations")
    if not isinstance(representations, list):
        return
    first_seen: dict[str, int] = {}
    for index, representation in enumerate(representations):
        if not isinstance(representation, Mapping):
            continue
        placement = representation.get("xdm:placement")
        if not isinstance(placement, str):
            continue
        if placement in first_seen:
            earlier = join_pointer([*prefix, "xdm:representations", first_seen[placement]])
            message = (
                f"placement {show(placement)} already has a representation ({earlier}); "
                "an offer has one representation per placement: merge the components into it"
            )
            pointer = join_pointer([*prefix, "xdm:representations", index, "xdm:placement"])
            yield Violation(pointer, message, "duplicate-placement")
        else:
            first_seen[placement] = index


def _inner(body: object) -> object:
    """:func:`_fallback_instance` without its tokens, and cheaper on a dict."""
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


def recommended_members(body: object) -> Iterator[Violation]:
    """Members every example shows but no source requires: warned of, since they are taken.

    XDM requires neither representations nor a representation's channel, nor sets a minimum
    of components, and the service stores offers without them (the repository tutorial's
    fallback, a recorded personalized offer); but such an offer renders nowhere, or nothing.
    """
    instance, prefix = _fallback_instance(body)
    if not isinstance(instance, Mapping):
        return
    representations = instance.get("xdm:representations")
    where = join_pointer([*prefix, "xdm:representations"])
    if representations is None or representations == []:
        how = "no" if representations is None else "an empty"
        message = (
            f"the offer has {how} xdm:representations; the service stores it, but it renders "
            "in no placement: add a representation (xdm:placement, xdm:channel, "
            "xdm:components) per placement"
        )
        yield Violation(where, message, "recommended")
        return
    if not isinstance(representations, list):
        return
    for index, representation in enumerate(representations):
        if not isinstance(representation, Mapping):
            continue
        at: list[str | int] = [*prefix, "xdm:representations", index]
        if "xdm:channel" not in representation:
            message = (
                "the representation names no xdm:channel; the service takes that, but every "
                "documented example names its placement's channel: add it, e.g. "
                '"https://ns.adobe.com/xdm/channel-types/web"'
            )
            yield Violation(join_pointer([*at, "xdm:channel"]), message, "recommended")
        if representation.get("xdm:components") == []:
            message = (
                "xdm:components is empty; the service takes that, but the representation "
                "shows nothing: add a component"
            )
            yield Violation(join_pointer([*at, "xdm:components"]), message, "recommended")


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


def container_types(page: object) -> Iterator[Violation]:
    """A listed container should say its type: clients filter on containerType==decisioning."""
    embedded = page.get("_embedded") if isinstance(page, Mapping) else None
    containers = embedded.get(_CONTAINERS) if isinstance(embedded, Mapping) else None
    for index, container in enumerate(containers if isinstance(containers, list) else []):
        inner = container.get("_instance") if isinstance(container, Mapping) else None
        if isinstance(inner, Mapping) and "containerType" not in inner:
            message = (
                "the container's _instance has no containerType; the service's 2019 listing "
                'has none, but clients select on containerType==decisioning: add "containerType"'
            )
            pointer = join_pointer(["_embedded", _CONTAINERS, index, "_instance", "containerType"])
            yield Violation(pointer, message, "recommended")


def container_types_silence() -> Silence:
    """Every listed container's ``_instance`` says its type."""
    container = {"properties": {"_instance": {"required": ["containerType"]}}}
    listed = {"properties": {_CONTAINERS: {"items": container}}}
    return Silence(schema={"properties": {"_embedded": listed}})


def _before(later: object, earlier: object) -> bool:
    """Whether two date-times are out of order; a value that is no date-time orders nothing."""
    if not (isinstance(later, str) and isinstance(earlier, str)):
        return False
    later_at, earlier_at = parse_date_time(later), parse_date_time(earlier)
    return later_at is not None and earlier_at is not None and later_at < earlier_at


def _not_before(later: object, earlier: object) -> bool:
    """``not _before(later, earlier)``, most often read from the text alone.

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
    return not _before(later, earlier)


def date_order(receipt: object) -> Iterator[Violation]:
    """A receipt's last modification cannot come before its creation."""
    if not isinstance(receipt, Mapping):
        return
    created = receipt.get("repo:createdDate")
    modified = receipt.get("repo:lastModifiedDate")
    if _before(modified, created):
        message = (
            f"repo:lastModifiedDate {show(modified)} is before repo:createdDate {show(created)}"
        )
        yield Violation("/repo:lastModifiedDate", message, "date-order")


def _in_order(receipt: object) -> bool:
    if not isinstance(receipt, dict):
        return not isinstance(receipt, Mapping)
    return _not_before(receipt.get("repo:lastModifiedDate"), receipt.get("repo:createdDate"))


def date_order_silence() -> Silence:
    """The last modification is not before the creation."""
    return Silence(holds=_in_order)


def _under(prefix: list[str], pointer: str) -> str:
    return join_pointer(prefix) + pointer if prefix else pointer


def date_range(dates: DateRange) -> Callable[[object], Iterator[Violation]]:
    """A check that ``dates.end`` is not before ``dates.start`` (a warning: docs break it)."""

    def check(body: object) -> Iterator[Violation]:
        instance, prefix = _fallback_instance(body)
        start = next((v for _, v in values_at(instance, dates.start)), None)
        end = next((v for _, v in values_at(instance, dates.end)), None)
        if _before(end, start):
            message = (
                f"{dates.end.rsplit('/', 1)[-1]} {show(end)} is before "
                f"{dates.start.rsplit('/', 1)[-1]} {show(start)}; the service takes that (a "
                "documented example has it), but nothing is ever selected: swap or fix the dates"
            )
            yield Violation(_under(prefix, dates.end), message, "date-range")

    return check


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

    return first


def date_range_silence(dates: DateRange) -> Silence:
    """``dates.end`` is not before ``dates.start``."""
    start, end = _first_at(dates.start), _first_at(dates.end)

    def holds(body: object) -> bool:
        instance = _inner(body)
        return _not_before(end(instance), start(instance))

    return Silence(holds=holds)


def guardrails(limits: tuple[Guardrail, ...]) -> Callable[[object], Iterator[Violation]]:
    """A check of the documented guardrails of a body: bytes per value, distinct values."""

    def check(body: object) -> Iterator[Violation]:
        instance, prefix = _fallback_instance(body)
        for limit in limits:
            seen: set[object] = set()
            for pointer, value in values_at(instance, limit.pointer):
                if limit.max_bytes is not None and isinstance(value, str):
                    size = len(value.encode("utf-8"))
                    if size > limit.max_bytes:
                        message = (
                            f"the value is {size} UTF-8 bytes; the documented guardrail is "
                            f"{limit.max_bytes} bytes: shorten it"
                        )
                        yield Violation(_under(prefix, pointer), message, "guardrail")
                if limit.max_distinct is not None and isinstance(value, str | int | float):
                    seen.add(value)
                    if len(seen) == limit.max_distinct + 1:
                        member = [t for t in limit.pointer.split("/") if t not in {"", "*"}][-1]
                        message = (
                            f"{show(value)} is distinct value {len(seen)} of {member} here; "
                            f"the documented guardrail is {limit.max_distinct}: split the "
                            "object or reuse values"
                        )
                        yield Violation(_under(prefix, pointer), message, "guardrail")

    return check


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
            schema = {"properties": {step: schema}}
            continue
        star -= 1
        schema = {"items": schema}
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


def each_result(
    rule: Callable[[object], Iterable[Violation]],
) -> Callable[[object], Iterator[Violation]]:
    """Apply a rule of one stored instance to every item of a page of results."""

    def check(page: object) -> Iterator[Violation]:
        embedded = page.get("_embedded") if isinstance(page, Mapping) else None
        results = embedded.get("results") if isinstance(embedded, Mapping) else None
        for index, item in enumerate(results if isinstance(results, list) else []):
            prefix = join_pointer(["_embedded", "results", index])
            yield from (violation.under(prefix) for violation in rule(item))

    return check
