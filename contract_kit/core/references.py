"""Where a ``$ref`` of a bundled schema leads, resolved inside the bundle and nowhere else.

The engine (which documents a validator needs), the schema export (which inlines every
reference) and the strategies (which follow references to build values) all resolve through
:func:`resolve`, so they agree on what a reference means and refuse the same ones.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple
from urllib.parse import urldefrag, urljoin

from contract_kit.core.schema_bundle import kinds, load_schema, schema_uri, subschemas
from contract_kit.core.violation import split_pointer
from contract_kit.errors import SchemaBundleError

__all__ = ["Target", "bundled_document", "referenced", "resolve"]

_SUFFIX = ".schema.json"


@functools.cache
def bundled_document(uri: str) -> dict[str, Any] | None:
    """The bundled schema whose ``$id`` is ``uri``, or None; one shared copy, never to change.

    A bundled schema's file, and so the last segment of its ``$id``, is its kind's name: only
    the schema asked for is read, which keeps a one-file lint from loading every schema.
    """
    kind = uri.rsplit("/", 1)[-1].removesuffix(_SUFFIX)
    if kind in kinds() and schema_uri(kind) == uri:
        return load_schema(kind)
    return None


class Target(NamedTuple):
    """What a reference names: the document's ``$id``, the pointer in it, and the subschema."""

    uri: str
    fragment: str
    schema: Any

    @property
    def location(self) -> str:
        """``uri#fragment``: the same place however the reference was spelt."""
        return f"{self.uri}#{self.fragment}"


def resolve(reference: str, base: str) -> Target:
    """The subschema ``reference`` names, read against the ``$id`` ``base``.

    A reference that leaves the bundle, or whose pointer names nothing, is a
    :class:`~contract_kit.errors.SchemaBundleError` (a packaging bug, never a pass).
    """
    uri, fragment = urldefrag(urljoin(base, reference))
    node: Any = bundled_document(uri)
    if node is None:
        raise SchemaBundleError(
            f"the $ref {reference!r} (from {base}) points outside contract_kit's bundled schemas"
        )
    try:
        for token in split_pointer(fragment):
            node = node[int(token)] if isinstance(node, list) else node[token]
    except (KeyError, IndexError, ValueError, TypeError):
        node = None
    if not isinstance(node, dict | bool):
        raise SchemaBundleError(
            f"the $ref {reference!r} (from {base}) names nothing in {uri.rsplit('/', 1)[-1]}"
        )
    return Target(uri, fragment, node)


def referenced(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``schema`` (if it has an ``$id``) and the bundled schemas it refers to, by ``$id``.

    References that leave the bundle are left for the validator's build to refuse, naming
    where they are.
    """
    found: dict[str, dict[str, Any]] = {}
    if isinstance(schema.get("$id"), str):
        found[schema["$id"]] = schema
    pending = [schema]
    while pending:
        for uri in _references_of(pending.pop()):
            document = bundled_document(uri) if uri not in found else None
            if document is not None:
                found[uri] = document
                pending.append(document)
    return found


def _references_of(document: dict[str, Any]) -> tuple[str, ...]:
    """The documents ``document``'s references lead to, in the order they are first met."""
    uri = document.get("$id")
    if isinstance(uri, str) and bundled_document(uri) is document:
        return _bundled_references(uri)
    return _document_references(document)


@functools.cache
def _bundled_references(uri: str) -> tuple[str, ...]:
    """A bundled document's references, walked once per process: the kinds share documents."""
    document = bundled_document(uri)
    return () if document is None else _document_references(document)


def _document_references(document: dict[str, Any]) -> tuple[str, ...]:
    base = document.get("$id", "")
    written = dict.fromkeys(
        sub["$ref"] for _, sub in subschemas(document) if isinstance(sub.get("$ref"), str)
    )
    return tuple(dict.fromkeys(urldefrag(urljoin(base, reference))[0] for reference in written))
