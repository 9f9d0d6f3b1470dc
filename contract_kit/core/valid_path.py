"""The answer for a valid instance at about the cost of one jsonschema-rs call.

Most instances checked are valid, and for them :func:`contract_kit.violations` needs only a
yes. A kind's :func:`silent` asks it in one call: jsonschema-rs checks the kind's schema
(every ``$ref`` inlined, as :func:`~contract_kit.core.schema_export.export_schema` makes it,
and each format as its pattern, as :func:`~contract_kit.core.schema_check.pattern_form` does)
together with the schema conditions of its code rules'
:class:`~contract_kit.core.silences.Silence`; then the silences that are predicates run. A
code rule without a silence runs, and must report nothing. Any "no" or doubt (an instance
jsonschema-rs cannot read) leads to the full check, which finds and words the violations: so
the path changes no answer, only its cost (a property test holds the two to the same results).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from contract_kit.core.kinds import Kind
    from contract_kit.core.violation import Violation

__all__ = ["Silent", "silent"]

#: Whether an instance certainly breaks no rule of a kind. It may raise ``ValueError``,
#: ``TypeError`` or ``OverflowError`` for a value that is not JSON as Rust reads it: a doubt,
#: never a yes.
Silent = Callable[[object], bool]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_DOCUMENT_KEYWORDS = ("$schema", "$id", "$comment")


def _never(_instance: object) -> bool:
    return False


def _reports_nothing(check: Callable[[object], Iterable[Violation]]) -> Silent:
    return lambda instance: next(iter(check(instance)), None) is None


def _validator(kind: str, conditions: list[dict[str, Any]]) -> Any:
    """jsonschema-rs's validator of the kind's schema and ``conditions``, all in one document.

    The schema is a branch of its own in the ``allOf``, so no condition's ``properties``
    counts as evaluated for the schema's ``unevaluatedProperties``.
    """
    import jsonschema_rs

    from contract_kit.core.schema_check import format_options, pattern_form
    from contract_kit.core.schema_export import export_schema

    exported = pattern_form(export_schema(kind))
    schema = {key: value for key, value in exported.items() if key not in _DOCUMENT_KEYWORDS}
    document = {"$schema": _DRAFT, "allOf": [schema, *conditions]}
    return jsonschema_rs.validator_for(document, **format_options([document]))


def silent(entry: Kind) -> Silent:
    """The valid path of a bundled kind (for a kind given as headers, its code decides)."""
    if entry.form != "json":
        return _never
    conditions: list[dict[str, Any]] = []
    predicates: list[Silent] = []
    for check, silence in entry.silences:
        if silence is None:
            predicates.append(_reports_nothing(check))
            continue
        if silence.schema is not None:
            conditions.append(silence.schema)
        if silence.holds is not None:
            predicates.append(silence.holds)
    return _joined(_validator(entry.name, conditions).is_valid, predicates)


def _joined(is_valid: Silent, predicates: list[Silent]) -> Silent:
    """``is_valid`` then each predicate, in as few Python frames as the count allows."""
    if not predicates:
        return is_valid  # jsonschema-rs's own method: no Python frame at all
    if len(predicates) == 1:
        (holds,) = predicates
        return lambda instance: is_valid(instance) and holds(instance)
    if len(predicates) == 2:
        first, second = predicates
        return lambda instance: is_valid(instance) and first(instance) and second(instance)
    return lambda instance: is_valid(instance) and all(holds(instance) for holds in predicates)
