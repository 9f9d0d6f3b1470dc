"""Which stored kind a call is about: what its Content-Type or its ``schema=`` names.

Writes name the kind in the Content-Type's ``schema`` parameter, queries in ``schema=``;
the schema id alone decides (its version is the request checks' business). A call naming no
kind the table knows gets None, and the handler falls back on the stored object's kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract_kit.core.call_kind import content_type_kind
from contract_kit.core.object_kinds import ObjectKind, kind_of_schema_id, object_kind

if TYPE_CHECKING:
    from contract_kit.api.request_check import CallCheck
    from contract_kit.fake.exchange import FakeRequest

__all__ = ["DEFAULT_KIND", "queried_kind", "written_kind"]

#: The kind of a call naming none: the one kind the API had before the others were added.
DEFAULT_KIND = "fallback-offer"


def written_kind(request: FakeRequest) -> ObjectKind | None:
    """The kind a create or PUT names in its Content-Type's ``schema``, or None."""
    sent = request.header("Content-Type")
    return None if sent is None else content_type_kind(sent)


def queried_kind(check: CallCheck) -> ObjectKind:
    """The kind a lookup or search names in ``schema=`` (its first one)."""
    schemas = check.query_values("schema")
    named = kind_of_schema_id(schemas[0]) if schemas else None
    return named or object_kind(DEFAULT_KIND)
