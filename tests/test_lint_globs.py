"""Globs: what each form matches, what is refused, and that no pattern makes matching blow up."""

from __future__ import annotations

import fnmatch
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_kit.lint.globs import Glob, GlobError, GlobSet


def _matches(pattern: str, relative: str) -> bool:
    return GlobSet([Glob(pattern)]).matches_entry(relative.rsplit("/", 1)[-1], relative)


@pytest.mark.parametrize(
    ("pattern", "relative", "expected"),
    [
        ("*.json", "offers/a.json", True),  # no /: any component, whatever the folder
        ("*.json", "offers/a.yaml", False),
        ("offers/*.json", "offers/a.json", True),
        ("offers/*.json", "offers/x/a.json", False),  # * stays in a component
        ("offers/**/*.json", "offers/a.json", True),  # **/ may take no component
        ("offers/**/*.json", "offers/x/y/a.json", True),
        ("offers/**/*.json", "other/offers/a.json", False),  # a / anchors at the root
        ("**/fixtures/*.json", "fixtures/a.json", True),
        ("**/fixtures/*.json", "a/b/fixtures/a.json", True),
        ("offers/**", "offers/a.json", True),
        ("offers/**", "offers/a/b.json", True),
        ("offers/**", "offers", False),  # a final ** is what is inside
        ("a/**/b/**/c", "a/b/c", True),
        ("a/**/b/**/c", "a/x/b/y/z/c", True),
        ("a/**/b/**/c", "a/x/c", False),
        ("a/**/**/**/c", "a/c", True),  # a run of ** is one
        ("a/x**/c", "a/xyz/c", True),  # ** inside a component is *
        ("a/x**/c", "a/x/y/c", False),
        ("a/?.json", "a/b.json", True),
        ("a/?.json", "a/bc.json", False),
        ("[!a]*.json", "b.json", True),
        ("[!a]*.json", "a.json", False),
        ("offer-[0-9].json", "offer-7.json", True),
        ("offer-[0-9].json", "offer-x.json", False),
        ("[]]x", "]x", True),  # a ] first in a class is one of its characters
        ("[a-]x", "-x", True),  # a - last in a class is itself
        ("./offers/*.json", "offers/a.json", True),
    ],
)
def test_what_a_glob_matches(pattern: str, relative: str, *, expected: bool) -> None:
    """Each form of pattern matches the paths docs/lint.md says it does."""
    assert _matches(pattern, relative) is expected


@pytest.mark.parametrize(
    ("pattern", "error"),
    [
        ("[z-a]", "glob '[z-a]': the range z-a in [z-a] is backwards (z comes after a); write a-z"),
        (
            "x/[!9-0]*",
            "glob 'x/[!9-0]*': the range 9-0 in [!9-0] is backwards (9 comes after 0); write 0-9",
        ),
        ("offers/[abc", "glob 'offers/[abc': the [ at position 8 is not closed"),
        ("/", "glob '/' matches nothing"),
    ],
)
def test_a_glob_that_cannot_be_read(pattern: str, error: str) -> None:
    """A backwards range, an unclosed [ or an empty pattern is refused with the glob named."""
    with pytest.raises(GlobError) as raised:
        Glob(pattern)
    assert str(raised.value) == error


def test_many_double_stars_match_at_once() -> None:
    """Forty **/ in a row, against a deep path they miss, end at once (were exponential)."""
    deep = "/".join(f"d{number}" for number in range(60)) + "/offer.json"
    assert not GlobSet([Glob("**/" * 40 + "x")]).matches_path(deep)
    assert GlobSet([Glob("**/" * 40 + "offer.json")]).matches_path(deep)


def test_double_stars_between_components_match_at_once() -> None:
    """Thirty **/a/ against sixty a/ that end elsewhere: one greedy pass, no combinations."""
    pattern = "**/a/" * 30 + "b"
    assert not GlobSet([Glob(pattern)]).matches_path("a/" * 60 + "c")
    assert GlobSet([Glob(pattern)]).matches_path("a/" * 60 + "b")


def test_many_stars_in_one_name_match_at_once() -> None:
    """*a repeated thirty times, against a long name of a, ends at once."""
    assert not _matches("*a" * 30 + "b", "a" * 250)
    assert _matches("*a" * 30 + "b", "a" * 250 + "b")


@pytest.mark.parametrize(
    "patterns",
    [(), ("*.json",), ("*.json", "*.yaml"), ("offers/*.json",), ("*.yml", "offers/**/b*")],
)
def test_matching_entries_keeps_what_matches_entry_accepts(patterns: tuple[str, ...]) -> None:
    """A folder's names filtered at once are those matched one by one, in their order."""
    globs = GlobSet(Glob(pattern) for pattern in patterns)
    names = ["a.json", "b.yaml", "b.yml", "c.txt", "bb.json", "offers"]
    for prefix in ("", "offers/", "offers/x/"):
        expected = [name for name in names if globs.matches_entry(name, prefix + name)]
        assert globs.matching_entries(names, prefix) == expected


_PLAIN_GLOBS = st.lists(
    st.builds(
        lambda star, literal: star + literal,
        st.sampled_from(["", "*"]),
        st.text(alphabet=".jsonaml_-x\n]", min_size=1, max_size=6),
    ),
    max_size=4,
)


@settings(max_examples=50, deadline=None)
@given(
    patterns=_PLAIN_GLOBS,
    names=st.lists(st.text(alphabet=".jsonaml_-x\n]", max_size=8), max_size=20),
)
def test_plain_globs_match_as_their_expression(patterns: list[str], names: list[str]) -> None:
    """Globs that are ``*`` and a literal, or a literal, pick what their fnmatch expression does."""
    globs = GlobSet([Glob(pattern) for pattern in patterns])
    expression = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)")
    expected = [name for name in names if expression.match(name)]
    assert globs.matching_entries(names, "") == expected
    assert [name for name in names if globs.matches_entry(name, name)] == expected
