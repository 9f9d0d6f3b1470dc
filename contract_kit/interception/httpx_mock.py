"""Serve every httpx client of a block from a callback, transport argument or not.

While :func:`serving_httpx` runs, ``httpx.HTTPTransport.handle_request`` and
``httpx.AsyncHTTPTransport.handle_async_request`` (the transports httpx builds when the
client names none, proxies included) hand each request to ``answer`` instead of opening a
socket. A transport the test passes itself (``httpx.MockTransport``, the fake's) is not an
``HTTPTransport`` and keeps answering as it does. Only this module imports httpx, and only
when the block starts.

``answer`` takes an :class:`Intercepted` request and returns what a ``responses`` callback
returns: ``(status, headers, body)``, or an exception to raise. A :class:`ConnectionError`
reaches the client as ``httpx.ConnectError`` (what a refused connection raises); any other
exception is raised as it is.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import httpx

__all__ = [
    "Answer",
    "Intercepted",
    "recording_installed_httpx",
    "serving_httpx",
    "serving_installed_httpx",
]

#: ``(status, headers, body)`` to answer with, or an exception to raise in the client.
Answer = tuple[int, "list[tuple[str, str]]", bytes] | BaseException


@dataclass(frozen=True)
class Intercepted:
    """One request an httpx client sent, read whole.

    ``headers`` maps names to values as requests' ``PreparedRequest.headers`` does (repeated
    headers joined with ", "), so code written for a PreparedRequest (``method``, ``url``,
    ``headers.items()``, ``body``) reads this one too; ``header_items`` keeps every header in
    the order sent.
    """

    method: str
    url: str
    header_items: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def headers(self) -> dict[str, str]:
        """The headers by name, repeated ones joined with ", "."""
        joined: dict[str, str] = {}
        for name, value in self.header_items:
            joined[name] = f"{joined[name]}, {value}" if name in joined else value
        return joined


def _intercepted(request: httpx.Request, body: bytes) -> Intercepted:
    return Intercepted(request.method, str(request.url), tuple(request.headers.multi_items()), body)


def _response(request: httpx.Request, answer: Answer) -> httpx.Response:
    import httpx

    if isinstance(answer, ConnectionError):
        # Raised outside any except block: the client's error is the only one shown.
        raise httpx.ConnectError(str(answer), request=request)
    if isinstance(answer, BaseException):
        raise answer
    status, headers, body = answer
    return httpx.Response(status, headers=headers, content=body, request=request)


@contextmanager
def serving_httpx(answer: Callable[[Intercepted], Answer]) -> Iterator[None]:
    """Answer every request of httpx's own transports with ``answer`` while the block runs.

    Blocks nest: the innermost one answers. Nothing is sent over the network.
    """
    with _intercepting(answer, None):
        yield


@contextmanager
def serving_installed_httpx(answer: Callable[[Intercepted], Answer]) -> Iterator[None]:
    """:func:`serving_httpx` where httpx is installed; nothing to serve where it is not."""
    from importlib.util import find_spec

    if find_spec("httpx") is None:  # httpx is optional for contract_kit
        yield
        return
    with serving_httpx(answer):
        yield


@contextmanager
def recording_installed_httpx(
    replayed: Callable[[Intercepted], Answer | None],
    record: Callable[[Intercepted, httpx.Response], None],
) -> Iterator[None]:
    """Send httpx's requests for real and ``record`` each exchange, while the block runs.

    ``replayed`` may answer a request itself (a recording that keeps what a cassette holds);
    where it returns None the request goes to the server through httpx's own transport, and the
    response, read whole, is handed to ``record``. Nothing happens where httpx is not installed.
    """
    from importlib.util import find_spec

    if find_spec("httpx") is None:
        yield
        return
    with _intercepting(replayed, record):
        yield


@contextmanager
def _intercepting(
    replayed: Callable[[Intercepted], Answer | None],
    record: Callable[[Intercepted, httpx.Response], None] | None,
) -> Iterator[None]:
    """Patch httpx's two transports: ``replayed`` answers, or (None) the real one sends."""
    import httpx

    saved_sync = httpx.HTTPTransport.handle_request
    saved_async = httpx.AsyncHTTPTransport.handle_async_request

    def kept(sent: Intercepted, response: httpx.Response) -> httpx.Response:
        if record is not None:
            record(sent, response)
        return response

    def handle_request(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        sent = _intercepted(request, request.read())
        answer = replayed(sent)
        if answer is not None:
            return _response(request, answer)
        response = saved_sync(transport, request)
        response.read()
        return kept(sent, response)

    async def handle_async_request(
        transport: httpx.AsyncHTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        sent = _intercepted(request, await request.aread())
        answer = replayed(sent)
        if answer is not None:
            return _response(request, answer)
        response = await saved_async(transport, request)
        await response.aread()
        return kept(sent, response)

    patched: Any = httpx
    patched.HTTPTransport.handle_request = handle_request
    patched.AsyncHTTPTransport.handle_async_request = handle_async_request
    try:
        yield
    finally:
        patched.HTTPTransport.handle_request = saved_sync
        patched.AsyncHTTPTransport.handle_async_request = saved_async
