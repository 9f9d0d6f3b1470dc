"""The parameters of each operation: path ids, documented query parameters, and headers.

Headers come from the request-headers schema (what every call sends), except the three
OpenAPI says a Parameter Object may not describe: ``Accept`` and ``Content-Type`` are the
media types of the operation, ``Authorization`` its security scheme.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Final

from contract_kit.api.query_parameters import DOCUMENTED
from contract_kit.core.object_kinds import id_pattern, object_kinds
from contract_kit.core.references import resolve
from contract_kit.core.schema_bundle import load_schema, schema_uri

if TYPE_CHECKING:
    from contract_kit.core.operations import Operation

__all__ = [
    "IGNORED_HEADERS",
    "authorization_header",
    "component_name",
    "header_parameters",
    "operation_parameters",
    "path_names",
    "undeclared_query",
]

#: Headers OpenAPI ignores as parameters (OAS 3.1, Parameter Object, ``name``).
IGNORED_HEADERS: Final = frozenset({"accept", "content-type", "authorization"})
_HEADERS_KIND = "request-headers"
_UUID: Final = {"type": "string", "format": "uuid"}
_PATH_NAME = re.compile(r"\{([^{}]+)\}")

_TEXT: Final = {"type": "string", "minLength": 1}
_PAGING: dict[str, dict[str, Any]] = {
    "limit": {"schema": {"type": "integer", "minimum": 1}, "description": "page size, a hint"},
    "start": {"schema": _TEXT, "description": "the sort value the page starts strictly after"},
}


def _schema_query() -> dict[str, dict[str, Any]]:
    ids = [f"{kind.schema_id};version={v}" for kind in object_kinds() for v in kind.versions]
    return {"schema": {"schema": {"enum": ids}, "description": "the kind"}}


@functools.cache
def _offer_id() -> dict[str, Any]:
    """An ``@id`` of any stored kind (a lookup's kind is its schema=)."""
    return {
        "type": "string",
        "pattern": id_pattern(),
        "description": 'an @id: "xcore:<kind>:" and 1 to 16 lowercase hex digits (rule xcore-id)',
    }


def _described_parameters() -> dict[str, dict[str, Any]]:
    """What the document says of each declared query parameter any operation documents."""
    return {
        **_schema_query(),
        **_PAGING,
        # An empty product is taken (it selects no container), so no minLength.
        "product": {
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "a product context, such as acp (repeatable: any of them)",
        },
        "id": {
            "schema": {"type": "array", "items": _offer_id()},
            "description": "an @id to find (repeatable; not with name)",
        },
        "qop": {
            "schema": {"enum": ["AND", "OR"]},
            "description": "how q's terms combine (OR if absent; read in any case)",
        },
    }


# Query parameters the service takes whose grammar no schema states exactly: a filter's
# value may be a regular expression, a phrase must be closed, name excludes id. Declared,
# a fuzzer would send values the API rightly refuses (or count a refusal of an invalid one
# as an acceptance), so they are described here instead (docs/openapi.md).
_UNDECLARED_QUERY: dict[str, str] = {
    "name": "a name to find, * matching any run (not with id)",
    "orderby": "a field path, led by - for descending order",
    "orderBy": "orderby as some examples spell it",
    "property": "a filter: a field path, an operator and a value (repeatable)",
    "q": "free text to search for; a phrase in double quotes must be closed",
    "field": "a field q searches (repeatable)",
}
_GRAMMAR = 'docs/contract.md "Lookup and search queries"'


def _query_parameters(operation: str) -> dict[str, dict[str, Any]]:
    """The declared query parameters ``operation`` documents (api.query_parameters)."""
    described = _described_parameters()
    return {
        name: dict(described.get(name, {"schema": _TEXT}))
        for name in DOCUMENTED.get(operation, ())
        if name not in _UNDECLARED_QUERY
    }


def undeclared_query(operation: Operation) -> list[dict[str, str]]:
    """The query parameters left out of ``parameters``, each with what it takes."""
    return [
        {"name": name, "description": _UNDECLARED_QUERY[name], "grammar": _GRAMMAR}
        for name in DOCUMENTED.get(operation.name, ())
        if name in _UNDECLARED_QUERY
    ]


# Conditional requests by method, as the fake and the docs treat them (docs/contract.md "ETags").
_CONDITIONAL = {
    "GET": "If-None-Match",
    "PUT": "If-Match",
    "PATCH": "If-Match",
    "DELETE": "If-Match",
}
_CONDITIONAL_TEXT = {
    "If-None-Match": "the ETag of the copy held: 304 when it is still current",
    "If-Match": "the ETag the change is based on: 409 when the instance has moved on",
}


def component_name(header: str) -> str:
    """The ``components/parameters`` key of a header: ``x-api-key`` → ``header.x-api-key``."""
    return f"header.{header}"


def _described(schema: dict[str, Any]) -> dict[str, Any]:
    said = schema.get("x-expected")
    out = {k: v for k, v in schema.items() if k not in {"x-expected", "x-message"}}
    if said:
        out["description"] = f"{said} (rule {schema['x-rule']})" if "x-rule" in schema else said
    return out


def _call_headers() -> dict[str, Any]:
    """The schema of what every call sends: what the request-headers schema's top refers to."""
    raw = load_schema(_HEADERS_KIND)
    schema: dict[str, Any] = resolve(raw["$ref"], schema_uri(_HEADERS_KIND)).schema
    return schema


def authorization_header() -> dict[str, Any]:
    """The Authorization header as documented, said beside the security scheme."""
    common = _call_headers()
    return {
        "name": "Authorization",
        "required": "authorization" in common.get("required", ()),
        "schema": _described(common["properties"]["authorization"]),
    }


def header_parameters() -> dict[str, dict[str, Any]]:
    """The headers every call sends, as components, keyed by :func:`component_name`."""
    common = _call_headers()
    required = set(common.get("required", ()))
    return {
        component_name(name): {
            "name": name,
            "in": "header",
            "required": name in required,
            "schema": _described(schema),
        }
        for name, schema in sorted(common["properties"].items())
        if name not in IGNORED_HEADERS
    }


def path_names(operation: Operation) -> list[str]:
    """The names of the template's path parameters, in order."""
    return _PATH_NAME.findall(operation.template)


def operation_parameters(operation: Operation) -> list[dict[str, Any]]:
    """The path, query and header parameters of one operation, headers by reference."""
    found: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": dict(_UUID)}
        for name in path_names(operation)
    ]
    documented = _query_parameters(operation.name)
    for name in operation.required_query:
        documented.setdefault(name, {"schema": _TEXT})
    for name, spec in documented.items():
        parameter: dict[str, Any] = {"name": name, "in": "query"}
        parameter |= {"required": name in operation.required_query, **spec}
        if spec["schema"].get("type") == "array":
            parameter |= {"style": "form", "explode": True}
        found.append(parameter)
    conditional = (
        _CONDITIONAL.get(operation.method) if "INSTANCE_ID" in operation.template else None
    )
    if conditional:
        found.append(
            {
                "name": conditional,
                "in": "header",
                "required": False,
                # An empty If-None-Match matches no ETag: the read is answered in full.
                "schema": {"type": "string"}
                if conditional == "If-None-Match"
                else {"type": "string", "minLength": 1},
                "description": _CONDITIONAL_TEXT[conditional],
            }
        )
    names = sorted(header_parameters())
    found += [{"$ref": f"#/components/parameters/{name}"} for name in names]
    return found
