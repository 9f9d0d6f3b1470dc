"""Check one instance of a bundled kind: its schema, then the rules only code can state.

Order of the result (documented, stable): by pointer, with array indices compared as numbers
and members as strings, then by rule id, then by message; repeats are dropped. The first
1000 violations are listed; past them, one violation per rule counts the rest
(:func:`contract_kit.core.limits.capped`).

A valid instance is answered by its kind's :mod:`~contract_kit.core.valid_path` (about one
jsonschema-rs call); any other goes through the full check, which finds and words each
violation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract_kit.core.kinds import kind_entry
from contract_kit.core.limits import MAX_EXPLAINED, capped
from contract_kit.core.schema_check import schema_violations
from contract_kit.core.violation import sort_violations

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from contract_kit.core.kinds import Kind
    from contract_kit.core.valid_path import ValidPath
    from contract_kit.core.violation import Violation

__all__ = ["all_violations", "violations"]

#: Each kind's valid path, built on its first check.
_VALID_PATHS: dict[str, ValidPath] = {}


def violations(kind: str, instance: object) -> list[Violation]:
    """Every way ``instance`` breaks the contract of ``kind``, in the documented order.

    ``kind`` is one of :func:`contract_kit.kinds`. For a kind given as headers
    (``"request-headers"``) the instance is a mapping or a list of ``(name, value)`` pairs,
    checked as a whole by its code; for the others, a parsed JSON value.
    """
    try:
        is_valid, holds = _VALID_PATHS[kind]
    except (KeyError, TypeError):  # a kind not seen yet, or no kind name at all
        is_valid, holds = _valid_path(kind)
    try:
        if is_valid(instance) and (holds is None or holds(instance)):
            return []
    except (ValueError, TypeError, OverflowError):
        pass  # not JSON as Rust reads it: the full check tells what it is
    return all_violations(kind_entry(kind), instance)


def _valid_path(kind: str) -> ValidPath:
    from contract_kit.core.valid_path import valid_path

    entry = kind_entry(kind)  # an unknown kind raises the error that lists the known ones
    found = _VALID_PATHS[entry.name] = valid_path(entry)
    return found


def all_violations(entry: Kind, instance: object) -> list[Violation]:
    """The full check of ``instance`` as a kind of ``entry``: every violation found and worded.

    Asked once the valid path said no (or doubted), so the schema's errors are listed without
    a verdict first (``screened``).
    """
    # The schema words only what can be listed: the rest is counted (see limits.capped).
    found = (
        schema_violations(entry.name, instance, limit=MAX_EXPLAINED, screened=True)
        if entry.form == "json"
        else []
    )
    for check in _checks(entry):
        found.extend(check(instance))
    return capped(sort_violations(found))


#: Each entry's checks (:attr:`Kind.checks` builds them anew on each call), by the entry's id,
#: with the entry itself so that an id reused by another object is never mistaken for it.
_CHECKS: dict[int, tuple[Kind, tuple[Callable[[object], Iterable[Violation]], ...]]] = {}


def _checks(entry: Kind) -> tuple[Callable[[object], Iterable[Violation]], ...]:
    known = _CHECKS.get(id(entry))
    if known is not None and known[0] is entry:
        return known[1]
    if len(_CHECKS) >= 64:  # entries made outside the bundle: keep it small
        _CHECKS.clear()
    checks = entry.checks
    _CHECKS[id(entry)] = (entry, checks)
    return checks
