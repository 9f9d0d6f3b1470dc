"""Check one instance of a bundled kind: its schema, then the rules only code can state.

Order of the result (documented, stable): by pointer, with array indices compared as numbers
and members as strings, then by rule id, then by message; repeats are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract_kit.core.code_rules import date_order, duplicate_placements, each_result
from contract_kit.core.schema_bundle import check_kind
from contract_kit.core.schema_check import schema_violations
from contract_kit.core.violation import Violation, sort_violations

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["violations"]

_CODE_RULES: dict[str, tuple[Callable[[object], Iterable[Violation]], ...]] = {
    "fallback-offer": (duplicate_placements,),
    "receipt": (date_order,),
    "fallback-offer-instance": (date_order, duplicate_placements),
    "search-results": (each_result(date_order), each_result(duplicate_placements)),
}


def violations(kind: str, instance: object) -> list[Violation]:
    """Every way ``instance`` breaks the contract of ``kind``, in the documented order.

    ``kind`` is one of :func:`contract_kit.kinds`. For ``"request-headers"`` the instance is
    a mapping or a list of ``(name, value)`` pairs; for the others, a parsed JSON value.
    """
    kind = check_kind(kind)
    if kind == "request-headers":
        from contract_kit.core.headers import header_violations  # a payload check never needs it

        return sort_violations(header_violations(instance))
    found = schema_violations(kind, instance)
    for rule in _CODE_RULES.get(kind, ()):
        found.extend(rule(instance))
    return sort_violations(found)
