"""The control plane of ``contract-kit serve`` as OpenAPI paths, under their own tag.

It is not Adobe's API: every operation is tagged ``control-plane``, takes no token
(``security: []``) and lives under ``/_contract-kit/``, where no Adobe path is.
docs/serve.md "Control plane" says what each call does.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["CONTROL_TAG", "control_plane_paths"]

CONTROL_TAG: Final = {
    "name": "control-plane",
    "description": "contract-kit serve only; not Adobe's API: seed, reset, inject faults, "
    "read the calls seen",
}
_JSON = "application/json"
_PROBLEM = "application/problem+json"
_PLACEMENT = {
    "type": "object",
    "required": ["@id"],
    "properties": {
        "@id": {"type": "string", "pattern": "^xcore:offer-placement:[0-9a-f]{1,16}$"},
        "xdm:channel": {"type": "string"},
        "xdm:name": {"type": "string"},
    },
}
_SEED = {
    "type": "object",
    "required": ["kind", "body"],
    "additionalProperties": False,
    "properties": {
        "kind": {"enum": ["offer-placement", "fallback-offer"]},
        "body": {
            "description": "checked as a create's body is: a placement, or a fallback offer "
            "(an explicit @id is kept)",
            "anyOf": [_PLACEMENT, {"$ref": "#/components/schemas/fallback-offer.bare"}],
        },
    },
}
_VIOLATION = {
    "type": "object",
    "required": ["pointer", "rule", "message", "severity"],
    "properties": {
        "pointer": {"type": "string"},
        "rule": {"type": "string"},
        "message": {"type": "string"},
        "severity": {"enum": ["error", "warning"]},
    },
}
_CALL = {
    "type": "object",
    "required": ["index", "method", "target", "operation", "status", "violations"],
    "properties": {
        "index": {"type": "integer", "minimum": 0},
        "method": {"type": "string"},
        "target": {"type": "string", "description": "path and query, secrets masked"},
        "operation": {"type": ["string", "null"]},
        "status": {"type": ["integer", "null"], "description": "null: the connection was dropped"},
        "violations": {"type": "array", "items": _VIOLATION},
    },
}
_FAULT = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "disconnect": {"type": "boolean", "description": "drop the connection instead"},
        "method": {"type": "string"},
        "path": {"type": "string", "description": "a glob over the request path"},
        "times": {"type": "integer", "minimum": 1, "default": 1},
        "retry_after": {"type": "integer", "minimum": 0},
    },
    "x-contract-kit-same-as": "OfferLibrary.fail_next and disconnect_next",
}
_CANDIDATE = {
    "type": "object",
    "required": ["offer", "reason", "priority", "detail"],
    "properties": {
        "offer": {"type": "string"},
        "reason": {"type": "string", "description": "chosen, or the first reason it was left out"},
        "priority": {"type": "number"},
        "detail": {"type": "string"},
    },
}
_TRACE = {
    "type": "object",
    "required": ["propositionId", "propositions", "warnings"],
    "properties": {
        "propositionId": {"type": "string"},
        "propositions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"candidates": {"type": "array", "items": _CANDIDATE}},
            },
        },
        "warnings": {"type": "array", "items": _VIOLATION},
    },
}
_SINCE = {
    "name": "since",
    "in": "query",
    "schema": {"type": "integer", "minimum": 0},
    "description": "only calls numbered this or more (numbers go on across resets)",
}


def _path_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _json(schema: dict[str, Any], why: str) -> dict[str, Any]:
    return {"description": why, "content": {_JSON: {"schema": schema}}}


def _refused(why: str) -> dict[str, Any]:
    return {"description": why, "content": {_PROBLEM: {"schema": {"type": "object"}}}}


def _operation(
    name: str,
    summary: str,
    answers: dict[str, Any],
    *,
    body: dict[str, Any] | None = None,
    parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": name,
        "summary": summary,
        "tags": [CONTROL_TAG["name"]],
        "security": [],
    }
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {"required": False, "content": {_JSON: {"schema": body}}}
    operation["responses"] = answers
    return operation


def control_plane_paths() -> dict[str, Any]:
    """The control plane's paths, ready to merge into ``paths``."""
    done = {"description": "done"}
    bad = _refused("the body cannot be carried out; detail says what to send")
    calls = {"type": "array", "items": _CALL}
    return {
        "/_contract-kit/": {
            "get": _operation(
                "ckIndex",
                "what this server serves: its container, base URL, seedable kinds, links",
                {"200": _json({"type": "object"}, "the index")},
            )
        },
        "/_contract-kit/objects": {
            "get": _operation(
                "ckList",
                "the stored objects, each with its kind",
                {"200": _json({"type": "array"}, "the objects"), "400": bad},
                parameters=[
                    {
                        "name": "kind",
                        "in": "query",
                        "schema": {"enum": ["offer-placement", "fallback-offer"]},
                    }
                ],
            ),
            "post": _operation(
                "ckSeed",
                "store objects, all checked first: one bad object stores none",
                {"201": _json({"type": "array"}, "a receipt per object, in order"), "400": bad},
                body={"anyOf": [_SEED, {"type": "array", "minItems": 1, "items": _SEED}]},
            ),
        },
        "/_contract-kit/reset": {
            "post": _operation(
                "ckReset",
                "back to the --seed state (or empty): objects, calls and faults go",
                {"204": done, "400": bad},
                body={"type": "object", "properties": {"to": {"enum": ["seed", "empty"]}}},
            )
        },
        "/_contract-kit/faults": {
            "get": _operation(
                "ckFaults",
                "the faults no call has met yet",
                {"200": _json({"type": "array", "items": {"type": "string"}}, "pending faults")},
            ),
            "post": _operation(
                "ckAddFault",
                "answer the next matching calls with a status, or drop their connection",
                {"201": _json({"type": "object"}, "the pending faults"), "400": bad},
                body=_FAULT,
            ),
            "delete": _operation("ckClearFaults", "forget every fault", {"204": done}),
        },
        "/_contract-kit/calls": {
            "get": _operation(
                "ckCalls",
                "the API calls seen, each with its status and violations (with severity)",
                {"200": _json(calls, "the calls"), "400": bad},
                parameters=[_SINCE],
            ),
            "delete": _operation("ckClearCalls", "forget the calls seen", {"204": done}),
        },
        "/_contract-kit/violations": {
            "get": _operation(
                "ckViolations",
                "the violations of the calls seen, one entry each",
                {"200": _json({"type": "array"}, "the violations"), "400": bad},
                parameters=[_SINCE],
            )
        },
        "/_contract-kit/profiles/{namespace}/{id}": {
            "put": _operation(
                "ckSetProfile",
                "the attributes eligibility rules read for this identity (Email, a%40b.com)",
                {"204": done, "400": bad},
                body={"type": "object", "description": "the profile's attributes"},
                parameters=[_path_parameter("namespace"), _path_parameter("id")],
            )
        },
        "/_contract-kit/decisions/{propositionId}": {
            "get": _operation(
                "ckDecisionTrace",
                "a recent decision's trace: every candidate and why it was left out",
                {
                    "200": _json(_TRACE, "the trace"),
                    "404": _refused("no recent decision has that xdm:propositionId"),
                },
                parameters=[_path_parameter("propositionId")],
            )
        },
    }
