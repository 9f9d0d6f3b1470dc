"""Serve the fake to ``requests`` through ``responses``, beside any stubs the test registers.

The fake joins the mock the test uses (its own ``responses.RequestsMock()``, running before
or started later, or ``responses``' module-level one), so ``responses.add(...)``,
``@responses.activate`` and ``responses.start()`` keep working. A stub the test registers on
the API's URLs answers instead of the fake (the fake neither sees nor checks that call). A
request that neither the fake nor any stub serves fails with a ConnectionError that says so,
instead of ever reaching the network.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import requests
from requests.structures import CaseInsensitiveDict

from contract_kit.fake.errors import FakeConnectionError
from contract_kit.fake.exchange import FakeRequest, Served, api_urls, refusal
from contract_kit.interception.responses_mock import AnyMethod, registered

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import responses


__all__ = ["serve_with_responses"]


def _answer_from(fake: Served) -> Callable[[requests.PreparedRequest], Any]:
    """The callback that hands a request to the fake and its answer back to requests."""

    def answer(request: requests.PreparedRequest) -> Any:
        headers = _pairs(request.headers)
        # requests prepares text headers; a value given as bytes is read as latin-1. Joining
        # them is the cheapest way to learn that all are text: it refuses anything else.
        try:
            "".join(itertools.chain.from_iterable(headers))
        except TypeError:
            headers = tuple(
                (name, value.decode("latin-1") if isinstance(value, bytes) else value)
                for name, value in headers
            )
        sent = FakeRequest(str(request.method), str(request.url), headers, _bytes(request.body))
        try:
            answer = fake.handle(sent)
        except FakeConnectionError as error:
            return requests.ConnectionError(str(error), request=request)
        return answer.status, list(answer.headers), answer.body

    return answer


def _pairs(headers: Any) -> tuple[tuple[Any, Any], ...]:
    """``tuple(headers.items())``, read straight from requests' own store when it has one.

    A prepared request's CaseInsensitiveDict keeps each ``(name as sent, value)`` pair in an
    OrderedDict; its items() rebuilds every pair through the Mapping ABC, a tenth as fast.
    """
    store = getattr(headers, "_store", None) if type(headers) is CaseInsensitiveDict else None
    if type(store) is OrderedDict:
        return tuple(store.values())
    return tuple(headers.items())


def _bytes(body: object) -> bytes:
    """The body requests prepared, whatever form it took (responses reads files already)."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if isinstance(body, Iterable):
        return b"".join(c.encode("utf-8") if isinstance(c, str) else bytes(c) for c in body)
    return b""


def _refusal_for(fake: Served) -> Callable[[requests.PreparedRequest], Exception]:
    """The callback for a request nothing serves: a ConnectionError saying what to do."""

    def refuse(request: requests.PreparedRequest) -> Exception:
        message = (
            f"{refusal(str(request.method), str(request.url), fake.base_url)}, and no stub "
            "registered with responses matches this request. Register one for it (an IMS token "
            "call, say) with responses.add(...); tests never reach the network."
        )
        return requests.ConnectionError(message, request=request)

    return refuse


@contextmanager
def serve_with_responses(
    fake: Served, mock: responses.RequestsMock | None = None
) -> Iterator[responses.RequestsMock]:
    """Route ``requests`` calls to the API to ``fake`` while the block runs.

    ``mock`` is the RequestsMock to join (``responses``' module-level one by default). If the
    block started it, the block stops and resets it at the end; if it was running, it goes on.
    """
    served = AnyMethod(api_urls(fake.base_url), _answer_from(fake))
    unserved = AnyMethod(re.compile(".*", re.DOTALL), _refusal_for(fake), fallback=True)
    with registered(mock, served, unserved) as joined:
        yield joined
