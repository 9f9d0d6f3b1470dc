"""Which stored kind a document is, from its content alone (lint's inference, the fake's seeding).

The table of stored kinds says how: a stored instance names its kind in ``schemas[0]`` (else by
its ``_instance``'s ``@id``), a body by its ``@id`` prefix, else by the signature members of
each kind in the table's priority order. The signatures are precomputed sets, so telling the
kind costs a few set look-ups per document, whatever the number of kinds.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from contract_kit.core.object_kinds import ObjectKind, kind_of_id, kind_of_schema_id, object_kinds

__all__ = ["infer_kind"]

#: The namespace the kinds' own members live in: a member outside it (a vendor's ``acme:color``)
#: never stops a body from being the kind whose signature is all it owns.
_OWNED_PREFIX = "xdm:"


class _Signature(NamedTuple):
    kind: ObjectKind
    members: frozenset[str]
    only: bool


@functools.cache
def _signatures() -> tuple[_Signature, ...]:
    ordered = sorted(object_kinds(), key=lambda kind: kind.detect.priority)
    return tuple(
        _Signature(kind, frozenset(kind.detect.signature), kind.detect.only) for kind in ordered
    )


def _kind_of_at_id(value: object) -> ObjectKind | None:
    return kind_of_id(value) if isinstance(value, str) else None


def _kind_of_schemas(schemas: object) -> ObjectKind | None:
    if not isinstance(schemas, list) or not schemas or not isinstance(schemas[0], str):
        return None
    return kind_of_schema_id(schemas[0])


def _by_signature(body: dict[object, object]) -> ObjectKind | None:
    for signature in _signatures():
        if signature.only:
            owned = {
                name for name in body if isinstance(name, str) and name.startswith(_OWNED_PREFIX)
            }
            if owned and owned <= signature.members:
                return signature.kind
        elif not signature.members.isdisjoint(body):
            return signature.kind
    return None


def _body_kind(body: dict[object, object]) -> ObjectKind | None:
    return _kind_of_at_id(body.get("@id")) or _by_signature(body)


def infer_kind(value: object) -> str | None:
    """The bundled kind of a stored object's document (body or instance), or None.

    A stored instance (``instanceId`` and ``_instance``) gives ``<kind>-instance``; a create
    body, bare or in its HAL envelope (``_instance``), gives ``<kind>``. Anything else (a
    patch, headers, a receipt, an error, a page of results) is None: those are told apart by
    their own shapes.
    """
    if not isinstance(value, dict):
        return None
    inner = value.get("_instance")
    if "instanceId" in value:
        if not isinstance(inner, dict):
            return None
        kind = _kind_of_schemas(value.get("schemas")) or _body_kind(inner)
        return None if kind is None else kind.instance_kind
    if "_embedded" in value:
        return None
    kind = _body_kind(inner if isinstance(inner, dict) else value)
    return None if kind is None else kind.body_kind
