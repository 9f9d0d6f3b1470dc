"""The rules only code checks, per operation, as the document's ``x-contract-kit-`` extensions.

A schema consumer never sees these: the media-type parameters (tools compare type and
subtype only), the Accept rule (OpenAPI ignores an ``Accept`` parameter), the checks across
members or calls. Each entry names the rule id, its severity and summary from the catalogue,
and where in the call it applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from contract_kit.core.kinds import code_only_rules
from contract_kit.core.operations import (
    FALLBACK_OFFER_VERSIONS,
    HAL_MEDIA_TYPE,
    OFFER_SCHEMA_PREFIX,
)
from contract_kit.core.rule_catalogue import RULES, severity_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from contract_kit.core.operations import Operation

__all__ = ["accept_extension", "media_type_extension", "operation_rules", "schema_ids"]

_HEADERS_KIND = "request-headers"
# The rules of the request headers' kind that only apply when a body is sent.
_BODY_HEADER_RULES = frozenset({"content-type", "schema-mismatch"})


def _always(_: Operation) -> bool:
    return True


def _with_body(operation: Operation) -> bool:
    return operation.body is not None


def _with_query(operation: Operation) -> bool:
    return bool(operation.required_query)


def _in_container(operation: Operation) -> bool:
    return "{CONTAINER_ID}" in operation.template


# The call-level rules check_request applies, with the calls they apply to.
_CALL_RULES: Final[tuple[tuple[str, str, Callable[[Operation], bool]], ...]] = (
    ("method", "method", _always),
    ("path", "path", _always),
    ("body", "body", _always),
    ("json", "body", _with_body),
    ("accept-missing", "headers", _always),
    ("version-param", "headers", _with_body),
    ("schema-version", "headers", _with_body),
    ("quoting", "headers", _with_body),
    ("query", "query", _with_query),
    ("schema-version", "query", _with_query),
    ("query-mismatch", "query", _with_query),
    ("unknown-parameter", "query", _always),
    ("sandbox-mismatch", "headers", _in_container),
)


def _entry(rule: str, where: str) -> dict[str, str]:
    return {"id": rule, "severity": severity_of(rule), "summary": RULES[rule], "where": where}


def operation_rules(operation: Operation) -> list[dict[str, str]]:
    """The code-only rules of one call, each once per place, rules of the catalogue only."""
    found = [(rule, "headers") for rule in code_only_rules(_HEADERS_KIND)]
    if operation.body is None:
        found = [(rule, where) for rule, where in found if rule not in _BODY_HEADER_RULES]
    else:
        found += [(rule, "body") for rule in code_only_rules(operation.body)]
    found += [(rule, where) for rule, where, applies in _CALL_RULES if applies(operation)]
    return [_entry(rule, where) for rule, where in dict.fromkeys(found) if rule in RULES]


def accept_extension(operation: Operation) -> dict[str, Any]:
    """What Accept must admit: the documented value, the media types, and the rule ids."""
    version = f"; version={operation.accept_version}" if operation.accept_version else ""
    return {
        "value": f"{operation.accept[0]}{version}",
        "admits": [*operation.accept, "*/*", "application/*"],
        "version": operation.accept_version,
        "rules": ["accept", "accept-missing"],
    }


def schema_ids(operation: Operation) -> list[str]:
    """The schema ids a Content-Type ``schema`` parameter may name (a patch names its kind's)."""
    kind = str(operation.body).removesuffix("-patch")
    return [f"{OFFER_SCHEMA_PREFIX}{kind};version={v}" for v in FALLBACK_OFFER_VERSIONS]


def media_type_extension(operation: Operation, media_type: str) -> dict[str, Any]:
    """The parameters a request Content-Type must carry, which OpenAPI tools do not compare."""
    extension: dict[str, Any] = {
        "type": media_type,
        "parameters": {
            "version": {"required": True, "enum": ["1"]},
            "schema": {
                "required": operation.schema_required,
                "enum": schema_ids(operation),
                "note": "quote the value: it holds ';'",
            },
        },
        "rules": ["content-type", "schema-mismatch", "version-param", "schema-version", "quoting"],
    }
    if len(operation.content_types) > 1:
        bare = media_type != HAL_MEDIA_TYPE
        extension["also-accepts"] = (
            "the {_instance, _links} envelope" if bare else "the bare instance"
        )
    return extension
