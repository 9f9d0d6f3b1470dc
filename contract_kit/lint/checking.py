"""Check one payload: a fast verdict for the many valid files, the engine's words for the rest.

The verdict comes from jsonschema-rs (about 2 µs a payload) plus the rules only code states;
python-jsonschema is imported and run only for a payload that fails, through
:func:`contract_kit.violations`, so every message and rule id is the engine's own. The schema
is compiled here rather than through ``schema_check.validator_for``, which also builds the
explaining validator and so would import python-jsonschema for every run.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin

from contract_kit.code_rules import date_order, duplicate_placements, each_result
from contract_kit.formats import FORMATS
from contract_kit.schema_bundle import kinds, load_schema, subschemas

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from contract_kit.violation import Violation

__all__ = ["payload_violations", "prepare"]

# The rules only code checks, per kind, as contract_kit.checks runs them; a test holds the
# two to the same verdicts over every example file.
_CODE_RULES: dict[str, tuple[Callable[[object], Iterable[Violation]], ...]] = {
    "fallback-offer": (duplicate_placements,),
    "receipt": (date_order,),
    "fallback-offer-instance": (date_order, duplicate_placements),
    "search-results": (each_result(date_order), each_result(duplicate_placements)),
}
_SUFFIX = ".schema.json"
# Headers are checked by code through and through (media types parsed, names folded).
_ALWAYS_EXPLAINED = frozenset({"request-headers"})


def _refuse_remote(uri: str) -> Any:
    raise ValueError(f"the $ref {uri!r} points outside contract_kit's bundled schemas")


def _referenced(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The other bundled schemas ``schema`` refers to, directly or not.

    A bundled schema's file, and so the last segment of its ``$id``, is its kind's name; only
    those are loaded, which keeps linting one fallback offer from reading every schema.
    """
    found: dict[str, dict[str, Any]] = {schema["$id"]: schema}
    pending = [schema]
    while pending:
        current = pending.pop()
        for _, sub in subschemas(current):
            reference = sub.get("$ref")
            if not isinstance(reference, str):
                continue
            uri = urldefrag(urljoin(current["$id"], reference))[0]
            kind = uri.rsplit("/", 1)[-1].removesuffix(_SUFFIX)
            if uri not in found and kind in kinds():
                found[uri] = load_schema(kind)
                pending.append(found[uri])
    return [other for uri, other in found.items() if uri != schema["$id"]]


@functools.cache
def _fast_validator(kind: str) -> Any:
    import jsonschema_rs

    schema = load_schema(kind)
    others = _referenced(schema)
    return jsonschema_rs.validator_for(
        schema,
        registry=jsonschema_rs.Registry(
            [(other["$id"], other) for other in others], retriever=_refuse_remote
        )
        if others
        else None,
        retriever=_refuse_remote,
        formats=dict(FORMATS),
        validate_formats=True,
        ignore_unknown_formats=False,
    )


def _passes(kind: str, value: object) -> bool:
    if kind in _ALWAYS_EXPLAINED:
        return False
    try:
        if not _fast_validator(kind).is_valid(value):
            return False
    except (ValueError, TypeError, OverflowError):  # not JSON as Rust reads it: explain
        return False
    return not any(True for rule in _CODE_RULES.get(kind, ()) for _ in rule(value))


def payload_violations(kind: str, value: object) -> list[Violation]:
    """Every violation of ``value`` as a ``kind``: exactly ``contract_kit.violations``."""
    if _passes(kind, value):
        return []
    from contract_kit.checks import violations

    return violations(kind, value)


def prepare() -> None:
    """Compile every fast validator now (before worker processes fork, so they share them)."""
    for kind in kinds():
        if kind not in _ALWAYS_EXPLAINED:
            _fast_validator(kind)
