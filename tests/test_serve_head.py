"""serve's request heads: read and refused by hand, with http.server's limits and texts."""

from __future__ import annotations

import io

import pytest

from contract_kit.fake.http_head import (
    MAX_HEADERS,
    MAX_LINE,
    HeadError,
    RequestHead,
    head_end,
    head_refusal,
    parse_head,
    read_head,
)


def _head(data: bytes) -> RequestHead | None:
    return read_head(io.BytesIO(data))


def _refusal(data: bytes) -> tuple[int, str, str, str]:
    with pytest.raises(HeadError) as caught:
        _head(data)
    error = caught.value
    return error.status, error.detail, error.method, error.path


def test_a_head_keeps_the_names_as_sent_and_strips_the_values() -> None:
    """Header names keep their case and order; values lose the blanks around them."""
    head = _head(b"POST /data/x?a=1 HTTP/1.1\r\nHost: fake\r\nX-Two:  a b \r\nx-two:c\r\n\r\nBODY")
    assert head == RequestHead(
        "POST",
        "/data/x?a=1",
        "HTTP/1.1",
        (("Host", "fake"), ("X-Two", "a b"), ("x-two", "c")),
        keep_alive=True,
    )
    assert head.values("x-two") == ["a b", "c"]


def test_the_body_after_the_head_is_left_unread() -> None:
    """read_head stops at the blank line, so the body is read by its framing."""
    stream = io.BytesIO(b"POST / HTTP/1.1\nContent-Length: 4\n\nBODY")
    assert read_head(stream) is not None
    assert stream.read() == b"BODY"


def test_a_closed_connection_has_no_head() -> None:
    """Nothing to read means the client closed: None, not a refusal."""
    assert _head(b"") is None


@pytest.mark.parametrize(
    ("data", "keep_alive"),
    [
        (b"GET / HTTP/1.1\r\n\r\n", True),
        (b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", False),
        (b"GET / HTTP/1.1\r\nConnection: Close\r\nConnection: keep-alive\r\n\r\n", False),
        (b"GET / HTTP/1.0\r\n\r\n", False),
        (b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", True),
        (b"GET /\r\n\r\n", False),
    ],
)
def test_keep_alive_follows_the_version_then_the_first_connection_header(
    data: bytes, *, keep_alive: bool
) -> None:
    """HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 and 0.9 close unless asked."""
    head = _head(data)
    assert head is not None
    assert head.keep_alive is keep_alive


def test_a_folded_header_line_continues_the_field_before_it() -> None:
    """An obs-fold line (RFC 9112 5.2) joins its field with one space."""
    head = _head(b"GET / HTTP/1.1\r\nX-Long: one\r\n\t two\r\n\r\n")
    assert head is not None
    assert head.headers == (("X-Long", "one two"),)


def test_a_path_starting_with_two_slashes_is_reduced_to_one() -> None:
    """A target "//host/x" stays a path on this server, as http.server reads it."""
    head = _head(b"GET //evil.example/x HTTP/1.1\r\n\r\n")
    assert head is not None
    assert head.path == "/evil.example/x"


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        (b"NOT AN HTTP REQUEST LINE\r\n", (400, "Bad request version ('LINE')", "", "")),
        (b"GET / HTTP/1.x\r\n", (400, "Bad request version ('HTTP/1.x')", "", "")),
        (b"GET / HTTP/2.0\r\n", (505, "Invalid HTTP version (2.0)", "", "")),
        (b"GET\r\n", (400, "Bad request syntax ('GET')", "", "")),
        (b"POST /\r\n", (400, "Bad HTTP/0.9 request type ('POST')", "", "")),
        (b"G" * (MAX_LINE + 1), (414, "URI is too long", "", "")),
        (
            b"GET /a HTTP/1.1\r\nX: " + b"v" * MAX_LINE + b"\r\n\r\n",
            (431, "got more than 65536 bytes when reading header line", "GET", "/a"),
        ),
        (
            b"GET /a HTTP/1.1\r\n" + b"X: v\r\n" * (MAX_HEADERS + 1) + b"\r\n",
            (431, "got more than 100 headers", "GET", "/a"),
        ),
        (
            b"GET /a HTTP/1.1\r\nno colon here\r\n\r\n",
            (400, "header line 'no colon here' is not 'name: value'", "GET", "/a"),
        ),
        (
            b"GET /a HTTP/1.1\r\nHost : x\r\n\r\n",
            (400, "header line 'Host : x' is not 'name: value'", "GET", "/a"),
        ),
        (
            b"GET /a HTTP/1.1\r\n: x\r\n\r\n",
            (400, "header line ': x' is not 'name: value'", "GET", "/a"),
        ),
    ],
    ids=[
        "no-version",
        "bad-version",
        "http-2",
        "one-word",
        "http-0.9-post",
        "line-too-long",
        "header-too-long",
        "too-many-headers",
        "no-colon",
        "space-before-colon",
        "no-name",
    ],
)
def test_a_head_that_cannot_be_read_is_refused_with_its_status_and_detail(
    data: bytes, refusal: tuple[int, str, str, str]
) -> None:
    """Each refusal carries the status, the detail, and what was read of the request line."""
    assert _refusal(data) == refusal


@pytest.mark.parametrize(
    ("data", "end"),
    [
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY", 27),
        (b"GET / HTTP/1.1\nHost: x\n\nBODY", 24),
        (b"GET / HTTP/1.1\r\n\r\n", 18),
        (b"GET / HTTP/1.1\nA: b\r\n\nrest", 22),
        (b"GET / HTTP/1.1\r\nHost: x\r\n", -1),
        (b"GET / HTTP/1.1", -1),
        (b"", -1),
    ],
    ids=["crlf", "lf", "no-fields", "mixed", "no-blank-line", "no-line-end", "empty"],
)
def test_head_end_finds_the_blank_line_as_readline_splits_lines(data: bytes, end: int) -> None:
    """The head ends after the first empty line (CRLF or LF) after the request line."""
    assert head_end(data) == end
    if end > 0:
        assert read_head(io.BytesIO(data)) == parse_head(data[:end])


@pytest.mark.parametrize(
    ("data", "status", "detail"),
    [
        (b"NOT AN HTTP REQUEST LINE\r\nHost: x\r\n", 400, "Bad request version ('LINE')"),
        (b"GET / HTTP/1.1\r\nHost x\r\n", 400, "header line 'Host x' is not 'name: value'"),
        (b"GET /" + b"a" * MAX_LINE, 414, "URI is too long"),
        (b"GET / HTTP/1.1\r\n" + b"a: b\r\n" * (MAX_HEADERS + 1), 431, "got more than 100 headers"),
    ],
    ids=["request-line", "header-line", "line-too-long", "too-many-headers"],
)
def test_an_incomplete_head_is_refused_as_soon_as_a_line_is(
    data: bytes, status: int, detail: str
) -> None:
    """A client need not finish a head that is refused already: the same answer, at once."""
    refused = head_refusal(data)
    assert refused is not None
    assert (refused.status, refused.detail) == (status, detail)


def test_an_incomplete_head_within_the_limits_waits() -> None:
    """Good lines so far, or a line still short of the limit: no answer yet."""
    assert head_refusal(b"GET / HTTP/1.1\r\nHost: x\r\nAcc") is None
    assert head_refusal(b"GET /" + b"a" * (MAX_LINE - 10)) is None
