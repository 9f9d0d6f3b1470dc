"""The media-type parser: RFC 9110 syntax, quoting and escapes, and where parsing stops."""

from __future__ import annotations

import pytest

from contract_kit.core.media_types import MediaType, MediaTypeError, parse_accept, parse_media_type


def test_parameters_keep_order_and_lose_quotes() -> None:
    """Names are lower-cased, values unquoted and unescaped, in the order written."""
    parsed = parse_media_type('Text/HTML ;Charset="utf\\"8";  level=1;;')
    assert parsed == MediaType("text", "html", (("charset", 'utf"8'), ("level", "1")))
    assert parsed.essence == "text/html"
    assert parsed.param("charset") == 'utf"8'
    assert parsed.param("missing") is None


def test_a_quoted_value_may_hold_separators() -> None:
    """Semicolons, commas and spaces inside quotes belong to the value."""
    parsed = parse_accept('a/b; schema="x;version=1, y", c/d')
    assert [p.essence for p in parsed] == ["a/b", "c/d"]
    assert parsed[0].values("schema") == ["x;version=1, y"]


def test_accept_skips_empty_elements_and_reads_a_bare_star() -> None:
    """Empty elements are skipped; a bare star is */*, as the Adobe docs write it."""
    assert parse_accept(" , ,*") == [MediaType("*", "*")]
    assert parse_accept("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'expected a media type at character 1 of ""'),
        ("text", 'expected "/" at character 5 of "text"'),
        ("text/", 'expected a subtype at character 6 of "text/"'),
        ("text/html charset=x", 'expected ";" at character 11 of "text/html charset=x"'),
        ("text/html; =x", 'expected a parameter name at character 12 of "text/html; =x"'),
        ('text/html; a="x', 'unterminated quoted string at character 16 of "text/html; a=\\"x"'),
        (
            'text/html; a="x\\',
            'unterminated quoted string at character 17 of "text/html; a=\\"x\\\\"',
        ),
        ("text/html, a/b", 'expected ";" at character 10 of "text/html, a/b"'),
    ],
)
def test_malformed_media_types_say_where(text: str, message: str) -> None:
    """A malformed value raises MediaTypeError naming the character where parsing stopped."""
    with pytest.raises(MediaTypeError) as caught:
        parse_media_type(text)
    assert str(caught.value) == message
