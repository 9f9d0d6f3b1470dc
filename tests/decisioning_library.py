"""A small stored library for the decisioning tests, built from plain dicts.

Its ids and headers are the fake's decision tests' (tests/fake_decisions.py), so both suites
name one library; only the clock and the placements differ.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fake_decisions import ACTIVITY, COLLECTION, FALLBACK, JOE, RULE, TAG
from fake_decisions import HEADERS as CALL_HEADERS

from contract_kit.decisioning.roles import roles

__all__ = [
    "ACTIVITY",
    "COLLECTION",
    "FALLBACK",
    "HEADERS",
    "JOE",
    "NOW",
    "OTHER_ACTIVITY",
    "OTHER_PLACEMENT",
    "PLACEMENT",
    "RULE",
    "TAG",
    "activity",
    "library",
    "offer",
    "representation",
    "request",
]

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
OTHER_ACTIVITY = "xcore:offer-activity:a2"
PLACEMENT = "xcore:offer-placement:b1"
OTHER_PLACEMENT = "xcore:offer-placement:b2"
#: The headers of AJO's documented decision call (its x-request-id ends in -example).
HEADERS = {
    **CALL_HEADERS,
    "x-sandbox-name": "prod",
    "x-request-id": "e9ac8d7e-3e77-4b38-8726-555ef1737b32-example",
}


def representation(placement: str = PLACEMENT) -> dict[str, Any]:
    return {
        "xdm:placement": placement,
        "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
        "xdm:components": [
            {
                "@type": "https://ns.adobe.com/experience/offer-management/content-component-html",
                "dc:format": "text/html",
                "dc:language": ["en-us"],
                "xdm:content": "<p>hi</p>",
            }
        ],
    }


def offer(suffix: str, priority: int = 1, /, **members: Any) -> tuple[str, dict[str, Any]]:
    """A live offer for both placements; ``members`` replace or add members."""
    instance: dict[str, Any] = {
        "xdm:name": f"Offer {suffix}",
        "xdm:status": "approved",
        "xdm:rank": {"xdm:priority": priority},
        "xdm:representations": [representation(), representation(OTHER_PLACEMENT)],
        "xdm:selectionConstraint": {
            "xdm:startDate": "2026-01-01T00:00:00Z",
            "xdm:endDate": "2026-12-31T00:00:00Z",
        },
        "xdm:tags": [TAG],
    }
    instance.update(members)
    at_id = f"xcore:personalized-offer:{suffix}"
    return at_id, {"repo:etag": 2, "_instance": {"@id": at_id, **instance}}


def activity(at_id: str = ACTIVITY, **members: Any) -> dict[str, Any]:
    instance = {
        "@id": at_id,
        "xdm:name": "Decision",
        "xdm:status": "live",
        "xdm:startDate": "2026-01-01T00:00:00Z",
        "xdm:endDate": "2027-01-01T00:00:00Z",
        "xdm:criteria": [
            {
                "xdm:placements": [PLACEMENT, OTHER_PLACEMENT],
                "xdm:optionSelection": {"xdm:filter": COLLECTION},
            }
        ],
        "xdm:fallback": FALLBACK,
        **members,
    }
    return {"repo:etag": 3, "_instance": instance}


def library(
    *offers: tuple[str, dict[str, Any]], rule: str = "", collection: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Two live activities over one collection of ``offers`` (by default: every offer)."""
    parts = roles()
    filter_instance = {
        "@id": COLLECTION,
        "xdm:name": "All",
        "xdm:filterType": "offers",
        "xdm:ids": [at_id for at_id, _ in offers],
        **(collection or {}),
    }
    fallback = {
        "@id": FALLBACK,
        "xdm:name": "Fallback",
        "xdm:status": "approved",
        "xdm:representations": [representation(), representation(OTHER_PLACEMENT)],
    }
    placement = {
        "xdm:name": "Web banner",
        "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
    }
    return {
        parts.activity: {ACTIVITY: activity(), OTHER_ACTIVITY: activity(OTHER_ACTIVITY)},
        parts.placement: {
            PLACEMENT: {"repo:etag": 1, "_instance": {"@id": PLACEMENT, **placement}},
            OTHER_PLACEMENT: {"repo:etag": 1, "_instance": {"@id": OTHER_PLACEMENT, **placement}},
        },
        parts.collection: {COLLECTION: {"repo:etag": 1, "_instance": filter_instance}},
        parts.offer: dict(offers),
        parts.fallback: {FALLBACK: {"repo:etag": 4, "_instance": fallback}},
        parts.rule: {
            RULE: {
                "repo:etag": 1,
                "_instance": {
                    "@id": RULE,
                    "xdm:name": "Rule",
                    "xdm:condition": {
                        "xdm:type": "PQL",
                        "xdm:format": "pql/text",
                        "xdm:value": rule,
                    },
                },
            }
        },
    }


def request(
    *pairs: tuple[str, str], item_count: int = 1, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A decision request for ``pairs`` of (activity, placement), for Joe."""
    pairs = pairs or ((ACTIVITY, PLACEMENT),)
    return {
        "xdm:propositionRequests": [
            {"xdm:activityId": a, "xdm:placementId": p, "xdm:itemCount": item_count}
            for a, p in pairs
        ],
        "xdm:profiles": [{"xdm:identityMap": {JOE[0]: [{"xdm:id": JOE[1]}]}}],
        **(extra or {}),
    }
