"""Which stored kind a whole document is, from its content alone (lint's inference).

A document is a stored instance (``instanceId`` and ``_instance``: ``<kind>-instance``), a
create body, bare or in its HAL envelope (``<kind>``), or something else. The table of stored
kinds decides which kind: :func:`~contract_kit.core.object_kinds.kind_of_instance` for an
instance (``schemas[0]``, else its ``@id``), :func:`~contract_kit.core.object_kinds.infer_kind`
for a body (its ``@id``, else the kinds' signature members by priority), the one inference
the fake's seeding uses too. Here is only which of the two a document is.
"""

from __future__ import annotations

from contract_kit.core.object_kinds import infer_kind as body_kind
from contract_kit.core.object_kinds import kind_of_instance

__all__ = ["infer_kind"]


def infer_kind(value: object) -> str | None:
    """The bundled kind of a stored object's document (body or instance), or None.

    A stored instance whose envelope names no kind is the kind its ``_instance`` shows.
    Anything else (a patch, headers, a receipt, an error, a page of results) is None: those
    are told apart by their own shapes.
    """
    if not isinstance(value, dict):
        return None
    if "instanceId" in value:
        inner = value.get("_instance")
        if not isinstance(inner, dict):
            return None
        kind = kind_of_instance(value) or body_kind(inner)
        return None if kind is None else kind.instance_kind
    if "_embedded" in value:
        return None
    found = body_kind(value)
    return None if found is None else found.body_kind
