"""The same fake behind httpx, and over real HTTP with `contract-kit serve`."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import responses

from contract_kit.fake import OfferLibrary
from contract_kit.fake.httpx_transport import AsyncOfferLibraryTransport, OfferLibraryTransport
from contract_kit.fake.requests_adapter import serve_with_responses

sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))
from offer_client import Credentials, OfferLibraryClient

IMS = "https://ims-na1.adobelogin.com/ims/token/v3"
HOME = "https://platform.adobe.io/data/core/xcore/"
AUTH = Credentials("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "4a6f3c1d2e8b4f0a", "0123ABCD@AdobeOrg")


def _lifecycle(client: OfferLibraryClient, offer: dict[str, Any]) -> list[str]:
    """Discovery, create, read, patch, search, delete, then 404: what each step saw."""
    container = client.decisioning_container()
    receipt = client.create_fallback_offer(container, offer)
    stored = client.get_offer(container, receipt["instanceId"])
    patched = client.set_status(container, receipt["instanceId"], "draft", etag=stored["repo:etag"])
    drafts = client.search(container, "_instance.xdm:status==draft")
    client.delete_offer(container, receipt["instanceId"])
    gone = client.get_offer_or_none(container, receipt["instanceId"])
    return [
        container,
        stored["_instance"]["xdm:name"],
        str(patched["repo:etag"]),
        ",".join(
            (item["instanceId"] == receipt["instanceId"] and "found") or "other" for item in drafts
        ),
        repr(gone),
    ]


def test_the_lifecycle_over_httpx(fallback_offer: dict[str, Any]) -> None:
    """An httpx client drives the whole lifecycle against the fake's transport."""
    fake = OfferLibrary()
    with httpx.Client(transport=OfferLibraryTransport(fake)) as http:
        seen = _lifecycle(OfferLibraryClient(http, AUTH), fallback_offer)
    assert seen == [fake.container_id, "Fallback for sales", "2", "found", "None"]
    assert fake.violations == []
    assert [c.operation for c in fake.calls] == [
        "discover", "create", "read", "patch", "search", "delete", "read",
    ]  # fmt: skip


def test_httpx_refuses_other_hosts_and_works_async() -> None:
    """Another host is a ConnectError naming it; the async transport answers too."""
    fake = OfferLibrary()
    with (
        httpx.Client(transport=OfferLibraryTransport(fake)) as http,
        pytest.raises(httpx.ConnectError, match=r"contract_kit refused GET https://example\.com/"),
    ):
        http.get("https://example.com/")

    async def discover() -> int:
        transport = AsyncOfferLibraryTransport(fake)
        async with httpx.AsyncClient(transport=transport) as http:
            response = await http.get("https://platform.adobe.io/data/core/xcore/")
            return response.status_code

    assert asyncio.run(discover()) == 403  # no credentials: the gateway refuses


def test_the_lifecycle_over_real_http(fallback_offer: dict[str, Any], tmp_path: Path) -> None:
    """`contract-kit serve` prints its URL, serves the lifecycle over loopback, stops on SIGTERM."""
    log = (tmp_path / "access.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "contract_kit", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        with requests.Session() as http:
            client = OfferLibraryClient(http, AUTH, base_url=base_url)
            seen = _lifecycle(client, fallback_offer)
        assert seen[1:] == ["Fallback for sales", "2", "found", "None"]
        refused = requests.post(
            f"{base_url}/data/core/xcore/{seen[0]}/instances", json={}, timeout=5
        )
        assert refused.json() == {"error_code": "403010", "message": "Oauth token is missing."}
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=10) == 0
        assert server.stdout is not None
        server.stdout.close()
        log.close()
    assert "POST /data/core/xcore/" in (tmp_path / "access.log").read_text()


def test_the_fake_joins_the_mock_running_and_leaves_it_as_it_was() -> None:
    """Joined to the test's running RequestsMock, both answer; afterwards it holds its own stub."""
    fake = OfferLibrary()
    with responses.RequestsMock() as mock:
        stub = mock.add(responses.POST, IMS, json={"access_token": "t"})
        with serve_with_responses(fake) as joined:
            assert joined is mock
            assert requests.post(IMS, timeout=5).json() == {"access_token": "t"}
            assert requests.get(HOME, timeout=5).status_code == 403  # the fake: no credentials
        assert mock.registered() == [stub]
        with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
            requests.get(HOME, timeout=5)
    assert [c.request.url for c in fake.calls] == [HOME]


def test_a_mock_started_inside_the_block_gets_the_fake_until_it_stops() -> None:
    """A RequestsMock started later answers its stubs and the fake; its own checks ignore ours."""
    fake = OfferLibrary()
    send = requests.adapters.HTTPAdapter.send
    start = responses.RequestsMock.start
    with serve_with_responses(fake):
        with responses.RequestsMock(assert_all_requests_are_fired=True) as inner:
            inner.add(responses.POST, IMS, json={})
            assert requests.post(IMS, timeout=5).status_code == 200
            assert requests.get(HOME, timeout=5).status_code == 403
            assert len(inner.registered()) == 3  # its stub, the fake, the refusal of the rest
        assert requests.get(HOME, timeout=5).status_code == 403
    assert (requests.adapters.HTTPAdapter.send, responses.RequestsMock.start) == (send, start)
    assert len(fake.calls) == 2
