"""The answer for a valid instance at about the cost of one jsonschema-rs call.

Most instances checked are valid, and for them :func:`contract_kit.violations` needs only a
yes. A kind's :func:`valid_path` asks it in one call: jsonschema-rs checks the kind's schema
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

__all__ = ["Silent", "ValidPath", "valid_path"]

#: A yes-or-no question about an instance. jsonschema-rs's may raise ``ValueError``,
#: ``TypeError`` or ``OverflowError`` for a value that is not JSON as Rust reads it: a doubt,
#: never a yes.
Silent = Callable[[object], bool]
#: ``(is_valid, holds)``: an instance breaks no rule of the kind when ``is_valid(instance)``
#: and, unless ``holds`` is None, ``holds(instance)`` (two calls, not one joined in a
#: Python frame: jsonschema-rs's method alone is most kinds' whole path).
ValidPath = tuple[Silent, Silent | None]

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

    from contract_kit.core.schema_check import format_options, formats_as_patterns
    from contract_kit.core.schema_export import shared_export

    # The export's subschemas are made afresh for each call: they are changed in place.
    exported = shared_export(kind)
    left = formats_as_patterns(exported)
    schema = {key: value for key, value in exported.items() if key not in _DOCUMENT_KEYWORDS}
    document = {"$schema": _DRAFT, "allOf": [schema, *conditions]}
    # Only the conditions are walked for a format when the schema has none left.
    options = format_options([document] if left else conditions)
    return jsonschema_rs.validator_for(document, **options)


def valid_path(entry: Kind) -> ValidPath:
    """The valid path of a bundled kind (for a kind given as headers, its code decides)."""
    if entry.form != "json":
        return _never, None
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
    return _validator(entry.name, conditions).is_valid, _joined(predicates)


def _joined(predicates: list[Silent]) -> Silent | None:
    """Every predicate holds, in as few Python frames as their count allows."""
    if not predicates:
        return None
    if len(predicates) == 1:
        return predicates[0]
    if len(predicates) == 2:  # an instance kind's date order and one more
        first, second = predicates
        return lambda instance: first(instance) and second(instance)
    return lambda instance: all(holds(instance) for holds in predicates)
