"""One HTTP/1.1 connection of ``contract-kit serve``: read each request, let the fake answer it.

The framing is checked before the fake sees anything: a Content-Length that is not digits
is a 400, a body over the fake's limit a 413 (refused before it is read), and every answer,
error answers too, is a JSON body with a length, so the connection stays open for the next
request. Nothing a client sends can make the answer carry a traceback.

Lean on purpose (``benchmarks/bench_serve.py``): the head is read by :mod:`http_head`, not
by ``http.server``'s e-mail parser, and each answer leaves in one ``sendall``, header
section and body together, so no answer waits on Nagle's algorithm for the client's ACK.
"""

from __future__ import annotations

import re
import time
import traceback
from email.utils import formatdate
from http import HTTPStatus
from socketserver import StreamRequestHandler
from typing import TYPE_CHECKING, Protocol, cast
from urllib.parse import quote, urlsplit

from contract_kit.fake.error_bodies import problem, too_large
from contract_kit.fake.errors import FakeConnectionError
from contract_kit.fake.exchange import FakeRequest, FakeResponse
from contract_kit.fake.http_head import MAX_LINE, HeadError, RequestHead, read_head
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
_BODILESS = frozenset({204, 304})
_PHRASES = {status.value: status.phrase for status in HTTPStatus}
_SERVER = "contract-kit-fake"
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


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


_date: tuple[int, str] = (0, "")


def _http_date() -> str:
    """The Date header's value, formatted once a second rather than once an answer."""
    global _date  # noqa: PLW0603 - a one-entry cache; a race only formats the second twice
    now = int(time.time())
    if _date[0] != now:
        _date = (now, formatdate(now, usegmt=True))
    return _date[1]


class RequestHandler(StreamRequestHandler):
    """Serves one connection of a :class:`Serving` server, request after request."""

    timeout = 60  # an idle connection closes after a minute, so threads do not pile up
    disable_nagle_algorithm = True  # the answer is one write: send it at once
    _method = ""  # of the request being served, for the log line ("" until read)
    _path = ""

    @property
    def _serving(self) -> Serving:
        return cast("Serving", self.server)

    def handle(self) -> None:
        """Serve requests until the client closes, a request ends the connection, or it idles."""
        while self._serve_one():
            pass

    def _serve_one(self) -> bool:
        """Read one request and answer it; whether the connection serves another."""
        self._method = self._path = ""
        try:
            return self._exchange()
        except OSError:  # timed out, reset, or closed under our feet
            return False
        except Exception as error:  # noqa: BLE001 - any bug of ours: a 500, logged once
            self._send(self._failure(error), close=True)
            return False

    def _exchange(self) -> bool:
        try:
            head = read_head(self.rfile)
        except HeadError as refused:
            self._method, self._path = refused.method, refused.path
            self._send(problem(refused.status, refused.detail), close=True)
            return False
        if head is None:
            return False
        self._method, self._path = head.method, head.path
        try:
            body = self._body(head)
        except _Refused as refused:
            self._send(refused.response, close=True)
            return False
        if body is None:  # the client went away in the middle of its body
            return False
        request = FakeRequest(head.method, self._url(head.path), head.headers, body)
        fake = self._serving.fake
        noted = getattr(fake, "handle_noted", None)
        note = ""
        try:
            if noted is None:
                answer = fake.handle(request)
            else:  # serve's front: the log line names the operation and the rules broken
                answer, note = noted(request)
        except FakeConnectionError:
            self._serving.log(f"{self._logged_request()} dropped (a fault the test injected)")
            return False
        except Exception as error:  # noqa: BLE001 - any bug of ours: a 500, logged once
            answer, note = self._failure(error), ""
        self._send(answer, note=note)
        return head.keep_alive

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

    def _body(self, head: RequestHead) -> bytes | None:
        """The request's body, read only once its length is known to be within the limit."""
        encoding = head.values("transfer-encoding")
        lengths = head.values("content-length")
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
            self._continue(head)
            return self._chunked()
        length = _content_length(lengths)
        if length == 0:
            return b""
        self._continue(head)
        body = self.rfile.read(length)
        return body if len(body) == length else None

    def _continue(self, head: RequestHead) -> None:
        """Invite the body only now that it is known to be within the limit."""
        expect = head.values("expect")
        if expect and expect[0].lower() == "100-continue":
            self.request.sendall(_CONTINUE)

    def _chunked(self) -> bytes | None:
        """A chunked body (RFC 9112 7.1), refused once it outgrows the limit."""
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(MAX_LINE + 1)
            if not line:
                return None
            size_text = line.split(b";", 1)[0].strip().decode("latin-1")
            if not _HEX.fullmatch(size_text):
                shown = _printable(size_text[:40])
                raise _Refused(problem(400, f"chunk size {shown!r} is not hexadecimal"))
            digits = size_text.lstrip("0") or "0"
            # More than 8 hex digits is over the limit whatever they say: no huge int.
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
        while self.rfile.readline(MAX_LINE + 1) not in {b"\r\n", b"\n", b""}:
            pass  # trailer fields: nothing the fake reads
        return b"".join(chunks)

    def _url(self, target: str) -> str:
        if target.startswith(("http://", "https://")):  # absolute-form, as proxies send it
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        if not (target.isascii() and target.isprintable()):  # else quoting changes nothing
            target = quote(target.encode("latin-1"), safe=_SAFE)
        return self._serving.fake.base_url + target

    def _send(self, answer: FakeResponse, *, close: bool = False, note: str = "") -> None:
        """Log the answer, then send it in one write: status line, header section, body."""
        status = answer.status
        lines = [
            f"HTTP/1.1 {status} {_PHRASES.get(status, '')}",
            f"Server: {_SERVER}",
            f"Date: {_http_date()}",
        ]
        lines += [
            f"{name}: {value}"
            for name, value in answer.headers
            if name.lower() not in _FRAMING_HEADERS
        ]
        if status not in _BODILESS:
            lines.append(f"Content-Length: {len(answer.body)}")
        if close:
            lines.append("Connection: close")
        lines += ["", ""]
        data = "\r\n".join(lines).encode("latin-1")
        shown = f" {_printable(note)}" if note else ""
        self._serving.log(f"{self._logged_request()} {status}{shown}")
        if self._method != "HEAD" and status not in _BODILESS:
            data += answer.body
        self.request.sendall(data)

    def _logged_request(self) -> str:
        # No method yet when the request line was refused; the query may hold credentials.
        path = (self._path or "-").split("?", 1)[0]
        return _printable(f"{self._method or '-'} {path}")


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
