"""Paging tokens as the repository API emits them in its next links, and how to read them back.

The service orders a list by the ``orderby`` fields plus ``instanceId`` as a tie-breaker, and
its next link's ``start`` holds the last item's values over those fields, joined by commas:
``1603395515489,2cdb4d10-149e-11eb-b1a9-a779d2fe8690`` for ``-repo:createdDate`` (a date as
epoch milliseconds, truncated), the bare instanceId for the default order. Because the
tie-breaker is unique, a page ends exactly at ``limit`` and a token resumes anywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote, unquote_plus

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "DATE_MEMBERS",
    "TIE_BREAKER",
    "FieldKind",
    "Key",
    "TokenError",
    "compare_keys",
    "effective_order",
    "epoch_ms",
    "field_kind",
    "next_query",
    "order_text",
    "read_start",
    "sort_key",
    "token",
]

#: The field every ordering ends with, so that no two items sort alike.
TIE_BREAKER = "instanceId"
#: A sort key: numbers (rank 0) before dates (rank 1, epoch ms) before other text (rank 2).
Key = tuple[int, Decimal | int | str]
#: How a field's values sort, and so how a ``start`` part for it is read.
FieldKind = Literal["number", "date", "string"]

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_DATE = re.compile(
    r"(?P<whole>[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]+))?(?P<zone>[Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_DIGITS = re.compile(r"-?[0-9]+")
#: Members the docs type as date-times: read as dates even when no stored value says so.
DATE_MEMBERS = frozenset(
    {"repo:createdDate", "repo:lastModifiedDate", "xdm:startDate", "xdm:endDate"}
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@functools.lru_cache(maxsize=65536)
def epoch_ms(text: str) -> int | None:
    """An RFC 3339 date-time as epoch milliseconds, truncated as the service writes them."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    zone = "+00:00" if match["zone"] in {"Z", "z"} else match["zone"]
    whole = match["whole"].replace("t", "T")
    # RFC 3339 allows a leap second (:60), which Python's datetime cannot hold: it sorts as
    # the next minute's first second, the instant it ends in.
    leap = whole.endswith(":60")
    try:
        moment = dt.datetime.fromisoformat(whole.removesuffix("60") + ("59" if leap else "") + zone)
    except ValueError:  # 2020-02-30, hour 24: not a date at all
        return None
    seconds = (moment - _EPOCH) // dt.timedelta(seconds=1) + leap
    return seconds * 1000 + int((match["fraction"] or "").ljust(3, "0")[:3])


def sort_key(text: str) -> Key:
    """How one value (as filters see it: a string, or JSON text) sorts."""
    if _NUMBER.fullmatch(text):
        return (0, Decimal(text))
    ms = epoch_ms(text)
    return (2, text) if ms is None else (1, ms)


def compare_keys(
    left: Sequence[Key | None], right: Sequence[Key | None], descending: Sequence[bool]
) -> int:
    """-1, 0 or 1: how two rows of keys sort; a missing value sorts last in both directions."""
    for a, b, down in zip(left, right, descending, strict=False):
        if a == b:
            continue
        if a is None or b is None:
            return 1 if a is None else -1
        return (1 if a > b else -1) * (-1 if down else 1)
    return 0


def effective_order(order: Sequence[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """The ordering the service applies: ``orderby``'s fields, then ``instanceId`` ascending."""
    fields = list(order)
    if not fields or fields[-1][0] != TIE_BREAKER:
        fields.append((TIE_BREAKER, False))
    return fields


def order_text(order: Sequence[tuple[str, bool]]) -> str:
    """An ordering as ``orderby`` writes it: ``-repo:createdDate,instanceId``."""
    return ",".join(("-" if descending else "") + path for path, descending in order)


def token(
    keys: Sequence[Key | None], texts: Sequence[str | None], kinds: Sequence[FieldKind]
) -> str:
    """The ``start`` that resumes after a row: its values joined by commas, dates as epoch ms."""
    parts = []
    for key, text, kind in zip(keys, texts, kinds, strict=True):
        if key is None or text is None:
            parts.append("")
        elif key[0] == 1 and kind == "date":
            parts.append(str(key[1]))
        else:
            parts.append(text)
    return ",".join(parts)


def field_kind(path: str, keys: Sequence[Key | None]) -> FieldKind:
    """What a field holds: a documented date member, or what every stored value there is."""
    if path.rsplit(".", 1)[-1] in DATE_MEMBERS:
        return "date"
    ranks = {key[0] for key in keys if key is not None}
    if ranks == {1}:
        return "date"
    return "number" if ranks == {0} else "string"


class TokenError(ValueError):
    """A ``start`` part that cannot be read as its field's values are; the message says why."""


def read_start(start: str, kinds: Sequence[FieldKind], paths: Sequence[str]) -> list[Key | None]:
    """The keys a ``start`` names, one per leading field it covers (raises :class:`TokenError`).

    Split from the right into at most one part per field: dates, numbers and instanceIds hold
    no comma, so a string field's value is the part left over. A date part is epoch ms, or an
    RFC 3339 date-time (the form the fake's earlier tokens took). An empty part is a missing
    value.
    """
    parts = start.rsplit(",", len(kinds) - 1) if len(kinds) > 1 else [start]
    if len(parts) < len(kinds) and len(parts) > 1:
        parts = [start]  # neither a whole token nor one value: read it as the first field's
    return [_part(part, kind, path) for part, kind, path in zip(parts, kinds, paths, strict=False)]


def _part(part: str, kind: FieldKind, path: str) -> Key | None:
    if part == "":
        return None
    if kind == "string":  # read as the value it was written from would sort
        return sort_key(part)
    if kind == "number":
        if _NUMBER.fullmatch(part) is None:
            raise TokenError(f"has {json.dumps(part)} where a number of {path} goes")
        return (0, Decimal(part))
    if _DIGITS.fullmatch(part):
        return (1, int(part))
    ms = epoch_ms(part)
    if ms is None:
        raise TokenError(
            f"has {json.dumps(part)} where a date of {path} goes; give epoch milliseconds, as "
            "the service's next links do, or an RFC 3339 date-time"
        )
    return (1, ms)


def next_query(raw_query: str, start: str, ordering: str) -> str:
    """The query of the next page's link, built from the request's query as it was sent.

    ``start`` comes first; then the request's parameters in their order, as sent, without its
    ``start``; ``orderby`` (or ``orderBy``) gets the effective ordering in its place, or
    ``orderby`` is put right after ``start`` when the request had none (``ordering`` as
    :func:`order_text` writes it). The service writes
    ``start`` and ``orderby`` percent-encoded (``,`` as ``%2C``, ``:`` as ``%3A``).
    """
    ordering = quote(ordering, safe="-")
    pairs = [pair for pair in raw_query.split("&") if pair]
    following = [f"start={quote(start, safe='-')}"]
    ordered = False
    for pair in pairs:
        name = unquote_plus(pair.split("=", 1)[0])
        if name == "start":
            continue
        if name in {"orderby", "orderBy"} and not ordered:
            following.append(f"{pair.split('=', 1)[0]}={ordering}")
            ordered = True
        else:
            following.append(pair)
    if not ordered:
        following.insert(1, f"orderby={ordering}")
    return "&".join(following)
