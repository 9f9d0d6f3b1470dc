"""Check a cassette file as the linter sees it: every exchange, and no secret left in it.

Pointers lead into the cassette document (``/responses/0/request/headers/x-api-key``), so
the linter can place each finding at its line. What a body or URL holds is checked inside
the text and named in the message (a body is one string in the file). The rule ``secret``
applies the policy recording applies (:mod:`contract_kit.core.secrets`): it flags each named
place recording would have replaced, and each other place that repeats one of their values.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any, NamedTuple

from contract_kit.core.messages import show
from contract_kit.core.operations import answer_kind, checks_answer
from contract_kit.core.secrets import PLACEHOLDER, Place, SecretPolicy
from contract_kit.core.violation import Violation, display_pointer, join_pointer, split_pointer

__all__ = ["recording_violations"]

_POLICY = SecretPolicy()
_SIDES = ("request", "response")
_WHAT = {"pair": "parameter", "member": "member", "field": "multipart field"}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _body(side: Mapping[str, Any]) -> str | bytes:
    """A side's body as recorded: its text, or the bytes ``body_base64`` holds."""
    encoded = side.get("body_base64")
    if isinstance(encoded, str):
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            pass
    return _text(side.get("body"))


def _entries(document: object) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """The request and response side of each exchange (empty mappings where one is missing)."""
    entries = _mapping(document).get("responses")
    return [
        (_mapping(_mapping(entry).get("request")), _mapping(_mapping(entry).get("response")))
        for entry in (entries if isinstance(entries, list) else [])
    ]


def recording_violations(document: object) -> list[Violation]:
    """Every way a cassette breaks the contract or keeps a secret."""
    entries = _mapping(document).get("responses")
    if not isinstance(entries, list):
        return [Violation("/responses", "a recording holds a responses: list", "recording")]
    found: list[Violation] = []
    for index, entry in enumerate(entries):
        found.extend(_entry_violations(index, entry))
    found.extend(_secrets(_entries(document)))
    return found


def _entry_violations(index: int, entry: object) -> list[Violation]:
    at: list[str | int] = ["responses", index]
    response, request = (
        _mapping(_mapping(entry).get("response")),
        _mapping(_mapping(entry).get("request")),
    )
    missing = [
        Violation(
            join_pointer([*at, "response", key]), f"a recorded response needs {key}", "recording"
        )
        for key in ("method", "url", "status")
        if key not in response
    ]
    if not isinstance(_mapping(entry).get("response"), Mapping):
        return [
            Violation(
                join_pointer([*at, "response"]),
                "each exchange holds a response mapping",
                "recording",
            )
        ]
    if missing or not request:
        note = (
            []
            if request
            else [
                Violation(
                    join_pointer([*at, "request"]),
                    "the exchange has no request side to check; record it with contract_kit",
                    "recording",
                )
            ]
        )
        return [*missing, *note]
    return _contract(at, request, response)


def _header_finding(pointer: str, name: str, placeholder: str) -> Violation:
    message = (
        f"header {name} keeps a real credential; a recording holds the placeholder "
        f'"{placeholder}" instead: record it again with contract_kit (it redacts), or '
        "replace the value, and revoke the credential"
    )
    return Violation(pointer, message, "secret")


def _place_finding(pointer: str, text: _Text, place: Place) -> Violation:
    inside = "" if place.span is not None else " (inside an encoded value)"
    if text.kind == "url" and place.kind == "pair":
        named = f"query parameter {place.name}{inside}"
    else:
        holder = {"url": "the URL", "body": "the body", "header": f"header {text.name}"}
        named = f"{_WHAT[place.kind]} {place.name}{inside} in {holder[text.kind]}"
    return Violation(pointer, f"{named} keeps a secret; it must read {PLACEHOLDER}", "secret")


def _echo_finding(pointer: str, text: _Text) -> Violation:
    what = {"url": "the URL", "body": "the body", "header": f"header {text.name}"}[text.kind]
    message = (
        f"{what} repeats a secret this recording keeps elsewhere (its value is not shown); "
        "record it again with contract_kit (it redacts), or replace it, and revoke the credential"
    )
    return Violation(pointer, message, "secret")


class _Text(NamedTuple):
    """One text of an exchange: a URL, a header value (``name`` its header) or a body."""

    pointer: str
    kind: str
    name: str
    value: str | bytes


def _texts(index: int, request: Mapping[str, Any], response: Mapping[str, Any]) -> list[_Text]:
    texts: list[_Text] = []
    for side_name, side in zip(_SIDES, (request, response), strict=True):
        at: list[str | int] = ["responses", index, side_name]
        texts.append(_Text(join_pointer([*at, "url"]), "url", "", _text(side.get("url"))))
        for name, value in _mapping(side.get("headers")).items():
            pointer = join_pointer([*at, "headers", name])
            texts.append(_Text(pointer, "header", str(name), _text(value)))
        texts.append(_Text(join_pointer([*at, "body"]), "body", "", _body(side)))
    return texts


def _secrets(entries: list[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> list[Violation]:
    """Named places left unredacted, then every other text repeating one of their values."""
    found: list[Violation] = []
    secrets: dict[str, str] = {}
    unflagged: list[_Text] = []
    for index, (request, response) in enumerate(entries):
        for text in _texts(index, request, response):
            placeholder = _POLICY.header_placeholder(text.name) if text.kind == "header" else None
            if placeholder is not None and isinstance(text.value, str):
                secrets.update(_POLICY.header_secrets(text.name, text.value))
                if text.value != placeholder:
                    found.append(_header_finding(text.pointer, text.name, placeholder))
                continue
            places = [place for place in _POLICY.places(text.value) if not place.redacted]
            secrets.update(_POLICY.secrets(places, {}))
            found.extend(_place_finding(text.pointer, text, place) for place in places)
            if not places:
                unflagged.append(text)
    scrubber = _POLICY.scrubber(secrets)
    if scrubber:
        found.extend(
            _echo_finding(text.pointer, text) for text in unflagged if scrubber.finds(text.value)
        )
    return found


def _contract(
    at: list[str | int], request: Mapping[str, Any], response: Mapping[str, Any]
) -> list[Violation]:
    from contract_kit.api.request_check import check_call, parse_json_body
    from contract_kit.core.checks import violations

    headers = {str(k): str(v) for k, v in _mapping(request.get("headers")).items()}
    body = _body(request)
    check = check_call(
        _text(request.get("method")) or _text(response.get("method")),
        _text(request.get("url")) or _text(response.get("url")),
        headers,
        body or None,
    )
    spelled = {name.lower(): name for name in headers}
    found = [_placed(at, v, spelled) for v in check.violations]
    answer = _body(response)
    status = response.get("status")
    if check.operation is None or not answer or not isinstance(status, int):
        return found
    if not checks_answer(check.operation.name, status):
        return found
    parsed, problems = parse_json_body(answer)
    # A read answers an instance of any stored kind: its body tells which.
    kind = answer_kind(check.operation.name, status, parsed)
    for violation in problems or (violations(kind, parsed) if kind else []):
        where = display_pointer(violation.pointer)
        message = f"the recorded {kind or 'answer'} at {where}: {violation.message}"
        found.append(Violation(join_pointer([*at, "response", "body"]), message, violation.rule))
    return found


def _placed(at: list[str | int], violation: Violation, spelled: Mapping[str, str]) -> Violation:
    tokens = split_pointer(violation.pointer)
    part = tokens[0] if tokens else ""
    if part == "headers" and len(tokens) == 2 and tokens[1] in spelled:
        return Violation(
            join_pointer([*at, "request", "headers", spelled[tokens[1]]]),
            violation.message,
            violation.rule,
        )
    if part == "body":
        inner = display_pointer(violation.pointer.removeprefix("/body"))
        message = f"the request body at {inner}: {violation.message}"
        return Violation(join_pointer([*at, "request", "body"]), message, violation.rule)
    field = {"method": "method", "path": "url", "query": "url"}.get(
        part, "headers" if part == "headers" else "url"
    )
    message = (
        violation.message
        if part != "query"
        else f"{show(tokens[1])} in the query: {violation.message}"
    )
    return Violation(join_pointer([*at, "request", field]), message, violation.rule)
