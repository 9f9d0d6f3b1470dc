"""Check the headers of a call: case-insensitive names, media types parsed, secrets masked.

Headers arrive as a dict, any mapping (requests' ``CaseInsensitiveDict``) or a list of
``(name, value)`` pairs. They are checked as an object keyed by lower-cased name, so the
pointer of a header is ``/`` and its lower-cased name.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from contract_kit.core.call_kind import schema_parameter_names
from contract_kit.core.media_types import MediaType, MediaTypeError, parse_accept, parse_media_type
from contract_kit.core.messages import json_type, show
from contract_kit.core.object_kinds import object_kind, schema_prefix
from contract_kit.core.operations import OPERATIONS, Operation
from contract_kit.core.schema_check import schema_violations, subschema_validator
from contract_kit.core.violation import Violation, escape_token

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["CREATE", "header_violations", "normalize_headers"]

CREATE = next(op for op in OPERATIONS if op.name == "create")
_SCHEMA_VALUE = re.compile(r"(?P<uri>\S+?);version=(?P<version>\S+)")
_UNQUOTED_SCHEMA = re.compile(r";\s*schema\s*=\s*[^\s\"]", re.IGNORECASE)
_QUOTING = (
    "{header} puts a parameter value in single quotes, which RFC 9110 does not know; the "
    "service reads it as quoted: use double quotes"
)
_WEIGHT = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")


def _pointer(name: str) -> str:
    return "/" + escape_token(name)


def normalize_headers(headers: object) -> tuple[dict[str, object] | None, list[Violation]]:
    """Return the headers keyed by lower-cased name, and what is wrong with their form.

    The first of two headers whose names differ only in case is kept; the second is a
    ``duplicate-header`` violation. None comes back when the input is not headers at all.
    """
    if isinstance(headers, Mapping):
        pairs: Iterable[object] = headers.items()
    elif isinstance(headers, list | tuple):
        pairs = headers
    else:
        expected = "a mapping of header names to values, or a list of (name, value) pairs"
        return None, [Violation("", f"expected {expected}, got {json_type(headers)}", "type")]
    found: dict[str, object] = {}
    spelled: dict[str, str] = {}
    problems: list[Violation] = []
    for index, pair in enumerate(pairs):
        if not (isinstance(pair, tuple | list) and len(pair) == 2 and isinstance(pair[0], str)):
            message = f"item {index} is not a (name, value) pair with a string name"
            problems.append(Violation("", message, "type"))
            continue
        name, value = pair
        key = name.lower()
        if key in found:
            first = spelled[key]
            how = "twice" if first == name else f'twice, as "{first}" and as "{name}"'
            message = (
                f"header {key} is sent {how}; header names are case-insensitive, so the server "
                "sees one of the two values: send it once"
            )
            problems.append(Violation(_pointer(key), message, "duplicate-header"))
            continue
        found[key] = value.decode("latin-1") if isinstance(value, bytes) else value
        spelled[key] = name
    return found, problems


def header_violations(
    headers: object, operation: Operation = CREATE, *, body_kind: str | None = None
) -> list[Violation]:
    """Everything wrong with the headers of one call of ``operation`` (a create by default).

    ``body_kind`` is the stored kind the body shows, if it shows one: what a Content-Type
    naming no kind is told to name.
    """
    found, problems = normalize_headers(headers)
    if found is None:
        return problems
    if operation.body is not None and operation.schema_required:
        from_schema = schema_violations("request-headers", found, noun="header")
    else:
        # What every call sends (the create call's schema adds Content-Type).
        call_headers = subschema_validator("request-headers", "/$defs/call-headers")
        from_schema = call_headers.violations(found, noun="header")
        if operation.body is not None and "content-type" not in found:
            message = f'required header "content-type" is missing ({operation.label} sends a body)'
            from_schema.append(Violation("/content-type", message, "required"))
    # A missing Accept is accept-missing, whatever the schema's required list says.
    problems.extend(v for v in from_schema if (v.pointer, v.rule) != ("/accept", "required"))
    accept = found.get("accept")
    if isinstance(accept, str):
        problems.extend(_media_violations("accept", accept, operation, None))
    elif "accept" not in found:
        message = (
            "no Accept header: the service reads it as */* (RFC 9110, section 12.5.1), "
            f"but the docs send one; send Accept: {_wanted_accept(operation)}"
        )
        problems.append(Violation("/accept", message, "accept-missing"))
    content_type = found.get("content-type")
    if isinstance(content_type, str) and operation.body is not None:
        problems.extend(_media_violations("content-type", content_type, operation, body_kind))
    return problems


@functools.lru_cache(maxsize=512)
def _media_violations(
    header: str, value: str, operation: Operation, body_kind: str | None
) -> tuple[Violation, ...]:
    """The verdict on one Accept or Content-Type value; a client sends the same ones again."""
    if header == "accept":
        return tuple(_accept_violations(value, operation))
    return tuple(_content_type_violations(value, operation, body_kind))


def _quality(media_range: MediaType) -> float:
    value = media_range.param("q")
    try:
        quality = float(value) if value is not None else 1.0
    except ValueError:
        return 1.0  # reported as a malformed weight
    return quality if math.isfinite(quality) else 1.0


def _wanted_accept(operation: Operation) -> str:
    version = f"; version={operation.accept_version}" if operation.accept_version else ""
    return f"{operation.accept[0]}{version}"


def _admits(media_range: MediaType, operation: Operation) -> bool:
    if media_range.essence in {"*/*", "application/*"}:
        return True
    if media_range.essence not in operation.accept:
        return False
    version = media_range.param("version")
    return operation.accept_version is None or version in {None, operation.accept_version}


def _accept_violations(accept: str, operation: Operation) -> Iterator[Violation]:
    where = "/accept"
    wanted = _wanted_accept(operation)
    try:
        ranges = parse_accept(accept)
    except MediaTypeError as error:
        try:
            ranges = parse_accept(accept, single_quotes=True)
        except MediaTypeError:
            yield Violation(where, f"Accept is not a list of media ranges: {error}", "accept")
            return
        yield Violation(where, _QUOTING.format(header="Accept"), "quoting")
    for media_range in ranges:
        q = media_range.param("q")
        if q is not None and not _WEIGHT.fullmatch(q):
            message = f"q={q} in Accept is not a weight from 0 to 1 with at most 3 decimals"
            yield Violation(where, message, "accept")
    if any(_quality(r) > 0 and _admits(r, operation) for r in ranges):
        return
    named = [r for r in ranges if r.essence in operation.accept and _quality(r) > 0]
    if named:
        version = named[0].param("version")
        message = (
            f"Accept asks for version={version} of {named[0].essence}, which this contract "
            f"does not know; send Accept: {wanted}"
        )
    else:
        message = (
            f"Accept {show(accept)} does not admit what {operation.label} answers with; "
            f"send Accept: {wanted} (or a wildcard such as */*)"
        )
    yield Violation(where, message, "accept")


#: What a message suggests when no kind is known: the form, with the parts to fill in.
_ANY_SCHEMA = 'schema="{prefix}<kind>;version=<version>"'


def _wanted_schema(value: str, body_kind: str | None) -> str:
    """The schema parameter to suggest: the kind the value names, else the body's, else a form."""
    named = [n.kind for _, n in schema_parameter_names(_schema_text(value)) if n.kind is not None]
    kind = named[0] if named else object_kind(body_kind) if body_kind is not None else None
    if kind is None:
        return _ANY_SCHEMA.format(prefix=schema_prefix())
    return f'schema="{kind.request_schema}"'


def _schema_text(content_type: str) -> str:
    """The schema parameter's text as written, even in a value that does not parse."""
    start = content_type.find(schema_prefix())
    return content_type[start:].strip("\"' ") if start >= 0 else ""


def _content_type_violations(
    content_type: str, operation: Operation, body_kind: str | None
) -> Iterator[Violation]:
    where = "/content-type"
    wanted_schema = _wanted_schema(content_type, body_kind)
    wanted = f"{operation.content_types[0]}; version=1; {wanted_schema}"
    try:
        media_type = parse_media_type(content_type)
    except MediaTypeError as error:
        try:
            media_type = parse_media_type(content_type, single_quotes=True)
        except MediaTypeError:
            if _UNQUOTED_SCHEMA.search(content_type):
                why = "the schema parameter's value holds ':', '/' and ';', so it must be quoted"
            else:
                why = f"Content-Type is not a media type: {error}"
            yield Violation(where, f"{why}; send Content-Type: {wanted}", "content-type")
            return
        yield Violation(where, _QUOTING.format(header="Content-Type"), "quoting")
    if media_type.essence not in operation.content_types:
        others = operation.content_types[1:]
        alternative = f" (or {others[0]}, same parameters)" if others else ""
        message = (
            f'Content-Type "{media_type.essence}" is not one {operation.label} accepts; '
            f"send Content-Type: {wanted}{alternative}"
        )
        yield Violation(where, message, "content-type")
        return
    version_values = media_type.values("version")
    if len(version_values) > 1:
        message = (
            "Content-Type gives the version parameter twice: a schema value holding "
            f'";version=" must be in double quotes, as in {wanted_schema}'
        )
        yield Violation(where, message, "content-type")
    elif not version_values:
        message = (
            f"Content-Type has no version parameter; the service takes that, but the docs "
            f"send version=1: send Content-Type: {wanted}"
        )
        yield Violation(where, message, "version-param")
    elif version_values != ["1"]:
        message = f"Content-Type has version={version_values[0]}; {operation.label} takes version=1"
        yield Violation(where, message, "content-type")
    schema = media_type.param("schema")
    if schema is None:
        if operation.schema_required:
            message = f"Content-Type has no schema parameter; add {wanted_schema}"
            yield Violation(where, message, "content-type")
        return
    yield from _schema_parameter_violations(schema, body_kind, wanted_schema)


def _schema_parameter_violations(
    schema: str, body_kind: str | None, wanted_schema: str
) -> Iterator[Violation]:
    where = "/content-type"
    named = schema_parameter_names(schema)
    if not named:
        message = (
            f'the Content-Type schema parameter "{schema}" is not an offer-management schema id '
            f"with its version; send {wanted_schema}"
        )
        yield Violation(where, message, "content-type")
        return
    kinds = list(dict.fromkeys(n.kind.name for _, n in named if n.kind is not None))
    if len(kinds) > 1:
        message = (
            f"the Content-Type schema parameter names {len(kinds)} kinds ({', '.join(kinds)}); "
            "the body is one: name its schema alone"
        )
        yield Violation(where, message, "schema-mismatch")
        return
    value, name = named[0]
    kind = name.kind
    if kind is None or not name.well_formed:
        what = "no kind the Offer Library stores" if kind is None else "no version of it"
        message = (
            f'the Content-Type schema parameter "{value}" names {what} '
            f"(contract-kit kinds lists them); send {wanted_schema}"
        )
        yield Violation(where, message, "content-type")
        return
    if body_kind is not None and body_kind != kind.body_kind:
        wanted_kind = object_kind(body_kind.removesuffix("-instance"))
        message = (
            f'the Content-Type schema parameter names the "{kind.name}" schema, but the body '
            f'is a {body_kind} (its @id says so); send schema="{wanted_kind.request_schema}"'
        )
        yield Violation(where, message, "schema-mismatch")
    elif name.version is None:
        message = (
            f'the Content-Type schema parameter "{value}" names no version; the service '
            f'takes that, but the docs name one: send schema="{kind.request_schema}"'
        )
        yield Violation(where, message, "schema-version")
    elif name.version not in kind.versions:
        known = " or ".join(kind.versions)
        message = (
            f"the Content-Type schema parameter names version {name.version} of the "
            f"{kind.name} schema; the API documents {known}"
        )
        yield Violation(where, message, "content-type")
