"""Links between operations, so that stateful testers chain create, read, change and delete.

Every link names its target by ``operationId`` (the operation's name in the table) and fills
the target's path parameters from the call that led to it: the new instance's ``instanceId``
after a create, the same path after a read or a change. A read also hands its ``ETag`` to
the calls that take ``If-Match``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_kit.core.operations import OPERATIONS
from contract_kit.openapi.parameters import path_names

if TYPE_CHECKING:
    from contract_kit.core.operations import Operation

__all__ = ["operation_links"]

_INSTANCE = "INSTANCE_ID"
# What an answer names the instance by, per path parameter (a receipt's member).
_FROM_BODY = {_INSTANCE: "$response.body#/instanceId"}
_CHANGES = frozenset({"PUT", "PATCH", "DELETE"})


def _title(name: str) -> str:
    return name[:1].upper() + name[1:]


def _link(target: Operation, parameters: dict[str, str], why: str) -> dict[str, Any]:
    return {"operationId": target.name, "parameters": parameters, "description": why}


def _same_path(source: Operation, target: Operation) -> dict[str, str]:
    return {
        name: f"$request.path.{name}" for name in path_names(target) if name in path_names(source)
    }


def operation_links(source: Operation) -> dict[str, dict[str, Any]]:
    """The links from the success of ``source``: to the calls its answer makes possible."""
    links: dict[str, dict[str, Any]] = {}
    for target in OPERATIONS:
        names = path_names(target)
        if source.method == "POST" and target.template.startswith(source.template + "/"):
            parameters = _same_path(source, target)
            parameters |= {
                n: _FROM_BODY[n] for n in names if n in _FROM_BODY and n not in parameters
            }
            links[_title(target.name)] = _link(target, parameters, "the instance just created")
        elif (
            source.method == "POST"
            and target.template == source.template
            and target.method == "GET"
        ):
            parameters = {**_same_path(source, target), "query.id": "$response.body#/@id"}
            links[f"{_title(target.name)}ById"] = _link(target, parameters, "found by its @id")
        elif _INSTANCE not in names or target.template != source.template:
            continue
        elif source.method == "GET" and target.method in _CHANGES:
            parameters = {**_same_path(source, target), "header.If-Match": "$response.header.ETag"}
            links[f"{_title(target.name)}WithEtag"] = _link(
                target, parameters, "based on this read"
            )
        elif source.method in _CHANGES and target.method == "GET":
            links["ReadAgain"] = _link(target, _same_path(source, target), "what is stored now")
    return dict(sorted(links.items()))
