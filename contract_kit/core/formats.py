"""The string checks the bundled schemas use: every ``format``, and ``pattern`` as ECMA-262 says.

python-jsonschema passes a format silently when the optional package behind it is missing.
A contract tool must not, so every format the schemas name is checked by code in this module,
and the engine refuses, when it builds a validator, a schema naming any other format.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Mapping

__all__ = [
    "FORMATS",
    "FORMAT_DESCRIPTIONS",
    "FORMAT_PATTERNS",
    "UUID",
    "ecma",
    "parse_date_time",
]

_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))",
    re.ASCII,
)
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
#: A UUID in its hyphenated 8-4-4-4-12 hex form, either case (match it whole: ``fullmatch``).
UUID = re.compile(_UUID)
# RFC 3986 at the level of characters: unreserved, reserved and percent-encoded octets only.
_URI_CHARS = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*"
_URI_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*:"
_URI = re.compile(_URI_SCHEME + _URI_CHARS)
_URI_REFERENCE = re.compile(_URI_CHARS)

# The date-time check spelled as one regular expression, calendar and clock ranges included:
# a year from 0001, the days each month has, 29 February in leap years only (every fourth
# year, centuries only when divisible by 400).
_YEAR = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
_MONTH_DAY = (
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31)"
)
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_CLOCK = (
    r"[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_DATE_TIME_PATTERN = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29){_CLOCK}"


@functools.cache
def ecma(pattern: str) -> re.Pattern[str]:
    r"""A schema ``pattern`` as ECMA-262 reads it: its ``$`` never matches before a final newline.

    Python's ``$`` does, so a pattern ending in ``$`` is compiled with ``\Z`` in its place.
    """
    if pattern.endswith("$") and not pattern.endswith(r"\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


@functools.lru_cache(maxsize=4096)
def parse_date_time(value: str) -> dt.datetime | None:
    """Read an RFC 3339 ``date-time`` as an aware datetime, or None if it is not one.

    The calendar date must exist and clock and offset be in range. A leap second (second 60,
    which RFC 3339 allows) reads as second 59, and digits past microseconds are dropped.
    Cached: the values are immutable, and a lint reads the same few dates in many files.
    """
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return None
    import datetime as dt  # here: a payload without dates never pays for the import

    year, month, day, hour, minute, second, fraction, offset_hours, offset_minutes = match.groups()
    if hour > "23" or minute > "59" or second > "60":  # two ASCII digits each: text order
        return None
    offset = dt.UTC
    if offset_hours is not None:
        if offset_hours > "23" or offset_minutes > "59":
            return None
        sign = -1 if value[-6] == "-" else 1
        minutes = sign * (int(offset_hours) * 60 + int(offset_minutes))
        offset = dt.timezone(dt.timedelta(minutes=minutes))
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            min(int(second), 59),
            micro,
            offset,
        )
    except ValueError:
        return None


def is_date_time(value: object) -> bool:
    """RFC 3339 ``date-time`` (see :func:`parse_date_time`)."""
    return not isinstance(value, str) or parse_date_time(value) is not None


def is_uuid(value: object) -> bool:
    """A UUID in its hyphenated 8-4-4-4-12 hex form."""
    return not isinstance(value, str) or UUID.fullmatch(value) is not None


def is_uri(value: object) -> bool:
    """An absolute URI (scheme and colon first), as RFC 3986 spells its characters."""
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


def is_uri_reference(value: object) -> bool:
    """A URI or a relative reference, as RFC 3986 spells its characters."""
    return not isinstance(value, str) or _URI_REFERENCE.fullmatch(value) is not None


FORMATS: Mapping[str, Callable[[object], bool]] = {
    "date-time": is_date_time,
    "uuid": is_uuid,
    "uri": is_uri,
    "uri-reference": is_uri_reference,
}

#: For each format, an ECMA-262 ``pattern`` matching exactly the strings its check accepts.
#: jsonschema-rs checks a pattern in Rust, where calling back into the Python checks costs a
#: few microseconds each: the fast validator is given these (a property test holds them to the
#: checks' verdicts), the validators that word errors keep the checks.
FORMAT_PATTERNS: Mapping[str, str] = {
    "date-time": f"^{_DATE_TIME_PATTERN}$",
    "uuid": f"^{_UUID}$",
    "uri": f"^{_URI_SCHEME}{_URI_CHARS}$",
    "uri-reference": f"^{_URI_CHARS}$",
}

FORMAT_DESCRIPTIONS: Mapping[str, str] = {
    "date-time": 'an RFC 3339 date-time such as "2023-10-21T22:28:11.111732Z"',
    "uuid": 'a UUID such as "b3966680-13ec-11eb-9c20-8323709cfc65"',
    "uri": 'an absolute URI such as "https://example.com/a.png"',
    "uri-reference": "a URI reference",
}
