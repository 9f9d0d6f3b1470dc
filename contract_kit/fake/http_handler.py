"""One HTTP/1.1 connection of ``contract-kit serve``: read each request, let the fake answer it.

The framing is checked before the fake sees anything: a Content-Length that is not digits
is a 400, a body over the fake's limit a 413 (refused before it is read), and every answer,
error answers too, is a JSON body with a length, so the connection stays open for the next
request. Nothing a client sends can make the answer carry a traceback.
"""

from __future__ import annotations

import re
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import quote, urlsplit

from contract_kit.fake.error_bodies import problem, too_large
from contract_kit.fake.errors import FakeConnectionError
from contract_kit.fake.exchange import FakeRequest, FakeResponse
from contract_kit.fake.service import MAX_BODY_BYTES

if TYPE_CHECKING:
    from contract_kit.fake.exchange import Served

__all__ = ["RequestHandler", "Serving"]

_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(r"[0-9A-Fa-f]+")
# Printable ASCII stays as the client sent it; anything else is percent-encoded.
_SAFE = "".join(map(chr, range(0x21, 0x7F)))
# Set by the framing itself, never copied from the fake's answer.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})
_MAX_LINE = 65536


class _Refused(Exception):  # noqa: N818 - not an error of ours: a request we answer with a refusal
    """The request cannot be read: answer ``response`` and close the connection."""

    def __init__(self, response: FakeResponse) -> None:
        super().__init__(response.status)
        self.response = response


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


def _printable(text: str) -> str:
    """``text`` with control and non-ASCII characters escaped, so a client cannot forge lines."""
    if text.isascii() and text.isprintable():
        return text  # the common case, without a look at each character
    return "".join(c if " " <= c <= "~" else c.encode("unicode_escape").decode() for c in text)


class RequestHandler(BaseHTTPRequestHandler):
    """Serves one connection of a :class:`Serving` server."""

    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many requests
    server_version = "contract-kit-fake"
    sys_version = ""
    timeout = 60  # an idle connection closes after a minute, so threads do not pile up
    # An answer goes out as its header section, then its body: with Nagle's algorithm the
    # body waits for the client's delayed ACK of the headers, 40 ms per keep-alive request.
    disable_nagle_algorithm = True
    # Buffered: the header section and the body leave in one send, flushed per request.
    wbufsize = 1 << 16
    _answered = False
    _note = ""  # what the fake says of the answer, after the status on the log line

    @property
    def _serving(self) -> Serving:
        return cast("Serving", self.server)

    def handle_one_request(self) -> None:
        """Read one request and answer it, or close the connection."""
        self._answered = False
        self._note = ""
        try:
            self.raw_requestline = self.rfile.readline(_MAX_LINE + 1)
            if not self.raw_requestline:
                self.close_connection = True
                return
            if len(self.raw_requestline) > _MAX_LINE:
                self.requestline = self.command = self.path = self.request_version = ""
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
                return
            if self.parse_request():
                self._serve()
            self.wfile.flush()
        except (TimeoutError, ConnectionError):
            self.close_connection = True
        except Exception as error:  # noqa: BLE001 - any bug of ours: a 500, logged once
            if self._answered:
                self._serving.log(f"{self._logged_request()}: {self._failed(error)}")
                self.close_connection = True
            else:
                self._answer(self._failure(error), close=True)

    def handle_expect_100(self) -> bool:
        """Say nothing yet: a body that is too large is refused instead of invited."""
        return True

    def _serve(self) -> None:
        try:
            body = self._body()
        except _Refused as refused:
            self._answer(refused.response, close=True)
            return
        if body is None:  # the client went away in the middle of its body
            self.close_connection = True
            return
        request = FakeRequest(self.command, self._url(), tuple(self.headers.items()), body)
        fake = self._serving.fake
        noted = getattr(fake, "handle_noted", None)
        try:
            if noted is None:
                answer = fake.handle(request)
            else:  # serve's front: the log line names the operation and the rules broken
                answer, self._note = noted(request)
        except FakeConnectionError:
            self.close_connection = True
            self._serving.log(f"{self._logged_request()} dropped (a fault the test injected)")
            return
        except Exception as error:  # noqa: BLE001 - any bug of ours: a 500, logged once
            answer = self._failure(error)
        self._answer(answer)

    def _failed(self, error: Exception) -> str:
        details = "".join(traceback.format_exception(error)).rstrip()
        return (
            f"the fake failed with {type(error).__name__}, a bug in contract_kit (please "
            f"report it with this traceback):\n{details}"
        )

    def _failure(self, error: Exception) -> FakeResponse:
        """The 500 answer to a request the fake failed on; the traceback goes to the log only."""
        self._serving.log(f"{self._logged_request()}: {self._failed(error)}")
        return problem(
            500,
            f"the fake failed on this request with {type(error).__name__}: a bug in "
            "contract_kit; the server's log holds the details",
        )

    def _body(self) -> bytes | None:
        """The request's body, read only once its length is known to be within the limit."""
        encoding = self.headers.get_all("Transfer-Encoding") or []
        lengths = self.headers.get_all("Content-Length") or []
        if encoding and lengths:
            raise _Refused(
                problem(400, "send Content-Length or Transfer-Encoding, not both (RFC 9112 6.3)")
            )
        if encoding:
            if [e.strip().lower() for e in encoding] != ["chunked"]:
                shown = ", ".join(encoding)
                raise _Refused(
                    problem(501, f"Transfer-Encoding {shown!r} is not supported; send chunked")
                )
            return self._chunked()
        length = _content_length(lengths)
        if length == 0:
            return b""
        self._continue()
        body = self.rfile.read(length)
        return body if len(body) == length else None

    def _continue(self) -> None:
        if self.headers.get("Expect", "").lower() == "100-continue":
            self.send_response_only(HTTPStatus.CONTINUE)
            self.end_headers()
            self.wfile.flush()

    def _chunked(self) -> bytes | None:
        """A chunked body (RFC 9112 7.1), refused once it outgrows the limit."""
        self._continue()
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(_MAX_LINE + 1)
            if not line:
                return None
            size_text = line.split(b";", 1)[0].strip().decode("latin-1")
            if not _HEX.fullmatch(size_text):
                shown = _printable(size_text[:40])
                raise _Refused(problem(400, f"chunk size {shown!r} is not hexadecimal"))
            digits = size_text.lstrip("0") or "0"
            size = int(digits, 16) if len(digits) <= 8 else MAX_BODY_BYTES + 1
            if total + size > MAX_BODY_BYTES:
                raise _Refused(too_large(MAX_BODY_BYTES))
            if size == 0:
                break
            chunk = self.rfile.read(size)
            if len(chunk) != size or self.rfile.read(2) != b"\r\n":
                return None
            chunks.append(chunk)
            total += size
        while self.rfile.readline(_MAX_LINE + 1) not in {b"\r\n", b"\n", b""}:
            pass  # trailer fields: nothing the fake reads
        return b"".join(chunks)

    def _url(self) -> str:
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute-form, as proxies send it
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        return self._serving.fake.base_url + quote(target.encode("latin-1"), safe=_SAFE)

    def _answer(self, answer: FakeResponse, *, close: bool = False) -> None:
        self._answered = True
        self.send_response(answer.status)
        for name, value in answer.headers:
            if name.lower() not in _FRAMING_HEADERS:
                self.send_header(name, value)
        bodiless = self.command == "HEAD" or answer.status in {204, 304}
        if answer.status not in {204, 304}:
            self.send_header("Content-Length", str(len(answer.body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        if not bodiless:
            self.wfile.write(answer.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Refuse a request line or header section that cannot be read, as a problem body."""
        status = HTTPStatus(code)
        detail = explain or message or status.description or status.phrase
        # An unreadable request line leaves HTTP/0.9 in place, which has no status line.
        self.request_version = self.protocol_version
        self._answer(problem(code, detail), close=True)

    def _logged_request(self) -> str:
        method = self.command or "-"
        # No path yet when the request line was refused; the query may hold credentials.
        path = (getattr(self, "path", "") or "-").split("?", 1)[0]
        return _printable(f"{method} {path}")

    def log_request(self, code: Any = "-", size: Any = "-") -> None:  # noqa: ARG002 - the base class's signature
        """One line per answer: method, path (no query), status, and what the fake noted."""
        note = f" {_printable(self._note)}" if self._note else ""
        self._serving.log(f"{self._logged_request()} {int(code)}{note}")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Everything else the base class would print goes to the same log, escaped."""
        self._serving.log(_printable(format % args))


def _content_length(values: list[str]) -> int:
    """The length a request's Content-Length headers give; refusals for anything else."""
    if not values:
        return 0
    given = {part.strip() for value in values for part in value.split(",")}
    if len(given) != 1 or not _DIGITS.fullmatch(shown := next(iter(given))):
        listed = ", ".join(repr(_printable(v[:40])) for v in values)
        raise _Refused(problem(400, f"Content-Length {listed} is not a number of bytes"))
    if len(shown.lstrip("0")) > len(str(MAX_BODY_BYTES)) or int(shown) > MAX_BODY_BYTES:
        raise _Refused(too_large(MAX_BODY_BYTES))
    return int(shown)
