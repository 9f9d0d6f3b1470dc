"""serve's event loop: partial reads and writes, pipelining, many clients, idle connections."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

from contract_kit.fake import FakeRequest, FakeResponse, OfferLibrary
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.server import open_server

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pytest

    from contract_kit.fake.exchange import Served
    from contract_kit.fake.server import FakeServer

BIG = 32 * 2**20  # more than loopback's socket buffers hold: the answer waits in the server
DISCOVERY = b"GET /data/core/xcore/ HTTP/1.1\r\nHost: fake\r\n\r\n"


def _library(base_url: str) -> OfferLibrary:
    return OfferLibrary(OfferLibraryOptions(base_url=base_url, allow_violations=True))


class _Sized:
    """A fake answering ``GET /N`` with N bytes, and ``/data/...`` as the library does."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._library = _library(base_url)

    def handle(self, request: FakeRequest) -> FakeResponse:
        path = request.target
        if path.startswith("/data/"):
            return self._library.handle(request)
        return FakeResponse(200, (("Content-Type", "text/plain"),), b"x" * int(path[1:]))


@contextmanager
def _serving(fake_for: Callable[[str], Served] = _library) -> Iterator[FakeServer]:
    """A server on a free loopback port, its loop in a thread for the block."""
    server = open_server("127.0.0.1", 0, fake_for, io.StringIO())
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def _connection(server: FakeServer) -> Iterator[socket.socket]:
    with socket.create_connection(server.socket.getsockname()[:2], timeout=10) as sock:
        yield sock


class _Answers:
    """Reads answers off one socket by their Content-Length, keeping what follows for the next.

    (``http.client`` reads ahead into its buffer, which would swallow pipelined answers.)
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._pending = b""

    def _more(self) -> None:
        received = self._sock.recv(2**20)
        if not received:
            raise ConnectionError("the server closed the connection")
        self._pending += received

    def next(self) -> tuple[int, bytes]:
        """The status and body of the next answer."""
        while (end := self._pending.find(b"\r\n\r\n")) < 0:
            self._more()
        lines = self._pending[:end].decode("latin-1").lower().split("\r\n")
        fields = dict(line.split(": ", 1) for line in lines[1:])
        length = int(fields.get("content-length", "0"))
        while len(self._pending) < end + 4 + length:
            self._more()
        body = self._pending[end + 4 : end + 4 + length]
        self._pending = self._pending[end + 4 + length :]
        return int(lines[0].split()[1]), body


def _answer(sock: socket.socket) -> tuple[int, bytes]:
    """The one answer ``sock`` waits for."""
    return _Answers(sock).next()


def test_a_head_sent_byte_by_byte_is_served_once_complete() -> None:
    """The loop waits for the blank line however the head is split, then answers once."""
    with _serving() as server, _connection(server) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in DISCOVERY:
            sock.sendall(bytes([byte]))
        status, body = _answer(sock)
    assert (status, json.loads(body)["error_code"]) == (403, "403010")


def test_a_chunked_body_sent_byte_by_byte_is_read_whole() -> None:
    """Chunk sizes, data and the trailer arrive one byte at a time and still make one body."""
    chunked = b"3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n"
    head = b"POST /data/core/xcore/ HTTP/1.1\r\nHost: fake\r\nTransfer-Encoding: chunked\r\n\r\n"
    with _serving() as server, _connection(server) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in head + chunked:
            sock.sendall(bytes([byte]))
        answers = _Answers(sock)
        status = answers.next()[0]
        sock.sendall(DISCOVERY)  # the body was cut exactly: the next request reads cleanly
        again = answers.next()[0]
    assert (status, again) == (405, 403)


def test_requests_pipelined_in_one_packet_are_answered_in_order() -> None:
    """Three requests sent in one write get three answers, in the order sent."""
    with _serving(_Sized) as server, _connection(server) as sock:
        sizes = [5, 0, 12]
        sock.sendall(b"".join(f"GET /{n} HTTP/1.1\r\nHost: fake\r\n\r\n".encode() for n in sizes))
        answers = _Answers(sock)
        read = [answers.next() for _ in sizes]
    assert read == [(200, b"x" * n) for n in sizes]


def test_a_client_that_does_not_read_holds_up_no_other() -> None:
    """An answer the socket cannot take at once waits in the server; the others are served."""
    with _serving(_Sized) as server, _connection(server) as stalled:
        stalled.sendall(
            f"GET /{BIG} HTTP/1.1\r\nHost: fake\r\n\r\nGET /3 HTTP/1.1\r\n\r\n".encode()
        )
        time.sleep(0.2)  # let the server send what the socket takes, and hold the rest
        with _connection(server) as other:
            other.sendall(DISCOVERY)
            served = _answer(other)[0]
        answers = _Answers(stalled)
        big = answers.next()
        after = answers.next()  # the pipelined request, served once the answer was sent
    assert served == 403
    assert (big[0], len(big[1]), after) == (200, BIG, (200, b"xxx"))


def test_many_connections_at_once_are_all_served() -> None:
    """300 open connections, each sending before any reads, are all answered."""
    with _serving() as server:
        address = server.socket.getsockname()[:2]
        sockets = [socket.create_connection(address, timeout=10) for _ in range(300)]
        try:
            for sock in sockets:
                sock.sendall(DISCOVERY)
            statuses = [_answer(sock)[0] for sock in sockets]
        finally:
            for sock in sockets:
                sock.close()
    assert statuses == [403] * 300


def test_a_silent_connection_is_closed_after_the_idle_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A connection that sends nothing is closed once idle; a busy one meanwhile is served."""
    with _serving() as server:
        monkeypatch.setattr(server, "idle_timeout", 0.5)
        with _connection(server) as silent, _connection(server) as busy:
            busy.sendall(DISCOVERY)
            served = _answer(busy)[0]
            silent.settimeout(10)
            closed = silent.recv(1)  # EOF once the loop's sweep finds it idle
    assert (served, closed) == (403, b"")


def test_a_client_gone_before_its_answer_leaves_the_server_serving() -> None:
    """A client that closes with its request unanswered, or mid-body, harms no other."""
    with _serving(_Sized) as server:
        with _connection(server) as gone:
            gone.sendall(f"GET /{BIG} HTTP/1.1\r\n\r\n".encode())
        with _connection(server) as half:
            half.sendall(b"POST /data/ HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
        with _connection(server) as sock:
            sock.sendall(DISCOVERY)
            status = _answer(sock)[0]
    assert status == 403
