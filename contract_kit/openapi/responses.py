"""The answers of each operation: its success, and the errors with both of their shapes.

Two error bodies exist (docs/contract.md "Errors for missing or bad credentials", "Other
refused calls"): the Platform gateway's ``{"error_code", "message"}`` as ``application/json``,
which answers before the service sees a call, and RFC 7807 problems as
``application/problem+json``. A 400 can be either. Each status is one component, referenced
from every operation it applies to; 429 and 503 come only from an injected fault.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from contract_kit.core.object_kinds import object_kinds
from contract_kit.core.operations import NAMED_KIND
from contract_kit.openapi.samples import sample as example_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from contract_kit.core.operations import Operation

__all__ = [
    "GATEWAY",
    "PROBLEM",
    "RECEIPT_KIND",
    "error_components",
    "header_components",
    "operation_responses",
]

GATEWAY: Final = "application/json"
PROBLEM: Final = "application/problem+json"
#: The kind of the body a DELETE answers with, when the fake is asked to send one.
RECEIPT_KIND: Final = "receipt"
_SCHEMA_OF = {GATEWAY: "gateway-error", PROBLEM: "problem"}
# The gateway's documented answers, one per status (Platform API docs, "errors").
_GATEWAY_EXAMPLES = {
    400: ("400003", "Missing header"),
    401: ("401013", "Oauth token is not valid"),
    403: ("403010", "Oauth token is missing."),
}


def _always(_: Operation) -> bool:
    return True


def _with_body(operation: Operation) -> bool:
    return operation.body is not None


def _in_container(operation: Operation) -> bool:
    return "{CONTAINER_ID}" in operation.template


def _conflicting(operation: Operation) -> bool:
    # A create of an @id that exists, or a change based on a stale If-Match.
    return operation.body is not None or operation.method == "DELETE"


class _Error(NamedTuple):
    shapes: tuple[str, ...]
    applies: Callable[[Operation], bool]
    why: str
    headers: tuple[str, ...] = ()
    origin: str | None = None


_ERRORS: dict[int, _Error] = {
    400: _Error((GATEWAY, PROBLEM), _always, "a header, the query or the body breaks the "
         "contract (problem, listing report.violations; a PUT or PATCH naming another kind "
         "than the stored instance's is schema-mismatch), or x-gw-ims-org-id is missing "
         "(gateway)"),
    401: _Error((GATEWAY,), _always, "the token is not valid (gateway)"),
    403: _Error((GATEWAY,), _always, "the token, x-api-key or the org is missing or refused "
         "(gateway)"),
    404: _Error((PROBLEM,), _in_container, "no such container or instance"),
    406: _Error((PROBLEM,), _always, "Accept admits no media type this call answers with"),
    409: _Error((PROBLEM,), _conflicting, "the @id exists already, If-Match is stale, a tag's "
         "name is taken (unique-name), or a referenced object's delete is refused at once"),
    413: _Error((PROBLEM,), _with_body, "the body is larger than the fake reads"),
    422: _Error((PROBLEM,), _with_body, "the body names an object the container does not "
         "hold (rule reference), changes a read-only member, or is a patch that cannot apply"),
    429: _Error((PROBLEM,), _always, "an injected fault", ("Retry-After",), "fault-injection"),
    503: _Error((PROBLEM,), _always, "an injected fault", ("Retry-After",), "fault-injection"),
}  # fmt: skip

_HEADERS: dict[str, dict[str, Any]] = {
    "Location": {
        "description": "where the new instance is, relative to Content-Base",
        "required": True,
        "schema": {"type": "string", "format": "uri-reference"},
    },
    "Content-Base": {
        "description": "the base URL Location is relative to",
        "required": True,
        "schema": {"type": "string", "format": "uri"},
    },
    "ETag": {
        "description": "the instance's etag, quoted; send it back in If-Match or If-None-Match",
        "required": True,
        "schema": {"type": "string", "minLength": 1},
    },
    "Retry-After": {
        "description": "seconds to wait before trying again",
        "required": False,
        "schema": {"type": "integer", "minimum": 0},
    },
    "Allow": {
        "description": "the methods the path takes",
        "required": True,
        "schema": {"type": "string", "minLength": 1},
    },
}


def _name(status: int) -> str:
    return "".join(word.capitalize() for word in HTTPStatus(status).phrase.split())


def _example(shape: str, status: int) -> dict[str, Any]:
    if shape == GATEWAY:
        code, message = _GATEWAY_EXAMPLES[status]
        return {"error_code": code, "message": message}
    return {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}


def header_components() -> dict[str, dict[str, Any]]:
    """The response headers, as ``components/headers``."""
    return {name: dict(header) for name, header in sorted(_HEADERS.items())}


def error_components() -> dict[str, dict[str, Any]]:
    """One response component per error status, each with its shapes and an example."""
    found: dict[str, dict[str, Any]] = {}
    for status, error in sorted(_ERRORS.items()):
        content = {
            shape: {
                "schema": {"$ref": f"#/components/schemas/{_SCHEMA_OF[shape]}"},
                "example": _example(shape, status),
            }
            for shape in error.shapes
        }
        response: dict[str, Any] = {"description": error.why, "content": content}
        if error.headers:
            response["headers"] = {h: {"$ref": f"#/components/headers/{h}"} for h in error.headers}
        if error.origin:
            response["x-contract-kit-origin"] = error.origin
        found[_name(status)] = response
    return dict(sorted(found.items()))


def _media_type(operation: Operation) -> str:
    version = f"; version={operation.accept_version}" if operation.accept_version else ""
    return f"{operation.accept[0]}{version}"


def _content(
    operation: Operation, kind: str, example: Callable[[str], Any] | None
) -> dict[str, Any]:
    if kind == NAMED_KIND:  # a stored instance of any kind: the one its schemas names
        kinds = [stored.instance_kind for stored in object_kinds()]
        media: dict[str, Any] = {
            "schema": {"anyOf": [{"$ref": f"#/components/schemas/{k}"} for k in kinds]}
        }
        samples = [example_of(example, k) for k in kinds] if example is not None else []
        first = next((sample for sample in samples if sample is not None), None)
        if first is not None:
            media["example"] = first
        return {"content": {_media_type(operation): media}}
    media = {"schema": {"$ref": f"#/components/schemas/{kind}"}}
    sample = example_of(example, kind) if example is not None else None
    if sample is not None:
        media["example"] = sample
    return {"content": {_media_type(operation): media}}


def _optional(answer: dict[str, Any], why: str) -> dict[str, Any]:
    """An answer only a fake built with another option gives (FakeOptions in the docs)."""
    return {**answer, "description": why, "x-contract-kit-origin": "fake-option"}


def _success(operation: Operation, example: Callable[[str], Any] | None) -> dict[str, Any]:
    """The documented success of ``operation``, its status by method (fake's defaults first)."""
    body = {} if operation.response is None else _content(operation, operation.response, example)
    headers: dict[str, Any] = {}
    if operation.method == "POST":
        headers = {h: {"$ref": f"#/components/headers/{h}"} for h in ("Content-Base", "Location")}
    elif operation.method == "GET" and "{INSTANCE_ID}" in operation.template:
        headers = {"ETag": {"$ref": "#/components/headers/ETag"}}
    ok: dict[str, Any] = {"description": "done", **body}
    if headers:
        ok["headers"] = headers
    if operation.method == "POST":
        return {
            "201": {**ok, "description": "created"},
            "200": _optional(body, "created, when the fake is built with create_status=200"),
        }
    if operation.method == "DELETE":
        receipt = _content(operation, RECEIPT_KIND, example)
        return {
            "202": {
                "description": "accepted, with a blank body; Location names where the outcome "
                "is polled (delete-outcome)",
                "headers": {
                    h: {"$ref": f"#/components/headers/{h}"} for h in ("Content-Base", "Location")
                },
            },
            "200": _optional(receipt, "deleted, when the fake is built with delete_body='receipt'"),
            "204": _optional({}, "deleted, when the fake is built with delete_status=204"),
        }
    answers = {"200": ok}
    if "{DELETION_ID}" in operation.template:
        answers["202"] = {
            "description": "pending: the outcome is not decided yet, poll again",
            "x-contract-kit-origin": "fake-option",
        }
    if "ETag" in headers:
        why = "not modified: If-None-Match names the current etag"
        answers["304"] = {"description": why, "headers": headers}
    return answers


def operation_responses(
    operation: Operation, example: Callable[[str], Any] | None
) -> dict[str, Any]:
    """Every answer of ``operation``, by status, in status order."""
    answers = _success(operation, example)
    for status, error in _ERRORS.items():
        if error.applies(operation):
            answers[str(status)] = {"$ref": f"#/components/responses/{_name(status)}"}
    return dict(sorted(answers.items()))
