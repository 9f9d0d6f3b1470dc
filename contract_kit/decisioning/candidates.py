"""What a criterion's collection holds, in rank order: the candidates of a decision.

A collection (offer-filter) names offers (``offers``) or tags (``anyTags``: an offer with
one of them; ``allTags``: with all of them); a criterion may instead list its offers. The
candidates are ranked by priority, highest first, ties by ``@id`` in code-point order so a
test can rely on the order (the real service documents none). Ranking is the costliest
part of a decision, so the owner of the library may keep the rankings between decisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from contract_kit.core.object_kinds import kind_of_id

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from contract_kit.decisioning.roles import Roles

__all__ = ["Ranked", "Rankings", "Stored", "criteria", "ranked", "stored"]


class Stored(NamedTuple):
    """A stored object's members and its etag."""

    instance: Mapping[str, Any]
    etag: object


def stored(
    library: Mapping[str, Mapping[str, Mapping[str, Any]]], at_id: object, role: str
) -> Stored | None:
    """The object ``at_id`` names if it is stored and of the kind ``role``, else None."""
    if not isinstance(at_id, str):
        return None
    kind = kind_of_id(at_id)
    if kind is None or kind.name != role:
        return None
    record = library.get(kind.name, {}).get(at_id)
    if record is None:
        return None
    if "_instance" in record:
        return Stored(record["_instance"], record.get("repo:etag", 1))
    return Stored(record, 1)


Ranked = tuple[list[tuple[float, str, Stored]], str | None]


def _members(
    library: Mapping[str, Mapping[str, Mapping[str, Any]]],
    collection: Mapping[str, Any],
    offer_kind: str,
) -> Iterator[str]:
    ids = collection.get("xdm:ids", collection.get("ids", []))
    kind = collection.get("xdm:filterType")
    if kind == "offers":
        yield from ids
        return
    wanted = set(ids)
    for at_id, record in library.get(offer_kind, {}).items():
        tags = set(record.get("_instance", record).get("xdm:tags", ()))
        if (kind == "anyTags" and tags & wanted) or (kind == "allTags" and wanted <= tags):
            yield at_id


def _rank(
    library: Mapping[str, Mapping[str, Mapping[str, Any]]],
    criterion: Mapping[str, Any],
    parts: Roles,
) -> Ranked:
    selection = criterion.get("xdm:optionSelection", {})
    collection_id = selection.get("xdm:filter")
    collection = stored(library, collection_id, parts.collection)
    ids = (
        list(_members(library, collection.instance, parts.offer))
        if collection
        else list(selection.get("xdm:options", []))
    )
    found = []
    for at_id in dict.fromkeys(ids):
        offer = stored(library, at_id, parts.offer)
        if offer is not None:
            priority = offer.instance.get("xdm:rank", {}).get("xdm:priority", 0)
            found.append((-priority, at_id, offer))
    found.sort(key=lambda item: (item[0], item[1]))
    named = collection_id if isinstance(collection_id, str) else None
    return [(-p, i, o) for p, i, o in found], named


def ranked(
    library: Mapping[str, Mapping[str, Mapping[str, Any]]],
    criterion: Mapping[str, Any],
    parts: Roles,
    rankings: Rankings | None,
) -> Ranked:
    """The criterion's offers by (-priority, @id), and the collection they came from."""
    if rankings is None:
        return _rank(library, criterion, parts)
    selection = criterion.get("xdm:optionSelection", {})
    key = selection.get("xdm:filter") or tuple(selection.get("xdm:options", ()))
    found = rankings.ranked.get(key)
    if found is None:
        found = rankings.ranked[key] = _rank(library, criterion, parts)
    return found


class Rankings:
    """The ranked candidates of each collection, kept between decisions.

    Ranking a collection of 500 offers costs more than the rest of a decision. Whoever owns
    the library (the fake's store) keeps one of these and calls :meth:`clear` whenever the
    library changes; without one, every decision ranks afresh.
    """

    def __init__(self) -> None:
        self.ranked: dict[object, Ranked] = {}

    def clear(self) -> None:
        """Forget every ranking (call it after any change to the library)."""
        self.ranked.clear()


def criteria(activity: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The activity's criteria; the flat legacy form (one placement, one filter) as one."""
    if "xdm:criteria" in activity:
        return list(activity["xdm:criteria"])
    return [
        {
            "xdm:placements": [activity.get("xdm:placement")],
            "xdm:optionSelection": {"xdm:filter": activity.get("xdm:filter")},
        }
    ]
