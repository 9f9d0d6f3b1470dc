"""The rules of the contract that a JSON Schema cannot state, checked by code.

Each takes a parsed instance and yields violations, reported like the schema's. When each
certainly finds nothing is said, more cheaply, in :mod:`contract_kit.core.silences`: a change
to a rule here is a change to its silence there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from contract_kit.core.formats import parse_date_time
from contract_kit.core.messages import show
from contract_kit.core.object_kinds import values_at
from contract_kit.core.violation import Violation, join_pointer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from contract_kit.core.object_kinds import DateRange, Guardrail

__all__ = [
    "CONTAINERS",
    "before",
    "container_types",
    "date_order",
    "date_range",
    "duplicate_placements",
    "each_result",
    "fallback_instance",
    "guardrails",
    "recommended_members",
]

#: The member of a listing's ``_embedded`` that holds its containers.
CONTAINERS = "https://ns.adobe.com/experience/xcore/container"


def fallback_instance(body: object) -> tuple[object, list[str]]:
    """The instance inside a body, and the tokens leading to it (the HAL envelope's _instance)."""
    if isinstance(body, Mapping) and "_instance" in body:
        return body["_instance"], ["_instance"]
    return body, []


def duplicate_placements(body: object) -> Iterator[Violation]:
    """An offer has one representation per placement; report each repeat at its placement."""
    instance, prefix = fallback_instance(body)
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


def recommended_members(body: object) -> Iterator[Violation]:
    """Members every example shows but no source requires: warned of, since they are taken.

    XDM requires neither representations nor a representation's channel, nor sets a minimum
    of components, and the service stores offers without them (the repository tutorial's
    fallback, a recorded personalized offer); but such an offer renders nowhere, or nothing.
    """
    instance, prefix = fallback_instance(body)
    if not isinstance(instance, Mapping):
        return
    representations = instance.get("xdm:representations")
    if representations is None or representations == []:
        how = "no" if representations is None else "an empty"
        message = (
            f"the offer has {how} xdm:representations; the service stores it, but it renders "
            "in no placement: add a representation (xdm:placement, xdm:channel, "
            "xdm:components) per placement"
        )
        yield Violation(join_pointer([*prefix, "xdm:representations"]), message, "recommended")
        return
    if not isinstance(representations, list):
        return
    for index, representation in enumerate(representations):
        if not isinstance(representation, Mapping):
            continue
        if "xdm:channel" in representation and representation.get("xdm:components") != []:
            continue  # the usual representation: no pointer to build
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


def container_types(page: object) -> Iterator[Violation]:
    """A listed container should say its type: clients filter on containerType==decisioning."""
    embedded = page.get("_embedded") if isinstance(page, Mapping) else None
    containers = embedded.get(CONTAINERS) if isinstance(embedded, Mapping) else None
    for index, container in enumerate(containers if isinstance(containers, list) else []):
        inner = container.get("_instance") if isinstance(container, Mapping) else None
        if isinstance(inner, Mapping) and "containerType" not in inner:
            message = (
                "the container's _instance has no containerType; the service's 2019 listing "
                'has none, but clients select on containerType==decisioning: add "containerType"'
            )
            pointer = join_pointer(["_embedded", CONTAINERS, index, "_instance", "containerType"])
            yield Violation(pointer, message, "recommended")


def before(later: object, earlier: object) -> bool:
    """Whether two date-times are out of order; a value that is no date-time orders nothing."""
    if not (isinstance(later, str) and isinstance(earlier, str)):
        return False
    later_at, earlier_at = parse_date_time(later), parse_date_time(earlier)
    return later_at is not None and earlier_at is not None and later_at < earlier_at


def date_order(receipt: object) -> Iterator[Violation]:
    """A receipt's last modification cannot come before its creation."""
    if not isinstance(receipt, Mapping):
        return
    created = receipt.get("repo:createdDate")
    modified = receipt.get("repo:lastModifiedDate")
    if before(modified, created):
        message = (
            f"repo:lastModifiedDate {show(modified)} is before repo:createdDate {show(created)}"
        )
        yield Violation("/repo:lastModifiedDate", message, "date-order")


def _under(prefix: list[str], pointer: str) -> str:
    return join_pointer(prefix) + pointer if prefix else pointer


def date_range(dates: DateRange) -> Callable[[object], Iterator[Violation]]:
    """A check that ``dates.end`` is not before ``dates.start`` (a warning: docs break it)."""

    def check(body: object) -> Iterator[Violation]:
        instance, prefix = fallback_instance(body)
        start = next((v for _, v in values_at(instance, dates.start)), None)
        end = next((v for _, v in values_at(instance, dates.end)), None)
        if before(end, start):
            message = (
                f"{dates.end.rsplit('/', 1)[-1]} {show(end)} is before "
                f"{dates.start.rsplit('/', 1)[-1]} {show(start)}; the service takes that (a "
                "documented example has it), but nothing is ever selected: swap or fix the dates"
            )
            yield Violation(_under(prefix, dates.end), message, "date-range")

    return check


def guardrails(limits: tuple[Guardrail, ...]) -> Callable[[object], Iterator[Violation]]:
    """A check of the documented guardrails of a body: bytes per value, distinct values."""

    def check(body: object) -> Iterator[Violation]:
        instance, prefix = fallback_instance(body)
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
