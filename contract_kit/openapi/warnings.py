"""Leave out of the document the constraints whose rule is a warning: the service takes them.

A tool reads every schema keyword as a refusal: schemathesis sends an empty ``x-user-token``
expecting a 4xx, and checks every answer against the schemas. A constraint of a warning rule
(``min-length``, ``unknown-key``, ``channel``, ``not-for-fallback``, …) is one the service, and so
the fake, does not enforce, so it goes, and the subschema says which rules it held in
``x-contract-kit-warnings``: editors and readers still see them, fuzzers do not refuse them.
"""

from __future__ import annotations

from typing import Any

from contract_kit.core.messages import rule_for
from contract_kit.core.rule_catalogue import severity_of
from contract_kit.core.schema_bundle import LIST_KEYWORDS, MAP_KEYWORDS, SCHEMA_KEYWORDS

__all__ = ["relax", "without_warnings"]

# The keywords that refuse a value; structure (properties, items, $ref, …) is walked, never cut.
# ``required`` is cut only where the schema marks it recommended (rule_for says which).
_REFUSING = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "enum",
        "const",
        "not",
        "propertyNames",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
        "required",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "uniqueItems",
        "additionalProperties",
    }
)


# Subschemas that are tested, not enforced: cutting inside them would change what they select.
_CONDITIONS = frozenset({"if", "not"})


def relax(node: Any) -> Any:
    """``node`` (a schema) without the constraints of warning rules, each named instead."""
    if not isinstance(node, dict):
        return node
    cut = {
        keyword: rule
        for keyword in node
        if keyword in _REFUSING and severity_of(rule := rule_for(keyword, node)) == "warning"
    }
    out: dict[str, Any] = {}
    for keyword, value in node.items():
        if keyword in cut:
            continue
        if keyword in MAP_KEYWORDS and isinstance(value, dict):
            out[keyword] = {name: relax(sub) for name, sub in value.items()}
        elif keyword in LIST_KEYWORDS and isinstance(value, list):
            out[keyword] = [relax(sub) for sub in value]
        elif keyword in SCHEMA_KEYWORDS and keyword not in _CONDITIONS:
            out[keyword] = relax(value)
        else:
            out[keyword] = value
    if cut:
        out["x-contract-kit-warnings"] = sorted(set(cut.values()))
    return out


def without_warnings(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every schema relaxed: its ``components.schemas`` and every ``schema``."""

    def walk(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            if key == "schema":
                return relax(node)
            if key == "schemas":
                return {name: relax(sub) for name, sub in node.items()}
            return {
                k: v if k in {"example", "examples"} or k.startswith("x-") else walk(v, k)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    relaxed: dict[str, Any] = walk(document)
    return relaxed
