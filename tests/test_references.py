"""Which bundled documents a schema's references lead to: every one, in the order first met."""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest

import contract_kit
from contract_kit.core.references import bundled_document, referenced
from contract_kit.core.schema_bundle import load_schema, schema_uri, subschemas


def _walked(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The documents found by walking every subschema of each document met, as first written."""
    found = {schema["$id"]: schema} if isinstance(schema.get("$id"), str) else {}
    pending = [schema]
    while pending:
        current = pending.pop()
        for _, sub in subschemas(current):
            if isinstance(sub.get("$ref"), str):
                uri = urldefrag(urljoin(current.get("$id", ""), sub["$ref"]))[0]
                document = bundled_document(uri) if uri not in found else None
                if document is not None:
                    found[uri] = document
                    pending.append(document)
    return found


@pytest.mark.parametrize("kind", contract_kit.kinds())
def test_a_bundled_schema_leads_to_what_a_full_walk_finds(kind: str) -> None:
    """The shared document and a fresh copy of it lead to the same documents, in one order."""
    shared = bundled_document(schema_uri(kind))
    assert shared is not None
    for schema in (shared, load_schema(kind)):
        assert list(referenced(schema).items()) == list(_walked(schema).items())


def test_a_schema_of_ones_own_leads_into_the_bundle() -> None:
    """Relative, absolute and repeated references are read against the schema's own $id."""
    offer = schema_uri("fallback-offer")
    schema = {
        "$id": "https://example.test/schemas/mine.json",
        "properties": {
            "a": {"$ref": offer},
            "b": {"items": {"$ref": f"{offer}#/$defs/none"}},
            "c": {"anyOf": [{"$ref": "#/$defs/d"}, {"$ref": "https://elsewhere.test/x.json"}]},
        },
        "$defs": {"d": {"$ref": schema_uri("error")}},
    }
    found = referenced(schema)
    assert list(found.items()) == list(_walked(schema).items())
    assert list(found)[:3] == [schema["$id"], offer, schema_uri("error")]
