r"""``contract-kit schema KIND``: a bundled schema made self-contained, for other tools.

Editors, IDEs and validators such as check-jsonschema get one document they can use offline:

- every ``$ref`` is inlined (a reference with sibling keywords becomes an ``allOf``), and the
  ``$defs`` nothing refers to any more are dropped;
- contract_kit's own annotations become standard ones: ``x-expected`` and ``x-message`` turn
  into a ``description`` naming the rule id, which editors show on hover, and ``x-*``
  keywords, which strict validators refuse, are removed;
- every ``pattern`` is checked to use only regular-expression syntax that ECMA-262, Python's
  ``re`` and RE2 read alike (no ``\d``, ``\w``, lookbehind, named groups...);
- the top-level ``$comment`` names the rules only code can check, which no schema validator
  will report.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from contract_kit.core.kinds import code_only_rules
from contract_kit.core.references import bundled_document, resolve
from contract_kit.core.rule_catalogue import RULES
from contract_kit.core.schema_bundle import (
    LIST_KEYWORDS,
    MAP_KEYWORDS,
    SCHEMA_KEYWORDS,
    check_kind,
    load_schema,
    schema_uri,
)
from contract_kit.errors import SchemaBundleError

if TYPE_CHECKING:
    from contract_kit.core.references import Target

__all__ = ["export_schema", "shared_export"]

_DOCUMENT_KEYWORDS = frozenset({"$id", "$schema", "$defs", "$comment"})
# Escaped characters that mean themselves in every engine (not \\d, \\w, \\b...).
_LITERAL_ESCAPES = frozenset(".\\/-+*?()[]{}|^$")
_QUANTIFIER = re.compile(r"\{[0-9]+(,[0-9]*)?\}")


def _portable(pattern: str) -> bool:  # noqa: C901 - one branch per construct, read top to bottom
    """Whether ``pattern`` reads the same in ECMA-262 (Unicode mode), Python ``re`` and RE2.

    Allowed: literal characters, escaped metacharacters, classes of those (a negated class
    such as ``[^/]`` stands for "anything but"), ``(``, ``(?:``, ``|``, quantifiers, ``^``
    first and ``$`` last. Not ``.``: which line terminators it skips depends on the engine.
    """
    index, in_class, last = 0, False, len(pattern) - 1
    while index <= last:
        char = pattern[index]
        if char == "\\":
            if pattern[index + 1 : index + 2] not in _LITERAL_ESCAPES or index == last:
                return False
            index += 2
            continue
        if in_class:
            if char == "[":
                return False
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += pattern.startswith("^", index + 1)
            if pattern.startswith("]", index + 1):
                return False
        elif (
            char == "."  # ECMA-262's stops at \r, U+2028 and U+2029; Python's and RE2's do not
            or (char == "^" and index != 0)
            or (char == "$" and index != last)
            or (pattern.startswith("(?", index) and not pattern.startswith("(?:", index))
        ):
            return False
        elif char == "{":
            quantifier = _QUANTIFIER.match(pattern, index)
            if quantifier is None:
                return False
            index = quantifier.end()
            continue
        index += 1
    return not in_class


#: The patterns found portable already: the kinds share most of theirs.
_PORTABLE: set[str] = set()


def _check_pattern(pattern: str, where: str) -> None:
    if pattern in _PORTABLE:
        return
    if _portable(pattern):
        _PORTABLE.add(pattern)
    else:
        raise SchemaBundleError(
            f"{where}: pattern {pattern!r} uses syntax that regex engines read differently; "
            "use explicit classes such as [0-9], plain groups, and ^ and $ at the ends only"
        )


#: Where each reference read against each base leads: the kinds share their references,
#: and joining URLs costs most of an export (the linter exports every kind it meets).
_TARGETS: dict[tuple[str, str], Target] = {}


class _Inliner:
    def __init__(self, kind: str) -> None:
        self.kind = kind

    def resolve(self, reference: str, base: str, seen: tuple[str, ...]) -> Any:
        target = _TARGETS.get((reference, base))
        if target is None:
            try:
                target = _TARGETS[reference, base] = resolve(reference, base)
            except SchemaBundleError as error:
                raise SchemaBundleError(f"{self.kind}: {error}") from error
        if target.location in seen:
            raise SchemaBundleError(
                f"{self.kind}: the $ref {reference!r} is recursive and cannot be inlined"
            )
        inlined = self.schema(target.schema, target.uri, (*seen, target.location))
        return {k: v for k, v in inlined.items() if k not in _DOCUMENT_KEYWORDS}

    def keyword(self, key: str, value: Any, base: str, seen: tuple[str, ...]) -> Any:
        if key in MAP_KEYWORDS:
            return {name: self.schema(sub, base, seen) for name, sub in value.items()}
        if key in SCHEMA_KEYWORDS:
            return self.schema(value, base, seen)
        if key in LIST_KEYWORDS:
            return [self.schema(sub, base, seen) for sub in value]
        if key == "pattern":
            _check_pattern(value, f"{self.kind}.schema.json")
        return value

    def schema(self, node: Any, base: str, seen: tuple[str, ...]) -> Any:
        if not isinstance(node, dict):
            return node
        result = {
            key: self.keyword(key, value, base, seen)
            for key, value in node.items()
            if key not in {"$ref", "$defs"} and not key.startswith("x-")
        }
        _describe(node, result)
        if "$ref" not in node:
            return result
        target = self.resolve(node["$ref"], base, seen)
        if not result:
            return target
        result["allOf"] = [target, *result.get("allOf", [])]
        return result


def _describe(node: dict[str, Any], result: dict[str, Any]) -> None:
    said = node.get("x-expected") or node.get("x-message")
    if said and "description" not in result:
        rule = node.get("x-rule")
        result["description"] = f"{said} (rule {rule})" if rule else str(said)


def _comment(kind: str) -> str:
    code_only = code_only_rules(kind)
    if code_only:
        listed = "; ".join(f"{rule}: {RULES[rule]}" for rule in code_only)
        rules = (
            f"Rules only code checks, which no schema validator reports (contract-kit lint "
            f"does): {listed}"
        )
    else:
        rules = "This schema states every rule of the kind."
    return (
        f"Exported by contract-kit schema {kind}: the bundled schema with every $ref inlined, "
        "to use offline. Patterns are ECMA-262 regular expressions, as JSON Schema says ($ "
        "ends the string, never before a final newline as in Python's re); "
        "formats (date-time, uri, uri-reference, uuid) are as RFC 3339, RFC 3986 and RFC 4122 "
        f"define them. {rules}"
    )


def export_schema(kind: str) -> dict[str, Any]:
    """The bundled schema of ``kind``, self-contained (see the module's docstring)."""
    return _exported(kind, load_schema(check_kind(kind)))


def shared_export(kind: str) -> dict[str, Any]:
    """:func:`export_schema`'s document, made without copying the bundled schema first.

    Its subschemas are its own, but the values of other keywords (``required``'s names,
    ``enum``'s values...) are those of the bundle's one shared copy: for a caller that changes
    its subschemas at most (as :func:`contract_kit.core.valid_path.valid_path` does).
    """
    uri = schema_uri(check_kind(kind))
    return _exported(kind, bundled_document(uri) or load_schema(kind))


def _exported(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    body = _Inliner(kind).schema(schema, schema["$id"], (schema["$id"] + "#",))
    head = {key: schema[key] for key in ("$schema", "$id", "title", "description") if key in schema}
    rest = {key: value for key, value in body.items() if key not in head and key != "$comment"}
    return {**head, "$comment": _comment(kind), **rest}
