"""Check a decision call as the service would: its headers, then its body (spec B.2, B.3).

The credentials are the Offer Library's (the same gateway); Content-Type is one of the
Swagger's three forms; Accept must admit the decision response; ``x-request-id`` is required
but, unlike Adobe's Swagger wording suggests, not a UUID (the AJO example's ends in
``-example``), so any visible ASCII is taken. A value seen before is only a warning: the
docs ask for one per request, and test tools repeat them.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from contract_kit.api.json_body import parse_json_body
from contract_kit.core.headers import normalize_headers
from contract_kit.core.media_types import MediaTypeError, parse_accept, parse_media_type
from contract_kit.core.messages import show
from contract_kit.core.schema_check import schema_violations, subschema_validator
from contract_kit.core.violation import Violation, sort_violations

if TYPE_CHECKING:
    from collections.abc import Container, Iterator

    from contract_kit.core.media_types import MediaType

__all__ = ["REQUEST_SCHEMA", "RESPONSE_SCHEMA", "check_decision_request"]

_OFFER_MANAGEMENT = "https://ns.adobe.com/experience/offer-management/"
#: The schema parameter of a decision request's Content-Type, in the version the docs send.
REQUEST_SCHEMA = f"{_OFFER_MANAGEMENT}decision-request;version=1.0"
#: The schema parameter of the media type the decision answers with.
RESPONSE_SCHEMA = f"{_OFFER_MANAGEMENT}decision-response;version=1.0"
_XDM = "application/vnd.adobe.xdm+json"
_REQUEST_VERSIONS = ("1.0", "0.9")  # the Swagger's consumes list has both
_CONTENT_TYPE = f'{_XDM}; schema="{REQUEST_SCHEMA}"'
_ACCEPT = f'{_XDM}; schema="{RESPONSE_SCHEMA}"'
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")


def check_decision_request(
    headers: object, body: object, *, seen_request_ids: Container[str] = ()
) -> list[Violation]:
    """Everything wrong with one decision call, at ``/headers/...`` and ``/body/...``.

    ``seen_request_ids`` holds the ``x-request-id`` values already sent (the fake keeps
    them), for the ``request-id-reused`` warning. The body may be bytes, text or parsed JSON.
    """
    found = [v.under("/headers") for v in _header_violations(headers, seen_request_ids)]
    parsed, problems = parse_json_body(body)
    found.extend(problems)
    if not problems:
        found.extend(v.under("/body") for v in schema_violations("decision-request", parsed))
    return sort_violations(found)


def _header_violations(headers: object, seen: Container[str]) -> list[Violation]:
    found, problems = normalize_headers(headers)
    if found is None:
        return problems
    call_headers = subschema_validator("request-headers", "/$defs/call-headers")
    # Accept and x-request-id differ from the Offer Library's: checked below.
    mine = {"/accept", "/x-request-id"}
    problems.extend(
        v for v in call_headers.violations(found, noun="header") if v.pointer not in mine
    )
    problems.extend(_request_id(found.get("x-request-id"), seen))
    problems.extend(_media_types(found.get("content-type"), found.get("accept")))
    return problems


def _request_id(value: object, seen: Container[str]) -> Iterator[Violation]:
    where = "/x-request-id"
    if value is None:
        message = (
            'header "x-request-id" is missing; the Swagger requires one, but the previewer '
            "decides without it: send a value unique per request"
        )
        yield Violation(where, message, "request-id-missing")
    elif not isinstance(value, str) or not _VISIBLE_ASCII.fullmatch(value):
        message = f"x-request-id {show(value)} is not a non-empty string of visible ASCII"
        yield Violation(where, message, "request-id")
    elif value in seen:
        message = f"x-request-id {show(value)} was sent before; the service wants one per request"
        yield Violation(where, message, "request-id-reused")


@functools.lru_cache(maxsize=256)
def _media_types(content_type: object, accept: object) -> tuple[Violation, ...]:
    """The verdict on Content-Type and Accept: a client sends the same values again and again."""
    return (*_content_type(content_type), *_accept(accept))


def _parsed_type(value: str) -> MediaType | str:
    """The parsed Content-Type, or why it cannot be read."""
    try:
        return parse_media_type(value)
    except MediaTypeError as error:
        return str(error)


def _parsed_ranges(value: str) -> list[MediaType] | str:
    """The parsed Accept list, or why it cannot be read."""
    try:
        return parse_accept(value)
    except MediaTypeError as error:
        return str(error)


def _content_type(value: object) -> Iterator[Violation]:
    where = "/content-type"
    if value is None:
        message = f'required header "content-type" is missing; send Content-Type: {_CONTENT_TYPE}'
        yield Violation(where, message, "required")
        return
    media_type = _parsed_type(str(value))
    if isinstance(media_type, str):
        message = f"Content-Type is not a media type: {media_type}; send {_CONTENT_TYPE}"
        yield Violation(where, message, "content-type")
        return
    if media_type.essence == "application/json":
        return
    schema = media_type.param("schema")
    uri, _, version = (schema or "").partition(";version=")
    if media_type.essence == _XDM and uri == REQUEST_SCHEMA.split(";", 1)[0]:
        if version in _REQUEST_VERSIONS:
            return
        message = f"Content-Type names decision-request version {show(version)}, not 1.0 or 0.9"
    elif media_type.essence == _XDM:
        message = f"Content-Type's schema parameter {show(schema)} is not the decision request's"
    else:
        message = f"Content-Type {show(value)} is not one the decision call takes"
    yield Violation(where, f"{message}; send Content-Type: {_CONTENT_TYPE}", "content-type")


def _admits(media_range: MediaType) -> bool:
    if media_range.param("q") in {"0", "0.0", "0.00", "0.000"}:
        return False
    if media_range.essence in {"*/*", "application/*", "application/json"}:
        return True
    schema = media_range.param("schema")
    return media_range.essence == _XDM and schema in {None, RESPONSE_SCHEMA}


def _accept(value: object) -> Iterator[Violation]:
    if value is None:
        return  # read as */* (RFC 9110), as for the Offer Library's calls
    ranges = _parsed_ranges(str(value))
    if isinstance(ranges, str):
        message = f"Accept is not a list of media ranges: {ranges}; send Accept: {_ACCEPT}"
        yield Violation("/accept", message, "accept")
    elif not any(_admits(r) for r in ranges):
        message = (
            f"Accept {show(value)} does not admit the decision response; send Accept: {_ACCEPT}"
        )
        yield Violation("/accept", message, "accept")
