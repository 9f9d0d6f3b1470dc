"""Contract tests of the example client and the example payloads: what a user's suite does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from offer_client import Credentials, create_fallback_offer

import contract_kit

PAYLOADS = sorted((Path(__file__).parent / "payloads").glob("*.json"))
CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
AUTH = Credentials("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "4a6f3c1d2e8b4f0a", "0123ABCD@AdobeOrg")


def _payload(path: Path) -> dict[str, Any]:
    offer: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return offer


@pytest.mark.parametrize("path", PAYLOADS, ids=[p.stem for p in PAYLOADS])
def test_payload_file_is_a_valid_fallback_offer(path: Path) -> None:
    """Every payload kept in the repository passes the fallback-offer contract."""
    contract_kit.assert_valid("fallback-offer", _payload(path))


@pytest.mark.parametrize("path", PAYLOADS, ids=[p.stem for p in PAYLOADS])
def test_client_builds_a_contract_true_create_call(path: Path) -> None:
    """The client's create call, headers and body, passes the contract for every payload."""
    call = create_fallback_offer(CONTAINER, _payload(path), AUTH)
    assert contract_kit.check_request(call.method, call.url, call.headers, call.body) == []


def test_contract_catches_a_client_that_sends_a_placeholder() -> None:
    """A credential left as the docs' placeholder is caught before any request is sent."""
    auth = Credentials("{ACCESS_TOKEN}", "4a6f3c1d2e8b4f0a", "0123ABCD@AdobeOrg")
    call = create_fallback_offer(CONTAINER, _payload(PAYLOADS[0]), auth)
    found = contract_kit.check_request(call.method, call.url, call.headers, call.body)
    assert [(v.pointer, v.rule) for v in found] == [("/headers/authorization", "authorization")]
