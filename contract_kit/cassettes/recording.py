"""Record a client's real calls (requests and httpx) into a cassette, secrets removed first.

While :func:`record_cassette` runs, every request goes to the real server (the session's own
adapter, or httpx's own transport, sends it) and the exchange is kept; at the end the
cassette is written once, redacted and atomically. ``mode="new-episodes"`` answers requests
the cassette already holds from it and records only the others, appended to what the file
holds when it is written (read again under the cassette's lock, so concurrent recordings of
one cassette all keep theirs); ``mode="all"`` records everything afresh and replaces the file.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from contract_kit.cassettes.cassette import load_cassette, save_cassette
from contract_kit.cassettes.exchange import Exchange, as_bytes, body_of
from contract_kit.cassettes.exchange_matching import find_match
from contract_kit.cassettes.redaction import Redactions, redacted

if TYPE_CHECKING:
    from collections.abc import Iterator

    from contract_kit.cassettes.cassette import CassettePath

__all__ = ["Recording", "live_exchange", "record_cassette"]

Mode = Literal["new-episodes", "all"]
_PHRASES = {status.value: status.phrase for status in HTTPStatus}


@dataclass
class Recording:
    """What a recording session holds: the exchanges kept from the file and the new ones."""

    path: Path
    mode: Mode
    redactions: Redactions
    kept: list[Exchange] = field(default_factory=list)
    recorded: list[Exchange] = field(default_factory=list)
    replayed: list[bool] = field(default_factory=list)
    served_at: str | None = None
    recorded_as: str | None = None

    def kept_answer(self, request: Any) -> Exchange | None:
        """The kept exchange that answers ``request`` (new-episodes), marked as used."""
        [live] = redacted([live_exchange(request)], self.redactions)
        if self.served_at and self.recorded_as:
            live = live.with_base(self.served_at, self.recorded_as)
        index = find_match(self.kept, self.replayed, live)
        if index is None:
            return None
        self.replayed[index] = True
        return self.kept[index]

    def httpx_answer(self, request: Any) -> tuple[int, list[tuple[str, str]], bytes] | None:
        """What a kept exchange answers an httpx request with, or None to send it for real."""
        kept = self.kept_answer(request)
        if kept is None:
            return None
        headers = list(kept.response_headers.items())
        if kept.content_type:
            headers.append(("Content-Type", kept.content_type))
        return kept.status, headers, as_bytes(kept.response_body)

    def record(self, request: Any, response: Any) -> None:
        """Keep the exchange of a request sent for real."""
        self.recorded.append(live_exchange(request, response))


def _header_text(value: object) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def live_exchange(request: Any, response: Any = None) -> Exchange:
    """The exchange a ``requests`` PreparedRequest (and its Response, if given) make."""
    headers = {str(k): _header_text(v) for k, v in request.headers.items()}
    if response is None:
        return Exchange(str(request.method), str(request.url), headers, body_of(request.body))
    return Exchange(
        str(request.method),
        str(request.url),
        headers,
        body_of(request.body),
        int(response.status_code),
        dict(response.headers),
        body_of(response.content),
        response.headers.get("Content-Type"),
    )


def _answer_from(adapter: Any, request: Any, exchange: Exchange) -> Any:
    from urllib3 import HTTPResponse

    headers = dict(exchange.response_headers)
    if exchange.content_type:
        headers.setdefault("Content-Type", exchange.content_type)
    raw = HTTPResponse(
        body=io.BytesIO(as_bytes(exchange.response_body)),
        headers=headers,
        status=exchange.status,
        reason=_PHRASES.get(exchange.status, ""),
        preload_content=False,
    )
    return adapter.build_response(request, raw)


@contextmanager
def record_cassette(
    path: CassettePath,
    *,
    mode: Mode = "all",
    redactions: Redactions | None = None,
    served_at: str | None = None,
    recorded_as: str | None = None,
) -> Iterator[Recording]:
    """Record the requests and httpx calls made in the block into the cassette at ``path``.

    ``served_at`` and ``recorded_as`` rewrite a base URL (a local server's, say) into the one
    the recording should show (``https://platform.adobe.io``).
    """
    from unittest import mock

    import requests

    from contract_kit.interception.httpx_mock import recording_installed_httpx

    path = Path(path)
    session = Recording(
        path, mode, redactions or Redactions(), served_at=served_at, recorded_as=recorded_as
    )
    if mode == "new-episodes" and path.exists():
        session.kept = load_cassette(path)
    session.replayed = [False] * len(session.kept)
    real_send = requests.adapters.HTTPAdapter.send

    def send(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        kept = session.kept_answer(request)
        if kept is not None:
            return _answer_from(adapter, request, kept)
        response = real_send(adapter, request, *args, **kwargs)
        session.record(request, response)
        return response

    with (
        mock.patch.object(requests.adapters.HTTPAdapter, "send", send),
        recording_installed_httpx(session.httpx_answer, session.record),
    ):
        try:
            yield session
        finally:
            new = session.recorded
            if served_at and recorded_as:
                new = [exchange.with_base(served_at, recorded_as) for exchange in new]
            # The file is read again under its lock: a concurrent recording's exchanges stay.
            save_cassette(path, new, session.redactions, keep_recorded=mode == "new-episodes")
