"""One HTTP/1.1 connection of ``contract-kit serve``: bytes in, the fake's answers out.

The server's event loop hands a connection what its socket gave (:meth:`Connection.received`)
and asks it to send what is queued when the socket can take more (:meth:`Connection.flush`);
the connection never blocks. It cuts each request from its buffer as soon as it is complete
(requests pipelined in one packet are served in order; a head sent byte by byte waits for its
blank line), checks the framing before the fake sees anything (:mod:`http_body`), and answers
every request, error answers too, with a JSON body and a length, so the connection stays open
for the next. Nothing a client sends can make the answer carry a traceback.

Lean on purpose (``benchmarks/bench_serve.py``): each answer leaves in one ``send``, header
section and body together, so no answer waits on Nagle's algorithm for the client's ACK; what
the socket does not take waits in a buffer, and the connection reads no more requests until
it is sent, so a client that does not read its answers holds memory for one answer only.
"""

from __future__ import annotations

import contextlib
import socket
import time
import traceback
from email.utils import formatdate
from http import HTTPStatus
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote, urlsplit

from contract_kit.fake.error_bodies import problem
from contract_kit.fake.errors import FakeConnectionError
from contract_kit.fake.exchange import FakeRequest, FakeResponse
from contract_kit.fake.http_body import (
    BROKEN,
    CHUNKED,
    FramingError,
    chunked_body,
    framing,
    printable,
)
from contract_kit.fake.http_head import HeadError, head_end, head_refusal, parse_head

if TYPE_CHECKING:
    from contract_kit.fake.exchange import Served
    from contract_kit.fake.http_head import RequestHead

__all__ = ["Connection", "Serving"]

# Printable ASCII stays as the client sent it; anything else is percent-encoded.
_SAFE = "".join(map(chr, range(0x21, 0x7F)))
# Set by the framing itself, never copied from the fake's answer.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})
_BODILESS = frozenset({204, 304})
_PHRASES = {status.value: status.phrase for status in HTTPStatus}
_SERVER = "contract-kit-fake"
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class Serving(Protocol):
    """What a connection needs of its server: the fake, and the log it writes to.

    A fake with ``handle_noted(request) -> (answer, note)`` has ``note`` logged after the
    status (serve's front names the operation and the rules broken there).
    """

    @property
    def fake(self) -> Served:
        """The fake answering every request."""
        ...

    def log(self, text: str) -> None:
        """Write one entry of the server's log (one line per request)."""
        ...


_date: tuple[int, str] = (0, "")


def _date_line() -> str:
    """The Date header's line, formatted once a second rather than once an answer."""
    global _date  # noqa: PLW0603 - a one-entry cache; a race only formats the second twice
    now = int(time.time())
    if _date[0] != now:
        _date = (now, f"Date: {formatdate(now, usegmt=True)}\r\n")
    return _date[1]


# The status line and Server line of each status answered so far, built once per status.
_FIRST_LINES: dict[int, str] = {}


def _first_lines(status: int) -> str:
    found = _FIRST_LINES.get(status)
    if found is None:
        found = f"HTTP/1.1 {status} {_PHRASES.get(status, '')}\r\nServer: {_SERVER}\r\n"
        _FIRST_LINES[status] = found
    return found


class Connection:
    """One client's connection: what it sent and has not been served, what waits to be sent.

    ``closed`` once it is done (the server then forgets it); ``waiting`` while answers wait
    for the socket to take them (the server then watches for it to be writable, not readable).
    """

    def __init__(self, sock: socket.socket, serving: Serving) -> None:
        self.sock = sock
        #: The socket's file descriptor, which names the connection even once it is closed.
        self.number = sock.fileno()
        self.closed = False
        self.waiting = False
        #: Whether the server's selector watches the socket for writing (else for reading).
        self.watched_for_write = False
        #: When bytes last came or went (``time.monotonic``), for the idle timeout.
        self.active = time.monotonic()
        self._serving = serving
        self._fake = serving.fake
        self._noted = getattr(self._fake, "handle_noted", None)
        self._in = bytearray()
        self._out = b""
        self._head: RequestHead | None = None  # read, its body not complete yet
        self._length = 0  # of that body, or CHUNKED
        self._closing = False  # close once what is queued is sent
        self._method = ""  # of the request being served, for the log line ("" until read)
        self._path = ""

    def received(self, data: bytes) -> None:
        """Take what the socket gave ("": the client closed) and answer what is complete."""
        self.active = time.monotonic()
        if not data:
            self.close()
            return
        self._in += data
        self._serve()

    def flush(self) -> None:
        """Send what waits for the socket; serve the requests it held back once it is all sent."""
        self.active = time.monotonic()
        self._write(b"")
        if not (self.waiting or self.closed) and self._in:
            self._serve()

    def close(self) -> None:
        """End the connection: nothing more is read or sent."""
        if self.closed:
            return
        self.closed = True
        self.waiting = False
        with contextlib.suppress(OSError):  # the client is gone already
            self.sock.shutdown(socket.SHUT_WR)  # the answer sent ends with a FIN
        self.sock.close()

    def _serve(self) -> None:
        try:
            self._serve_complete()
        except Exception as error:  # noqa: BLE001 - any bug of ours: a 500, logged once
            self._answer(self._failure(error), refused=True)

    def _serve_complete(self) -> None:
        """Serve every request complete in the buffer, until one ends the connection."""
        while not (self.waiting or self._closing or self.closed):
            if self._head is None and not self._read_head():
                return
            head = self._head
            if head is None:  # refused: the answer is queued
                return
            body = self._read_body()
            if body is None:
                return
            self._head = None
            self._exchange(head, body)

    def _read_head(self) -> bool:
        """Cut the next head from the buffer; False while it is incomplete or was refused."""
        self._method = self._path = ""
        if not self._in:
            return False
        end = head_end(self._in)
        try:
            if end < 0:
                refused = head_refusal(self._in)
                if refused is not None:
                    raise refused
                return False
            head = parse_head(bytes(self._in[:end]))
        except HeadError as refused:
            self._method, self._path = refused.method, refused.path
            self._answer(problem(refused.status, refused.detail), refused=True)
            return False
        del self._in[:end]
        self._method, self._path = head.method, head.path
        try:
            self._length = framing(head)
        except FramingError as refused:
            self._answer(refused.response, refused=True)
            return False
        if self._length:  # a body to invite, now that it is known to be within the limit
            expect = head.values("expect")
            if expect and expect[0].lower() == "100-continue":
                self._write(_CONTINUE)
        self._head = head
        return True

    def _read_body(self) -> bytes | None:
        """Cut the body from the buffer; None while it is incomplete or was refused."""
        if self._length == CHUNKED:
            try:
                found = chunked_body(self._in)
            except FramingError as refused:
                self._answer(refused.response, refused=True)
                return None
            if found is None:
                return None
            if found is BROKEN:  # the body cannot be framed: nothing to answer
                self.close()
                return None
            body, end = found
        else:
            end = self._length
            if len(self._in) < end:
                return None
            body = bytes(self._in[:end])
        del self._in[:end]
        return body

    def _exchange(self, head: RequestHead, body: bytes) -> None:
        """Let the fake answer one request, and queue the answer."""
        request = FakeRequest(head.method, self._url(head.path), head.headers, body)
        note = ""
        try:
            if self._noted is None:
                answer = self._fake.handle(request)
            else:  # serve's front: the log line names the operation and the rules broken
                answer, note = self._noted(request)
        except FakeConnectionError:
            self._serving.log(f"{self._logged_request()} dropped (a fault the test injected)")
            self.close()
            return
        except Exception as error:  # noqa: BLE001 - any bug of ours: a 500, logged once
            answer, note = self._failure(error), ""
        self._closing = not head.keep_alive  # HTTP/1.0, or Connection: close
        self._answer(answer, note=note)

    def _failure(self, error: Exception) -> FakeResponse:
        """The 500 answer to a request the fake failed on; the traceback goes to the log only."""
        details = "".join(traceback.format_exception(error)).rstrip()
        self._serving.log(
            f"{self._logged_request()}: the fake failed with {type(error).__name__}, a bug in "
            f"contract_kit (please report it with this traceback):\n{details}"
        )
        return problem(
            500,
            f"the fake failed on this request with {type(error).__name__}: a bug in "
            "contract_kit; the server's log holds the details",
        )

    def _url(self, target: str) -> str:
        if target.startswith(("http://", "https://")):  # absolute-form, as proxies send it
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        if not (target.isascii() and target.isprintable()):  # else quoting changes nothing
            target = quote(target.encode("latin-1"), safe=_SAFE)
        return self._fake.base_url + target

    def _answer(self, answer: FakeResponse, *, note: str = "", refused: bool = False) -> None:
        """Log the answer, then send it in one write: status line, header section, body.

        A ``refused`` request (its framing unreadable) ends the connection, and says so.
        """
        status = answer.status
        lines = [_first_lines(status), _date_line()]
        lines += [
            f"{name}: {value}\r\n"
            for name, value in answer.headers
            if name.lower() not in _FRAMING_HEADERS
        ]
        if status not in _BODILESS:
            lines.append(f"Content-Length: {len(answer.body)}\r\n")
        if refused:
            lines.append("Connection: close\r\n")
        lines.append("\r\n")
        data = "".join(lines).encode("latin-1")
        shown = f" {printable(note)}" if note else ""
        self._serving.log(f"{self._logged_request()} {status}{shown}")
        if self._method != "HEAD" and status not in _BODILESS:
            data += answer.body
        self._closing = self._closing or refused
        self._write(data)

    def _write(self, data: bytes) -> None:
        """Send ``data`` after what waits already, as much as the socket takes now."""
        data = self._out + data if self._out else data
        try:
            sent = self.sock.send(data) if data else 0
        except BlockingIOError:
            sent = 0
        except OSError:  # reset or closed under our feet
            self.close()
            return
        self._out = data[sent:]
        self.waiting = bool(self._out)
        if not self.waiting and self._closing:
            self.close()

    def _logged_request(self) -> str:
        # No method yet when the request line was refused; the query may hold credentials.
        path = (self._path or "-").split("?", 1)[0]
        return printable(f"{self._method or '-'} {path}")
