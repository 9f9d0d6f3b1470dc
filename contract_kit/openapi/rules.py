"""The rules only code checks, per operation, as the document's ``x-contract-kit-`` extensions.

A schema consumer never sees these: the media-type parameters (tools compare type and
subtype only), the Accept rule (OpenAPI ignores an ``Accept`` parameter), the checks across
members or calls. Each entry names the rule id, its severity and summary from the catalogue,
and where in the call it applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from contract_kit.core.kinds import code_only_rules
from contract_kit.core.object_kinds import object_kinds
from contract_kit.core.operations import HAL_MEDIA_TYPE, NAMED_KIND
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
        kinds = (
            [kind.body_kind for kind in object_kinds()]
            if operation.body == NAMED_KIND
            else [operation.body]
        )
        found += [(rule, "body") for kind in kinds for rule in code_only_rules(kind)]
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
    """The schema id each body kind of ``operation`` is sent with, one per kind, as requests do.

    A create or PUT body names its own kind; a patch names the stored instance's, any kind.
    """
    del operation  # every body-carrying operation is about any stored kind
    return [kind.request_schema for kind in object_kinds()]


def _all_schema_ids() -> list[str]:
    """Every schema id with a version the API documents, kind by kind."""
    return [f"{kind.schema_id};version={v}" for kind in object_kinds() for v in kind.versions]


def media_type_extension(operation: Operation, media_type: str) -> dict[str, Any]:
    """The parameters a request Content-Type must carry, which OpenAPI tools do not compare."""
    extension: dict[str, Any] = {
        "type": media_type,
        "parameters": {
            "version": {"required": True, "enum": ["1"]},
            "schema": {
                "required": operation.schema_required,
                "enum": _all_schema_ids(),
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
