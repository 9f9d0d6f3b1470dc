"""The rule ids the decision checks report, with severity and summary, until the catalogue has them.

Kept here so the decisioning package can be merged before the engine's catalogue
(``contract_kit.core.rule_catalogue``) lists them; the entries move there unchanged.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from contract_kit.core.rule_catalogue import Rule

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["DECISION_RULES"]

DECISION_RULES: Mapping[str, Rule] = MappingProxyType(
    {
        "proposition-count": Rule("error", "A decision request has 1 to 30 proposition requests."),
        "profile-count": Rule("error", "A decision request names exactly one profile."),
        "item-count": Rule("error", "A proposition request's xdm:itemCount is 1 to 30."),
        "identity-map": Rule(
            "error", "A profile's xdm:identityMap has a namespace with at least one identity."
        ),
        "include-metadata": Rule(
            "error", "xdm:includeMetadata asks only for the fields the Swagger lists per entity."
        ),
        "request-id": Rule("error", "A decision call sends a non-empty x-request-id header."),
        "request-id-reused": Rule(
            "warning", "An x-request-id already sent; the service wants one per request."
        ),
        "options-or-fallback": Rule(
            "error", "A proposition has xdm:options or xdm:fallback, never both nor neither."
        ),
        "empty-options": Rule("error", "xdm:options, when present, is never empty."),
        "content-not-requested": Rule(
            "error", "An option carries content although the request's includeContent is false."
        ),
        "metadata-not-requested": Rule(
            "error",
            "A response carries a metadata member the request's includeMetadata did not ask for.",
        ),
        "scope": Rule(
            "error", "xdm:scope is the base64 of the proposition's own activity and placement ids."
        ),
        "unknown-activity": Rule("error", "A proposition request names no stored activity."),
        "unknown-placement": Rule("error", "A proposition request names no stored placement."),
        "activity-not-live": Rule(
            "error", "The activity is not live, or the decision is outside its dates."
        ),
        "placement-not-in-activity": Rule(
            "error", "No criterion of the activity lists the requested placement."
        ),
        "no-fallback": Rule(
            "error",
            "No offer qualifies and the activity's fallback cannot be served for the placement.",
        ),
        "fallback-not-approved": Rule(
            "warning", "The fallback served is not approved; the service serves it all the same."
        ),
        "pql-unsupported": Rule(
            "warning", "An eligibility rule uses PQL outside the subset the fake evaluates."
        ),
    }
)
