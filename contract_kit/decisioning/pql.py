"""Evaluate the PQL subset against a profile, in three-valued logic, compiled once per text.

A comparison or string function that reads a missing attribute (or a JSON null), or values
of types that do not compare, is *unknown*; ``and``/``or``/``not`` follow Kleene's rules and
an offer qualifies only when its rule is *true*. So ``not (x = "CA")`` does not qualify a
profile without ``x``, exactly like ``x != "CA"``. Rules are compiled into closures the first
time a text is seen, so a decision never parses.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from contract_kit.core.formats import parse_date_time
from contract_kit.core.messages import json_type, show
from contract_kit.decisioning.pql_syntax import (
    And,
    Call,
    Comparison,
    Constant,
    In,
    Literal,
    Not,
    NullCheck,
    Or,
    Path,
    parse,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from contract_kit.decisioning.pql_syntax import Expression, Value

__all__ = ["CompiledRule", "compile_rule"]

#: What a rule or a part of it comes to: true, false, or unknown (None).
Truth = bool | None
#: Where an evaluation that is asked to explain itself writes why a part came out unknown.
Notes = list[str] | None
#: A compiled rule or part of one.
Check = Callable[[Mapping[str, object], Notes], Truth]
_MISSING = object()
_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_STRING: dict[str, Callable[[str, str], bool]] = {
    "equals": lambda text, argument: text == argument,
    "contains": lambda text, argument: argument in text,
    "startsWith": lambda text, argument: text.startswith(argument),
    "endsWith": lambda text, argument: text.endswith(argument),
}
_NEGATED = {
    "notEqualTo": "equals",
    "doesNotContain": "contains",
    "doesNotStartWith": "startsWith",
    "doesNotEndWith": "endsWith",
}


class CompiledRule(NamedTuple):
    """One rule's text, the attributes it reads, and its compiled check."""

    text: str
    paths: tuple[Path, ...]
    check: Check

    def evaluate(self, profile: Mapping[str, object]) -> Truth:
        """True, false or unknown (None) for ``profile``."""
        return self.check(profile, None)

    def unknown_because(self, profile: Mapping[str, object]) -> str:
        """Why the rule is unknown for ``profile``: the first attribute that made it so."""
        notes: list[str] = []
        self.check(profile, notes)
        return notes[0] if notes else "the rule is unknown"

    def attributes(self, profile: Mapping[str, object]) -> str:
        """What the profile holds at each attribute the rule reads, for a failure message."""
        shown = []
        for path in dict.fromkeys(self.paths):
            value = read(profile, path)
            shown.append(
                f"{path.text} is missing" if value is _MISSING else f"{path.text} is {show(value)}"
            )
        return ", ".join(shown) if shown else "the rule reads no attribute"


def read(profile: Mapping[str, object], path: Path) -> object:
    """The profile's value at ``path``, or the missing marker (a JSON null counts as missing)."""
    node: object = profile
    for member in path.members:
        if not isinstance(node, Mapping) or member not in node:
            return _MISSING
        node = node[member]
    return _MISSING if node is None else node


def _as_date(value: object) -> dt.date | None:
    """A profile string that is an RFC 3339 date or date-time, as its date in UTC."""
    if not isinstance(value, str):
        return None
    if len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    moment = parse_date_time(value)
    return None if moment is None else moment.astimezone(dt.UTC).date()


def _kind(value: object) -> str:
    """The subset's type of a value: boolean, number, string, date, or its JSON type."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "date" if isinstance(value, dt.date) else json_type(value).split(" ", 1)[-1]


def _comparable(left: object, right: object) -> tuple[object, object] | None:
    """Both values in one comparable type, or None when their types do not compare."""
    kinds = (_kind(left), _kind(right))
    if kinds[0] == kinds[1] and kinds[0] in {"number", "string", "date", "boolean"}:
        return left, right
    if kinds == ("string", "date"):
        parsed = _as_date(left)
        return None if parsed is None else (parsed, right)
    if kinds == ("date", "string"):
        parsed = _as_date(right)
        return None if parsed is None else (left, parsed)
    return None


def _reader(value: Value) -> Callable[[Mapping[str, object]], object]:
    if isinstance(value, Literal):
        constant = value.value
        return lambda _profile: constant
    return lambda profile: read(profile, value)


def _label(value: Value) -> str:
    if isinstance(value, Path):
        return value.text
    if isinstance(value.value, dt.date):
        day = value.value
        return f"date({day.year}, {day.month}, {day.day})"
    return show(value.value)


def _unknown(notes: Notes, values: tuple[Value, ...], found: tuple[object, ...]) -> None:
    """Note why a comparison is unknown: a missing attribute, else the mismatched types."""
    if notes is None:
        return
    for value, got in zip(values, found, strict=True):
        if got is _MISSING and isinstance(value, Path):
            notes.append(f"{value.text} is missing")
            return
    kinds = " and ".join(
        f"{_label(v)} is {_article(_kind(g))}" for v, g in zip(values, found, strict=True)
    )
    notes.append(f"type mismatch: {kinds}")


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _comparison(node: Comparison) -> Check:
    left, right, order = _reader(node.left), _reader(node.right), _ORDER[node.op]
    ordered = node.op not in {"=", "!="}

    def check(profile: Mapping[str, object], notes: Notes) -> Truth:
        found = (left(profile), right(profile))
        pair = None if _MISSING in found else _comparable(*found)
        if pair is None or (ordered and isinstance(pair[0], bool)):
            _unknown(notes, (node.left, node.right), found)
            return None
        return bool(order(*pair))

    return check


def _call(node: Call) -> Check:
    name = _NEGATED.get(node.function, node.function)
    test, negate = _STRING[name], name != node.function
    argument = node.argument if node.case_sensitive else node.argument.casefold()
    folded = not node.case_sensitive

    def check(profile: Mapping[str, object], notes: Notes) -> Truth:
        value = read(profile, node.path)
        if not isinstance(value, str):
            _unknown(notes, (node.path,), (value,))
            return None
        return test(value.casefold() if folded else value, argument) != negate

    return check


def _in(node: In) -> Check:
    equalities = [_comparison(Comparison(node.value, "=", choice)) for choice in node.choices]
    return _any(equalities)


def _junction(checks: list[Check], *, decisive: bool) -> Check:
    """Join checks three-valued: AND stops at the first False, OR at the first True.

    An unknown part leaves the outcome unknown unless another part is decisive.
    """

    def check(profile: Mapping[str, object], notes: Notes) -> Truth:
        result: Truth = not decisive
        for part in checks:
            outcome = part(profile, notes)
            if outcome is decisive:
                return decisive
            if outcome is None:
                result = None
        return result

    return check


def _all(checks: list[Check]) -> Check:
    return _junction(checks, decisive=False)


def _any(checks: list[Check]) -> Check:
    return _junction(checks, decisive=True)


def _compile(node: Expression) -> Check:
    if isinstance(node, Comparison):
        return _comparison(node)
    if isinstance(node, Call):
        return _call(node)
    if isinstance(node, NullCheck):
        present = node.present
        return lambda profile, _notes: (read(profile, node.path) is not _MISSING) == present
    if isinstance(node, In):
        return _in(node)
    if isinstance(node, Constant):
        constant = node.value
        return lambda _profile, _notes: constant
    if isinstance(node, Not):
        inner = _compile(node.operand)

        def negation(profile: Mapping[str, object], notes: Notes) -> Truth:
            outcome = inner(profile, notes)
            return None if outcome is None else not outcome

        return negation
    parts = [_compile(operand) for operand in node.operands]
    return _all(parts) if isinstance(node, And) else _any(parts)


def _paths(node: Expression) -> Iterator[Path]:
    if isinstance(node, Comparison):
        yield from (v for v in (node.left, node.right) if isinstance(v, Path))
    elif isinstance(node, Call | NullCheck):
        yield node.path
    elif isinstance(node, In):
        if isinstance(node.value, Path):
            yield node.value
    elif isinstance(node, Not):
        yield from _paths(node.operand)
    elif isinstance(node, And | Or):
        for operand in node.operands:
            yield from _paths(operand)


@functools.lru_cache(maxsize=4096)
def compile_rule(text: str) -> CompiledRule:
    """The compiled rule of ``text``, built once per text; outside the subset, raises.

    Raises :class:`~contract_kit.decisioning.errors.UnsupportedPQLError` naming the construct
    and its column (the caller names the rule with ``error.naming(rule_id)``).
    """
    tree = parse(text)
    return CompiledRule(text, tuple(_paths(tree)), _compile(tree))
