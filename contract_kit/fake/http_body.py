"""The body of an HTTP/1.1 request, framed by Content-Length or chunked, cut from a buffer.

serve's event loop keeps what a connection sent in a buffer and asks, each time more
arrives, whether the body is complete. The framing is checked from the head alone, before a
byte of the body is read: a Content-Length that is not digits is a 400, a body over the
fake's limit a 413, so nothing waits for 200 MB to arrive only to refuse them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from contract_kit.fake.error_bodies import problem, too_large
from contract_kit.fake.http_head import MAX_LINE
from contract_kit.fake.service import MAX_BODY_BYTES

if TYPE_CHECKING:
    from contract_kit.fake.exchange import FakeResponse
    from contract_kit.fake.http_head import RequestHead

__all__ = ["BROKEN", "CHUNKED", "FramingError", "chunked_body", "framing", "printable"]

#: What :func:`framing` gives for a chunked body.
CHUNKED: Final = -1
#: What :func:`chunked_body` gives for chunked framing that breaks off (no CRLF after data).
BROKEN: Final = (b"", -1)

_DIGITS = re.compile(r"[0-9]+")
_SHORT_DIGITS = re.compile(r"[0-9]{1,8}")  # within the limit's digits: no huge int
_HEX = re.compile(r"[0-9A-Fa-f]+")
_TRAILER_ENDS = (b"\r\n", b"\n")


class FramingError(Exception):
    """The request's framing cannot be read: answer ``response`` and close the connection."""

    def __init__(self, response: FakeResponse) -> None:
        super().__init__(response.status)
        self.response = response


def printable(text: str) -> str:
    """``text`` with control and non-ASCII characters escaped, so a client cannot forge lines."""
    if text.isascii() and text.isprintable():
        return text  # the common case, without a look at each character
    return "".join(c if " " <= c <= "~" else c.encode("unicode_escape").decode() for c in text)


_FRAMING = frozenset({"transfer-encoding", "content-length"})


def framing(head: RequestHead) -> int:
    """The body's length by its head, or :data:`CHUNKED`; raises :class:`FramingError`."""
    encoding: list[str] = []
    lengths: list[str] = []
    for name, value in head.headers:  # one pass: this runs for every request
        lowered = name.lower()
        if lowered in _FRAMING:
            (encoding if lowered == "transfer-encoding" else lengths).append(value)
    if encoding and lengths:
        raise FramingError(
            problem(400, "send Content-Length or Transfer-Encoding, not both (RFC 9112 6.3)")
        )
    if encoding:
        if [e.strip().lower() for e in encoding] != ["chunked"]:
            shown = ", ".join(encoding)
            raise FramingError(
                problem(501, f"Transfer-Encoding {shown!r} is not supported; send chunked")
            )
        return CHUNKED
    if len(lengths) == 1 and _SHORT_DIGITS.fullmatch(lengths[0]):  # the usual header
        length = int(lengths[0])
        if length <= MAX_BODY_BYTES:
            return length
    return _content_length(lengths)


def _content_length(values: list[str]) -> int:
    """The length a request's Content-Length headers give; refusals for anything else."""
    if not values:
        return 0
    given = {part.strip() for value in values for part in value.split(",")}
    if len(given) != 1 or not _DIGITS.fullmatch(shown := next(iter(given))):
        listed = ", ".join(repr(printable(v[:40])) for v in values)
        raise FramingError(problem(400, f"Content-Length {listed} is not a number of bytes"))
    if len(shown.lstrip("0")) > len(str(MAX_BODY_BYTES)) or int(shown) > MAX_BODY_BYTES:
        raise FramingError(too_large(MAX_BODY_BYTES))
    return int(shown)


def _line(buffer: bytes | bytearray, start: int) -> tuple[bytes, int] | None:
    """The line at ``start`` (at most MAX_LINE + 1 bytes, as ``readline`` takes it) and after."""
    end = buffer.find(b"\n", start, start + MAX_LINE + 1)
    if end >= 0:
        return bytes(buffer[start : end + 1]), end + 1
    if len(buffer) - start > MAX_LINE:
        return bytes(buffer[start : start + MAX_LINE + 1]), start + MAX_LINE + 1
    return None


def chunked_body(buffer: bytes | bytearray) -> tuple[bytes, int] | None:
    """A chunked body (RFC 9112 7.1) at the start of ``buffer`` and where it ends.

    None while it is incomplete; :data:`BROKEN` when a chunk's data is not followed by CRLF.
    Raises :class:`FramingError` for a chunk size that is not hexadecimal, or once the sizes
    sent so far outgrow the limit (before their data arrives).
    """
    chunks: list[bytes] = []
    total = at = 0
    while True:
        found = _line(buffer, at)
        if found is None:
            return None
        line, at = found
        size_text = line.split(b";", 1)[0].strip().decode("latin-1")
        if not _HEX.fullmatch(size_text):
            shown = printable(size_text[:40])
            raise FramingError(problem(400, f"chunk size {shown!r} is not hexadecimal"))
        digits = size_text.lstrip("0") or "0"
        # More than 8 hex digits is over the limit whatever they say: no huge int.
        size = int(digits, 16) if len(digits) <= 8 else MAX_BODY_BYTES + 1
        if total + size > MAX_BODY_BYTES:
            raise FramingError(too_large(MAX_BODY_BYTES))
        if size == 0:
            break
        if len(buffer) < at + size + 2:
            return None
        if buffer[at + size : at + size + 2] != b"\r\n":
            return BROKEN
        chunks.append(bytes(buffer[at : at + size]))
        at += size + 2
        total += size
    end = _trailers_end(buffer, at)
    return None if end < 0 else (b"".join(chunks), end)


def _trailers_end(buffer: bytes | bytearray, at: int) -> int:
    """Where the trailer fields at ``at`` end (after their blank line); -1: not yet."""
    while True:  # nothing the fake reads
        found = _line(buffer, at)
        if found is None:
            return -1
        line, at = found
        if line in _TRAILER_ENDS:
            return at
