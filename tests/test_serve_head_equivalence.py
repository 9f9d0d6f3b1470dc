"""serve's hand-read request heads agree with http.server's reading, and its two readings agree."""

from __future__ import annotations

import io
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

import pytest
from draw_budgets import quick_and_long
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_kit.fake.http_head import HeadError, RequestHead, head_end, parse_head, read_head

if TYPE_CHECKING:
    from collections.abc import Callable

_TOKEN = st.text(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    min_size=1,
    max_size=12,
)
_VISIBLE = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
# A field value as a client sends it: visible characters, blanks only inside.
_VALUES = st.builds(
    lambda first, middle: first + middle.rstrip(" \t"),
    st.text(_VISIBLE, min_size=1, max_size=1),
    st.text(st.one_of(_VISIBLE, st.sampled_from(" \t")), max_size=20),
)
_CONNECTION = st.sampled_from(["close", "keep-alive", "Close", "upgrade"])


@st.composite
def _heads(draw: st.DrawFn) -> bytes:
    method = draw(_TOKEN)
    path = "/" + draw(st.text(_VISIBLE, max_size=30)).lstrip("/")
    version = draw(st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/01.1"]))
    fields = draw(st.lists(st.tuples(_TOKEN, _VALUES), max_size=8))
    if draw(st.booleans()):
        fields.insert(draw(st.integers(0, len(fields))), ("Connection", draw(_CONNECTION)))
    end = draw(st.sampled_from(["\r\n", "\n"]))
    lines = [
        f"{method} {path} {version}",
        *(f"{n}:{draw(st.sampled_from(['', ' ', '  ']))}{v}" for n, v in fields),
    ]
    return (end.join(lines) + end + end).encode("latin-1")


class _Reader(BaseHTTPRequestHandler):
    """http.server's own reading of a request head, without a socket."""

    protocol_version = "HTTP/1.1"

    def __init__(self, data: bytes) -> None:
        stream = io.BytesIO(data)
        self.raw_requestline = stream.readline(65537)
        self.rfile = stream
        self.ok = self.parse_request()


@pytest.mark.parametrize("draws", quick_and_long(100, 1000))
def test_a_drawn_head_reads_as_http_server_reads_it(draws: int) -> None:
    """Method, path, version, fields in order and keep-alive are http.server's, on every draw."""

    @settings(max_examples=draws, deadline=None)
    @given(_heads())
    def check(data: bytes) -> None:
        theirs = _Reader(data)
        ours = read_head(io.BytesIO(data))
        assert theirs.ok
        assert ours is not None
        assert (ours.method, ours.path, ours.version) == (
            theirs.command,
            theirs.path,
            theirs.request_version,
        )
        assert list(ours.headers) == list(theirs.headers.items())
        assert ours.keep_alive is not theirs.close_connection

    check()


_ODD = st.sampled_from([" ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", ":", "é"])
# Header lines of every shape: plain fields, odd blanks, folds, no colon, an empty name.
_LINES = st.one_of(
    st.builds(lambda n, v: f"{n}: {v}", _TOKEN, _VALUES),
    st.builds(lambda n, v: f"{n}:{v}", st.text(st.one_of(_VISIBLE, _ODD), max_size=8), _VALUES),
    st.builds(lambda v, o: f"{o}{v}{o}", _VALUES, _ODD),
    st.builds(lambda n, o, v: f"{n}:{o}{v}{o}", _TOKEN, _ODD, _VALUES),
)


@st.composite
def _cut_heads(draw: st.DrawFn) -> bytes:
    request_line = draw(
        st.sampled_from(["GET / HTTP/1.1", "POST //x HTTP/1.1", "GET /a HTTP/1.0", "GET /", "X"])
    )
    many = draw(st.sampled_from([0, 0, 0, 99, 100, 101]))  # about MAX_HEADERS
    lines = [request_line, *draw(st.lists(_LINES, max_size=6)), *["a: b"] * many]
    end = draw(st.sampled_from(["\r\n", "\n"]))
    return (end.join(lines) + end + end).encode("latin-1")


def _outcome(read: Callable[[], RequestHead | None]) -> object:
    try:
        return read()
    except HeadError as error:
        return (error.status, error.detail, error.method, error.path)


@pytest.mark.parametrize("draws", quick_and_long(150, 1500))
def test_parse_head_reads_a_cut_head_as_read_head_does(draws: int) -> None:
    """The event loop's parse of a complete head (fast or not) is read_head's, refusals too."""

    @settings(max_examples=draws, deadline=None)
    @given(_cut_heads())
    def check(data: bytes) -> None:
        end = head_end(data)
        assert end > 0
        cut = data[:end]
        assert _outcome(lambda: parse_head(cut)) == _outcome(lambda: read_head(io.BytesIO(cut)))

    check()
