"""The error answers a refused call gets: the gateway's documented bodies first, then problems.

The Platform gateway checks credentials before the service sees a call, so a call missing
its token, API key or org gets the gateway's documented body, with the HTTP status its code
starts with (``403010`` → 403). Anything else is an RFC 7807 problem body; xcore's own error
bodies are not public, so their shape is contract_kit's choice (docs/contract.md).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from contract_kit.core.messages import plural
from contract_kit.fake.exchange import FakeResponse, json_response

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from contract_kit.core.violation import Violation

__all__ = ["PROBLEM", "gateway_error", "problem", "response_for_violations", "too_large"]

PROBLEM = "application/problem+json"
# (pointer, missing?) → gateway error code and message, as the Platform docs give them.
_GATEWAY = {
    ("/headers/authorization", True): ("403010", "Oauth token is missing."),
    ("/headers/authorization", False): ("401013", "Oauth token is not valid"),
    ("/headers/x-api-key", True): ("403000", "Api Key is required"),
    ("/headers/x-api-key", False): ("403003", "Api Key is invalid"),
    ("/headers/x-gw-ims-org-id", True): ("400003", "Missing header"),
    ("/headers/x-gw-ims-org-id", False): ("403025", "Profile is not valid"),
}
_GATEWAY_ORDER = ("/headers/authorization", "/headers/x-api-key", "/headers/x-gw-ims-org-id")


def gateway_error(code: str, message: str) -> FakeResponse:
    """A Platform gateway error; its HTTP status is the code's first three digits."""
    body = {"error_code": code, "message": message}
    return json_response(int(code[:3]), body, "application/json")


def problem(  # noqa: PLR0913 - the body's parts, all but two given by keyword
    status: int,
    detail: str,
    *,
    title: str | None = None,
    violations: Sequence[Violation] = (),
    headers: tuple[tuple[str, str], ...] = (),
    report: Mapping[str, object] | None = None,
) -> FakeResponse:
    """An RFC 7807 problem body, listing contract violations under ``report`` when there are.

    ``report`` adds members of the report beside them (a refused delete's ``referencedBy``).
    """
    body: dict[str, object] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    listed: dict[str, object] = dict(report or {})
    if violations:
        listed["violations"] = [
            {"pointer": v.pointer, "rule": v.rule, "message": v.message} for v in violations
        ]
    if listed:
        body["report"] = listed
    return json_response(status, body, PROBLEM, headers)


def response_for_violations(violations: Sequence[Violation], allow: str = "") -> FakeResponse:
    """What the real service would most likely answer to a call with these violations.

    Warnings are left out: the service takes what they report, so they change no answer.
    """
    violations = [v for v in violations if v.is_error]
    for pointer in _GATEWAY_ORDER:
        at = [v for v in violations if v.pointer == pointer]
        if at:
            return gateway_error(*_GATEWAY[pointer, at[0].rule == "required"])
    pointers = {v.pointer for v in violations}
    if "/path" in pointers:
        return problem(
            404,
            "no operation of the Offer Library API is served at this path",
            violations=violations,
        )
    if "/method" in pointers:
        headers = (("Allow", allow),) if allow else ()
        return problem(
            405, "this path does not take that method", violations=violations, headers=headers
        )
    if "/headers/content-type" in pointers:
        return problem(
            400,
            "A valid content-type must be specified",
            title="BadRequestError",
            violations=violations,
        )
    if pointers == {"/headers/accept"}:
        return problem(
            406,
            "the Accept header admits no media type this call answers with",
            violations=violations,
        )
    count = plural(len(violations), "contract violation")
    first = violations[0]
    return problem(
        400, f"{count}; first: {first.pointer or '(root)'}: {first.message}", violations=violations
    )


def too_large(limit: int) -> FakeResponse:
    """The answer to a body over ``limit`` bytes, given before the body is read when possible."""
    size = f"{limit // 2**20} MiB" if limit % 2**20 == 0 else f"{limit} bytes"
    return problem(
        413,
        f"the body is larger than {size}, the most the fake reads; offers are kilobytes",
    )
