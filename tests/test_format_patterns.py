"""The fast validator's format patterns give the Python format checks' verdicts exactly."""

from __future__ import annotations

import functools
from typing import Any

import jsonschema_rs
import pytest
from draw_budgets import quick_and_long
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_kit.core.formats import FORMAT_PATTERNS, FORMATS
from contract_kit.core.schema_check import pattern_form


@functools.cache
def _pattern_validator(name: str) -> Any:
    return jsonschema_rs.validator_for({"pattern": FORMAT_PATTERNS[name]})


def _same_verdict(name: str, value: str) -> None:
    by_pattern = _pattern_validator(name).is_valid(value)
    by_check = FORMATS[name](value)
    assert by_pattern == by_check, f"{name} {value!r}: pattern {by_pattern}, check {by_check}"


def _digits(low: int, high: int, width: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda number: f"{number:0{width}d}")


_IN_RANGE_OFFSETS = st.one_of(
    st.sampled_from(["Z", "z"]),
    st.tuples(st.sampled_from("+-"), _digits(0, 23, 2), _digits(0, 59, 2)).map(
        lambda parts: f"{parts[0]}{parts[1]}:{parts[2]}"
    ),
)
# The fields of a date-time: values in range (leap years and February often), and values at
# or past an edge. A drawn date-time has at most one field taken from its edges.
_FIELDS: tuple[tuple[st.SearchStrategy[str], tuple[str, ...]], ...] = (
    (
        st.one_of(_digits(1, 9999, 4), st.sampled_from(["0004", "0400", "1900", "2000", "2024"])),
        ("0000", "0001", "9999", "10000", "202"),
    ),
    (st.just("-"), ("", "/", "--")),
    (st.one_of(_digits(1, 12, 2), st.just("02")), ("00", "13", "19", "2")),
    (st.just("-"), ("", "/")),
    (_digits(1, 28, 2), ("00", "29", "30", "31", "32", "3")),
    (st.sampled_from("Tt"), (" ", "_", "", "TT")),
    (_digits(0, 23, 2), ("24", "29", "2")),
    (st.just(":"), ("", ".")),
    (_digits(0, 59, 2), ("60", "99")),
    (st.just(":"), ("", ".")),
    (_digits(0, 59, 2), ("60", "61", "62", "6")),
    (
        st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=12).map(".{}".format)),
        (".", ".x", ",5"),
    ),
    (_IN_RANGE_OFFSETS, ("", "+", "+24:00", "-23:60", "+0000", "+00", " Z", "ZZ")),
    (st.just(""), ("\n", "x", " ", "٣")),
)


@st.composite
def _date_times(draw: st.DrawFn) -> str:
    broken = draw(st.one_of(st.none(), st.integers(0, len(_FIELDS) - 1)))
    return "".join(
        draw(st.sampled_from(edges) if index == broken else in_range)
        for index, (in_range, edges) in enumerate(_FIELDS)
    )


_UUIDS = st.one_of(
    st.text("0123456789abcdefABCDEFgG-", min_size=30, max_size=40),
    st.uuids().map(str).map(lambda text: text.upper()),
    st.uuids().map(str).map(lambda text: text + "\n"),
)
_URI_LIKE = st.lists(
    st.one_of(
        st.sampled_from("abzAZ09-._~!$&'()*+,;=:@/?#[]%"),
        st.sampled_from(' \\"<>{}|^`\n\té'),
        st.sampled_from(["%41", "%fF", "%g0", "%4"]),
    ),
    max_size=20,
).map("".join)
_STRINGS = {
    "date-time": _date_times(),
    "uuid": _UUIDS,
    "uri": st.one_of(_URI_LIKE, st.tuples(_URI_LIKE, _URI_LIKE).map(":".join)),
    "uri-reference": _URI_LIKE,
}


def test_every_format_has_a_pattern() -> None:
    """Each format the bundle may name has a pattern for the fast validator."""
    assert set(FORMAT_PATTERNS) == set(FORMATS)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("date-time", "2016-12-31T23:59:60Z"),
        ("date-time", "2023-10-21T12:00:60+05:30"),
        ("date-time", "2023-10-21t22:28:11z"),
        ("date-time", "2023-10-21T22:28:11.1234567890-23:59"),
        ("date-time", "2023-10-21T22:28:11+24:00"),
        ("date-time", "2023-10-21T22:28:11.Z"),
        ("date-time", "2023-10-21T22:28:11Z\n"),
        ("date-time", "2024-02-29T00:00:00Z"),
        ("date-time", "2023-02-29T00:00:00Z"),
        ("date-time", "1900-02-29T00:00:00Z"),
        ("date-time", "2000-02-29T00:00:00Z"),
        ("date-time", "0400-02-29T00:00:00Z"),
        ("date-time", "0004-02-29T00:00:00Z"),
        ("date-time", "0000-02-29T00:00:00Z"),
        ("date-time", "0000-01-01T00:00:00Z"),
        ("date-time", "0001-01-01T00:00:00Z"),
        ("date-time", "9999-12-31T23:59:59Z"),
        ("date-time", "2023-04-31T00:00:00Z"),
        ("date-time", "2023-12-31T00:00:00Z"),
        ("date-time", "２０２３-10-21T23:00:00Z"),  # noqa: RUF001 - non-ASCII digits on purpose
        ("uuid", "b3966680-13ec-11eb-9c20-8323709cfc65"),
        ("uuid", "B3966680-13EC-11EB-9C20-8323709CFC65"),
        ("uuid", "b396668013ec11eb9c208323709cfc65"),
        ("uuid", "{b3966680-13ec-11eb-9c20-8323709cfc65}"),
        ("uuid", "b3966680-13ec-11eb-9c20-8323709cfc65\n"),
        ("uri", "https://example.com/a.png"),
        ("uri", "x:"),
        ("uri", "a.png"),
        ("uri", "http://a#b#c"),
        ("uri", "https://é.com"),
        ("uri", "https://a/%zz"),
        ("uri-reference", ""),
        ("uri-reference", "#frag"),
        ("uri-reference", "a\\b"),
        ("uri-reference", "a b"),
        ("uri-reference", "a\n"),
    ],
)
def test_edge_cases_get_the_checks_verdict(name: str, value: str) -> None:
    """Leap seconds and days, lowercase t and z, offsets, case and final newlines agree."""
    _same_verdict(name, value)


@pytest.mark.parametrize("draws", quick_and_long(100, 1000))
@pytest.mark.parametrize("name", sorted(_STRINGS))
def test_drawn_strings_get_the_checks_verdict(name: str, draws: int) -> None:
    """Strings drawn near each format, and any text, get the same verdict from both."""

    @settings(max_examples=draws, deadline=None)
    @given(value=st.one_of(_STRINGS[name], st.text(max_size=30)))
    def check(value: str) -> None:
        _same_verdict(name, value)

    check()


def test_pattern_form_replaces_formats_in_keyword_positions_only() -> None:
    """A format becomes its pattern or joins one by allOf; a member named format is kept."""
    schema = {
        "properties": {
            "format": {"type": "string", "format": "uuid"},
            "at": {"pattern": "^2", "format": "date-time", "allOf": [{"minLength": 1}]},
        },
    }
    assert pattern_form(schema) == {
        "properties": {
            "format": {"type": "string", "pattern": FORMAT_PATTERNS["uuid"]},
            "at": {
                "pattern": "^2",
                "allOf": [{"minLength": 1}, {"pattern": FORMAT_PATTERNS["date-time"]}],
            },
        },
    }
    assert schema["properties"]["format"] == {"type": "string", "format": "uuid"}
