"""A small example client: builds the Offer Library call that creates a fallback offer.

It stands for the user's own code. Its tests (``test_offer_client.py``) check what it builds
against the contract with contract_kit, without any network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

BASE_URL = "https://platform.adobe.io/data/core/xcore"
FALLBACK_OFFER_SCHEMA = (
    "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
)


@dataclass(frozen=True)
class Credentials:
    """What every Platform call carries."""

    access_token: str
    api_key: str
    ims_org: str
    sandbox: str = "prod"


@dataclass(frozen=True)
class Call:
    """An HTTP call, ready to send with any client."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes


def create_fallback_offer(container_id: str, offer: dict[str, Any], auth: Credentials) -> Call:
    """The create call for ``offer`` in container ``container_id``."""
    headers = {
        "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
        "Content-Type": (
            f'application/schema-instance+json; version=1; schema="{FALLBACK_OFFER_SCHEMA}"'
        ),
        "Authorization": f"Bearer {auth.access_token}",
        "x-api-key": auth.api_key,
        "x-gw-ims-org-id": auth.ims_org,
        "x-sandbox-name": auth.sandbox,
    }
    body = json.dumps(offer, ensure_ascii=False).encode("utf-8")
    return Call("POST", f"{BASE_URL}/{container_id}/instances", headers, body)
