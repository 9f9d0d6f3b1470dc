"""Check a cassette file as the linter sees it: every exchange, and no secret left in it.

Pointers lead into the cassette document (``/responses/0/request/headers/x-api-key``), so
the linter can place each finding at its line. What a body or URL holds is checked inside
the text and named in the message (a body is one string in the file).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contract_kit.cassettes.redaction import (
    DEFAULT_BODY_KEYS,
    DEFAULT_HEADER_PLACEHOLDERS,
    DEFAULT_QUERY_PARAMETERS,
    PLACEHOLDER,
)
from contract_kit.core.messages import show
from contract_kit.core.operations import answer_kind
from contract_kit.core.violation import Violation, display_pointer, join_pointer, split_pointer

__all__ = ["recording_violations"]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def recording_violations(document: object) -> list[Violation]:
    """Every way a cassette breaks the contract or keeps a secret."""
    entries = _mapping(document).get("responses")
    if not isinstance(entries, list):
        return [Violation("/responses", "a recording holds a responses: list", "recording")]
    found: list[Violation] = []
    for index, entry in enumerate(entries):
        found.extend(_entry_violations(index, entry))
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
    return [*_secrets(at, request, response), *_contract(at, request, response)]


def _secrets(
    at: list[str | int], request: Mapping[str, Any], response: Mapping[str, Any]
) -> list[Violation]:
    found = []
    for side, headers in (
        ("request", request.get("headers")),
        ("response", response.get("headers")),
    ):
        for name, value in _mapping(headers).items():
            placeholder = DEFAULT_HEADER_PLACEHOLDERS.get(str(name).lower())
            if placeholder is not None and value != placeholder:
                message = (
                    f"header {name} keeps a real credential; a recording holds the placeholder "
                    f'"{placeholder}" instead: record it again with contract_kit (it redacts), or '
                    "replace the value, and revoke the credential"
                )
                found.append(
                    Violation(join_pointer([*at, side, "headers", name]), message, "secret")
                )
    from urllib.parse import parse_qsl, urlsplit

    for key, value in parse_qsl(urlsplit(_text(request.get("url"))).query):
        if key in DEFAULT_QUERY_PARAMETERS and value != PLACEHOLDER:
            message = f"query parameter {key} keeps a secret; it must read {PLACEHOLDER}"
            found.append(Violation(join_pointer([*at, "request", "url"]), message, "secret"))
    for side, body in (("request", request.get("body")), ("response", response.get("body"))):
        for member in _secret_members(_text(body)):
            message = f"body member {member} keeps a secret; it must read {PLACEHOLDER}"
            found.append(Violation(join_pointer([*at, side, "body"]), message, "secret"))
    return found


def _secret_members(body: str) -> list[str]:
    import json

    try:
        parsed = json.loads(body)
    except ValueError:
        return []
    found, stack = [], [parsed]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in DEFAULT_BODY_KEYS and inner != PLACEHOLDER:
                    found.append(key)
                stack.append(inner)
        elif isinstance(value, list):
            stack.extend(value)
    return sorted(found)


def _contract(
    at: list[str | int], request: Mapping[str, Any], response: Mapping[str, Any]
) -> list[Violation]:
    from contract_kit.api.request_check import check_call, parse_json_body
    from contract_kit.core.checks import violations

    headers = {str(k): str(v) for k, v in _mapping(request.get("headers")).items()}
    body = _text(request.get("body"))
    check = check_call(
        _text(request.get("method")) or _text(response.get("method")),
        _text(request.get("url")) or _text(response.get("url")),
        headers,
        body or None,
    )
    spelled = {name.lower(): name for name in headers}
    found = [_placed(at, v, spelled) for v in check.violations]
    answer = _text(response.get("body"))
    status = response.get("status")
    if check.operation is None or not answer or not isinstance(status, int):
        return found
    kind = answer_kind(check.operation.name, status)
    if kind is None:
        return found
    parsed, problems = parse_json_body(answer)
    for violation in problems or violations(kind, parsed):
        where = display_pointer(violation.pointer)
        message = f"the recorded {kind} at {where}: {violation.message}"
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
