"""assert_request_valid and assert_receipt on requests and responses users capture themselves."""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

import contract_kit

URL = "https://platform.adobe.io/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"
RECEIPT_TYPE = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"


def test_a_prepared_request_that_keeps_the_contract(
    seed_headers: dict[str, str], seed_body: dict[str, Any]
) -> None:
    """A requests.PreparedRequest and an httpx.Request of the documented call both pass."""
    prepared = requests.Request("POST", URL, headers=seed_headers, json=seed_body).prepare()
    contract_kit.assert_request_valid(prepared)
    built = httpx.Request("POST", URL, headers=seed_headers, content=json.dumps(seed_body).encode())
    contract_kit.assert_request_valid(built)


def test_a_prepared_request_that_breaks_it(
    seed_headers: dict[str, str], seed_body: dict[str, Any]
) -> None:
    """The failure names the call and each violation under it."""
    del seed_headers["x-gw-ims-org-id"]
    prepared = requests.Request("POST", URL, headers=seed_headers, json=seed_body).prepare()
    with pytest.raises(contract_kit.ContractViolation) as caught:
        contract_kit.assert_request_valid(prepared)
    assert str(caught.value).splitlines()[:2] == [
        "POST /data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances breaks the contract (1 violation):",
        '- /headers/x-gw-ims-org-id: required header "x-gw-ims-org-id" is missing [required]',
    ]


def test_a_request_whose_url_cannot_be_split_fails_with_the_reason() -> None:
    """A hand-built request with "[" in its host fails the assertion; nothing else raises."""
    url = "https://[platform.adobe.io/data/core/xcore/"
    request = types.SimpleNamespace(method="GET", url=url, headers={}, body=None)
    with pytest.raises(contract_kit.ContractViolation) as caught:
        contract_kit.assert_request_valid(request)
    assert str(caught.value).splitlines()[:2] == [
        f"GET {url} breaks the contract (1 violation):",
        (
            f'- /path: "{url}" cannot be read as a URL (Invalid IPv6 URL); send '
            "https://HOST/PATH?QUERY [path]"
        ),
    ]


def _receipt() -> dict[str, Any]:
    path = Path(__file__).parent / "cases" / "receipt" / "valid" / "seed-receipt.json"
    receipt: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return receipt


def test_a_receipt_response_passes() -> None:
    """A 201 with the receipt media type and a valid body passes; so does a parsed body."""
    response = httpx.Response(201, headers={"Content-Type": RECEIPT_TYPE}, json=_receipt())
    contract_kit.assert_receipt(response)
    contract_kit.assert_receipt(_receipt())


def test_a_response_that_is_not_a_receipt() -> None:
    """Status, media type and body are each reported."""
    body = {**_receipt(), "repo:etag": 0}
    response = httpx.Response(409, headers={"Content-Type": "application/json"}, json=body)
    with pytest.raises(contract_kit.ContractViolation) as caught:
        contract_kit.assert_receipt(response)
    assert str(caught.value).splitlines()[:4] == [
        "the response is not a valid receipt (3 violations):",
        "- /status: a receipt comes with a successful status (200 or 201), got 409 [response-status]",
        (
            '- /headers/content-type: Content-Type "application/json" is not the receipt media type '
            "application/vnd.adobe.platform.xcore.xdm.receipt+json [content-type]"
        ),
        "- /body/repo:etag: expected at least 1, got 0 [minimum]",
    ]
