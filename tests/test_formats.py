"""The format checks: real calendar and clock checks, no silent passes."""

from __future__ import annotations

import datetime as dt

import pytest

from contract_kit.core.formats import FORMATS, parse_date_time


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2023-10-21T22:28:11.111732Z", True),
        ("2019-06-05T03:44:25.343Z", True),
        ("2024-02-29T00:00:00+01:00", True),
        ("2016-12-31t23:59:60z", True),
        ("2023-10-21T22:28:11.1234567890-05:30", True),
        ("2023-02-29T00:00:00Z", False),
        ("2023-13-01T00:00:00Z", False),
        ("2023-10-21T24:00:00Z", False),
        ("2023-10-21T23:60:00Z", False),
        ("2023-10-21T23:00:61Z", False),
        ("2023-10-21T23:00:00+24:00", False),
        ("2023-10-21T23:00:00", False),
        ("2023-10-21 23:00:00Z", False),
        ("2023-10-21T23:00:00Z\n", False),
        ("２０２３-10-21T23:00:00Z", False),  # noqa: RUF001 - non-ASCII digits on purpose
    ],
)
def test_date_time(value: str, valid: bool) -> None:
    """RFC 3339 date-times, with the date and clock really checked."""
    assert FORMATS["date-time"](value) is valid


def test_date_time_reads_offsets_and_fractions() -> None:
    """Parsed values are aware and comparable across offsets."""
    assert parse_date_time("2023-10-21T22:28:11.1234567-02:00") == dt.datetime(
        2023, 10, 22, 0, 28, 11, 123456, dt.UTC
    )


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        ("2023-10-21T22:28:11Z", dt.timedelta(0)),
        ("2023-10-21T22:28:11-00:00", dt.timedelta(0)),
        ("2023-10-21T22:28:11+05:30", dt.timedelta(hours=5, minutes=30)),
        ("2023-10-21T22:28:11-09:45", -dt.timedelta(hours=9, minutes=45)),
        ("2023-10-21T22:28:11.5+23:59", dt.timedelta(hours=23, minutes=59)),
    ],
)
def test_date_time_keeps_its_offset(value: str, offset: dt.timedelta) -> None:
    """The parsed value carries the offset written, its sign included."""
    parsed = parse_date_time(value)
    assert parsed is not None
    assert parsed.utcoffset() == offset


def test_a_leap_second_reads_as_second_59() -> None:
    """Second 60, which RFC 3339 allows, is read as the second before it."""
    assert parse_date_time("2016-12-31T23:59:60.5Z") == dt.datetime(
        2016, 12, 31, 23, 59, 59, 500000, dt.UTC
    )


@pytest.mark.parametrize(
    ("name", "value", "valid"),
    [
        ("uuid", "b3966680-13ec-11eb-9c20-8323709cfc65", True),
        ("uuid", "B3966680-13EC-11EB-9C20-8323709CFC65", True),
        ("uuid", "b396668013ec11eb9c208323709cfc65", False),
        ("uuid", "{b3966680-13ec-11eb-9c20-8323709cfc65}", False),
        ("uri", "https://example.com/a%20b?c=d#e", True),
        ("uri", "xcore:offer-placement:124e0be5699743d3", True),
        ("uri", "/relative/path", False),
        ("uri", "https://example.com/a b", False),
        ("uri", "https://example.com/%zz", False),
        ("uri-reference", "/placeholder/type/uri", True),
        ("uri-reference", "has space", False),
    ],
)
def test_string_formats(name: str, value: str, valid: bool) -> None:
    """uuid, uri and uri-reference, at the level of characters RFC 3986 allows."""
    assert FORMATS[name](value) is valid


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_formats_ignore_other_types(name: str) -> None:
    """A format says nothing of non-strings; the type keyword does."""
    assert FORMATS[name](42) is True
