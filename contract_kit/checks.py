"""The checking entry points: one kind's instance, or a whole create call.

Order of the result (documented, stable): by pointer, with array indices compared as numbers
and members as strings, then by rule id, then by message; repeats are dropped.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from contract_kit.headers import header_violations
from contract_kit.messages import json_type, show
from contract_kit.offer_library import CREATE_PATH
from contract_kit.rules import date_order, duplicate_placements, each_result
from contract_kit.schema_bundle import check_kind
from contract_kit.schema_check import schema_violations
from contract_kit.violation import Violation, sort_violations

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["check_request", "violations"]

_CODE_RULES: dict[str, tuple[Callable[[object], Iterable[Violation]], ...]] = {
    "fallback-offer": (duplicate_placements,),
    "receipt": (date_order,),
    "fallback-offer-instance": (date_order, duplicate_placements),
    "search-results": (each_result(date_order), each_result(duplicate_placements)),
}
_UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_CREATE_PATH = re.compile(r"/data/core/xcore/(?P<container>[^/]*)/instances/?")


def violations(kind: str, instance: object) -> list[Violation]:
    """Every way ``instance`` breaks the contract of ``kind``, in the documented order.

    ``kind`` is one of :func:`contract_kit.kinds`. For ``"request-headers"`` the instance is
    a mapping or a list of ``(name, value)`` pairs; for the others, a parsed JSON value.
    """
    kind = check_kind(kind)
    if kind == "request-headers":
        return sort_violations(header_violations(instance))
    found = schema_violations(kind, instance)
    for rule in _CODE_RULES.get(kind, ()):
        found.extend(rule(instance))
    return sort_violations(found)


def check_request(method: str, url: str, headers: object, body: object) -> list[Violation]:
    """Every way one fallback-offer create call breaks the contract.

    ``url`` is a full URL (any host, so a local fake works) or a path; ``headers`` as for
    ``violations("request-headers", ...)``; ``body`` is bytes, str or parsed JSON. Pointers
    start with ``/method``, ``/path``, ``/headers/<lower-cased name>`` or ``/body``.
    """
    found = [*_method_violations(method), *_path_violations(url)]
    found.extend(v.under("/headers") for v in header_violations(headers, "fallback-offer"))
    parsed, problems = _parse_body(body)
    found.extend(problems)
    if not problems:
        found.extend(v.under("/body") for v in violations("fallback-offer", parsed))
    return sort_violations(found)


def _method_violations(method: object) -> list[Violation]:
    if isinstance(method, str) and method.upper() == "POST":
        return []
    shown = show(method) if isinstance(method, str) else json_type(method)
    return [Violation("/method", f"a fallback-offer create is a POST, got {shown}", "method")]


def _path_violations(url: object) -> list[Violation]:
    if not isinstance(url, str):
        return [Violation("/path", f"expected the URL as a string, got {json_type(url)}", "type")]
    path = urlsplit(url).path
    match = _CREATE_PATH.fullmatch(path)
    if match is None:
        message = f"{show(path)} is not the create path {CREATE_PATH}"
        return [Violation("/path", message, "path")]
    container = match["container"]
    if re.fullmatch(_UUID, container) is None:
        message = f"container id {show(container)} in the path is not a UUID"
        return [Violation("/path", message, "path")]
    return []


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _unique_members(pairs: list[tuple[str, object]]) -> dict[str, object]:
    members: dict[str, object] = {}
    for key, value in pairs:
        if key in members:
            raise ValueError(f"member {key!r} appears twice in one object, which is ambiguous")
        members[key] = value
    return members


def _parse_body(body: object) -> tuple[object, list[Violation]]:
    if body is None:
        message = "a create call sends the offer as a JSON body; this one has none"
        return None, [Violation("/body", message, "body")]
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
        return body, []
    try:
        parsed = json.loads(
            body, object_pairs_hook=_unique_members, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        return None, [Violation("/body", f"the body is not JSON: {error.msg} ({where})", "json")]
    except ValueError as error:
        return None, [Violation("/body", f"the body is not usable JSON: {error}", "json")]
    return parsed, []
