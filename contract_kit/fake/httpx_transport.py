"""Serve the fake to httpx clients: ``httpx.Client(transport=OfferLibraryTransport(fake))``.

httpx is optional for contract_kit; only this module imports it.
"""

from __future__ import annotations

import httpx

from contract_kit.fake.errors import FakeConnectionError
from contract_kit.fake.exchange import FakeRequest, FakeResponse, Served, api_urls, refusal

__all__ = ["AsyncOfferLibraryTransport", "OfferLibraryTransport"]


def _exchange(fake: Served, request: httpx.Request, body: bytes) -> httpx.Response:
    if not api_urls(fake.base_url).fullmatch(str(request.url)):
        message = refusal(request.method, str(request.url), fake.base_url)
        raise httpx.ConnectError(f"{message}; tests never reach the network", request=request)
    sent = FakeRequest(request.method, str(request.url), tuple(request.headers.multi_items()), body)
    try:
        answer: FakeResponse = fake.handle(sent)
    except FakeConnectionError as error:
        raise httpx.ConnectError(str(error), request=request) from error
    return httpx.Response(answer.status, headers=list(answer.headers), content=answer.body)


class OfferLibraryTransport(httpx.BaseTransport):
    """A synchronous httpx transport answering from the fake."""

    def __init__(self, fake: Served) -> None:
        self.fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the fake."""
        return _exchange(self.fake, request, request.read())


class AsyncOfferLibraryTransport(httpx.AsyncBaseTransport):
    """An asynchronous httpx transport answering from the fake."""

    def __init__(self, fake: Served) -> None:
        self.fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the fake."""
        return _exchange(self.fake, request, await request.aread())
