"""The PQL subset: every documented form true, false and unknown; the rest refused by name."""

from __future__ import annotations

from typing import Any

import pytest
from draw_budgets import quick_and_long
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_kit.decisioning.errors import SUBSET, UnsupportedPQLError
from contract_kit.decisioning.pql import compile_rule

# Each documented rule (spec B.7.5) with a profile that makes it true, one that makes it
# false, and one that makes it unknown.
DOCUMENTED = [
    ('profile.person.name.firstName.equals("Joe", false)',
     {"person": {"name": {"firstName": "JOE"}}}, {"person": {"name": {"firstName": "Ann"}}}, {}),
    ('homeAddress.countryISO = "CA"',
     {"homeAddress": {"countryISO": "CA"}}, {"homeAddress": {"countryISO": "US"}}, {"homeAddress": {}}),
    ('homeAddress.countryISO != "CA"',
     {"homeAddress": {"countryISO": "US"}}, {"homeAddress": {"countryISO": "CA"}}, {}),
    ("person.birthMonth > 2", {"person": {"birthMonth": 3}}, {"person": {"birthMonth": 2}}, {}),
    ("person.birthMonth >= 3", {"person": {"birthMonth": 3.0}}, {"person": {"birthMonth": 2}}, {"person": {"birthMonth": "3"}}),
    ("person.birthMonth < 2", {"person": {"birthMonth": 1}}, {"person": {"birthMonth": 2}}, {"person": None}),
    ("person.birthMonth <= 2", {"person": {"birthMonth": 2}}, {"person": {"birthMonth": 3}}, {"person": {"birthMonth": None}}),
    ('homeAddress.countryISO = "CA" and person.birthYear = 1985',
     {"homeAddress": {"countryISO": "CA"}, "person": {"birthYear": 1985}},
     {"homeAddress": {"countryISO": "US"}},
     {"homeAddress": {"countryISO": "CA"}}),
    ('homeAddress.countryISO = "CA" or person.birthYear = 1985',
     {"person": {"birthYear": 1985}},
     {"homeAddress": {"countryISO": "US"}, "person": {"birthYear": 1990}},
     {"homeAddress": {"countryISO": "US"}}),
    ('not (homeAddress.countryISO = "CA")', {"homeAddress": {"countryISO": "US"}}, {"homeAddress": {"countryISO": "CA"}}, {}),
    ('!(homeAddress.countryISO = "CA")', {"homeAddress": {"countryISO": "US"}}, {"homeAddress": {"countryISO": "CA"}}, {}),
    ('person.name.startsWith("Joe")', {"person": {"name": "Joey"}}, {"person": {"name": "joey"}}, {"person": {"name": 7}}),
    ('person.emailAddress.endsWith(".com")', {"person": {"emailAddress": "a@b.com"}}, {"person": {"emailAddress": "a@b.org"}}, {}),
    ('person.emailAddress.doesNotEndWith(".com")', {"person": {"emailAddress": "a@b.org"}}, {"person": {"emailAddress": "a@b.com"}}, {}),
    ('person.emailAddress.contains("2010@gm")', {"person": {"emailAddress": "x2010@gmail.com"}}, {"person": {"emailAddress": "x@gmail.com"}}, {}),
    ('person.emailAddress.doesNotContain("2010@gm")', {"person": {"emailAddress": "x@gmail.com"}}, {"person": {"emailAddress": "x2010@gmail.com"}}, {}),
    ('person.name.equals("John")', {"person": {"name": "John"}}, {"person": {"name": "john"}}, {}),
    ('person.name.notEqualTo("John")', {"person": {"name": "Jon"}}, {"person": {"name": "John"}}, {}),
    ('person.name.doesNotStartWith("Jo", false)', {"person": {"name": "Ann"}}, {"person": {"name": "JOHN"}}, {}),
    ("person.birthday >= date(2000, 1, 1)", {"person": {"birthday": "2000-01-01"}},
     {"person": {"birthday": "1999-12-31T18:00:00-05:00"}}, {"person": {"birthday": "yesterday"}}),
    ("person.birthYear in [1991, 1992, 1993]", {"person": {"birthYear": 1992}}, {"person": {"birthYear": 1990}}, {}),
    ("person.vip = true", {"person": {"vip": True}}, {"person": {"vip": False}}, {"person": {"vip": 1}}),
]  # fmt: skip
# Documented rules outside the subset (spec B.7.5), with the construct and column refused.
OUTSIDE = [
    ("person.birthday.getYear() in [1991, 1992, 1993, 1994, 1995]", '"getYear"', 17),
    ('city like "%es%"', '"like"', 6),
    ('person.name.matches("(?i)^John")', '"matches"', 13),
    ('if (homeAddress.countryISO = "CA", 1, 2)', '"if"', 1),
    ("product.saleDate occurs last week", '"occurs"', 18),
    (("select contextData from @{_xdm.context.additionalParameters;version=1} where "
      '!contextData.channel.isNull() AND contextData.channel!="" AND contextData.channel="mobile"'),
     '"select"', 1),
    ('homeAddress.countryISO = "CA" AND person.birthYear = 1985', '"AND"', 31),
    ("person.birthYear + 1 = 1986", 'arithmetic "+"', 18),
    ("person.birthday < now", '"now"', 19),
    ("@{context}.channel = 1", 'context reference "@"', 1),
    ("(Profile) => Profile.a = 1", 'the lambda "=>"', 11),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "true", "false", "unknown"), DOCUMENTED)
def test_documented_rules_are_true_false_and_unknown(
    rule: str, true: dict[str, Any], false: dict[str, Any], unknown: dict[str, Any]
) -> None:
    """Each documented rule in the subset gives all three outcomes on fitting profiles."""
    compiled = compile_rule(rule)
    assert (compiled.evaluate(true), compiled.evaluate(false), compiled.evaluate(unknown)) == (
        True, False, None,
    )  # fmt: skip


@pytest.mark.parametrize(("rule", "construct", "column"), OUTSIDE)
def test_constructs_outside_the_subset_are_refused_by_name(
    rule: str, construct: str, column: int
) -> None:
    """The refusal names the construct and its column, and says what the fake evaluates."""
    with pytest.raises(UnsupportedPQLError) as caught:
        compile_rule(rule)
    assert (caught.value.construct, caught.value.column) == (construct, column)
    assert (
        str(caught.value)
        == f"PQL construct {construct} is not supported (column {column}); {SUBSET}"
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('(a = "x"', 'PQL rule cannot be read: ")" expected, found the end of the rule (column 9)'),
        ("a.b", 'PQL rule cannot be read: a comparison, a function call or "in" expected, found the end of the rule (column 4)'),
        ('a = "x', "PQL rule cannot be read: a string is not closed (column 5)"),
        ("a = date(2021, 2, 29)", "PQL rule cannot be read: date(2021, 2, 29) is not a day of the calendar (column 5)"),
        ("not a = 1", 'PQL rule cannot be read: "(" expected, found "a" (column 5)'),
    ],
)  # fmt: skip
def test_a_malformed_rule_says_where_it_cannot_be_read(rule: str, message: str) -> None:
    """A rule that is not PQL at all gets the place it stops making sense."""
    with pytest.raises(UnsupportedPQLError) as caught:
        compile_rule(rule)
    assert str(caught.value) == f"{message}; {SUBSET}"


def test_the_refusal_names_the_rule_it_was_found_in() -> None:
    """naming() adds the rule's @id to the message."""
    with pytest.raises(UnsupportedPQLError) as caught:
        compile_rule('city like "%es%"')
    named = caught.value.naming("xcore:eligibility-rule:124e0faf5b8ee89b")
    assert str(named) == (
        'PQL construct "like" is not supported (eligibility rule '
        f"xcore:eligibility-rule:124e0faf5b8ee89b, column 6); {SUBSET}"
    )


@pytest.mark.parametrize(
    ("rule", "profile", "why"),
    [
        ("person.birthYear = 1985", {}, "person.birthYear is missing"),
        ("person.birthYear = 1985", {"person": {"birthYear": "1985"}},
         "type mismatch: person.birthYear is a string and 1985 is a number"),
        ("person.birthday > date(2000, 1, 1)", {"person": {"birthday": 5}},
         "type mismatch: person.birthday is a number and date(2000, 1, 1) is a date"),
        ('a = "x" or b.c.startsWith("y")', {"a": "z"}, "b.c is missing"),
    ],
)  # fmt: skip
def test_an_unknown_rule_says_which_attribute_made_it_so(
    rule: str, profile: dict[str, Any], why: str
) -> None:
    """The first missing or mistyped attribute is the reason given."""
    compiled = compile_rule(rule)
    assert compiled.evaluate(profile) is None
    assert compiled.unknown_because(profile) == why


def test_not_of_an_unknown_is_unknown_like_not_equal() -> None:
    """Three-valued logic: without the attribute, neither x != v nor not (x = v) qualifies."""
    assert compile_rule('not (x = "CA")').evaluate({}) is None
    assert compile_rule('x != "CA"').evaluate({}) is None
    assert compile_rule("x.isNull()").evaluate({}) is True
    assert compile_rule("x.isNotNull()").evaluate({"x": None}) is False


_ATOMS = (
    "a = 1",
    "a > 1",
    'b = "x"',
    'b.startsWith("x")',
    "c = true",
    "true",
    "false",
    "d.isNull()",
)
_PROFILES = st.fixed_dictionaries(
    {},
    optional={
        "a": st.one_of(st.integers(-2, 3), st.text(max_size=2), st.none()),
        "b": st.one_of(st.sampled_from(["x", "xy", "y", "X"]), st.integers(0, 1)),
        "c": st.one_of(st.booleans(), st.none()),
        "d": st.just(1),
    },
)
_RULES = st.recursive(
    st.sampled_from(_ATOMS),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"
        ),
        inner.map(lambda r: f"not ({r})"),
    ),
    max_leaves=6,
)


@pytest.mark.parametrize("draws", quick_and_long(100, 1000))
def test_double_negation_keeps_the_truth(draws: int) -> None:
    """Double negation: not (not (r)) is r, unknown included."""

    @settings(max_examples=draws, deadline=None)
    @given(rule=_RULES, profile=_PROFILES)
    def check(rule: str, profile: dict[str, Any]) -> None:
        assert compile_rule(f"not (not ({rule}))").evaluate(profile) == compile_rule(rule).evaluate(
            profile
        )

    check()


@pytest.mark.parametrize("draws", quick_and_long(100, 1000))
def test_de_morgan_holds_in_three_values(draws: int) -> None:
    """De Morgan: not (l and r) is (not l) or (not r), and the dual, on every profile."""

    @settings(max_examples=draws, deadline=None)
    @given(left=_RULES, right=_RULES, profile=_PROFILES)
    def check(left: str, right: str, profile: dict[str, Any]) -> None:

        def value(rule: str) -> bool | None:
            return compile_rule(rule).evaluate(profile)

        assert value(f"not (({left}) and ({right}))") == value(f"(not ({left})) or (not ({right}))")
        assert value(f"not (({left}) or ({right}))") == value(f"(not ({left})) and (not ({right}))")

    check()


@pytest.mark.parametrize("draws", quick_and_long(100, 1000))
def test_and_or_are_commutative_and_kleene(draws: int) -> None:
    """Both are commutative; false absorbs and, true absorbs or, whatever the other side."""

    @settings(max_examples=draws, deadline=None)
    @given(left=_RULES, right=_RULES, profile=_PROFILES)
    def check(left: str, right: str, profile: dict[str, Any]) -> None:

        def value(rule: str) -> bool | None:
            return compile_rule(rule).evaluate(profile)

        assert value(f"({left}) and ({right})") == value(f"({right}) and ({left})")
        assert value(f"({left}) or ({right})") == value(f"({right}) or ({left})")
        assert value(f"({left}) and (false)") is False
        assert value(f"({left}) or (true)") is True

    check()
