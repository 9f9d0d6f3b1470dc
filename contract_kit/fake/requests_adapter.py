"""Serve the fake to ``requests`` through ``responses``, beside any stubs the test registers.

The fake joins the mock the test already uses (``responses``' module-level one by default),
so ``responses.add(...)``, ``@responses.activate`` and ``responses.start()`` keep working.
A request that neither the fake nor any stub serves fails with a ConnectionError that says
so, instead of ever reaching the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import requests
import responses

from contract_kit.fake.errors import FakeConnectionError
from contract_kit.fake.exchange import FakeRequest, Served
from contract_kit.interception.responses_mock import AnyMethod, registered

if TYPE_CHECKING:
    from collections.abc import Iterator


__all__ = ["serve_with_responses"]


class _ServedByFake(AnyMethod):
    """Every method on the API's URLs goes to the fake."""

    def __init__(self, fake: Served) -> None:
        pattern = re.compile(re.escape(fake.base_url) + r"/data/core/xcore(?:[/?].*)?")
        super().__init__(pattern, self._answer)
        self.fake = fake

    def _answer(self, request: requests.PreparedRequest) -> Any:
        headers = tuple(
            (name, value.decode("latin-1") if isinstance(value, bytes) else value)
            for name, value in request.headers.items()
        )
        sent = FakeRequest(str(request.method), str(request.url), headers, _bytes(request.body))
        try:
            answer = self.fake.handle(sent)
        except FakeConnectionError as error:
            return requests.ConnectionError(str(error), request=request)
        return answer.status, list(answer.headers), answer.body


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


class _Unserved(responses.CallbackResponse):
    """Matches only what nothing else registered matches, to explain the refusal."""

    def __init__(self, mock: responses.RequestsMock, fake: Served) -> None:
        super().__init__("GET", re.compile(".*"), self._refuse, content_type=None)
        self.mock = mock
        self.fake = fake

    def matches(self, request: requests.PreparedRequest) -> tuple[bool, str]:
        others = (r for r in self.mock.registered() if r is not self)
        if any(other.matches(request)[0] for other in others):
            return False, "served by a registered response"
        return True, ""

    def _refuse(self, request: requests.PreparedRequest) -> Exception:
        message = (
            f"contract_kit refused {request.method} {request.url}: the offer_library fake serves "
            f"{self.fake.base_url}/data/core/xcore/ only, and no stub registered with responses "
            "matches this request. Register one for it (an IMS token call, say) with "
            "responses.add(...); tests never reach the network."
        )
        return requests.ConnectionError(message, request=request)


@contextmanager
def serve_with_responses(
    fake: Served, mock: responses.RequestsMock | None = None
) -> Iterator[responses.RequestsMock]:
    """Route ``requests`` calls to the API to ``fake`` while the block runs.

    ``mock`` is the RequestsMock to join (``responses``' module-level one by default). If the
    block started it, the block stops and resets it at the end; if it was running, it goes on.
    """
    with registered(mock, _ServedByFake(fake)) as joined:
        unserved = _Unserved(joined, fake)
        joined.add(unserved)
        try:
            yield joined
        finally:
            joined.remove(unserved)
