"""Whole Offer Libraries: every kind drawn valid, each reference naming an object drawn before it.

A client's property test needs more than one valid body: a decision whose criteria name real
placements and a real collection, offers whose representations fit their placements, a
fallback for every placement the decision serves. The kinds, their references and their
insertion order come from the table of stored kinds; the roles (which kind is the decision,
which its fallback) are read from the reference members the table lists.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from contract_kit.core.object_kinds import object_kind, object_kinds, reference_values, values_at
from contract_kit.core.violation import split_pointer
from contract_kit.errors import SchemaBundleError
from contract_kit.strategies.build import Context, kind_values, values
from contract_kit.strategies.schema import branch_of, items_of, root_chain

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from hypothesis.strategies import DrawFn, SearchStrategy

    from contract_kit.strategies.schema import Chain

__all__ = ["Library", "LibraryObject", "decision_requests", "offer_libraries"]

_ID = "@id"
_NAME = "xdm:name"
_REPRESENTATIONS = "xdm:representations"
_PLACEMENT = "xdm:placement"
_COMPONENTS = "xdm:components"
_CHANNEL = "xdm:channel"
_COMPONENT_TYPE = "xdm:componentType"
_CONTENT_TYPES = "xdm:contentTypes"
_TYPE = "@type"
_FORMAT = "dc:format"
#: The reference members that give each kind its part in a library (spec §2.8).
_FALLBACK = "/xdm:fallback"
_CRITERIA_PLACEMENTS = "/xdm:criteria/*/xdm:placements/*"
_CRITERIA_FILTER = "/xdm:criteria/*/xdm:optionSelection/xdm:filter"
_OPTIONS = "/xdm:criteria/*/xdm:optionSelection/xdm:options/*"
_OFFER_PLACEMENT = f"/{_REPRESENTATIONS}/*/{_PLACEMENT}"
_TAGS = "/xdm:tags/*"
_RULE = "/xdm:selectionConstraint/xdm:eligibilityRule"
_BARE = Context(branch="else")
_DECISION_REQUEST = "decision-request"
_PROPOSITIONS = "xdm:propositionRequests"
_MOST_PROPOSITIONS = 3  # the schema allows 30; three keep draws small and still repeat pairs
_MOST_ITEMS = 30
_HEX_DIGITS = 16


class _Adds(Protocol):
    """What :meth:`Library.seed_into` needs of a fake: ``add(kind, body)``."""

    def add(self, kind: str, body: dict[str, Any]) -> str:
        """Store ``body`` as an object of ``kind``; return its instanceId."""
        ...


@dataclass(frozen=True)
class LibraryObject:
    """One object of a drawn library: its kind, its ``@id``, its create body (with the ``@id``)."""

    kind: str
    id: str
    body: dict[str, Any]


@dataclass(frozen=True)
class Library:
    """A consistent set of Offer Library objects, in an order that can insert them one by one."""

    objects: tuple[LibraryObject, ...]

    def of_kind(self, kind: str) -> tuple[LibraryObject, ...]:
        """The objects of one kind, in insertion order."""
        return tuple(found for found in self.objects if found.kind == kind)

    def seed_into(self, offer_library: _Adds) -> dict[str, str]:
        """Add every object to ``offer_library`` in order; return each ``@id``'s instanceId.

        Each body carries its ``@id``, so later bodies' references find it.
        """
        return {
            found.id: offer_library.add(found.kind, copy.deepcopy(found.body))
            for found in self.objects
        }


def _target(kind: str, pointer: str) -> str:
    """The one kind a reference member of ``kind`` names."""
    for reference in object_kind(kind).references:
        if reference.pointer == pointer and len(reference.kinds) == 1:
            return reference.kinds[0]
    raise SchemaBundleError(
        f"object-kinds.json: offer_libraries() needs {kind} to reference one kind at {pointer}"
    )


def _roles() -> dict[str, str]:
    """Which kind plays which part, read from the references the table lists."""
    decision = next(
        (k.name for k in object_kinds() if any(r.pointer == _FALLBACK for r in k.references)),
        None,
    )
    if decision is None:
        raise SchemaBundleError(f"object-kinds.json: no kind references a fallback at {_FALLBACK}")
    offer = _target(decision, _OPTIONS)
    return {
        "decision": decision,
        "fallback": _target(decision, _FALLBACK),
        "collection": _target(decision, _CRITERIA_FILTER),
        "offer": offer,
        "placement": _target(decision, _CRITERIA_PLACEMENTS),
        "tag": _target(offer, _TAGS),
        "rule": _target(offer, _RULE),
    }


def _representation_chain(kind: str) -> Chain:
    branch = branch_of(root_chain(kind))
    site = branch.sites[1] if branch is not None else None
    member = site.members.get(_REPRESENTATIONS) if site is not None else None
    items = items_of(member) if member is not None else None
    if items is None:
        raise SchemaBundleError(f"{kind}: offer_libraries() needs {_REPRESENTATIONS} items")
    return items


def _ids(kind: str, count: int) -> SearchStrategy[list[str]]:
    prefix = object_kind(kind).id_prefix
    one = st.integers(0, 16**_HEX_DIGITS - 1).map(lambda n: f"{prefix}{n:0{_HEX_DIGITS}x}")
    return st.lists(one, min_size=count, max_size=count, unique=True)


def _put(doc: Any, pointer: str, value: Any) -> None:
    *parents, last = split_pointer(pointer)
    for token in parents:
        doc = doc[int(token)] if isinstance(doc, list) else doc[token]
    if isinstance(doc, list):
        doc[int(last)] = value
    else:
        doc[last] = value


def _rewired(
    draw: DrawFn, kind: str, body: dict[str, Any], pools: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """``body`` with every reference naming a drawn object of a kind it may name."""
    body = copy.deepcopy(body)
    for reference in list(reference_values(kind, body)):
        choices = [found for target in reference.kinds for found in pools.get(target, ())]
        if not choices:
            raise SchemaBundleError(f"offer_libraries() drew no {' or '.join(reference.kinds)}")
        _put(body, reference.pointer, draw(st.sampled_from(choices)))
    return body


def _filled(
    draw: DrawFn, kind: str, body: dict[str, Any], pools: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """``body`` with one item in each empty list of references: a collection selects something."""
    body = copy.deepcopy(body)
    for reference in object_kind(kind).references:
        tokens = split_pointer(reference.pointer)
        if len(tokens) == 2 and tokens[1] == "*" and body.get(tokens[0]) == []:
            choices = [
                found for target in reference.kinds_for(body) for found in pools.get(target, ())
            ]
            body[tokens[0]] = [draw(st.sampled_from(choices))] if choices else []
    return body


def _fitted(draw: DrawFn, kind: str, placement: LibraryObject) -> dict[str, Any]:
    """A representation of ``kind`` fitting ``placement``: channel, component type, media types."""
    body = placement.body
    restrict = tuple(
        (rule, (body[member],))
        for rule, member in (("channel", _CHANNEL), ("component-type", _COMPONENT_TYPE))
        if member in body
    )
    representation = dict(draw(values(_representation_chain(kind), Context(restrict=restrict))))
    representation[_PLACEMENT] = placement.id
    if body.get(_CONTENT_TYPES):
        representation[_COMPONENTS] = [
            {**component, _FORMAT: draw(st.sampled_from(body[_CONTENT_TYPES]))}
            for component in representation[_COMPONENTS]
        ]
    return representation


def _named(body: dict[str, Any], taken: set[str]) -> dict[str, Any]:
    """``body`` with a name no earlier object has (names are unique per container)."""
    name = body.get(_NAME)
    if isinstance(name, str):
        unique, count = name, 1
        while unique in taken:
            count += 1
            unique = f"{name} {count}"
        taken.add(unique)
        body = {**body, _NAME: unique}
    return body


@st.composite
def _libraries(draw: DrawFn) -> Library:
    roles = _roles()
    taken: set[str] = set()
    objects: list[LibraryObject] = []
    pools: dict[str, list[str]] = {}

    def add(kind: str, body: dict[str, Any], at_id: str) -> None:
        body = _named({**body, _ID: at_id}, taken)
        objects.append(LibraryObject(kind, at_id, body))
        pools.setdefault(kind, []).append(at_id)

    for role, most in (("placement", 4), ("tag", 3), ("rule", 2)):
        kind = roles[role]
        count = draw(st.integers(1, most))
        for at_id in draw(_ids(kind, count)):
            add(kind, draw(kind_values(kind, _BARE)), at_id)
    placements = [found for found in objects if found.kind == roles["placement"]]

    offer = roles["offer"]
    for at_id in draw(_ids(offer, draw(st.integers(1, 3)))):
        body = _rewired(draw, offer, draw(kind_values(offer, _BARE)), pools)
        chosen = draw(st.permutations(placements))[: len(body.get(_REPRESENTATIONS, ()))]
        if _REPRESENTATIONS in body:
            body[_REPRESENTATIONS] = [_fitted(draw, offer, p) for p in chosen]
        add(offer, body, at_id)

    # The decision serves these placements; its fallback has a representation for each.
    served = draw(st.permutations(placements))[: draw(st.integers(1, min(3, len(placements))))]
    fallback = roles["fallback"]
    (fallback_id,) = draw(_ids(fallback, 1))
    body = _rewired(draw, fallback, draw(kind_values(fallback, _BARE)), pools)
    body[_REPRESENTATIONS] = [_fitted(draw, fallback, p) for p in served]
    add(fallback, body, fallback_id)

    collection = roles["collection"]
    (collection_id,) = draw(_ids(collection, 1))
    body = _filled(draw, collection, draw(kind_values(collection, _BARE)), pools)
    add(collection, _rewired(draw, collection, body, pools), collection_id)

    decision = roles["decision"]
    (decision_id,) = draw(_ids(decision, 1))
    decision_pools = {**pools, roles["placement"]: [p.id for p in served]}
    add(
        decision,
        _rewired(draw, decision, draw(kind_values(decision, _BARE)), decision_pools),
        decision_id,
    )
    return Library(tuple(objects))


def offer_libraries() -> SearchStrategy[Library]:
    """Consistent Offer Libraries, drawn in insertion order (spec §2.12).

    Placements, tags and rules; personalized offers whose representations sit on drawn
    placements with the placement's channel and component type, naming drawn tags and rules;
    a collection over drawn tags or offers; a fallback offer with a representation for every
    placement the decision serves; and a decision whose criteria name those placements, the
    collection, drawn offers and rules, and the fallback. Every body is valid and carries its
    ``@id``; :meth:`Library.seed_into` adds them to a fake in order.
    """
    _roles()  # a table the library cannot be read from fails here, not at the first draw
    return _libraries()


def _served(library: Library, decision: LibraryObject) -> list[str]:
    """The placements a decision's criteria name, or every placement of the library."""
    named = [value for _, value in values_at(decision.body, _CRITERIA_PLACEMENTS)]
    every = [found.id for found in library.of_kind(_roles()["placement"])]
    return [value for value in named if isinstance(value, str)] or every


@st.composite
def _proposition_requests(draw: DrawFn, library: Library) -> dict[str, Any]:
    decision = draw(st.sampled_from(library.of_kind(_roles()["decision"])))
    request: dict[str, Any] = {
        "xdm:activityId": decision.id,
        "xdm:placementId": draw(st.sampled_from(_served(library, decision))),
    }
    if draw(st.booleans()):
        request["xdm:itemCount"] = draw(st.integers(1, _MOST_ITEMS))
    return request


@st.composite
def _decision_requests(draw: DrawFn, library: Library) -> dict[str, Any]:
    body = dict(draw(kind_values(_DECISION_REQUEST)))
    requests = st.lists(_proposition_requests(library), min_size=1, max_size=_MOST_PROPOSITIONS)
    body[_PROPOSITIONS] = draw(requests)
    return body


def decision_requests(library: Library) -> SearchStrategy[dict[str, Any]]:
    """Valid decision request bodies asking ``library`` for decisions (spec §2.12).

    Each proposition request names a decision of the library and one of the placements its
    criteria serve, with or without an itemCount of 1 to 30; the one profile, the response
    format and the rest are drawn from the decision-request schema.
    """
    if not library.of_kind(_roles()["decision"]):
        raise InvalidArgument("decision_requests() needs a library that holds a decision")
    return _decision_requests(library)
