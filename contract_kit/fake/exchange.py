"""The request and response the fake trades, independent of any HTTP library."""

from __future__ import annotations

import functools
import json
import json.encoder
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from contract_kit.core.violation import Violation

__all__ = [
    "NOT_KEPT",
    "Call",
    "FakeRequest",
    "FakeResponse",
    "Served",
    "api_urls",
    "json_response",
    "refusal",
]


@dataclass(frozen=True, slots=True)
class FakeRequest:
    """An HTTP request as the fake sees it: headers in the order sent, the body as bytes."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    @property
    def target(self) -> str:
        """The path and query, as a request line has them."""
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (any case), or None."""
        return _first(self.headers, name)

    @classmethod
    def from_call(cls, method: str, url: str, headers: Any = (), body: Any = None) -> FakeRequest:
        """A request as HTTP clients take one, so ``fake.handle(FakeRequest.from_call(*call))``.

        ``headers`` is a mapping or ``(name, value)`` pairs; ``body`` bytes, text, None (no
        body) or a parsed JSON value, sent as ``json=`` sends it. Drawn ``CreateCall`` and
        ``QueryCall`` tuples come in these forms.
        """
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        try:
            sent = tuple((str(name), str(value)) for name, value in pairs)
        except (TypeError, ValueError):
            raise TypeError(
                f"headers must be a mapping or (name, value) pairs, not {headers!r}"
            ) from None
        return cls(method, url, sent, _body_bytes(body))


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body).encode("utf-8")


#: The :attr:`FakeResponse.written_from` of a body not kept as a value (or of no body).
NOT_KEPT: Any = object()


@dataclass(frozen=True, slots=True)
class FakeResponse:
    """An HTTP response the fake produced."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    #: The JSON value ``body`` was written from, when nobody else holds it (a receipt): the
    #: fake checks its own answer on it instead of parsing the body again. Not compared.
    written_from: Any = field(default=NOT_KEPT, compare=False, repr=False)

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (any case), or None."""
        return _first(self.headers, name)

    def json(self) -> Any:
        """The body, parsed."""
        return json.loads(self.body)


@dataclass(frozen=True, slots=True)
class Call:
    """One request the fake received, what it answered, and how the request broke the contract.

    ``response`` is None when a fault made the fake drop the connection.
    """

    request: FakeRequest
    response: FakeResponse | None
    operation: str | None
    violations: tuple[Violation, ...] = field(default=())


def _first(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    wanted = name.lower()
    size = len(wanted)
    for key, value in headers:  # a loop, not next() over a generator: read on every call
        # Lower-casing keeps the length of ASCII names; another length is another name.
        if (len(key) == size or not key.isascii()) and key.lower() == wanted:
            return value
    return None


def json_response(
    status: int,
    body: object,
    content_type: str,
    headers: tuple[tuple[str, str], ...] = (),
    *,
    keep: bool = False,
) -> FakeResponse:
    """A response with a JSON body; ``keep``: the caller hands ``body`` over, as written_from.

    Only a dict whose values are all exactly str or int (a receipt) is kept: it reads back as
    written. Any other body is written by ``json.dumps``, and the answer check parses it.
    """
    text = _flat_json(body) if keep and type(body) is dict else None
    kept = body
    if text is None:
        text, kept = json.dumps(body, ensure_ascii=False), NOT_KEPT
    return FakeResponse(status, (("Content-Type", content_type), *headers), text.encode(), kept)


def _flat_json(body: dict[str, Any]) -> str | None:
    """``json.dumps(body, ensure_ascii=False)`` of a dict of str and int values, written directly.

    None if a value is of another type. A receipt is all such values: written member by
    member, its member names quoted once per process (every receipt has the same nine), it
    takes two thirds of the time.
    """
    members = []
    for key, value in body.items():
        name = _NAMES.get(key)
        if name is None:
            name = _quoted_name(key)
        kind = type(value)
        if kind is str:
            members.append(f"{name}: {_quoted(value)}")
        elif kind is int:
            members.append(f"{name}: {int.__repr__(value)}")
        else:
            return None
    return "{" + ", ".join(members) + "}"


_quoted: Callable[[str], str] = json.encoder.encode_basestring
#: Member names as written, by name: receipts all have the same few, so the table stays small
#: (it starts over if anything else fills it).
_NAMES: dict[str, str] = {}
_MAX_NAMES = 64


def _quoted_name(key: str) -> str:
    if len(_NAMES) >= _MAX_NAMES:
        _NAMES.clear()
    name = _NAMES[key] = _quoted(key)
    return name


class Served(Protocol):
    """What an adapter needs of the fake: where it is served, and an answer for each request.

    Adapters depend on this, not on the service, so the service can build them without a cycle.
    """

    @property
    def base_url(self) -> str:
        """Scheme and host the fake answers on, without a trailing slash."""
        ...

    def handle(self, request: FakeRequest) -> FakeResponse:
        """The answer to ``request`` (or :class:`~contract_kit.fake.errors.FakeConnectionError`)."""
        ...


@functools.lru_cache(maxsize=64)
def api_urls(base_url: str) -> re.Pattern[str]:
    """The URLs the fake answers: ``/data/core/xcore`` and below, and the decision paths.

    Remembered per base URL: the httpx transport asks on every request.
    """
    below = r"/data/core/(?:xcore|ode/[^/?]*/decisions|ods/decisions)"
    return re.compile(re.escape(base_url) + below + r"(?:[/?].*)?", re.DOTALL)


def refusal(method: str, url: str, base_url: str) -> str:
    """Why an adapter refused a request to another host, the same words for every library."""
    return (
        f"contract_kit refused {method} {url}: the offer_library fake serves "
        f"{base_url}/data/core/xcore/ and the decision calls only"
    )
