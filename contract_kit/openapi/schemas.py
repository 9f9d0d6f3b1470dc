"""The bundled schemas as OpenAPI components: exported self-contained, then fitted to OpenAPI.

Each comes from :func:`~contract_kit.core.schema_export.export_schema`, so the document and
``contract-kit schema`` never disagree. Then:

- ``$schema``, ``$id`` and ``$comment`` go: OpenAPI 3.1's dialect is already 2020-12, the
  ``$id`` would only give resolvers a base URI to misread, and the comment's list of code-only
  rules is said per operation instead (``x-contract-kit-rules``);
- ``x-rule`` comes back on every subschema whose bundled original names one, so that a tool
  can name the rule a value breaks (the export drops ``x-`` keywords for strict validators;
  OpenAPI allows them);
- a request body with the two envelope forms is split, one schema per form, and reshaped for
  generators (:mod:`contract_kit.openapi.reshape`).
"""

from __future__ import annotations

from typing import Any

from contract_kit.core.references import resolve
from contract_kit.core.schema_bundle import (
    LIST_KEYWORDS,
    MAP_KEYWORDS,
    SCHEMA_KEYWORDS,
    load_schema,
    schema_uri,
)
from contract_kit.core.schema_export import export_schema
from contract_kit.openapi.reshape import reshape
from contract_kit.openapi.warnings import relax

__all__ = ["ENVELOPE", "body_forms", "exported", "split"]

#: The member a HAL envelope holds the instance under (docs/contract.md "Envelope").
ENVELOPE = "_instance"
_DOCUMENT_KEYWORDS = frozenset({"$schema", "$id", "$comment"})


def _rules_back(raw: Any, out: Any, base: str, seen: tuple[str, ...]) -> None:
    """Copy each ``x-rule`` of ``raw`` onto the same subschema of its export ``out``."""
    if not (isinstance(raw, dict) and isinstance(out, dict)):
        return
    if isinstance(raw.get("x-rule"), str):
        out.setdefault("x-rule", raw["x-rule"])
    offset = 0
    reference = raw.get("$ref")
    if isinstance(reference, str):
        target = resolve(reference, base)
        if target.location in seen:
            return
        # The export makes a $ref with siblings an allOf led by the target, else the target.
        own = [k for k in raw if k not in {"$ref", "$defs"} and not k.startswith("x-")]
        kept = bool(own or raw.get("x-expected") or raw.get("x-message"))
        inner = out.get("allOf", [None])[0] if kept else out
        _rules_back(target.schema, inner, target.uri, (*seen, target.location))
        offset = int(kept)
    _keywords_back(raw, out, base, seen, offset)


def _keywords_back(
    raw: dict[str, Any], out: dict[str, Any], base: str, seen: tuple[str, ...], offset: int
) -> None:
    """:func:`_rules_back` into each subschema; ``offset`` skips an allOf the export led."""
    for key, value in raw.items():
        mine = out.get(key)
        if key in MAP_KEYWORDS and isinstance(value, dict) and isinstance(mine, dict):
            for name, sub in value.items():
                _rules_back(sub, mine.get(name), base, seen)
        elif key in SCHEMA_KEYWORDS:
            _rules_back(value, mine, base, seen)
        elif key in LIST_KEYWORDS and isinstance(value, list) and isinstance(mine, list):
            for sub, counterpart in zip(value, mine[offset:], strict=False):
                _rules_back(sub, counterpart, base, seen)


def exported(kind: str) -> dict[str, Any]:
    """The schema of ``kind`` as a component: exported, fitted (see the module's docstring)."""
    schema = export_schema(kind)
    _rules_back(load_schema(kind), schema, schema_uri(kind), (schema_uri(kind) + "#",))
    return {key: value for key, value in schema.items() if key not in _DOCUMENT_KEYWORDS}


def split(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The ``then`` and ``else`` of a top-level ``if``/``then``/``else`` schema, or None.

    Both kinds with two shapes say which one applies with a top-level condition: the error
    (gateway body or problem) and a body sent bare or in its envelope.
    """
    if not {"if", "then", "else"} <= set(schema):
        return None
    head = {k: v for k, v in schema.items() if k in {"title", "description"}}
    return {**head, **schema["then"]}, {**head, **schema["else"]}


def body_forms(kind: str) -> dict[str, dict[str, Any]]:
    """The request schema of ``kind`` per body form: ``envelope`` and ``bare``, or ``body``.

    A bare body may not hold an ``_instance`` member, which keeps the two forms apart exactly
    as the bundled schema's condition does.
    """
    schema = relax(exported(kind))  # before reshape, which turns a warning's not {} into false
    condition = schema.get("if")
    forms = split(schema)
    if forms is None or not isinstance(condition, dict) or condition.get("required") != [ENVELOPE]:
        return {"body": reshape(schema)}
    envelope, bare = forms
    bare["properties"] = {**bare.get("properties", {}), ENVELOPE: False}
    return {"envelope": reshape(envelope), "bare": reshape(bare)}
