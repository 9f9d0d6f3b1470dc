"""Check one instance of a bundled kind: its schema, then the rules only code can state.

Order of the result (documented, stable): by pointer, with array indices compared as numbers
and members as strings, then by rule id, then by message; repeats are dropped. The first
1000 violations are listed; past them, one violation per rule counts the rest
(:func:`contract_kit.core.limits.capped`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract_kit.core.kinds import kind_entry
from contract_kit.core.limits import MAX_EXPLAINED, capped
from contract_kit.core.schema_check import schema_violations
from contract_kit.core.violation import sort_violations

if TYPE_CHECKING:
    from contract_kit.core.violation import Violation

__all__ = ["violations"]


def violations(kind: str, instance: object) -> list[Violation]:
    """Every way ``instance`` breaks the contract of ``kind``, in the documented order.

    ``kind`` is one of :func:`contract_kit.kinds`. For a kind given as headers
    (``"request-headers"``) the instance is a mapping or a list of ``(name, value)`` pairs,
    checked as a whole by its code; for the others, a parsed JSON value.
    """
    entry = kind_entry(kind)
    # The schema words only what can be listed: the rest is counted (see limits.capped).
    found = (
        schema_violations(entry.name, instance, limit=MAX_EXPLAINED) if entry.form == "json" else []
    )
    for check in entry.checks:
        found.extend(check(instance))
    return capped(sort_violations(found))
