"""httpx clients made without a transport are served by the fake, and never reach a socket."""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from contract_kit.interception.httpx_mock import Answer, Intercepted, serving_httpx

if TYPE_CHECKING:
    import contract_kit

HOME = "https://platform.adobe.io/data/core/xcore/"
IMS = "https://ims-na1.adobelogin.com/ims/token/v3"
HEADERS = {
    "Accept": "application/vnd.adobe.platform.xcore.home.hal+json",
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
}
REFUSED = (
    "contract_kit refused POST https://ims-na1.adobelogin.com/ims/token/v3: the offer_library "
    "fake serves https://platform.adobe.io/data/core/xcore/ and the decision calls only; tests "
    "never reach the network. "
    'Answer this host from a transport of your own: httpx.Client(mounts={"https://'
    'ims-na1.adobelogin.com": httpx.MockTransport(handler)}).'
)


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to resolve or connect is kept here, and fails."""
    attempts: list[object] = []

    def refuse(*args: object, **_: object) -> Any:
        attempts.append(args)
        msg = "a test opened a socket"
        raise AssertionError(msg)

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_a_sync_client_without_a_transport_gets_the_fakes_answers(
    offer_library: contract_kit.OfferLibrary, no_sockets: list[object]
) -> None:
    """httpx.Client() reaches the fake: discovery answers with the container."""
    with httpx.Client() as http:
        answer = http.get(HOME, headers=HEADERS)
    assert (answer.status_code, answer.json()["_embedded"] != {}) == (200, True)
    assert ([c.operation for c in offer_library.calls], no_sockets) == (["discover"], [])


def test_an_async_client_without_a_transport_gets_the_fakes_answers(
    offer_library: contract_kit.OfferLibrary, no_sockets: list[object]
) -> None:
    """httpx.AsyncClient() reaches the fake too, under plain asyncio."""

    async def discover() -> int:
        async with httpx.AsyncClient() as http:
            return (await http.get(HOME, headers=HEADERS)).status_code

    assert asyncio.run(discover()) == 200
    assert ([c.operation for c in offer_library.calls], no_sockets) == (["discover"], [])


@pytest.mark.usefixtures("offer_library")
def test_another_host_is_refused_before_any_socket(no_sockets: list[object]) -> None:
    """A request to another host is a ConnectError saying why, sync and async; no socket."""
    with httpx.Client() as http, pytest.raises(httpx.ConnectError) as caught:
        http.post(IMS)
    assert (str(caught.value), caught.value.request.url) == (REFUSED, httpx.URL(IMS))

    async def post() -> None:
        async with httpx.AsyncClient() as http:
            await http.post(IMS)

    with pytest.raises(httpx.ConnectError, match="contract_kit refused POST"):
        asyncio.run(post())
    assert no_sockets == []


def test_a_dropped_connection_is_a_connect_error(
    offer_library: contract_kit.OfferLibrary,
) -> None:
    """disconnect_next() reaches an httpx client as the ConnectError of a lost connection."""
    offer_library.disconnect_next()
    with httpx.Client() as http, pytest.raises(httpx.ConnectError) as caught:
        http.get(HOME, headers=HEADERS)
    assert str(caught.value) == "the test dropped the connection of GET /data/core/xcore/"


def test_the_explicit_transports_stay_and_are_typed(
    offer_library: contract_kit.OfferLibrary,
) -> None:
    """offer_library.httpx_transport() and async_httpx_transport() serve clients given them."""
    with httpx.Client(transport=offer_library.httpx_transport()) as http:
        assert http.get(HOME, headers=HEADERS).status_code == 200

    async def discover() -> int:
        async with httpx.AsyncClient(transport=offer_library.async_httpx_transport()) as http:
            return (await http.get(HOME, headers=HEADERS)).status_code

    assert asyncio.run(discover()) == 200
    assert len(offer_library.calls) == 2


def test_a_transport_of_the_tests_own_keeps_answering(
    offer_library: contract_kit.OfferLibrary,
) -> None:
    """A MockTransport mounted for another host answers it; the fake serves the API beside it."""
    token = httpx.MockTransport(lambda _: httpx.Response(200, json={"access_token": "t"}))
    with httpx.Client(mounts={"https://ims-na1.adobelogin.com": token}) as http:
        assert http.post(IMS).json() == {"access_token": "t"}
        assert http.get(HOME, headers=HEADERS).status_code == 200
    assert [c.operation for c in offer_library.calls] == ["discover"]


def test_serving_httpx_hands_each_request_over_whole_and_restores_httpx() -> None:
    """The callback sees method, URL, headers and body; leaving the block undoes the patch."""
    seen: list[Intercepted] = []
    before = httpx.HTTPTransport.handle_request

    def answer(request: Intercepted) -> Answer:
        seen.append(request)
        return 201, [("Content-Type", "text/plain")], b"made"

    with serving_httpx(answer), httpx.Client() as http:
        response = http.post("https://example.com/x?y=1", content=b"body", headers={"A": "1"})
    assert (response.status_code, response.text) == (201, "made")
    [request] = seen
    assert (request.method, request.url, request.body, request.headers["a"]) == (
        "POST",
        "https://example.com/x?y=1",
        b"body",
        "1",
    )
    assert httpx.HTTPTransport.handle_request is before


def test_an_exception_the_callback_returns_is_raised_as_it_is() -> None:
    """A callback's own error (a replay's mismatch, say) reaches the client unchanged."""
    mismatch = AssertionError("no recording of GET https://example.com/")
    with (
        serving_httpx(lambda _: mismatch),
        httpx.Client() as http,
        pytest.raises(AssertionError) as caught,
    ):
        http.get("https://example.com/")
    assert caught.value is mismatch


def test_without_httpx_installed_the_fixture_still_serves_requests(
    pytester: pytest.Pytester,
) -> None:
    """Without httpx (it is optional) the fixture serves requests and never imports it."""
    pytester.makeconftest(
        """
        import sys

        sys.modules["httpx"] = None  # as if it were not installed
        """
    )
    pytester.makepyfile(
        test_no_httpx="""
        import sys

        import requests

        def test_discover(offer_library):
            answer = requests.get("https://platform.adobe.io/data/core/xcore/", timeout=5)
            assert answer.status_code == 403
            offer_library.allow_violations()
            assert sys.modules["httpx"] is None
        """
    )
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
