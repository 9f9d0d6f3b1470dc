"""Read a call's body as one strict JSON document, with the limits every check relies on.

Its own module so that every call check (the repository API's and the decision call's)
parses bodies the same way without importing each other.
"""

from __future__ import annotations

import json
import re
from typing import Any

from contract_kit.core.limits import beyond_limits, digits_limit, too_deep, too_long
from contract_kit.core.violation import Violation
from contract_kit.documents.limits import MAX_DEPTH

__all__ = ["parse_json_body"]


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


class _TooLongError(ValueError):
    """An integer with more digits than Python reads (its own refusal would name sys)."""

    def __init__(self, digits: int) -> None:
        super().__init__(too_long(digits))


def _long_digits(text: str) -> bool:
    """Whether ``text`` holds a run of more digits than Python reads as an integer."""
    limit = digits_limit()
    if not limit or len(text) <= limit:
        return False
    return re.search(f"[0-9]{{{limit + 1}}}", text) is not None


def _integer(text: str) -> int:
    limit = digits_limit()
    digits = len(text.lstrip("-"))
    if limit and digits > limit:
        raise _TooLongError(digits)
    return int(text)


def _unique_members(pairs: list[tuple[str, object]]) -> dict[str, object]:
    members = dict(pairs)
    if len(members) == len(pairs):  # no repeat: the common case, at the speed of dict()
        return members
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"member {key!r} appears twice in one object, which is ambiguous")
        seen.add(key)
    return members  # pragma: no cover - a repeat was counted, so the loop raised


#: The parsers json.loads would build for each body, built once (they hold no state).
_DECODER = json.JSONDecoder(object_pairs_hook=_unique_members, parse_constant=_reject_constant)
_LONG_DIGITS_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique_members, parse_constant=_reject_constant, parse_int=_integer
)


def _decoded(text: str) -> Any:
    """``json.loads`` with the hooks above, on decoders built once; its BOM refusal kept."""
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    # Only a run of digits longer than Python reads can be such an integer: most bodies
    # have none, and parse their integers without a call each.
    return (_LONG_DIGITS_DECODER if _long_digits(text) else _DECODER).decode(text)


def parse_json_body(body: object) -> tuple[Any, list[Violation]]:
    """Read a body as one strict JSON document: UTF-8, no BOM, no NaN, no repeated member.

    Bytes and text are parsed; a parsed body is taken as it is. Either way, nesting deeper
    than ``MAX_DEPTH`` levels, or an integer longer than Python reads, is a ``json``
    violation, so no body makes a check recurse without bound.
    """
    if isinstance(body, bytes | bytearray):
        if body.startswith(b"\xef\xbb\xbf"):
            message = "the body starts with a byte order mark; send UTF-8 without one"
            return None, [Violation("/body", message, "json")]
        try:
            body = (body if type(body) is bytes else bytes(body)).decode("utf-8")
        except UnicodeDecodeError as error:
            message = f"the body is not UTF-8: byte {error.start + 1} cannot be decoded"
            return None, [Violation("/body", message, "json")]
    if not isinstance(body, str):
        return body, [v.under("/body") for v in beyond_limits(body)]
    try:
        parsed = _decoded(body)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        return None, [Violation("/body", f"the body is not JSON: {error.msg} ({where})", "json")]
    except ValueError as error:
        return None, [Violation("/body", f"the body is not usable JSON: {error}", "json")]
    except RecursionError:  # the standard parser recurses once per level of nesting
        return None, [Violation("/body", f"the body is not usable JSON: {too_deep()}", "json")]
    # Each level of nesting takes an opening and a closing character: a short text is never
    # too deep, and a longer one only with more openers than levels allowed.
    if len(body) <= 2 * MAX_DEPTH or body.count("[") + body.count("{") <= MAX_DEPTH:
        return parsed, []
    return parsed, [v.under("/body") for v in beyond_limits(parsed)]
