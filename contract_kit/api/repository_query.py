"""The search and list semantics of the repository API (xcore), applied to stored items.

Items are stored instance envelopes (``instanceId``, ``repo:*``, ``_instance``). Paths are
dotted and rooted at the item, e.g. ``_instance.xdm:status``; a name holding a dot cannot be
named. A path that passes through an array reaches every element, so it matches when any
element does (``_instance.xdm:representations.xdm:placement==X`` finds the items with a
representation for placement X).

Values arrive already URL-decoded: decoding the query string is the caller's job.
"""

from __future__ import annotations

import functools
import json
import operator
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contract_kit.api.paging import (
    Key,
    TokenError,
    compare_keys,
    effective_order,
    field_kind,
    order_text,
    read_start,
    sort_key,
    token,
)

__all__ = [
    "Filter",
    "Page",
    "QueryError",
    "check_qop",
    "field_path",
    "order_key",
    "parse_filter",
    "search",
]

_OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "~")  # longest first, so "<=" is never "<"
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
# The characters the docs say q must escape; "&&" and "||" are special only when doubled.
_Q_SPECIAL = frozenset('+-=><!(){}[]^"~*?:\\/')


class QueryError(ValueError):
    """A search or list query parameter the repository API would not understand.

    ``parameter`` names the query parameter (``property``, ``orderby``, ``limit``, ``q``,
    ``qop``, ``field``) and ``value`` is the value that was sent.
    """

    def __init__(self, message: str, *, parameter: str, value: object) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.value = value


@dataclass(frozen=True, slots=True)
class Filter:
    """One ``property`` filter: ``path op value``, or a bare path when ``op`` is None.

    A bare path means "has the property" (an empty array or a null counts as having it).
    Values compare as strings, or as numbers when both sides read as JSON numbers; ``~`` is a
    regular expression that must match the whole value, ignoring case. An item without the
    path matches no operator, ``!=`` included; an item with the path matches ``!=`` when no
    value there equals the filter's, so ``==`` and ``!=`` split the items that have it.
    """

    path: str
    op: str | None = None
    value: str = ""

    def matches(self, item: Mapping[str, Any]) -> bool:
        """Whether ``item`` passes this filter."""
        found = _values_at(item, self.path.split("."))
        if self.op is None or not found:
            return bool(found)
        texts = [_text(value) for value in _scalars(found)]
        if self.op == "!=":
            return not any(_holds("==", text, self.value) for text in texts)
        return any(_holds(self.op, text, self.value) for text in texts)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a search: its items, and how to ask for the next one.

    ``total`` counts the filtered items from the start of this page to the end of the list,
    as the docs define it. ``next_start`` is the ``start`` value for the next page, or None on
    the last page; ``order`` is the ordering applied (``orderby`` plus the ``instanceId``
    tie-breaker), which the next link names. The items are the stored mappings themselves.
    """

    items: list[Mapping[str, Any]]
    total: int
    next_start: str | None
    order: str = "instanceId"

    @property
    def count(self) -> int:
        """The number of items on this page."""
        return len(self.items)


def parse_filter(text: str) -> Filter:
    """Parse one ``property`` value; the first of ``= ! < > ~`` starts the operator."""
    at = next((i for i, char in enumerate(text) if char in "=!<>~"), len(text))
    path, rest = text[:at], text[at:]
    op = next((o for o in _OPERATORS if rest.startswith(o)), None)
    if rest and op is None:
        example = json.dumps(path + ("!=" if rest[0] == "!" else "==") + rest[1:])
        problem = f"has no operator; use ==, !=, <, <=, >, >= or ~ (e.g. {example})"
        raise _refused("property", text, problem)
    if not path:
        raise _refused("property", text, "names no property before its operator")
    _check_path(path, "property", text)
    value = rest[len(op) :] if op else ""
    if op == "~":
        try:
            _pattern(value)
        except (re.error, OverflowError, RecursionError) as error:  # a{99999999999}, ((((…
            reason = "its groups nest too deeply" if isinstance(error, RecursionError) else error
            problem = f"has a bad regular expression after ~: {reason}"
            raise _refused("property", text, problem) from error
    return Filter(path, op, value)


def order_key(orderby: str | None) -> list[tuple[str, bool]]:
    """Parse ``orderby``: (path, descending) pairs; None means ``instanceId`` ascending."""
    if orderby is None:
        return [("instanceId", False)]
    fields: list[tuple[str, bool]] = []
    for position, field in enumerate(orderby.split(","), start=1):
        name = field.strip()
        descending = name.startswith("-")
        name = name[1:] if name[:1] in {"-", "+"} else name
        if not name:
            problem = (
                f"has no field name at position {position}; write field names separated by "
                'commas, each may start with - or +, e.g. "-repo:createdDate,instanceId"'
            )
            raise _refused("orderby", orderby, problem)
        _check_path(name, "orderby", orderby)
        fields.append((name, descending))
    return fields


def search(  # noqa: PLR0913 - the keywords are the API's query parameters
    items: Iterable[Mapping[str, Any]],
    *,
    filters: Sequence[str] = (),
    orderby: str | None = None,
    start: str | None = None,
    limit: int | None = None,
    q: str | None = None,
    qop: str | None = None,
    fields: Sequence[str] = (),
) -> Page:
    """Filter, order and page ``items`` as ``GET …/queries/core/search`` does.

    Sorting uses the first value at each ordering path, then ``instanceId`` (the service's
    tie-breaker): values that read as numbers sort numerically and first, RFC 3339 date-times
    by epoch milliseconds (truncated) next, the rest by code point; a missing value sorts
    after every value, in both directions. ``start`` is a token as the service's next links
    carry it (:mod:`contract_kit.api.paging`): the items strictly after it are kept. A page
    ends at ``limit``.

    ``q`` holds terms separated by spaces, or "quoted phrases"; an item matches a term when a
    string under ``fields`` (default ``_instance``) contains it, ignoring case. The search
    engine's operators are not emulated: an unescaped special character is a QueryError.
    """
    wanted = [parse_filter(text) for text in _listed(filters)]
    order = effective_order(order_key(orderby))
    if limit is not None and limit < 1:
        raise _refused("limit", limit, "is not a page size; use a whole number of at least 1")
    if qop is not None:
        check_qop(qop)
    terms = _terms(q or "")
    paths = [field_path(field) for field in _listed(fields)]

    directions = [descending for _, descending in order]
    rows = [
        _Row.of(item, order)
        for item in items
        if all(f.matches(item) for f in wanted) and _found(item, terms, paths, qop)
    ]
    # One stable sort per run of fields of one direction, the last run first: C-level sorts.
    end = len(order)
    while end:
        begin = end
        while begin and directions[begin - 1] == directions[end - 1]:
            begin -= 1
        rows.sort(key=_RankedSlice(begin, end), reverse=directions[end - 1])
        end = begin
    kinds = [field_kind(path, [row.keys[at] for row in rows]) for at, (path, _) in enumerate(order)]
    if start is not None:
        try:
            after = read_start(start, kinds, [path for path, _ in order])
        except TokenError as error:
            raise _refused("start", start, str(error)) from None
        rows = [row for row in rows if compare_keys(row.keys, after, directions) > 0]
    end = len(rows) if limit is None else min(limit, len(rows))
    last = rows[end - 1] if 0 < end < len(rows) else None
    next_start = None if last is None else token(last.keys, last.values, kinds)
    return Page([row.item for row in rows[:end]], len(rows), next_start, order_text(order))


_MISSING: Key = (0, 0)


def _ranked(key: Key | None, *, descending: bool) -> tuple[int, Key]:
    """A value's key for sorting in a direction; a missing value sorts last in either one."""
    if key is None:
        return (0 if descending else 1, _MISSING)
    return (1 if descending else 0, key)


class _RankedSlice:
    """The sort key of a run of fields: the rows' ranked keys from ``begin`` to ``end``."""

    __slots__ = ("begin", "end")

    def __init__(self, begin: int, end: int) -> None:
        self.begin, self.end = begin, end

    def __call__(self, row: _Row) -> tuple[tuple[int, Key], ...]:
        return row.ranked[self.begin : self.end]


@dataclass(slots=True)  # not frozen: a frozen __init__ costs a search of 20,000 items 25%
class _Row:
    """An item with its sort keys worked out once, not at every comparison."""

    item: Mapping[str, Any]
    values: list[str | None]
    keys: list[Key | None]
    ranked: tuple[tuple[int, Key], ...]

    @classmethod
    def of(cls, item: Mapping[str, Any], order: list[tuple[str, bool]]) -> _Row:
        values = [_sort_value(item, path) for path, _ in order]
        keys = [None if value is None else sort_key(value) for value in values]
        ranked = tuple(
            _ranked(key, descending=descending)
            for key, (_, descending) in zip(keys, order, strict=True)
        )
        return cls(item, values, keys, ranked)


@functools.lru_cache(maxsize=256)
def _pattern(value: str) -> re.Pattern[str]:
    with warnings.catch_warnings():  # "[[" warns of a future change; it is valid today
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(value, re.IGNORECASE)


def _sort_value(item: Mapping[str, Any], path: str) -> str | None:
    if "." not in path and isinstance(value := item.get(path), str):
        return value  # instanceId and the repo: dates, for every row of every search
    return next((_text(v) for v in _scalars(_values_at(item, path.split(".")))), None)


def _holds(op: str, text: str, value: str) -> bool:
    if op == "~":
        return _pattern(value).fullmatch(text) is not None
    if _NUMBER.fullmatch(text) and _NUMBER.fullmatch(value):
        return _COMPARE[op](Decimal(text), Decimal(value))
    return _COMPARE[op](text, value)


def _found(
    item: Mapping[str, Any], terms: list[str], paths: list[list[str]], qop: str | None
) -> bool:
    """Whether the full-text terms occur in the string values under ``paths``."""
    if not terms:
        return True
    found = [value for path in paths or [["_instance"]] for value in _values_at(item, path)]
    texts = [text.casefold() for text in _strings(found)]
    hits = (any(term in text for text in texts) for term in terms)
    return all(hits) if qop is not None and qop.upper() == "AND" else any(hits)


def _terms(q: str) -> list[str]:
    """Split ``q`` into case-folded terms: words, "quoted phrases", backslash escapes."""
    terms: list[str] = []
    term: list[str] = []
    at, quoted_at = 0, -1
    while at < len(q):
        char = q[at]
        if char == "\\":
            if at + 1 == len(q):
                raise _refused("q", q, 'ends with a lone backslash; write \\\\ to search for "\\"')
            term.append(q[at + 1])
            at += 2
            continue
        if char == '"':
            quoted_at = -1 if quoted_at >= 0 else at
        elif char == " " and quoted_at < 0:
            terms.append("".join(term))
            term = []
        elif quoted_at < 0 and (char in _Q_SPECIAL or q[at : at + 2] in {"&&", "||"}):
            special = char if char in _Q_SPECIAL else char * 2
            escaped = "".join("\\" + c for c in special)
            problem = (
                f"has an unescaped {special} at character {at + 1}; write {escaped} to search "
                "for it (search operators are not supported)"
            )
            raise _refused("q", q, problem)
        else:
            term.append(char)
        at += 1
    if quoted_at >= 0:
        problem = (
            f'has a phrase opened at character {quoted_at + 1} that is never closed; end it with "'
        )
        raise _refused("q", q, problem)
    return [t.casefold() for t in [*terms, "".join(term)] if t]


def check_qop(qop: str) -> str:
    """``qop`` as ``AND`` or ``OR``; any other value is a :class:`QueryError`.

    Case does not matter: the repository tutorial documents ``qop=and``.
    """
    if qop.upper() not in {"AND", "OR"}:
        raise _refused("qop", qop, "is not AND or OR, in any case (absent means OR)")
    return qop.upper()


def field_path(field: str) -> list[str]:
    """The names of the dotted path one ``field`` parameter gives; a QueryError if it has none."""
    _check_path(field, "field", field)
    return field.split(".")


def _check_path(path: str, parameter: str, value: str) -> None:
    if "" in path.split("."):
        problem = (
            f"has an empty name in the path {json.dumps(path)}; separate names with single "
            'dots, e.g. "_instance.xdm:status"'
        )
        raise _refused(parameter, value, problem)


def _refused(parameter: str, value: object, problem: str) -> QueryError:
    label = "property filter" if parameter == "property" else parameter
    return QueryError(f"{label} {json.dumps(value)} {problem}", parameter=parameter, value=value)


def _listed(values: Sequence[str]) -> Sequence[str]:
    # A lone string is a Sequence[str] too; read it as one value, not as its characters.
    return (values,) if isinstance(values, str) else values


def _values_at(node: Any, names: list[str]) -> list[Any]:
    if not names:
        return [node]
    if isinstance(node, Mapping):
        return _values_at(node[names[0]], names[1:]) if names[0] in node else []
    if isinstance(node, list | tuple):
        return [value for element in node for value in _values_at(element, names)]
    return []


def _scalars(values: Iterable[Any]) -> Iterator[Any]:
    for value in values:
        if isinstance(value, list | tuple):
            yield from _scalars(value)
        elif not isinstance(value, Mapping):
            yield value


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)


def _text(value: Any) -> str:
    """A scalar as filters see it: strings as they are, anything else as its JSON text."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
