"""Check one call of the repository API: method, path, query, headers and body, together.

:func:`check_call` is what the fake and the replayer use: it also returns the operation the
call makes and the parsed body, so nothing is parsed twice. :func:`check_request` is the
public face, returning only the violations.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from contract_kit.api.query_parameters import DOCUMENTED, unknown_parameters
from contract_kit.core.checks import violations
from contract_kit.core.formats import UUID
from contract_kit.core.headers import header_violations
from contract_kit.core.limits import beyond_limits, digits_limit, too_deep, too_long
from contract_kit.core.messages import json_type, placeholder_sent, show
from contract_kit.core.operations import (
    FALLBACK_OFFER_SCHEMA,
    FALLBACK_OFFER_VERSIONS,
    OFFER_SCHEMA_PREFIX,
    Operation,
    find_operation,
    path_templates,
)
from contract_kit.core.violation import Violation, sort_violations
from contract_kit.documents.limits import MAX_DEPTH

__all__ = ["CallCheck", "check_call", "check_request", "parse_json_body"]

_SCHEMA_QUERY = re.compile(re.escape(OFFER_SCHEMA_PREFIX) + r"fallback-offer;version=(?P<v>.+)")
_OFFER_ID = re.compile("xcore:fallback-offer:[0-9a-f]{1,16}")
_XCORE_ID = re.compile("xcore:(?P<kind>[a-z]+(?:-[a-z]+)*):[0-9a-f]{1,16}")


@dataclass
class CallCheck:
    """What one call is, and what is wrong with it."""

    operation: Operation | None
    path_params: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    violations: list[Violation] = field(default_factory=list)

    def query_values(self, name: str) -> list[str]:
        """Every value of query parameter ``name``, in order."""
        return [value for key, value in self.query if key == name]

    def query_value(self, *names: str) -> str | None:
        """The first value of the first of ``names`` the query has, or None."""
        return next((v for name in names for v in self.query_values(name)), None)


def check_request(method: str, url: str, headers: object, body: object) -> list[Violation]:
    """Every way one call of the Offer Library API breaks the contract of its operation.

    ``url`` is a full URL (any host, so a local fake works) or a path with its query;
    ``headers`` a mapping or a list of ``(name, value)`` pairs; ``body`` bytes, str, parsed
    JSON, or None for calls without one. Pointers start with ``/method``, ``/path``,
    ``/query/<name>``, ``/headers/<lower-cased name>`` or ``/body``.
    """
    return check_call(method, url, headers, body).violations


def check_call(method: object, url: object, headers: object, body: object) -> CallCheck:
    """Route the call to its operation and check every part of it (see :func:`check_request`)."""
    if not isinstance(url, str):
        message = f"expected the URL as a string, got {json_type(url)}"
        return CallCheck(None, violations=[Violation("/path", message, "type")])
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not isinstance(method, str):
        message = f"expected the method as a string, got {json_type(method)}"
        return CallCheck(None, query=query, violations=[Violation("/method", message, "method")])
    operation, at_path = find_operation(method, parts.path)
    if operation is None:
        return CallCheck(
            None, query=query, violations=[_routing_violation(method, parts.path, at_path)]
        )
    match = operation.pattern.fullmatch(parts.path)
    params = {k: v for k, v in (match.groupdict() if match else {}).items() if v is not None}
    found = [*_id_violations(params), *_query_violations(operation, query)]
    found.extend(v.under("/headers") for v in header_violations(headers, operation))
    parsed, problems = _body(operation, body)
    found.extend(problems)
    if not problems and operation.body is not None:  # a JSON null body is checked too
        found.extend(v.under("/body") for v in violations(operation.body, parsed))
    return CallCheck(operation, params, query, parsed, sort_violations(found))


def _routing_violation(method: str, path: str, at_path: list[Operation]) -> Violation:
    if at_path:
        methods = ", ".join(op.method for op in at_path)
        if method.upper() in {op.method for op in at_path}:
            message = (
                f"{show(method)} is not a method of the Offer Library API: methods are "
                f"case-sensitive (RFC 9110, section 9.1); send {show(method.upper())}"
            )
            return Violation("/method", message, "method")
        message = (
            f"{show(method)} is not a call of the Offer Library API on {at_path[0].template}; "
            f"it takes {methods} there"
        )
        return Violation("/method", message, "method")
    served = ", ".join(path_templates())
    message = f"{show(path)} is not a path of the Offer Library API; it serves {served}"
    return Violation("/path", message, "path")


_PATH_FIXES = {
    "container": "the container's instanceId from GET /data/core/xcore/",
    "instance": "the instanceId of the receipt of its create",
}


def _id_violations(params: dict[str, str]) -> list[Violation]:
    found = []
    for what, value in params.items():
        if UUID.fullmatch(value):
            continue
        message = placeholder_sent(unquote(value), fix=_PATH_FIXES[what])
        found.append(
            Violation(
                "/path",
                f"the path's {what} id: {message}"
                if message
                else f"{what} id {show(value)} in the path is not a UUID",
                "path",
            )
        )
    return found


def _query_violations(operation: Operation, query: list[tuple[str, str]]) -> list[Violation]:
    names = [name for name, _ in query]
    found = [
        Violation(
            f"/query/{name}", f"query parameter {name} is required by {operation.label}", "required"
        )
        for name in operation.required_query
        if name not in names
    ]
    found.extend(unknown_parameters(operation.name, operation.label, query))
    for name, value in query:
        problem = _query_problem(operation, name, value, query)
        if problem:
            found.append(Violation(f"/query/{name}", *problem))
    return found


def _query_problem(
    operation: Operation, name: str, value: str, query: list[tuple[str, str]]
) -> tuple[str, str] | None:
    """What is wrong with one parameter's value, and the rule it breaks."""
    if name not in DOCUMENTED.get(operation.name, ()):
        return None  # the service ignores it: unknown-parameter says so, its value is moot
    from contract_kit.api.repository_query import (
        QueryError,
        check_qop,
        field_path,
        order_key,
        parse_filter,
    )

    if name == "schema":
        return _schema_problem(value)
    if name == "limit" and not (value.isascii() and value.isdigit() and value.strip("0")):
        return f"limit={show(value)} is not a whole number of at least 1", "query"
    if name == "id":
        return _id_problem(operation, value, query)
    try:
        if name == "property":
            parse_filter(value)
        elif name in {"orderby", "orderBy"}:
            order_key(value)
        elif name == "qop":
            check_qop(value)
        elif name == "field":
            field_path(value)
    except QueryError as error:
        return str(error), "query"
    return None


def _schema_problem(value: str) -> tuple[str, str] | None:
    wanted = f"schema={FALLBACK_OFFER_SCHEMA}"
    if value == f"{OFFER_SCHEMA_PREFIX}fallback-offer":
        message = (
            f"schema={show(value)} names no version; the service takes that, but the docs "
            f"name one: send {wanted}"
        )
        return message, "schema-version"
    match = _SCHEMA_QUERY.fullmatch(value)
    if match is None or match["v"] not in FALLBACK_OFFER_VERSIONS:
        return (
            f"schema={show(value)} does not name the fallback-offer schema; send {wanted}",
            "query",
        )
    return None


def _id_problem(
    operation: Operation, value: str, query: list[tuple[str, str]]
) -> tuple[str, str] | None:
    if any(name == "name" for name, _ in query):
        return f"id and name cannot be used together in one {operation.name}", "query"
    if _OFFER_ID.fullmatch(value):
        return None
    other = _XCORE_ID.fullmatch(value)
    if other is None:
        return f"id={show(value)} is not a fallback-offer @id", "query"
    schemas = [v for name, v in query if name == "schema"]
    if not all(_names_fallback(v) for v in schemas):
        return None  # schema= names no kind, and says so: the id cannot be compared with it
    message = (
        f"id={show(value)} is an @id of kind {other['kind']}, but schema= names the fallback-offer "
        "schema, so it matches nothing: send the @id of a fallback offer"
    )
    return message, "query-mismatch"


def _names_fallback(schema: str) -> bool:
    return schema == f"{OFFER_SCHEMA_PREFIX}fallback-offer" or _schema_problem(schema) is None


def _body(operation: Operation, body: object) -> tuple[Any, list[Violation]]:
    empty = body is None or (isinstance(body, bytes | bytearray | str) and not body)
    if operation.body is None:
        if empty:
            return None, []
        message = f"{operation.label} carries no body; send the call without one"
        return None, [Violation("/body", message, "body")]
    if empty:
        message = f"{operation.label} sends a JSON body; this call has none"
        return None, [Violation("/body", message, "body")]
    return parse_json_body(body)


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
