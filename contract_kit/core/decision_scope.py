"""The ``scope`` rule of a decision response: each ``xdm:scope`` names its own proposition.

A code rule because no schema can decode base64. The Swagger calls the scope "a base 64
encoded string called 'encoded decision scope'"; its example decodes to the compact JSON of
the proposition's activity and placement ids, and its second proposition repeats the first
one's scope, which this rule reports. A proposition without ``xdm:scope`` passes: the OD and
AJO responses send none.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from contract_kit.core.violation import Violation

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["decision_scopes", "encoded_scope"]


def encoded_scope(activity_id: str, placement_id: str) -> str:
    """The scope the documented example sends: base64 of compact JSON, activity first."""
    scope = {"xdm:activityId": activity_id, "xdm:placementId": placement_id}
    text = json.dumps(scope, separators=(",", ":"))
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _decoded(scope: str) -> object:
    try:
        return json.loads(base64.b64decode(scope, validate=True))
    except (binascii.Error, ValueError):
        return None


def _own_ids(proposition: Mapping[str, object]) -> dict[str, object]:
    ids = {}
    for member, part in (("xdm:activityId", "xdm:activity"), ("xdm:placementId", "xdm:placement")):
        detail = proposition.get(part)
        ids[member] = detail.get("xdm:id") if isinstance(detail, Mapping) else None
    return ids


def decision_scopes(response: object) -> Iterator[Violation]:
    """Every ``xdm:scope`` that is not the base64 of its proposition's own ids."""
    propositions = response.get("xdm:propositions") if isinstance(response, Mapping) else None
    for index, proposition in enumerate(propositions if isinstance(propositions, list) else []):
        scope = proposition.get("xdm:scope") if isinstance(proposition, Mapping) else None
        if not isinstance(scope, str):
            continue  # absent, or the schema's type error
        own = _own_ids(proposition)
        decoded = _decoded(scope)
        if decoded == own:
            continue
        where = f"/xdm:propositions/{index}/xdm:scope"
        if not isinstance(decoded, dict):
            message = "xdm:scope is not base64 of a JSON object"
        else:
            names = decoded.get("xdm:activityId"), decoded.get("xdm:placementId")
            message = (
                f"xdm:scope names activity {names[0]} and placement {names[1]}, not this "
                f"proposition's {own['xdm:activityId']} and {own['xdm:placementId']}"
            )
        yield Violation(where, message, "scope")
