"""The rules of the contract that a JSON Schema cannot state, checked by code.

Each takes a parsed instance and yields violations, reported like the schema's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from contract_kit.core.formats import parse_date_time
from contract_kit.core.messages import show
from contract_kit.core.violation import Violation, join_pointer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = ["date_order", "duplicate_placements", "each_result"]


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


def date_order(receipt: object) -> Iterator[Violation]:
    """A receipt's last modification cannot come before its creation."""
    if not isinstance(receipt, Mapping):
        return
    created = receipt.get("repo:createdDate")
    modified = receipt.get("repo:lastModifiedDate")
    if not (isinstance(created, str) and isinstance(modified, str)):
        return
    created_at, modified_at = parse_date_time(created), parse_date_time(modified)
    if created_at is not None and modified_at is not None and modified_at < created_at:
        message = (
            f"repo:lastModifiedDate {show(modified)} is before repo:createdDate {show(created)}"
        )
        yield Violation("/repo:lastModifiedDate", message, "date-order")


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
