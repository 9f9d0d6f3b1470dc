"""Which stored kind one call is about, from what the call itself says.

A create or PUT names its kind in the Content-Type's ``schema`` parameter; a PUT may leave it
out (Adobe's Postman collection: "optionally given"), and then the body shows it, if it can.
Lookups and searches name theirs in ``schema=``. Request checks, the fake and the recorder ask
here, so they agree on the kind of every call.
"""

from __future__ import annotations

import functools

from contract_kit.core.media_types import MediaType, MediaTypeError, parse_media_type
from contract_kit.core.object_kinds import (
    ObjectKind,
    SchemaName,
    infer_kind,
    read_schema_id,
    schema_prefix,
)
from contract_kit.core.operations import NAMED_KIND, Operation

__all__ = ["body_kind_of", "content_type_kind", "schema_parameter_names"]


def schema_parameter_names(schema: str) -> list[tuple[str, SchemaName]]:
    """The offer-management ids of a ``schema`` parameter, each with what it names.

    Adobe's Postman collection sends a space-separated list of schema ids; ids of other
    namespaces say nothing of the kind, so only offer-management ids are kept.
    """
    return [
        (value, read_schema_id(value))
        for value in schema.split()
        if value.startswith(schema_prefix())
    ]


def _media_type(content_type: str) -> MediaType | None:
    for single_quotes in (False, True):
        try:
            return parse_media_type(content_type, single_quotes=single_quotes)
        except MediaTypeError:
            continue
    return None


@functools.lru_cache(maxsize=256)
def content_type_kind(content_type: str) -> ObjectKind | None:
    """The stored kind a Content-Type's ``schema`` parameter names, if it names exactly one."""
    media_type = _media_type(content_type)
    schema = media_type.param("schema") if media_type is not None else None
    if schema is None:
        return None
    kinds = {n.kind.name: n.kind for _, n in schema_parameter_names(schema) if n.kind is not None}
    return next(iter(kinds.values())) if len(kinds) == 1 else None


def body_kind_of(operation: Operation, content_type: object, body: object = None) -> str | None:
    """The bundled kind the body of one call of ``operation`` is checked as, if it can be told.

    A create or PUT body is the kind its Content-Type names. A PUT without a ``schema``
    parameter is the kind its body shows (``@id``, or signature members); a body that shows
    none is checked as JSON in its envelope only, so None comes back.
    """
    if operation.body != NAMED_KIND:
        return operation.body
    kind = content_type_kind(content_type) if isinstance(content_type, str) else None
    if kind is None and not operation.schema_required and not _names_a_schema(content_type):
        kind = infer_kind(body)
    return kind.body_kind if kind is not None else None


def _names_a_schema(content_type: object) -> bool:
    if not isinstance(content_type, str):
        return False
    media_type = _media_type(content_type)
    return media_type is not None and media_type.param("schema") is not None
