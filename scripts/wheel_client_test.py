"""A user's contract test, run by CI against the built wheel alone (outside the repository).

It uses the plugin's fixtures as a client project would: a create through requests with
raise_for_status(), the receipt checked, the object read back, and a decision that serves the
fallback when no offer qualifies. Every part it touches (fake, decisioning, api) must be in
the wheel.
"""

from __future__ import annotations

from typing import Any

import requests

import contract_kit

BASE = "https://platform.adobe.io/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
HEADERS = {
    "Authorization": "Bearer header.payload.signature",
    "x-api-key": "wheel-test",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
    "x-sandbox-name": "prod",
}


def test_a_client_creates_and_reads_a_fallback_offer(
    offer_library: Any, fallback_offer: dict[str, Any]
) -> None:
    """Create (no Accept header, as released clients send), check the receipt, read it back."""
    content_type = f'application/schema-instance+json; version=1; schema="{SCHEMA}"'
    created = requests.post(
        f"{BASE}/instances",
        json=fallback_offer,
        headers={**HEADERS, "Content-Type": content_type},
        timeout=10,
    )
    created.raise_for_status()
    contract_kit.assert_receipt(created)
    instance = created.json()["instanceId"]
    read = requests.get(f"{BASE}/instances/{instance}", headers=HEADERS, timeout=10)
    read.raise_for_status()
    assert read.json()["_instance"]["xdm:name"] == fallback_offer["xdm:name"]
    assert len(offer_library.instances) == 1
