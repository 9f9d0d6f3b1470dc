"""What only the store can check of a write: references, unique names and stored counts.

Each check reads the table of kinds (``object_kinds``) and one container, and returns
violations with pointers into the call's body; the handlers turn errors into answers. The
same checks serve creates, PUTs, PATCHes and seeding, so every way in meets one rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_kit.core.object_kinds import (
    ReferenceValue,
    kind_of_id,
    object_kind,
    reference_values,
    referrers,
    values_at,
)
from contract_kit.core.violation import Violation

if TYPE_CHECKING:
    from contract_kit.fake.store import Container

__all__ = [
    "REFUSING_UNIQUE",
    "dangling_message",
    "dangling_references",
    "guardrail_warnings",
    "kinds_text",
    "placement_fit_warnings",
    "referenced_by",
    "unique_problems",
]

#: The uniqueness rule whose repeat is refused (409); the kind table's other one only warns.
REFUSING_UNIQUE = "unique-name"


def kinds_text(kinds: tuple[str, ...]) -> str:
    """``a tag or personalized-offer``: the kinds a reference may name, as a message says."""
    article = "an" if kinds[0][0] in "aeiou" else "a"
    return f"{article} {' or '.join(kinds)}"


def dangling_message(reference: ReferenceValue, container_id: str) -> str:
    """What a reference naming no stored object of its kinds is told (one text everywhere)."""
    return (
        f"{reference.pointer} names {reference.target}, which is not "
        f"{kinds_text(reference.kinds)} in container {container_id}; create it first (in tests: "
        "offer_library.add(...))"
    )


def dangling_references(
    container: Container, kind: str, instance: object, base: str = ""
) -> list[Violation]:
    """One ``reference`` error per member naming no stored object of its kinds in ``container``.

    ``base`` is where ``instance`` sits in the body (``/body``, ``/body/_instance``).
    """
    found = []
    for reference in reference_values(kind, instance):
        named = kind_of_id(reference.target)
        # The prefix first: an @id of another kind is dangling without a read of the store.
        if (
            named is not None
            and named.name in reference.kinds
            and container.stored_as(named.name, reference.target) is not None
        ):
            continue
        message = dangling_message(reference, container.container_id)
        found.append(Violation(base + reference.pointer, message, "reference"))
    return found


def referenced_by(container: Container, at_id: str) -> list[dict[str, Any]]:
    """Every stored object naming ``at_id``, as a rejected delete lists them."""
    target = kind_of_id(at_id)
    if target is None:
        return []
    found: list[dict[str, Any]] = []
    for kind in dict.fromkeys(name for name, _ in referrers(target.name)):
        schema = object_kind(kind).stored_schema
        found.extend(
            {
                "instanceId": envelope["instanceId"],
                "@id": envelope["_instance"]["@id"],
                "schema": schema,
                "pointer": "/_instance" + reference.pointer,
            }
            for envelope in container.kinds[kind].values()
            for reference in reference_values(kind, envelope["_instance"])
            if reference.target == at_id
        )
    return found


def unique_problems(
    container: Container,
    kind: str,
    instance: object,
    *,
    base: str = "",
    instance_id: str | None = None,
) -> list[Violation]:
    """A repeat of a member the kind keeps unique: ``unique-name`` (an error) or ``name-reuse``.

    ``instance_id`` is the object being written itself, which never clashes with its own name.
    """
    found = []
    for unique in object_kind(kind).unique:
        for pointer, value in values_at(instance, unique.pointer):
            if not isinstance(value, str):
                continue
            held = container.holding(kind, unique.pointer, value, besides=instance_id)
            if held is None:
                continue
            other = held["_instance"]["@id"]
            member = unique.pointer.rsplit("/", 1)[-1]
            if unique.rule == REFUSING_UNIQUE:
                message = (
                    f'a {kind} named "{value}" exists already (@id {other}); {kind} names '
                    "are unique"
                )
                found.append(Violation(base + pointer, message, unique.rule))
            else:
                message = (
                    f'another {kind} has the {member} "{value}" already (@id {other}); the '
                    "service takes it, but the docs ask for names unique across offers"
                )
                found.append(Violation(base + pointer, message, unique.rule))
    return found


def _counted(
    container: Container, kinds: tuple[str, ...], where: tuple[tuple[str, object], ...]
) -> int:
    total = 0
    for kind in kinds:
        held = container.kinds.get(kind, {})
        if not where:
            total += len(held)
            continue
        total += sum(
            1
            for envelope in held.values()
            if all(
                any(value == wanted for _, value in values_at(envelope["_instance"], pointer))
                for pointer, wanted in where
            )
        )
    return total


def guardrail_warnings(container: Container, kind: str, base: str = "") -> list[Violation]:
    """A ``guardrail`` warning for each documented count the container holds more than.

    Checked after the write: a write that crosses a limit is the one warned.
    """
    found = []
    for guardrail in object_kind(kind).store_guardrails:
        # The plain count bounds every filtered one: most writes never read the objects.
        if sum(len(container.kinds.get(k, {})) for k in guardrail.kinds) <= guardrail.max:
            continue
        count = _counted(container, guardrail.kinds, guardrail.where)
        if count <= guardrail.max:
            continue
        which = " and ".join(guardrail.kinds)
        condition = "".join(f" with {p.lstrip('/')} {v}" for p, v in guardrail.where)
        message = (
            f"container {container.container_id} holds {count} {which} objects{condition}; the "
            f"documented guardrail is {guardrail.max}"
        )
        found.append(Violation(base, message, "guardrail"))
    return found


def _fit(placement: dict[str, Any], representation: dict[str, Any], at: str) -> list[Violation]:
    """How one representation disagrees with the placement it names (the placement's members)."""
    found = []
    named = placement.get("@id")
    channel, wanted = representation.get("xdm:channel"), placement.get("xdm:channel")
    if isinstance(channel, str) and isinstance(wanted, str) and channel != wanted:
        message = f"the channel {channel} is not the channel of placement {named}, {wanted}"
        found.append(Violation(f"{at}/xdm:channel", message, "placement-fit"))
    component_type = placement.get("xdm:componentType")
    content_types = placement.get("xdm:contentTypes")
    for index, component in enumerate(representation.get("xdm:components", [])):
        if not isinstance(component, dict):
            continue
        sent = component.get("@type")
        if isinstance(component_type, str) and isinstance(sent, str) and sent != component_type:
            message = f"a {sent} component cannot go in placement {named}, of {component_type}"
            found.append(Violation(f"{at}/xdm:components/{index}/@type", message, "placement-fit"))
        media = component.get("dc:format")
        if (
            isinstance(content_types, list)
            and isinstance(media, str)
            and media not in content_types
        ):
            listed = ", ".join(map(str, content_types))
            message = f"{media} is not a content type of placement {named} ({listed})"
            where = f"{at}/xdm:components/{index}/dc:format"
            found.append(Violation(where, message, "placement-fit"))
    return found


def placement_fit_warnings(
    container: Container, instance: object, base: str = ""
) -> list[Violation]:
    """``placement-fit`` warnings of an object about to be stored, with their pointers.

    A representation unlike the placement it names (channel, component type, content
    type); a decision whose fallback has no representation for one of its placements.
    """
    found: list[Violation] = []
    for at, representation in values_at(instance, "/xdm:representations/*"):
        if not isinstance(representation, dict):
            continue
        placement = container.by_at_id(str(representation.get("xdm:placement")))
        if placement is not None:
            found += _fit(placement["_instance"], representation, base + at)
    fallback_ids = values_at(instance, "/xdm:fallback")
    fallback_id = fallback_ids[0][1] if fallback_ids else None
    fallback = container.by_at_id(fallback_id) if isinstance(fallback_id, str) else None
    if fallback is None:
        return found
    covered = {
        v for _, v in values_at(fallback["_instance"], "/xdm:representations/*/xdm:placement")
    }
    for at, placement_id in values_at(instance, "/xdm:criteria/*/xdm:placements/*"):
        if isinstance(placement_id, str) and placement_id not in covered:
            message = (
                f"the fallback {fallback_id} has no representation for placement {placement_id} "
                f"({at.lstrip('/')}); give it one, so the decision can fall back there"
            )
            found.append(Violation(base + "/xdm:fallback", message, "placement-fit"))
    return found
