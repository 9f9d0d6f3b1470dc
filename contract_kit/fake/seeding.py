"""Objects the fake is given before a test calls it: checked whole, then stored in order.

A seed is a kind and a body. Every seed of a batch is checked before any is stored (the
contract, then references and tag names against the container and the batch itself), so a
batch with one bad object leaves the fake as it was: a test never runs against half a seed.
The checks are a create's (errors only: a warning never refuses an object). Seeds are stored
in ``insertion_order()``, so an object is stored after everything it names.

A fallback offer is seeded as ``add_fallback_offer`` stores it: the placements it names that
the container lacks are made for it (serve's ``--seed`` folders of offers rely on this).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from contract_kit.core.object_kinds import (
    infer_kind,
    insertion_order,
    kind_of_instance,
    object_kind,
    reference_values,
    values_at,
)
from contract_kit.core.violation import Violation
from contract_kit.fake.call_kinds import DEFAULT_KIND
from contract_kit.fake.integrity import REFUSING_UNIQUE, dangling_message
from contract_kit.fake.store import DEFAULT_PLACEMENT, kind_named_by

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.fake.store import Container

__all__ = ["SEEDABLE", "Seed", "detect_kind", "seed_problems", "store_seeds"]

#: The kinds a seed may be, in the order a batch stores them (referenced kinds first).
SEEDABLE = insertion_order()
#: The kind seeded with the placements it names (see ``OfferLibrary.add_fallback_offer``).
FALLBACK = DEFAULT_KIND
#: The unique rule whose repeat refuses a seed (the others only warn).
#: The kind of the default placement: what a seeded fallback offer's missing references get.
_PLACEMENT = kind_named_by(DEFAULT_PLACEMENT)


class Library(Protocol):
    """What storing seeds needs of the fake (the OfferLibrary, which imports this module)."""

    def add(self, kind: str, body: Any, *, sandbox: str = ...) -> str:
        """Store one object of ``kind``; its instanceId."""

    def add_fallback_offer(self, body: dict[str, Any], *, sandbox: str = ...) -> str:
        """Store a fallback offer and the placements it names; its instanceId."""

    def instances_of(self, kind: str, *, sandbox: str = ...) -> dict[str, dict[str, Any]]:
        """The stored objects of ``kind`` by instanceId."""


class Seed(NamedTuple):
    """One object to store: its kind and its body, as a create would send it."""

    kind: str
    body: Any


def detect_kind(value: object) -> str | None:
    """The kind a payload is, from its content, or None.

    A stored instance by its ``schemas``; a body by its ``@id`` or its members (see
    ``object_kinds.infer_kind``).
    """
    stored = kind_of_instance(value) if isinstance(value, dict) and "instanceId" in value else None
    kind = stored or infer_kind(value)
    return None if kind is None else kind.name


def _body_of(seed: Seed) -> Any:
    body = seed.body
    if isinstance(body, dict) and "instanceId" in body and isinstance(body.get("_instance"), dict):
        return body["_instance"]  # a stored instance: its members are what is seeded
    return body


class _Batch:
    """The objects stored so far, as a batch would leave them: the container's and the seeds'."""

    def __init__(self, container: Container, *, check_references: bool) -> None:
        self.container = container
        self.check_references = check_references
        self.given: dict[str, str] = {}  # @id -> kind, of the batch's seeds stored before
        self.names: set[tuple[str, str, str]] = set()

    def _kind_held(self, at_id: str) -> str | None:
        if at_id in self.given:
            return self.given[at_id]
        held = self.container.by_at_id(at_id)
        return None if held is None else kind_named_by(at_id)

    def _references(self, kind: str, instance: object, base: str) -> list[Violation]:
        found = []
        for reference in reference_values(kind, instance) if self.check_references else ():
            if kind == FALLBACK and reference.kinds == (_PLACEMENT,):
                continue  # made for it, as add_fallback_offer does
            if self._kind_held(reference.target) in reference.kinds:
                continue
            message = dangling_message(reference, self.container.container_id)
            found.append(Violation(base + reference.pointer, message, "reference"))
        return found

    def _repeats(self, kind: str, instance: object, base: str) -> list[Violation]:
        found = []
        for unique in object_kind(kind).unique:
            if unique.rule != REFUSING_UNIQUE:
                continue
            for pointer, value in values_at(instance, unique.pointer):
                key = (kind, unique.pointer, str(value))
                if (
                    key in self.names
                    or self.container.holding(kind, unique.pointer, str(value)) is not None
                ):
                    message = f'a {kind} named "{value}" exists already; {kind} names are unique'
                    found.append(Violation(base + pointer, message, REFUSING_UNIQUE))
                self.names.add(key)
        return found

    def add(self, kind: str, body: Any) -> list[Violation]:
        """Why the store cannot take this seed after the ones before; record it as taken."""
        instance = body.get("_instance", body)
        base = "/_instance" if instance is not body else ""
        found = self._references(kind, instance, base) + self._repeats(kind, instance, base)
        if isinstance(instance.get("@id"), str):
            self.given[instance["@id"]] = kind
        return found


def _ordered(seeds: Sequence[Seed]) -> list[int]:
    return sorted(range(len(seeds)), key=lambda i: SEEDABLE.index(seeds[i].kind))


def seed_problems(
    seeds: Sequence[Seed], container: Container | None = None, *, check_references: bool = True
) -> list[list[Violation]]:
    """Why each seed cannot be stored (pointers into its body); empty lists when all can.

    With ``container``, references and tag names are checked too, as the batch would be stored.
    """
    from contract_kit.core.checks import violations

    found: list[list[Violation]] = []
    for seed in seeds:
        if seed.kind not in SEEDABLE:
            message = f"a {seed.kind} cannot be seeded; the kinds are {', '.join(SEEDABLE)}"
            found.append([Violation("", message, "body")])
            continue
        found.append([v for v in violations(seed.kind, _body_of(seed)) if v.is_error])
    if container is not None and not any(found):
        batch = _Batch(container, check_references=check_references)
        for index in _ordered(seeds):
            found[index] = batch.add(seeds[index].kind, _body_of(seeds[index]))
    return found


def store_seeds(
    library: Library, seeds: Sequence[Seed], *, sandbox: str = "prod"
) -> list[dict[str, Any]]:
    """Store checked seeds in reference order; return a receipt per seed, in the given order."""
    receipts: list[dict[str, Any] | None] = [None] * len(seeds)
    for index in _ordered(seeds):
        kind = seeds[index].kind
        body = copy.deepcopy(_body_of(seeds[index]))
        if kind == FALLBACK:
            instance_id = library.add_fallback_offer(body, sandbox=sandbox)
        else:
            instance_id = library.add(kind, body, sandbox=sandbox)
        stored = library.instances_of(kind, sandbox=sandbox)[instance_id]["_instance"]
        receipts[index] = {"kind": kind, "instanceId": instance_id, "@id": stored["@id"]}
    return [receipt for receipt in receipts if receipt is not None]
