"""The head of an HTTP/1.1 request (request line and header section), read and parsed by hand.

``http.server`` parses each header section with the e-mail parser, which costs more than the
fake takes to check a create; this reads the lines with the buffered reader's ``readline``
(C code) and splits them itself, keeping the standard library's limits and refusal texts
(65,536 bytes a line, 100 header lines) so a client sees the same answers as before.

serve's event loop holds what a connection sent in a buffer: :func:`head_end` finds where a
complete head ends in it, :func:`head_refusal` refuses an incomplete one that is over a
limit already, and :func:`parse_head` reads a complete one, line by line as :func:`read_head`.
"""

from __future__ import annotations

import io
import re
from http import HTTPStatus
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from io import BufferedIOBase

__all__ = [
    "MAX_HEADERS",
    "MAX_LINE",
    "HeadError",
    "RequestHead",
    "head_end",
    "head_refusal",
    "parse_head",
    "read_head",
]

#: The longest request line or header line read, as ``http.server`` allows.
MAX_LINE = 65536
#: The most header lines a request may carry, as ``http.client`` allows.
MAX_HEADERS = 100
_ENDS = frozenset({b"\r\n", b"\n", b""})


class HeadError(Exception):
    """A request head that cannot be read: answer ``status`` with ``detail``, then close.

    ``method`` and ``path`` are what was read of the request line before it failed ("" if
    nothing), for the log line.
    """

    def __init__(self, status: int, detail: str, method: str = "", path: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.method = method
        self.path = path


class RequestHead(NamedTuple):
    """A request line and its header fields, names as sent, values without surrounding blanks.

    A named tuple: one is made for every request, and a tuple is made faster than a frozen
    dataclass.
    """

    method: str
    path: str
    version: str
    headers: tuple[tuple[str, str], ...]
    #: Whether the connection may serve another request after this one.
    keep_alive: bool

    def values(self, name: str) -> list[str]:
        """Every value of header ``name`` (lower case), in the order sent."""
        return [value for key, value in self.headers if key.lower() == name]


def head_end(buffer: bytes | bytearray) -> int:
    """Where the first complete head in ``buffer`` ends (after its blank line); -1: not yet.

    Lines end at LF (a CR before it is part of the line), as ``readline`` splits them; the
    head ends at the first empty line (CRLF or LF alone) after the request line.
    """
    first = buffer.find(b"\n")
    if first < 0:
        return -1
    crlf = buffer.find(b"\n\r\n", first)
    lf = buffer.find(b"\n\n", first, len(buffer) if crlf < 0 else crlf + 1)
    if lf >= 0:
        return lf + 2
    return crlf + 3 if crlf >= 0 else -1


def head_refusal(buffer: bytes | bytearray) -> HeadError | None:
    """Why an incomplete head in ``buffer`` is refused already, or None to wait for more.

    The lines sent so far get the answer :func:`read_head` gives them as they arrive (a bad
    request line or header line, a line over :data:`MAX_LINE`, too many header lines), so a
    client need not send the rest of a head that is refused anyway.
    """
    complete = buffer.rfind(b"\n") + 1
    sent = buffer if len(buffer) - complete > MAX_LINE else buffer[:complete]
    try:
        read_head(io.BytesIO(bytes(sent)))
    except HeadError as refused:
        return refused
    return None


# A header section of plain fields only (a token, a colon, the value): what clients send.
_NAME = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_PLAIN_FIELDS = re.compile(rf"(?:{_NAME}:[^\n]*\n)*")
_FIELD = re.compile(rf"({_NAME}):([^\n]*)\n")


def parse_head(data: bytes) -> RequestHead:
    """The head in ``data``, a complete one as :func:`head_end` cuts it from the buffer.

    Reads it as :func:`read_head` does, and raises :class:`HeadError` as it does; a head of
    plain fields (each a token, a colon and a value, within the limits) is split by two
    regular expressions rather than line by line, the rest by :func:`read_head` itself.
    """
    text = data.decode("latin-1")
    first = text.find("\n") + 1
    block = text[first : len(text) - (2 if text.endswith("\r\n") else 1)]
    if first and len(data) <= MAX_LINE and _PLAIN_FIELDS.fullmatch(block):
        headers = tuple([(name, value.strip()) for name, value in _FIELD.findall(block)])
        if len(headers) <= MAX_HEADERS:
            line = text[:first].rstrip("\r\n")
            method, path, version, keep_alive = _request_line(line)
            return RequestHead(method, path, version, headers, _keep_alive(headers, keep_alive))
    head = read_head(io.BytesIO(data))
    if head is None:  # no request line at all
        raise HeadError(400, "Bad request syntax ('')")
    return head


def read_head(rfile: BufferedIOBase) -> RequestHead | None:
    """The next request's head from ``rfile``; None when the client closed the connection.

    Raises :class:`HeadError` for a request line or header section that cannot be read.
    """
    raw = rfile.readline(MAX_LINE + 1)
    if not raw:
        return None
    if len(raw) > MAX_LINE:
        raise HeadError(414, HTTPStatus.REQUEST_URI_TOO_LONG.description)
    method, path, version, keep_alive = _request_line(raw.decode("latin-1").rstrip("\r\n"))
    headers = _header_lines(rfile, method, path)
    return RequestHead(method, path, version, headers, _keep_alive(headers, keep_alive))


def _keep_alive(headers: tuple[tuple[str, str], ...], default: bool) -> bool:  # noqa: FBT001
    """Whether the connection goes on: as the first Connection header says, else ``default``."""
    for name, value in headers:
        if name.lower() == "connection":
            given = value.lower()
            if given == "close":
                return False
            if given == "keep-alive":
                return True
            break  # as http.server: the first Connection header decides
    return default


def _request_line(line: str) -> tuple[str, str, str, bool]:
    """Method, path, version and keep-alive of a request line, refused as http.server does."""
    words = line.split()
    if len(words) == 3 and words[2] == "HTTP/1.1" and words[1][:2] != "//":  # the usual line
        return words[0], words[1], "HTTP/1.1", True
    keep_alive = False
    version = "HTTP/0.9"
    if len(words) >= 3:  # method, target, version
        version = words[-1]
        numbers = version[5:].split(".") if version.startswith("HTTP/") else []
        # major.minor, each digits, as RFC 2145 reads them (leading zeros ignored)
        if len(numbers) != 2 or not all(n.isdigit() and len(n) <= 10 for n in numbers):
            raise HeadError(400, f"Bad request version ({version!r})")
        major, minor = int(numbers[0]), int(numbers[1])
        if major >= 2:  # HTTP/2 and later speak another framing
            raise HeadError(505, f"Invalid HTTP version ({version[5:]})")
        keep_alive = (major, minor) >= (1, 1)
    if not 2 <= len(words) <= 3:  # method and target, then the version
        raise HeadError(400, f"Bad request syntax ({line!r})")
    method, path = words[:2]
    if len(words) == 2:  # an HTTP/0.9 request line
        keep_alive = False
        if method != "GET":
            raise HeadError(400, f"Bad HTTP/0.9 request type ({method!r})")
    if path.startswith("//"):
        # "//host/x" is a URL without a scheme to many clients: keep it a path (gh-87389).
        path = "/" + path.lstrip("/")
    return method, path, version, keep_alive


def _header_lines(rfile: BufferedIOBase, method: str, path: str) -> tuple[tuple[str, str], ...]:
    """The header fields up to the blank line; a folded line continues the field before it."""
    fields: list[tuple[str, str]] = []
    count = 0
    while True:
        raw = rfile.readline(MAX_LINE + 1)
        if len(raw) > MAX_LINE:
            raise HeadError(431, "got more than 65536 bytes when reading header line", method, path)
        if raw in _ENDS:
            return tuple(fields)
        count += 1
        if count > MAX_HEADERS:
            raise HeadError(431, f"got more than {MAX_HEADERS} headers", method, path)
        line = raw.decode("latin-1")
        if line[0] in " \t" and fields:  # obs-fold (RFC 9112 5.2): one space instead
            name, value = fields[-1]
            fields[-1] = (name, f"{value} {line.strip()}".strip())
            continue
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip() or " " in name or "\t" in name:
            shown = line.rstrip("\r\n")[:40]
            raise HeadError(400, f"header line {shown!r} is not 'name: value'", method, path)
        fields.append((name, value.strip()))
