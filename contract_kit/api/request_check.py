"""Check one call of the repository API: method, path, query, headers and body, together.

:func:`check_call` is what the fake and the replayer use: it also returns the operation the
call makes and the parsed body, so nothing is parsed twice. :func:`check_request` is the
public face, returning only the violations.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard
from urllib.parse import parse_qsl, unquote, urlsplit

from contract_kit.api.decision_request import check_decision_request
from contract_kit.api.json_body import parse_json_body
from contract_kit.api.query_parameters import DOCUMENTED, unknown_parameters
from contract_kit.core.call_kind import body_kind_of, content_type_kind
from contract_kit.core.checks import violations
from contract_kit.core.formats import UUID
from contract_kit.core.headers import header_violations
from contract_kit.core.messages import json_type, placeholder_sent, show
from contract_kit.core.object_kinds import (
    ObjectKind,
    infer_kind,
    kind_of_id,
    read_schema_id,
    schema_prefix,
)
from contract_kit.core.operations import NAMED_KIND, Operation, find_operation, path_templates
from contract_kit.core.violation import Violation, sort_violations

__all__ = ["CallCheck", "check_call", "check_request", "parse_json_body", "query_kind"]

_XCORE_ID = re.compile("xcore:(?P<kind>[a-z]+(?:-[a-z]+)*):[0-9a-f]{1,16}")


@dataclass
class CallCheck:
    """What one call is, and what is wrong with it."""

    operation: Operation | None
    path_params: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    violations: list[Violation] = field(default_factory=list)
    #: The bundled kind the body was checked as (None: no body, or a kind no part tells).
    body_kind: str | None = None
    #: The stored kind the call is about, where the call names one (Content-Type or schema=).
    kind: ObjectKind | None = None

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
    try:
        parts = urlsplit(url)
    except ValueError as error:  # an unbalanced "[" in the host, a bad port: no path to route
        message = f"{show(url)} cannot be read as a URL ({error}); send https://HOST/PATH?QUERY"
        return CallCheck(None, violations=[Violation("/path", message, "path")])
    query = parse_qsl(parts.query, keep_blank_values=True) if parts.query else []
    if not isinstance(method, str):
        message = f"expected the method as a string, got {json_type(method)}"
        return CallCheck(None, query=query, violations=[Violation("/method", message, "method")])
    operation, at_path, path_params, path_problems = _route(method, parts.path)
    if operation is None:
        return CallCheck(
            None, query=query, violations=[_routing_violation(method, parts.path, [*at_path])]
        )
    params = dict(path_params)
    found = [*path_problems, *_query_violations(operation, query)]
    if operation.decision:
        return _decision_call(operation, headers, body, params=params, query=query, found=found)
    parsed, problems = _body(operation, body)
    # A client sends the same headers call after call: exactly typed, their reading is kept.
    reading = _reading(headers) if _exact_pairs(headers) else None
    content_type = None
    if operation.body is not None:
        content_type = _content_type(headers) if reading is None else reading.content_type
    named = content_type_kind(content_type) if content_type is not None else None
    body_kind = body_kind_of(operation, content_type, None if problems else parsed)
    # What the body itself says it is: its @id, or (when the call names no kind) its members.
    shown = None if problems else _shown_kind(parsed, infer=named is None)
    if reading is None:
        found.extend(_checked_headers(headers, operation, shown))
    else:
        found.extend(reading.verdict(headers, operation, shown))
    found.extend(problems)
    if not problems and body_kind is not None:  # a JSON null body is checked too
        found.extend(v.under("/body") for v in violations(body_kind, parsed))
    elif not problems and operation.body == NAMED_KIND:
        found.extend(_envelope_violations(parsed))
    kind = named if operation.body is not None else query_kind(query)
    return CallCheck(operation, params, query, parsed, sort_violations(found), body_kind, kind)


def _decision_call(  # noqa: PLR0913 - the parts of the call already read
    operation: Operation,
    headers: object,
    body: object,
    *,
    params: dict[str, str],
    query: list[tuple[str, str]],
    found: list[Violation],
) -> CallCheck:
    """A Decisioning call: its headers and body have their own contract (no stored kind)."""
    found.extend(check_decision_request(headers, body))
    parsed, problems = parse_json_body(body)
    body_kind = None if problems else operation.body
    return CallCheck(operation, params, query, parsed, sort_violations(found), body_kind)


def _header_violations(
    headers: object, operation: Operation, shown: str | None
) -> tuple[Violation, ...]:
    """The headers' violations, under ``/headers``; remembered for headers sent as pairs.

    A client sends the same headers call after call (a session's, its token's): their
    verdict is read once. Headers in any other form are checked each time.
    """
    if _exact_pairs(headers):
        return _reading(headers).verdict(headers, operation, shown)
    return _checked_headers(headers, operation, shown)


def _exact_pairs(headers: object) -> TypeGuard[tuple[tuple[str, str], ...]]:
    """Whether ``headers`` is a tuple of ``(str, str)`` tuples, so its reading may be kept.

    Types exactly: a value equal to another of another type (``1`` and ``True``) or a
    subclass of str would share a reading it does not have. A loop, not all() over a
    generator: it runs on every call.
    """
    if type(headers) is not tuple:
        return False
    for pair in headers:
        if type(pair) is not tuple or len(pair) != 2:
            return False
        if type(pair[0]) is not str or type(pair[1]) is not str:
            return False
    return True


class _Reading:
    """What one set of headers says, read once: its Content-Type, and its verdict per call."""

    __slots__ = ("content_type", "verdicts")

    def __init__(self, headers: tuple[tuple[str, str], ...]) -> None:
        self.content_type = _content_type(headers)
        self.verdicts: dict[tuple[str, str | None], tuple[Violation, ...]] = {}

    def verdict(
        self, headers: object, operation: Operation, shown: str | None
    ) -> tuple[Violation, ...]:
        """The headers' violations as ``operation`` sends them, for a body shown as ``shown``."""
        key = (operation.name, shown)  # names: hashing an Operation reads all its fields
        found = self.verdicts.get(key)
        if found is None:
            found = self.verdicts[key] = _checked_headers(headers, operation, shown)
        return found


#: The readings of the headers seen lately; a client sends a few sets, so a full table
#: starts over rather than keeping an order of use.
_READINGS: dict[tuple[tuple[str, str], ...], _Reading] = {}
_MAX_READINGS = 256


def _reading(headers: tuple[tuple[str, str], ...]) -> _Reading:
    reading = _READINGS.get(headers)
    if reading is None:
        if len(_READINGS) >= _MAX_READINGS:
            _READINGS.clear()
        reading = _READINGS[headers] = _Reading(headers)
    return reading


def _checked_headers(
    headers: object, operation: Operation, shown: str | None
) -> tuple[Violation, ...]:
    found = header_violations(headers, operation, body_kind=shown)
    return tuple(v.under("/headers") for v in found)


@functools.lru_cache(maxsize=1024)
def _route(
    method: str, path: str
) -> tuple[
    Operation | None, tuple[Operation, ...], tuple[tuple[str, str], ...], tuple[Violation, ...]
]:
    """The operation of a call, those served at its path, its path's ids and what is wrong there.

    Remembered: a client calls the same few paths again and again (creates all go to one).
    """
    operation, at_path = find_operation(method, path)
    if operation is None:
        return None, tuple(at_path), (), ()
    match = operation.pattern.fullmatch(path)
    found = match.groupdict() if match else {}
    params = {k: v for k, v in found.items() if v is not None}
    return operation, tuple(at_path), tuple(params.items()), tuple(_id_violations(params))


def _content_type(headers: object) -> str | None:
    """The Content-Type as ``normalize_headers`` reads it, without building the other headers.

    The first well-formed pair of that name (any case) gives it; bytes are read as latin-1.
    """
    if isinstance(headers, Mapping):
        pairs: Iterable[object] = headers.items()
    elif isinstance(headers, list | tuple):
        pairs = headers
    else:
        return None
    for pair in pairs:
        if not (isinstance(pair, tuple | list) and len(pair) == 2 and isinstance(pair[0], str)):
            continue
        name, value = pair
        if name.lower() == "content-type":
            value = value.decode("latin-1") if isinstance(value, bytes) else value
            return value if isinstance(value, str) else None
    return None


def _shown_kind(body: object, *, infer: bool) -> str | None:
    inner = body.get("_instance") if isinstance(body, dict) else None
    instance = inner if isinstance(inner, dict) else body
    at_id = instance.get("@id") if isinstance(instance, dict) else None
    by_id = kind_of_id(at_id) if isinstance(at_id, str) else None
    kind = by_id or (infer_kind(body) if infer else None)
    return kind.body_kind if kind is not None else None


def _envelope_violations(body: object) -> list[Violation]:
    """A body no part of the call gives a kind to: only its JSON and envelope are checked."""
    if not isinstance(body, dict):
        message = (
            f"expected a JSON object (the instance, or its HAL envelope), got {json_type(body)}"
        )
        return [Violation("/body", message, "type")]
    inner = body.get("_instance", {})
    if not isinstance(inner, dict):
        message = f"expected _instance to be a JSON object, got {json_type(inner)}"
        return [Violation("/body/_instance", message, "type")]
    return []


def query_kind(query: list[tuple[str, str]]) -> ObjectKind | None:
    """The stored kind a lookup's or search's ``schema=`` names, if it names one."""
    for name, value in query:
        if name == "schema":
            named = read_schema_id(value)
            if named.known:
                return named.kind
    return None


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
    "deletion": "the id at the end of the Location the DELETE answered with",
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
    if not query and not operation.required_query:  # a create's: nothing to read
        return []
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
    # A query value is taken as sent: whitespace around it (a trailing newline) names no kind.
    named = read_schema_id(value) if value == value.strip() else None
    kind = named.kind if named is not None else None
    if kind is None:
        form = f"{schema_prefix()}<kind>;version=<version>"
        return (
            (
                f"schema={show(value)} does not name the schema of a stored kind (contract-kit "
                f"kinds lists them); send schema={form}"
            ),
            "query",
        )
    assert named is not None  # noqa: S101 - a kind was read from it
    wanted = f"schema={kind.request_schema}"
    if named.well_formed and named.version is None:
        message = (
            f"schema={show(value)} names no version; the service takes that, but the docs "
            f"name one: send {wanted}"
        )
        return message, "schema-version"
    if not named.known:
        known = " or ".join(kind.versions)
        return (
            (
                f"schema={show(value)} does not name the {kind.name} schema in a version the API "
                f"documents ({known}); send {wanted}"
            ),
            "query",
        )
    return None


def _id_problem(
    operation: Operation, value: str, query: list[tuple[str, str]]
) -> tuple[str, str] | None:
    if any(name == "name" for name, _ in query):
        return f"id and name cannot be used together in one {operation.name}", "query"
    wanted = query_kind(query)
    xcore = _XCORE_ID.fullmatch(value)
    of_kind = kind_of_id(value) if xcore is not None else None
    if of_kind is None:
        what = f"a {wanted.name}" if wanted is not None else "the"
        suffix = "" if wanted is not None else " of any stored kind"
        return f"id={show(value)} is not {what} @id{suffix}", "query"
    if wanted is None or of_kind == wanted:
        return None  # schema= names no kind, and says so: the id cannot be compared with it
    message = (
        f"id={show(value)} is an @id of kind {of_kind.name}, but schema= names the {wanted.name} "
        f"schema, so it matches nothing: send the @id of a {wanted.title.lower()}"
    )
    return message, "query-mismatch"


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
