"""Objects ``contract-kit serve`` starts with or is given over HTTP: checked whole, then stored.

A seed is a kind and a body. Every seed of a batch is checked before any is stored, so a
batch with one bad object leaves the fake as it was: a test never runs against half a seed.
The checks are a create's (errors only: a warning never refuses an object).
"""

from __future__ import annotations

import copy
import functools
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from contract_kit.core.violation import Violation

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.fake.service import OfferLibrary

__all__ = ["SEEDABLE", "Seed", "seed_problems", "store_seeds"]

_OFFER = "fallback-offer"
_PLACEMENT = "offer-placement"
#: The kinds a seed may be, in the order a batch stores them (placements before offers).
SEEDABLE = (_PLACEMENT, _OFFER)


class Seed(NamedTuple):
    """One object to store: its kind and its body, as a create would send it."""

    kind: str
    body: Any


@functools.cache
def _placement_id() -> re.Pattern[str]:
    from contract_kit.core.schema_bundle import load_schema

    return re.compile(load_schema(_OFFER)["$defs"]["placement-id"]["pattern"])


def _placement_problems(body: Any) -> list[Violation]:
    if not isinstance(body, dict):
        return [Violation("", "a placement is an object with an @id", "type")]
    found: list[Violation] = []
    placement = body.get("@id")
    if placement is None:
        found.append(Violation("", "a placement needs its @id", "required"))
    elif not isinstance(placement, str) or not _placement_id().search(placement):
        found.append(
            Violation(
                "/@id",
                f"{placement!r} is not an offer-placement id: xcore:offer-placement: and 1 to 16 "
                "lowercase hex digits",
                "xcore-id",
            )
        )
    found += [
        Violation(f"/{name}", f"{name} must be a string", "type")
        for name in ("xdm:channel", "xdm:name")
        if name in body and not isinstance(body[name], str)
    ]
    return found


def seed_problems(seed: Seed) -> list[Violation]:
    """Why ``seed`` cannot be stored (pointers into its body); empty when it can."""
    if seed.kind == _PLACEMENT:
        return _placement_problems(seed.body)
    if seed.kind == _OFFER:
        from contract_kit.core.checks import violations

        return [v for v in violations(_OFFER, seed.body) if v.is_error]
    return [
        Violation(
            "",
            f"a {seed.kind} cannot be seeded; the kinds are {', '.join(SEEDABLE)}",
            "body",
        )
    ]


def store_seeds(library: OfferLibrary, seeds: Sequence[Seed]) -> list[dict[str, Any]]:
    """Store checked seeds (placements first); return a receipt per seed, in the given order."""
    receipts: list[dict[str, Any] | None] = [None] * len(seeds)
    order = sorted(range(len(seeds)), key=lambda i: SEEDABLE.index(seeds[i].kind))
    for index in order:
        kind, body = seeds[index]
        if kind == _PLACEMENT:
            channel = body.get("xdm:channel", "https://ns.adobe.com/xdm/channel-types/web")
            receipts[index] = {
                "kind": kind,
                "@id": library.add_placement(body["@id"], channel=channel),
            }
            continue
        instance_id = library.add_fallback_offer(copy.deepcopy(body))
        stored = library.instances[instance_id]["_instance"]
        receipts[index] = {"kind": kind, "instanceId": instance_id, "@id": stored["@id"]}
    return [receipt for receipt in receipts if receipt is not None]
