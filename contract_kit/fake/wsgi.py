"""The fake as a WSGI application, so any HTTP server (and any client language) can use it."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from urllib.parse import quote

from contract_kit.fake.exchange import FakeRequest, Served

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any


__all__ = ["wsgi_app"]

_SPECIAL = {"CONTENT_TYPE": "Content-Type", "CONTENT_LENGTH": "Content-Length"}


def _headers(environ: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    found = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            found.append((key[5:].replace("_", "-").lower(), value))
        elif key in _SPECIAL and value:
            found.append((_SPECIAL[key].lower(), value))
    return tuple(found)


def wsgi_app(fake: Served) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """A WSGI app answering every request from ``fake``; calls are served one at a time."""
    lock = threading.Lock()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/:@!$&'()*+,;=-._~%{}")
        query = environ.get("QUERY_STRING", "")
        host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        url = f"{environ.get('wsgi.url_scheme', 'http')}://{host}{path}" + (
            f"?{query}" if query else ""
        )
        request = FakeRequest(environ["REQUEST_METHOD"], url, _headers(environ), body)
        with lock:
            answer = fake.handle(request)
        status = f"{answer.status} {_reason(answer.status)}"
        start_response(status, [*answer.headers, ("Content-Length", str(len(answer.body)))])
        return [answer.body]

    return app


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
