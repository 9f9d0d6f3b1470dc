"""Parse media types and Accept lists as RFC 9110 writes them, so checks compare meanings.

Clients differ in spacing, parameter order, quoting and case; the docs themselves put two
spaces after ``version=1;``. Comparing header strings would reject valid requests, so the
header rules compare parsed media types instead.

Adobe's Postman collection writes parameter values in single quotes, which RFC 9110 does not
know; ``single_quotes=True`` reads ``'…'`` as a quoted-string, so a caller can try the strict
reading first and fall back to this one (the service takes such values).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["MediaType", "MediaTypeError", "parse_accept", "parse_media_type"]

_TCHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OWS = " \t"


class MediaTypeError(ValueError):
    """A header value that is not a media type; the message says where parsing stopped."""


@dataclass(frozen=True, slots=True)
class MediaType:
    """A parsed media type: type and subtype lower-cased, parameters in the order written.

    Parameter names are lower-cased (they are case-insensitive); values keep their case,
    with quotes and backslash escapes removed.
    """

    type: str
    subtype: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def essence(self) -> str:
        """``type/subtype`` without parameters."""
        return f"{self.type}/{self.subtype}"

    def values(self, name: str) -> list[str]:
        """Every value given for parameter ``name`` (more than one is a client bug)."""
        return [value for key, value in self.params if key == name]

    def param(self, name: str) -> str | None:
        """The first value of parameter ``name``, or None."""
        found = self.values(name)
        return found[0] if found else None


class _Reader:
    def __init__(self, text: str, *, single_quotes: bool = False) -> None:
        self.text = text
        self.at = 0
        self.quotes = "\"'" if single_quotes else '"'

    def done(self) -> bool:
        return self.at >= len(self.text)

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def skip_ows(self) -> None:
        while self.peek() and self.peek() in _OWS:
            self.at += 1

    def fail(self, what: str) -> MediaTypeError:
        shown = json.dumps(self.text, ensure_ascii=False)
        return MediaTypeError(f"{what} at character {self.at + 1} of {shown}")

    def token(self, what: str) -> str:
        start = self.at
        while self.peek() and self.peek() in _TCHARS:
            self.at += 1
        if self.at == start:
            raise self.fail(f"expected {what}")
        return self.text[start : self.at]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.fail(f'expected "{char}"')
        self.at += 1

    def quoted(self) -> str:
        quote = self.peek() if self.peek() and self.peek() in self.quotes else '"'
        self.expect(quote)
        out: list[str] = []
        while True:
            char = self.peek()
            if not char:
                raise self.fail("unterminated quoted string")
            self.at += 1
            if char == quote:
                return "".join(out)
            if char == "\\":
                if not self.peek():
                    raise self.fail("unterminated quoted string")
                char = self.peek()
                self.at += 1
            out.append(char)


def _parse(reader: _Reader, *, in_list: bool) -> MediaType:
    reader.skip_ows()
    kind = reader.token("a media type").lower()
    if kind == "*" and reader.peek() != "/":
        subtype = "*"  # a bare "*" in Accept, as the Adobe docs write it, means */*
    else:
        reader.expect("/")
        subtype = reader.token("a subtype").lower()
    params: list[tuple[str, str]] = []
    while True:
        reader.skip_ows()
        if reader.done() or (in_list and reader.peek() == ","):
            return MediaType(kind, subtype, tuple(params))
        reader.expect(";")
        reader.skip_ows()
        if reader.done() or reader.peek() in ";,":
            continue  # RFC 9110 allows empty parameters: "text/html;;charset=utf-8"
        name = reader.token("a parameter name").lower()
        reader.expect("=")
        quoted = bool(reader.peek()) and reader.peek() in reader.quotes
        value = reader.quoted() if quoted else reader.token(f"a value for {name}")
        params.append((name, value))


def parse_media_type(text: str, *, single_quotes: bool = False) -> MediaType:
    """Parse one media type such as a Content-Type value; raise MediaTypeError if it is not one.

    ``single_quotes`` also reads ``'…'`` as a quoted-string (see the module's docstring).
    """
    reader = _Reader(text, single_quotes=single_quotes)
    media_type = _parse(reader, in_list=False)
    if not reader.done():
        raise reader.fail("unexpected text")
    return media_type


def parse_accept(text: str, *, single_quotes: bool = False) -> list[MediaType]:
    """Parse an Accept value: media ranges separated by commas (empty elements are skipped).

    ``single_quotes`` also reads ``'…'`` as a quoted-string (see the module's docstring).
    """
    reader = _Reader(text, single_quotes=single_quotes)
    ranges: list[MediaType] = []
    while True:
        reader.skip_ows()
        if reader.peek() == ",":
            reader.at += 1
            continue
        if reader.done():
            return ranges
        ranges.append(_parse(reader, in_list=True))
        reader.skip_ows()
        if not reader.done():
            reader.expect(",")
