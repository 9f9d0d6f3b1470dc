"""A library seeded into the fake through its public ``add``, for the decision tests over HTTP."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from contract_kit.core.object_kinds import documented_body
from contract_kit.fake.store import DEFAULT_PLACEMENT

if TYPE_CHECKING:
    from contract_kit.fake.service import OfferLibrary

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
PLACEMENT = DEFAULT_PLACEMENT
OTHER_PLACEMENT = "xcore:offer-placement:2b2b"
ACTIVITY = "xcore:offer-activity:a1"
COLLECTION = "xcore:offer-filter:c1"
FALLBACK = "xcore:fallback-offer:f1"
RULE = "xcore:eligibility-rule:e1"
TAG = "xcore:tag:d1"
JOE = ("Email", "joe@example.com")
_RESPONSE = "https://ns.adobe.com/experience/offer-management/decision-response;version=1.0"
_REQUEST = "https://ns.adobe.com/experience/offer-management/decision-request;version=1.0"
HEADERS = {
    "Accept": f'application/vnd.adobe.xdm+json; schema="{_RESPONSE}"',
    "Content-Type": f'application/vnd.adobe.xdm+json; schema="{_REQUEST}"',
    "Authorization": "Bearer eyJhbGciOi.token",
    "x-api-key": "my-client",
    "x-gw-ims-org-id": "ABCDEF123456789012345678@AdobeOrg",
}


def offer_body(suffix: str, priority: int = 1, /, **members: Any) -> dict[str, Any]:
    """An approved offer for the default placement, live all of 2026, tagged for the collection."""
    body = documented_body("personalized-offer")
    body.update(
        {
            "@id": f"xcore:personalized-offer:{suffix}",
            "xdm:name": f"Offer {suffix}",
            "xdm:status": "approved",
            "xdm:rank": {"xdm:priority": priority},
            "xdm:selectionConstraint": {
                "xdm:startDate": "2026-01-01T00:00:00Z",
                "xdm:endDate": "2026-12-31T00:00:00Z",
            },
            "xdm:tags": [TAG],
        }
    )
    body.pop("xdm:cappingConstraint", None)
    body.update(members)
    return body


def library(*offers: dict[str, Any], rule: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The tag, a rule, the fallback, ``offers``, their collection and the activity, in order."""
    rule_body = documented_body("eligibility-rule")
    rule_body["@id"] = RULE
    if rule is not None:
        rule_body["xdm:condition"]["xdm:value"] = rule
    collection = {"@id": COLLECTION, "xdm:name": "Sale", "xdm:filterType": "anyTags"}
    activity = documented_body("offer-activity")["_instance"]
    activity.update(
        {
            "@id": ACTIVITY,
            "xdm:startDate": "2026-01-01T00:00:00Z",
            "xdm:endDate": "2027-01-01T00:00:00Z",
            "xdm:criteria": [
                {"xdm:placements": [PLACEMENT], "xdm:optionSelection": {"xdm:filter": COLLECTION}}
            ],
            "xdm:fallback": FALLBACK,
        }
    )
    return [
        ("tag", {"@id": TAG, "xdm:name": "sale"}),
        ("eligibility-rule", rule_body),
        ("fallback-offer", {**documented_body("fallback-offer"), "@id": FALLBACK}),
        *(("personalized-offer", copy.deepcopy(body)) for body in offers),
        ("offer-filter", {**collection, "xdm:ids": [TAG]}),
        ("offer-activity", activity),
    ]


def seed(fake: OfferLibrary, *offers: dict[str, Any], rule: str | None = None) -> None:
    """Store :func:`library` in the fake through its public ``add``."""
    for kind, body in library(*offers, rule=rule):
        fake.add(kind, body)


def request_body(item_count: int = 1, **members: Any) -> dict[str, Any]:
    """Decide the activity at the default placement for Joe."""
    asked: dict[str, Any] = {"xdm:activityId": ACTIVITY, "xdm:placementId": PLACEMENT}
    if item_count != 1:
        asked["xdm:itemCount"] = item_count
    body = {
        "xdm:propositionRequests": [asked],
        "xdm:profiles": [{"xdm:identityMap": {JOE[0]: [{"xdm:id": JOE[1]}]}}],
    }
    body.update(members)
    return body


def encoded(body: object) -> bytes:
    """A JSON body as a client sends it."""
    return json.dumps(body).encode("utf-8")
