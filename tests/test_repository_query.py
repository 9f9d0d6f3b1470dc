"""Search and list semantics: property filters, ordering, paging with start, full-text q."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_kit.api.repository_query import (
    Filter,
    Page,
    QueryError,
    order_key,
    parse_filter,
    search,
)

#: No test may depend on machine speed: no deadline, and the one timed health check off.
SPEED_FREE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _item(
    instance_id: str, name: str = "F", created: str = "2020-01-01T00:00:00Z", **instance: Any
) -> dict[str, Any]:
    return {
        "instanceId": instance_id,
        "repo:etag": 1,
        "repo:createdDate": created,
        "_instance": {"xdm:name": name, **instance},
    }


OFFER = {
    "instanceId": "053bc610-f8f9-11ea-ad6e-775ad2c9b1a1",
    "repo:etag": 3,
    "repo:lastModifiedDate": "2020-10-22T07:12:30.923768Z",
    "_instance": {
        "xdm:name": "F1: Web fallback ",
        "xdm:status": "approved",
        "@id": "xcore:fallback-offer:122206064e0d98df",
        "xdm:tags": [],
        "xdm:representations": [
            {"xdm:placement": "xcore:offer-placement:1", "xdm:channel": "web"},
            {"xdm:placement": "xcore:offer-placement:2", "xdm:channel": "email"},
        ],
        "xdm:rank": None,
    },
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("_instance.xdm:status==approved", Filter("_instance.xdm:status", "==", "approved")),
        ("repo:etag!=3", Filter("repo:etag", "!=", "3")),
        ("repo:etag<=3", Filter("repo:etag", "<=", "3")),
        ("repo:etag>=3", Filter("repo:etag", ">=", "3")),
        ("repo:etag<3", Filter("repo:etag", "<", "3")),
        ("repo:etag>3", Filter("repo:etag", ">", "3")),
        ("_instance.xdm:name~f1.*", Filter("_instance.xdm:name", "~", "f1.*")),
        ("a==b==c", Filter("a", "==", "b==c")),
        ("a==", Filter("a", "==", "")),
        ("_instance.xdm:tags", Filter("_instance.xdm:tags")),
    ],
)
def test_parse_filter(text: str, expected: Filter) -> None:
    """A filter is path, operator and value; the longest operator wins; a bare path has none."""
    assert parse_filter(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "_instance.xdm:status=approved",
            'property filter "_instance.xdm:status=approved" has no operator; use ==, !=, <, <=, >, >= or ~ (e.g. "_instance.xdm:status==approved")',
        ),
        (
            "repo:etag!3",
            'property filter "repo:etag!3" has no operator; use ==, !=, <, <=, >, >= or ~ (e.g. "repo:etag!=3")',
        ),
        ("==approved", 'property filter "==approved" names no property before its operator'),
        ("", 'property filter "" names no property before its operator'),
        (
            "_instance..xdm:status==a",
            'property filter "_instance..xdm:status==a" has an empty name in the path "_instance..xdm:status"; separate names with single dots, e.g. "_instance.xdm:status"',
        ),
        (
            "a~(x",
            'property filter "a~(x" has a bad regular expression after ~: missing ), unterminated subpattern at position 0',
        ),
    ],
)
def test_parse_filter_errors(text: str, message: str) -> None:
    """A malformed property filter raises QueryError naming the parameter and saying the fix."""
    with pytest.raises(QueryError) as caught:
        parse_filter(text)
    assert (caught.value.parameter, caught.value.value, str(caught.value)) == (
        "property",
        text,
        message,
    )


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("_instance.xdm:status==approved", True),
        ("_instance.xdm:status==Approved", False),
        ("_instance.xdm:status!=approved", False),
        ("_instance.xdm:status!=draft", True),
        ("_instance.xdm:missing==x", False),
        ("_instance.xdm:missing!=x", False),
        ("_instance.xdm:status", True),
        ("_instance.xdm:tags", True),
        ("_instance.xdm:rank", True),
        ("_instance.xdm:missing", False),
        ("_instance.xdm:rank==null", True),
        ("repo:etag>2", True),
        ("repo:etag<10", True),
        ("repo:etag==3.0", True),
        ("instanceId>053bc610", True),
        ("repo:lastModifiedDate>=2019-02-23T16:30:00.000Z", True),
        ("repo:lastModifiedDate<2020-10-22", False),
        ("_instance.xdm:name~f1: web.*", True),
        ("_instance.xdm:name~f1", False),
        ("_instance.xdm:name~[[f]1: web fallback ", True),
        ("_instance.xdm:representations.xdm:placement==xcore:offer-placement:2", True),
        ("_instance.xdm:representations.xdm:placement==xcore:offer-placement:3", False),
        ("_instance.xdm:representations.xdm:placement!=xcore:offer-placement:2", False),
        ("_instance.xdm:representations.xdm:placement!=xcore:offer-placement:3", True),
        ("_instance.xdm:representations.xdm:components", False),
        ("_instance.xdm:tags==x", False),
        ("_instance.xdm:tags!=x", True),
        ("_instance==x", False),
    ],
)
def test_filter_matches(text: str, matches: bool) -> None:
    """Comparisons follow the documented rules; arrays match when any element does."""
    assert parse_filter(text).matches(OFFER) is matches


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, [("instanceId", False)]),
        ("instanceId", [("instanceId", False)]),
        ("-repo:createdDate", [("repo:createdDate", True)]),
        ("+_instance.xdm:name,-instanceId", [("_instance.xdm:name", False), ("instanceId", True)]),
        (" _instance.xdm:name", [("_instance.xdm:name", False)]),
    ],
)
def test_order_key(text: str | None, expected: list[tuple[str, bool]]) -> None:
    """Orderby is a comma list, "-" for descending; a "+" decoded as a space is ascending too."""
    assert order_key(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            'orderby "" has no field name at position 1; write field names separated by commas, each may start with - or +, e.g. "-repo:createdDate,instanceId"',
        ),
        (
            "a,,b",
            'orderby "a,,b" has no field name at position 2; write field names separated by commas, each may start with - or +, e.g. "-repo:createdDate,instanceId"',
        ),
        (
            "a,-",
            'orderby "a,-" has no field name at position 2; write field names separated by commas, each may start with - or +, e.g. "-repo:createdDate,instanceId"',
        ),
        (
            "_instance.",
            'orderby "_instance." has an empty name in the path "_instance."; separate names with single dots, e.g. "_instance.xdm:status"',
        ),
    ],
)
def test_order_key_errors(text: str, message: str) -> None:
    """An orderby with an empty field name raises QueryError saying how to write it."""
    with pytest.raises(QueryError) as caught:
        order_key(text)
    assert (caught.value.parameter, caught.value.value, str(caught.value)) == (
        "orderby",
        text,
        message,
    )


ITEMS = [
    _item("c", "Gamma", "2020-03-01T00:00:00Z", **{"xdm:status": "approved"}),
    _item("a", "alpha", "2020-01-01T00:00:00Z", **{"xdm:status": "draft"}),
    _item("d", "Delta", "2020-02-01T00:00:00Z"),
    _item("b", "beta", "2020-02-01T00:00:00Z", **{"xdm:status": "approved"}),
]


def _ids(page: Page) -> list[str]:
    return [item["instanceId"] for item in page.items]


@pytest.mark.parametrize(
    ("orderby", "ids"),
    [
        (None, ["a", "b", "c", "d"]),
        ("-instanceId", ["d", "c", "b", "a"]),
        ("repo:createdDate", ["a", "b", "d", "c"]),
        ("-repo:createdDate", ["c", "b", "d", "a"]),
        ("-repo:createdDate,-instanceId", ["c", "d", "b", "a"]),
        ("_instance.xdm:status", ["b", "c", "a", "d"]),
        ("-_instance.xdm:status", ["a", "b", "c", "d"]),
    ],
)
def test_search_orders_and_breaks_ties_by_instance_id(orderby: str | None, ids: list[str]) -> None:
    """Items sort by the orderby fields, then by instanceId; missing values come last."""
    assert _ids(search(ITEMS, orderby=orderby)) == ids


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ((), ["a", "b", "c", "d"]),
        (["_instance.xdm:status==approved"], ["b", "c"]),
        (["_instance.xdm:status==approved", "repo:createdDate<2020-03"], ["b"]),
        (["_instance.xdm:status!=approved"], ["a"]),
        (["_instance.xdm:status"], ["a", "b", "c"]),
        ("_instance.xdm:status==draft", ["a"]),
    ],
)
def test_search_filters_combine_with_and(filters: Any, ids: list[str]) -> None:
    """Every filter must hold; a single string is read as one filter, not as characters."""
    page = search(ITEMS, filters=filters)
    assert (_ids(page), page.total, page.next_start) == (ids, len(ids), None)


@pytest.mark.parametrize(
    ("orderby", "start", "ids"),
    [
        (None, "b", ["c", "d"]),
        (None, "a0", ["b", "c", "d"]),
        ("-instanceId", "c", ["b", "a"]),
        ("repo:createdDate", "2020-02-01T00:00:00Z", ["c"]),
        ("-repo:createdDate", "2020-02-01T00:00:00Z", ["a"]),
        ("_instance.xdm:status", "approved", ["a", "d"]),
        ("-_instance.xdm:status", "draft", ["b", "c", "d"]),
    ],
)
def test_start_keeps_the_items_after_it(orderby: str | None, start: str, ids: list[str]) -> None:
    """Start keeps items whose first sort value is strictly after it; missing values follow all."""
    page = search(ITEMS, orderby=orderby, start=start)
    assert (_ids(page), page.total) == (ids, len(ids))


def test_paging_follows_next_start_to_the_last_page() -> None:
    """Each page says where the next starts; total counts from this page on, as the docs say."""
    first = search(ITEMS, limit=3)
    second = search(ITEMS, limit=3, start=first.next_start)
    assert (_ids(first), first.total, first.count, first.next_start) == (["a", "b", "c"], 4, 3, "c")
    assert (_ids(second), second.total, second.count, second.next_start) == (["d"], 1, 1, None)


def test_a_page_ends_at_limit_inside_a_run_of_equal_sort_values() -> None:
    """The token names the date in epoch ms and the instanceId, so the next page resumes inside."""
    pages = [search(ITEMS, orderby="repo:createdDate", limit=2)]
    while pages[-1].next_start is not None:
        pages.append(search(ITEMS, orderby="repo:createdDate", limit=2, start=pages[-1].next_start))
    assert [_ids(page) for page in pages] == [["a", "b"], ["d", "c"]]
    assert [page.next_start for page in pages] == ["1580515200000,b", None]
    assert pages[0].order == "repo:createdDate,instanceId"


@pytest.mark.parametrize(
    ("q", "qop", "fields", "ids"),
    [
        ("alpha", None, (), ["a"]),
        ("ALPHA", None, (), ["a"]),
        ("alpha beta", None, (), ["a", "b"]),
        ("alpha beta", "OR", (), ["a", "b"]),
        ("alp ha", "AND", (), ["a"]),
        ('"web fallback"', None, (), ["w"]),
        ('"fallback web"', None, (), []),
        ("f1\\: web", "AND", (), ["w"]),
        ("email", None, ["_instance.xdm:name"], []),
        ("email", None, ["_instance.xdm:representations"], ["w"]),
        ("email", None, "_instance.xdm:representations.xdm:channel", ["w"]),
        ("923768", None, (), []),
        ("923768", None, ["repo:lastModifiedDate"], ["w"]),
        ("", None, (), ["a", "b", "q", "w"]),
        ("  ", "AND", (), ["a", "b", "q", "w"]),
        ('\\"quoted\\" \\+\\-\\&\\&\\|\\|\\\\', "AND", (), ["q"]),
    ],
)
def test_full_text_query(q: str, qop: str | None, fields: Any, ids: list[str]) -> None:
    """Terms match string values under the fields (default _instance), ignoring case."""
    items = [
        _item("a", "alpha"),
        _item("b", "beta"),
        {**OFFER, "instanceId": "w"},
        _item("q", 'say "quoted" +-&&||\\'),
    ]
    assert _ids(search(items, q=q, qop=qop, fields=fields)) == ids


@pytest.mark.parametrize(
    ("arguments", "parameter", "message"),
    [
        ({"limit": 0}, "limit", "limit 0 is not a page size; use a whole number of at least 1"),
        ({"qop": "xor"}, "qop", 'qop "xor" is not AND or OR, in any case (absent means OR)'),
        (
            {"q": "xcore:fallback"},
            "q",
            'q "xcore:fallback" has an unescaped : at character 6; write \\: to search for it (search operators are not supported)',
        ),
        (
            {"q": "a||b"},
            "q",
            'q "a||b" has an unescaped || at character 2; write \\|\\| to search for it (search operators are not supported)',
        ),
        (
            {"q": 'say "web'},
            "q",
            'q "say \\"web" has a phrase opened at character 5 that is never closed; end it with "',
        ),
        (
            {"q": "web\\"},
            "q",
            'q "web\\\\" ends with a lone backslash; write \\\\ to search for "\\"',
        ),
        (
            {"fields": ["_instance..xdm:name"]},
            "field",
            'field "_instance..xdm:name" has an empty name in the path "_instance..xdm:name"; separate names with single dots, e.g. "_instance.xdm:status"',
        ),
        (
            {"orderby": ","},
            "orderby",
            'orderby "," has no field name at position 1; write field names separated by commas, each may start with - or +, e.g. "-repo:createdDate,instanceId"',
        ),
        (
            {"filters": ["a=b"]},
            "property",
            'property filter "a=b" has no operator; use ==, !=, <, <=, >, >= or ~ (e.g. "a==b")',
        ),
    ],
)
def test_search_errors(arguments: dict[str, Any], parameter: str, message: str) -> None:
    """A bad query parameter raises QueryError naming the parameter, even over no items."""
    with pytest.raises(QueryError) as caught:
        search([], **arguments)
    assert (caught.value.parameter, str(caught.value)) == (parameter, message)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a~x{99999999999}", "the repetition number is too large"),
        ("a~" + "(" * 2000, "its groups nest too deeply"),
    ],
    ids=["overflow", "recursion"],
)
def test_regular_expressions_python_cannot_compile_are_query_errors(
    text: str, problem: str
) -> None:
    """Patterns that overflow or nest too deeply are refused like any other bad pattern."""
    with pytest.raises(QueryError) as caught:
        parse_filter(text)
    expected = f"property filter {json.dumps(text)} has a bad regular expression after ~: {problem}"
    assert str(caught.value) == expected


_QUERY_TEXT = st.text(alphabet='ab.:_-+=!<>~*()[]{}"\\|& ,0', max_size=8)


@SPEED_FREE
@given(
    filters=st.lists(_QUERY_TEXT, max_size=2),
    arguments=st.fixed_dictionaries(
        {
            "orderby": st.none() | _QUERY_TEXT,
            "start": st.none() | _QUERY_TEXT,
            "q": st.none() | _QUERY_TEXT,
            "qop": st.none() | st.sampled_from(["AND", "OR", "and", ""]),
            "fields": st.lists(_QUERY_TEXT, max_size=2),
        }
    ),
)
def test_any_query_gives_a_page_or_a_query_error(
    filters: list[str], arguments: dict[str, Any]
) -> None:
    """Whatever the query parameters say, search answers with a Page or a QueryError."""
    outcome = _search_or_error(filters, arguments)
    if isinstance(outcome, QueryError):
        label = "property filter" if outcome.parameter == "property" else outcome.parameter
        assert str(outcome).startswith(f"{label} {json.dumps(outcome.value)} ")
    else:
        assert all(parse_filter(f).matches(item) for f in filters for item in outcome.items)


def _search_or_error(filters: list[str], arguments: dict[str, Any]) -> Page | QueryError:
    try:
        return search([OFFER, *ITEMS], filters=filters, **arguments)
    except QueryError as error:
        return error


def test_in_a_phrase_special_characters_need_no_escape() -> None:
    """Inside double quotes only the quote and the backslash are special."""
    items = [_item("x", "xcore:fallback-offer"), _item("y", "other")]
    assert _ids(search(items, q='"xcore:fallback-offer"')) == ["x"]


_VALUES = st.sampled_from(["1", "2", "10", "1.0", "a", "B", "2020-01-01T00:00:00Z", None])
_DATES = st.sampled_from(["2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z", "2019-12-31T23:59:59Z"])


@st.composite
def _stored(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Items with few distinct sort values (so runs of equals cross page boundaries)."""
    count = draw(st.integers(0, 12))
    items = []
    for number in range(count):
        value = draw(_VALUES | st.integers(-2, 12))
        item = _item(f"id-{number:02}", created=draw(_DATES))
        if value is not None:
            item["_instance"]["xdm:rank"] = value
        items.append(item)
    return draw(st.permutations(items))


@SPEED_FREE
@given(
    items=_stored(),
    orderby=st.sampled_from(
        [None, "-instanceId", "_instance.xdm:rank", "-_instance.xdm:rank", "repo:createdDate"]
    ),
    limit=st.integers(1, 5),
    filters=st.sampled_from([[], ["_instance.xdm:rank"], ["_instance.xdm:rank>=2"]]),
)
def test_paging_yields_every_item_once_in_order(
    items: list[dict[str, Any]], orderby: str | None, limit: int, filters: list[str]
) -> None:
    """Following next_start with any limit visits every filtered item exactly once, in order."""
    whole = search(items, filters=filters, orderby=orderby)
    seen: list[Any] = []
    start = None
    while True:
        page = search(items, filters=filters, orderby=orderby, limit=limit, start=start)
        assert page.total == whole.total - len(seen)
        assert page.count >= min(limit, page.total)
        seen += page.items
        if page.next_start is None:
            break
        start = page.next_start
    assert seen == whole.items
    assert whole.total == len(whole.items)
