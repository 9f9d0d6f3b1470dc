r"""Request schemas rewritten so that data generators can use them, meaning unchanged.

A schema that is right for validation can still starve a generator: schemathesis gives up on
a ``propertyNames`` of ``anyOf: [{enum}, {not: {pattern}}]`` after filtering too many drawn
objects. Each rewrite here is an equivalence that generators handle natively:

- ``propertyNames: {anyOf: [{enum: KNOWN}, {not: {pattern: "^(a|b)"}}]}`` becomes one
  ``pattern`` that matches a known name, or a name that starts with none of the prefixes;
- ``{if: {minLength: n}, then: T}`` becomes ``{anyOf: [{maxLength: n - 1}, T]}``;
- ``{not: {}}`` (a member that must be absent) becomes ``false``.

Only request bodies are reshaped: answers are only validated, never generated.
"""

from __future__ import annotations

import re
from typing import Any

from contract_kit.core.schema_bundle import LIST_KEYWORDS, MAP_KEYWORDS, SCHEMA_KEYWORDS

__all__ = ["PATTERN_NOTE", "reshape"]

#: Said next to every pattern made here: the one place where engines disagree.
PATTERN_NOTE = (
    "ECMA-262 pattern: $ ends the name. Python's re also matches $ before a final newline, "
    "so a reader built on it would take a known name followed by a newline."
)
# A prefix alternation such as ^(xdm:|dc:|repo:|@), with plain characters only.
_PREFIXES = re.compile(r"\^\((?:\?:)?((?:[^\\()\[\]|.*+?{}^$]+\|)*[^\\()\[\]|.*+?{}^$]+)\)")
_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
_CLASS_SYNTAX = frozenset("\\]^-")
# Keywords that say something about a schema without changing what it accepts.
_ANNOTATIONS = frozenset({"description", "title", "x-rule"})


def _literal(text: str, syntax: frozenset[str] = _SYNTAX) -> str:
    # Only the characters that are syntax: ECMA-262's Unicode mode refuses other escapes.
    return "".join(f"\\{char}" if char in syntax else char for char in text)


def _outside(prefixes: list[str], start: str = "") -> list[str]:
    """Alternatives matching the names that begin with ``start`` and with none of ``prefixes``."""
    if start in prefixes:
        return []
    following = sorted({p[len(start)] for p in prefixes if p.startswith(start) and p != start})
    branches = [f"{_literal(start)}$"]
    branches.append(f"{_literal(start)}[^{_literal(''.join(following), _CLASS_SYNTAX)}]")
    for char in following:
        branches.extend(_outside(prefixes, start + char))
    return branches


def _names_pattern(names: Any) -> dict[str, Any] | None:
    """One ``pattern`` for ``anyOf: [{enum}, {not: {pattern}}]``, or None for another shape."""
    if not isinstance(names, dict) or set(names) - _ANNOTATIONS != {"anyOf"}:
        return None
    branches = names["anyOf"]
    if not (isinstance(branches, list) and len(branches) == 2):
        return None
    known, refused = branches
    excluded = refused.get("not") if isinstance(refused, dict) and len(refused) == 1 else None
    if not (isinstance(known, dict) and list(known) == ["enum"] and isinstance(excluded, dict)):
        return None
    prefixes = _PREFIXES.fullmatch(str(excluded.get("pattern", "")))
    if list(excluded) != ["pattern"] or prefixes is None:
        return None
    if not all(isinstance(name, str) for name in known["enum"]):
        return None
    alternatives = [f"{_literal(name)}$" for name in known["enum"]]
    alternatives += _outside(prefixes[1].split("|"))
    kept = {key: value for key, value in names.items() if key != "anyOf"}
    return {"pattern": f"^(?:{'|'.join(alternatives)})", **kept}


def _is_absent(node: dict[str, Any]) -> bool:
    return node.get("not") == {} and set(node) - _ANNOTATIONS == {"not"}


def reshape(node: Any) -> Any:
    """``node`` with every rewrite of the module's docstring applied, in every subschema."""
    if not isinstance(node, dict):
        return node
    if _is_absent(node):
        return False
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in MAP_KEYWORDS and isinstance(value, dict):
            result[key] = {name: reshape(sub) for name, sub in value.items()}
        elif key in SCHEMA_KEYWORDS:
            result[key] = reshape(value)
        elif key in LIST_KEYWORDS and isinstance(value, list):
            result[key] = [reshape(sub) for sub in value]
        else:
            result[key] = value
    names = _names_pattern(result.get("propertyNames"))
    if names is not None:
        result["propertyNames"] = names
        result["x-contract-kit-pattern-note"] = PATTERN_NOTE
    condition = result.get("if")
    if (
        isinstance(condition, dict)
        and list(condition) == ["minLength"]
        and "then" in result
        and "else" not in result
    ):
        shorter = {"maxLength": condition["minLength"] - 1}
        del result["if"]
        either = [shorter, result.pop("then")]
        if "anyOf" in result:
            result["allOf"] = [*result.get("allOf", []), {"anyOf": either}]
        else:
            result["anyOf"] = either
    return result
