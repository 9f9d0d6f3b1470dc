"""The document ``contract-kit serve`` answers at ``/openapi.json``: pinned to what it holds.

The contract says a representation names *an* existing placement; a fuzzer cannot know which
exist. Here ``xdm:placement`` is narrowed to the placements the fake holds (at most one
representation each: the ``duplicate-placement`` rule, said in JSON Schema) and
``CONTAINER_ID`` to the served container, so that "valid by the schema" means "accepted by
this fake". ``servers`` is the server's own URL, and the control plane is described under its
own tag, apart from Adobe's API.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from contract_kit.openapi.control_plane import CONTROL_TAG, control_plane_paths
from contract_kit.openapi.document import openapi_document

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["pin", "served_document"]

_REQUEST_FORMS = (".bare", ".envelope")


def _pin_placements(schema: Any, placements: Sequence[str]) -> None:
    """Narrow every representation list under ``schema`` to the held placements, in place."""
    if isinstance(schema, list):
        for item in schema:
            _pin_placements(item, placements)
        return
    if not isinstance(schema, dict):
        return
    representations = schema.get("properties", {}).get("xdm:representations")
    if isinstance(representations, dict) and isinstance(representations.get("items"), dict):
        item = representations["items"]
        # No placement held: no representation can be sent, so no create is valid.
        held: Any = {"enum": list(placements)} if placements else False
        if placements:
            held["description"] = (
                "a placement this server holds (seed more with POST /_contract-kit/objects)"
            )
        item.setdefault("properties", {})["xdm:placement"] = held
        if len(placements) <= 1:
            representations["maxItems"] = 1
        else:
            representations["allOf"] = [
                {
                    "contains": {
                        "required": ["xdm:placement"],
                        "properties": {"xdm:placement": {"const": placement}},
                    },
                    "minContains": 0,
                    "maxContains": 1,
                }
                for placement in placements
            ]
        representations["x-contract-kit-pinned"] = (
            "duplicate-placement: at most one representation per placement"
        )
    for value in schema.values():
        _pin_placements(value, placements)


def pin(
    document: dict[str, Any], base_url: str, container_id: str, placements: Sequence[str]
) -> dict[str, Any]:
    """A copy of ``document`` narrowed to one served fake (see the module's docstring)."""
    pinned = copy.deepcopy(document)
    pinned["servers"] = [{"url": base_url, "description": "contract-kit serve"}]
    for operations in pinned["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "CONTAINER_ID":
                    parameter["schema"] = {"type": "string", "enum": [container_id]}
    schemas = pinned["components"]["schemas"]
    for name, schema in schemas.items():
        if name.endswith(_REQUEST_FORMS):
            _pin_placements(schema, placements)
    pinned["tags"] = [*pinned.get("tags", []), CONTROL_TAG]
    pinned["paths"] |= control_plane_paths()
    pinned["x-contract-kit-pinned"] = {
        "container": container_id,
        "placements": list(placements),
        "why": "request schemas admit only what this server holds, so that every body valid "
        "by them is accepted",
    }
    return pinned


def served_document(
    example: Callable[[str], Any] | None = None,
) -> Callable[[str, str, Sequence[str]], dict[str, Any]]:
    """What serve calls to build its document: the contract's, built once, then pinned."""
    base = openapi_document(example)

    def build(base_url: str, container_id: str, placements: Sequence[str]) -> dict[str, Any]:
        return pin(base, base_url, container_id, placements)

    return build
