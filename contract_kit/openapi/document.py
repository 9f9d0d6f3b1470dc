"""The OpenAPI 3.1 document of the contract, built from the tables and nothing else.

Operations come from :data:`~contract_kit.core.operations.OPERATIONS`, schemas from the
bundle, rule ids and severities from the catalogue: a new operation, kind or rule shows up
here without a change to this package. Paths keep the table's order; every map whose order
means nothing is sorted, so that two builds are equal and a diff shows contract changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_kit.api.decision_request import REQUEST_SCHEMA as DECISION_REQUEST_SCHEMA
from contract_kit.core.object_kinds import object_kinds
from contract_kit.core.operations import HAL_MEDIA_TYPE, NAMED_KIND, OPERATIONS, XDM_MEDIA_TYPE
from contract_kit.openapi.links import operation_links
from contract_kit.openapi.parameters import (
    authorization_header,
    header_parameters,
    operation_parameters,
    undeclared_query,
)
from contract_kit.openapi.responses import (
    GATEWAY,
    PROBLEM,
    RECEIPT_KIND,
    error_components,
    header_components,
    operation_responses,
)
from contract_kit.openapi.rules import (
    accept_extension,
    media_type_extension,
    operation_rules,
    schema_ids,
)
from contract_kit.openapi.samples import sample as example_of
from contract_kit.openapi.schemas import ENVELOPE, body_forms, exported, split
from contract_kit.openapi.warnings import without_warnings

if TYPE_CHECKING:
    from collections.abc import Callable

    from contract_kit.core.operations import Operation

__all__ = ["body_kinds", "in_form", "openapi_document"]

_TITLE = "Adobe Offer Library (xcore) API, as contract_kit checks it"
_SERVER = "https://platform.adobe.io"
_ERROR_KIND = "error"


def _version() -> str:
    """contract_kit's version, which ``info.version`` must give (a source tree has none)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("contract-kit")
    except PackageNotFoundError:
        return "0+unknown"


def _form_of(media_type: str, forms: dict[str, Any]) -> str:
    if "body" in forms:
        return "body"
    return "envelope" if media_type == HAL_MEDIA_TYPE else "bare"


def in_form(sample: Any, form: str) -> Any:
    """A body example as ``form`` sends it: inside the HAL envelope, or bare (some are HAL)."""
    inner = sample.get(ENVELOPE) if isinstance(sample, dict) else None
    if form == "envelope":
        return sample if inner is not None else {ENVELOPE: sample, "_links": {}}
    return inner if form == "bare" and inner is not None else sample


def body_kinds(operation: Operation) -> list[str]:
    """The bundled kinds a body of ``operation`` may be: every stored kind's, or its own."""
    if operation.body == NAMED_KIND:
        return [kind.body_kind for kind in object_kinds()]
    return [operation.body] if operation.body is not None else []


def _decision_body(operation: Operation, example: Callable[[str], Any] | None) -> dict[str, Any]:
    """A decision request: the Swagger's media types, its schema parameter without version=1."""
    kind = operation.body
    assert kind is not None  # noqa: S101 - a decision call always sends one
    sample = example_of(example, kind)
    keys = [f'{XDM_MEDIA_TYPE}; schema="{DECISION_REQUEST_SCHEMA}"', "application/json"]
    content: dict[str, Any] = {}
    for key in keys:
        entry: dict[str, Any] = {"schema": {"$ref": f"#/components/schemas/{kind}.body"}}
        if sample is not None:
            entry["example"] = sample
        content[key] = entry
    return {"required": True, "content": content}


def _request_body(operation: Operation, example: Callable[[str], Any] | None) -> dict[str, Any]:
    if operation.decision:
        return _decision_body(operation, example)
    # One content entry per media type and kind: the schema parameter names the body's kind,
    # so a generator that sends an entry's key as Content-Type sends a body of that kind.
    content: dict[str, Any] = {}
    # A patch is one kind whichever stored kind it changes: one entry per kind's schema id.
    kinds = body_kinds(operation) * (len(object_kinds()) if operation.body != NAMED_KIND else 1)
    for kind, schema_id in zip(kinds, schema_ids(operation), strict=True):
        forms = body_forms(kind)
        sample = example_of(example, kind)
        for media_type in operation.content_types:
            form = _form_of(media_type, forms)
            key = f'{media_type}; version=1; schema="{schema_id}"'
            entry: dict[str, Any] = {"schema": {"$ref": f"#/components/schemas/{kind}.{form}"}}
            if sample is not None:
                entry["example"] = in_form(sample, form)
            entry["x-contract-kit-media-type"] = media_type_extension(operation, media_type)
            content[key] = entry
    return {"required": True, "content": content}


def _response_kinds() -> set[str]:
    found = {op.response for op in OPERATIONS if op.response and op.response != NAMED_KIND}
    return found | {kind.instance_kind for kind in object_kinds()} | {RECEIPT_KIND}


def _operation(operation: Operation, example: Callable[[str], Any] | None) -> dict[str, Any]:
    responses = operation_responses(operation, example)
    links = operation_links(operation)
    if links:
        # On the answer the service gives by default, not on one a fake option turns on.
        first = next(
            status
            for status, answer in responses.items()
            if status.startswith("2") and "x-contract-kit-origin" not in answer
        )
        responses[first] = {**responses[first], "links": links}
    entry: dict[str, Any] = {
        "operationId": operation.name,
        "summary": operation.label,
        "tags": ["decisioning" if operation.decision else "offer-library"],
        "parameters": operation_parameters(operation),
    }
    if operation.body is not None:
        entry["requestBody"] = _request_body(operation, example)
    entry["responses"] = responses
    entry["x-contract-kit-accept"] = accept_extension(operation)
    entry["x-contract-kit-rules"] = operation_rules(operation)
    if undeclared := undeclared_query(operation):
        entry["x-contract-kit-undeclared-query"] = undeclared
    return entry


def _paths(example: Callable[[str], Any] | None) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.template, {})[operation.method.lower()] = _operation(
            operation, example
        )
    return paths


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for kind in sorted(_response_kinds()):
        schemas[kind] = exported(kind)
    shapes = split(exported(_ERROR_KIND))
    if shapes is not None:
        schemas["gateway-error"], schemas["problem"] = shapes
    for kind in sorted({kind for op in OPERATIONS for kind in body_kinds(op)}):
        for form, schema in body_forms(kind).items():
            schemas[f"{kind}.{form}"] = schema
    return dict(sorted(schemas.items()))


def openapi_document(example: Callable[[str], Any] | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1.0 document of the contract, as a fresh dict.

    ``example`` gives a valid instance of a kind (``contract-kit example``), put in the
    document so that tools have one to send and show; a KeyError means the kind has none.
    """
    return without_warnings(
        {
            "openapi": "3.1.0",
            "info": {
                "title": _TITLE,
                "version": _version(),
                "description": "Generated by contract-kit openapi from contract_kit's tables. "
                "x-contract-kit-* extensions carry what a schema cannot say (docs/openapi.md).",
            },
            "servers": [{"url": _SERVER}],
            "security": [{"bearer": []}],
            "tags": [
                {"name": "offer-library", "description": "the Offer Library repository API"},
                {"name": "decisioning", "description": "the Decisioning API (the fake's engine)"},
            ],
            "paths": _paths(example),
            "components": {
                "schemas": _schemas(),
                "parameters": header_parameters(),
                "headers": header_components(),
                "responses": error_components(),
                "securitySchemes": {
                    "bearer": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "Authorization: Bearer and an access token (rule "
                        "authorization); missing gets the gateway's 403010, not valid its 401013",
                        "x-contract-kit-header": authorization_header(),
                    }
                },
            },
            "x-contract-kit-error-media-types": [GATEWAY, PROBLEM],
        }
    )
