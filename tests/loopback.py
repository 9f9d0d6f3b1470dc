"""A served fake on a free loopback port, in a thread, and one keep-alive client for it."""

from __future__ import annotations

import http.client
import io
import json
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from contract_kit.fake.server import open_server

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from contract_kit.fake.serving import ServedLibrary


class LoopbackClient:
    """One keep-alive connection to the server, JSON in and out."""

    def __init__(self, base_url: str) -> None:
        host, port = base_url.removeprefix("http://").rsplit(":", 1)
        self._connection = http.client.HTTPConnection(host, int(port), timeout=10)

    def call(
        self, method: str, target: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        """The status, the headers (names lowercased) and the JSON body of one call."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        self._connection.request(method, target, body=data, headers=headers or {})
        answer = self._connection.getresponse()
        text = answer.read()
        found = {k.lower(): v for k, v in answer.getheaders()}
        return answer.status, found, json.loads(text) if text else None

    def close(self) -> None:
        """End the connection (the server keeps serving)."""
        self._connection.close()


@contextmanager
def serving(
    fake_for: Callable[[str], ServedLibrary], log: io.StringIO | None = None
) -> Iterator[tuple[LoopbackClient, str]]:
    """Serve ``fake_for``'s library for the block; the client and the base URL to call."""
    server = open_server("127.0.0.1", 0, fake_for, log if log is not None else io.StringIO())
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    client = LoopbackClient(server.base_url)
    try:
        yield client, server.base_url
    finally:
        client.close()
        server.shutdown()
        server.server_close()
        thread.join()
