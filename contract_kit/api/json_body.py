"""Read a call's body as one strict JSON document, with the limits every check relies on.

Its own module so that every call check (the repository API's and the decision call's)
parses bodies the same way without importing each other.
"""

from __future__ import annotations

import json
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


def _integer(text: str) -> int:
    limit = digits_limit()
    digits = len(text.lstrip("-"))
    if limit and digits > limit:
        raise _TooLongError(digits)
    return int(text)


def _unique_members(pairs: list[tuple[str, object]]) -> dict[str, object]:
    members: dict[str, object] = {}
    for key, value in pairs:
        if key in members:
            raise ValueError(f"member {key!r} appears twice in one object, which is ambiguous")
        members[key] = value
    return members


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
            body = bytes(body).decode("utf-8")
        except UnicodeDecodeError as error:
            message = f"the body is not UTF-8: byte {error.start + 1} cannot be decoded"
            return None, [Violation("/body", message, "json")]
    if not isinstance(body, str):
        return body, [v.under("/body") for v in beyond_limits(body)]
    try:
        parsed = json.loads(
            body,
            object_pairs_hook=_unique_members,
            parse_constant=_reject_constant,
            parse_int=_integer,
        )
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        return None, [Violation("/body", f"the body is not JSON: {error.msg} ({where})", "json")]
    except ValueError as error:
        return None, [Violation("/body", f"the body is not usable JSON: {error}", "json")]
    except RecursionError:  # the standard parser recurses once per level of nesting
        return None, [Violation("/body", f"the body is not usable JSON: {too_deep()}", "json")]
    if body.count("[") + body.count("{") <= MAX_DEPTH:
        return parsed, []
    return parsed, [v.under("/body") for v in beyond_limits(parsed)]
