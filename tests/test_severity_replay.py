"""Severity in replay: a replayed request with only warnings passes unless fail_on_warnings."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
import requests

import contract_kit
from contract_kit.cassettes.cassette import Exchange, save_cassette
from contract_kit.cassettes.redaction import Redactions
from contract_kit.core.examples import fallback_offer_body

if TYPE_CHECKING:
    from pathlib import Path

CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
INSTANCES = f"https://platform.adobe.io/data/core/xcore/{CONTAINER}/instances"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
RECEIPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"
HEADERS = {
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "6f1c2b9e8d7a4c3b",
    "x-gw-ims-org-id": "8A3C5B2D1E0F9A8B7C6D5E4F@AdobeOrg",
    "Accept": RECEIPT,
    "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
}
WHEN = "2026-11-27T08:12:14.700390Z"
ANSWER = {
    "@id": "xcore:fallback-offer:2134ddf040c97885",
    "instanceId": "b3966680-13ec-11eb-9c20-8323709cfc65",
    "repo:etag": 1,
    "repo:createdDate": WHEN,
    "repo:lastModifiedDate": WHEN,
    "repo:createdBy": "0000000000000000FAKE0000@AdobeID",
    "repo:lastModifiedBy": "0000000000000000FAKE0000@AdobeID",
    "repo:createdByClientId": "contract-kit-fake",
    "repo:lastModifiedByClientId": "contract-kit-fake",
    "xdm:extra": "a member the service added",
}


def _ranked_cassette(tmp_path: Path) -> Path:
    """A recorded create of a fallback offer with xdm:rank (the warning not-for-fallback)."""
    body = json.dumps({**fallback_offer_body(), "xdm:rank": 3})
    exchange = Exchange("POST", INSTANCES, HEADERS, body, 201, {}, json.dumps(ANSWER), RECEIPT)
    path = tmp_path / "c.yaml"
    save_cassette(path, [exchange], Redactions())
    return path


def test_a_request_with_only_warnings_replays(tmp_path: Path) -> None:
    """The create and its recorded answer (with a member of its own) replay; the warning is kept."""
    path = _ranked_cassette(tmp_path)
    with contract_kit.replay_cassette(path) as replay:
        sent = {**fallback_offer_body(), "xdm:rank": 3}
        answer = requests.post(INSTANCES, json=sent, headers=HEADERS, timeout=5)
    assert answer.status_code == 201
    [(_, found)] = replay.calls
    assert [(v.rule, v.severity) for v in found] == [("not-for-fallback", "warning")]
    assert replay.failure() is None


def test_fail_on_warnings_fails_the_same_replay(tmp_path: Path) -> None:
    """fail_on_warnings=True turns that warning into the replay's failure."""
    path = _ranked_cassette(tmp_path)
    with (
        pytest.raises(contract_kit.ContractViolation, match=r"^strict mode: "),
        contract_kit.replay_cassette(path, fail_on_warnings=True),
    ):
        requests.post(
            INSTANCES, json={**fallback_offer_body(), "xdm:rank": 3}, headers=HEADERS, timeout=5
        )
