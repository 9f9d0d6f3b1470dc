"""Paging tokens as the service emits them: ``<epoch ms>,<instanceId>``, and next links so formed."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_kit.api.paging import (
    TokenError,
    epoch_ms,
    next_query,
    read_start,
)
from contract_kit.fake import FakeRequest, FakeResponse, OfferLibrary
from contract_kit.fake.store import DEFAULT_CONTAINER

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = "https://platform.adobe.io/data/core/xcore"
SEARCH = f"{ROOT}/{DEFAULT_CONTAINER}/queries/core/search"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
CREDENTIALS = (
    ("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
    ("x-api-key", "4a6f3c1d2e8b4f0a"),
    ("x-gw-ims-org-id", "0123ABCD@AdobeOrg"),
    ("Accept", "application/vnd.adobe.platform.xcore.hal+json"),
)
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
MOMENT = dt.datetime(2020, 10, 22, 19, 38, 35, 489354, dt.UTC)


def _clock(*moments: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock giving ``moments`` in turn, then the last for ever."""
    given = list(moments)
    return lambda: given.pop(0) if len(given) > 1 else given[0]


def _get(fake: OfferLibrary, url: str) -> FakeResponse:
    return fake.handle(FakeRequest("GET", url, CREDENTIALS))


def _three(fake: OfferLibrary, seed_body: dict[str, Any]) -> list[str]:
    return [fake.add_fallback_offer({**seed_body, "xdm:name": f"offer {n}"}) for n in range(3)]


def _follow(fake: OfferLibrary, url: str) -> tuple[list[str], list[str]]:
    """Every instanceId the pages from ``url`` on hold, and each next link's href."""
    seen: list[str] = []
    links: list[str] = []
    while url:
        response = _get(fake, url)
        assert response.status == 200, response.body
        page = response.json()
        seen += [item["instanceId"] for item in page["_embedded"]["results"]]
        following = page["_links"].get("next")
        links += [following["href"]] if following else []
        url = f"{ROOT}{following['href']}" if following else ""
    return seen, links


def test_a_next_link_carries_epoch_ms_and_the_instance_id(seed_body: dict[str, Any]) -> None:
    """Two offers share a millisecond; the tie-breaker lets limit=1 pages give each exactly once."""
    later = MOMENT + dt.timedelta(milliseconds=5)
    fake = OfferLibrary(clock=_clock(MOMENT, MOMENT, later))  # the store adds 1 µs to a repeat
    ids = _three(fake, seed_body)
    url = f"{SEARCH}?schema={SCHEMA}&orderby=-repo:createdDate&limit=1"
    seen, links = _follow(fake, url)
    assert sorted(seen) == sorted(ids)
    assert seen[0] == ids[2]  # the latest first
    form = re.compile(
        f"/{DEFAULT_CONTAINER}/queries/core/search\\?start=(?P<ms>[0-9]{{13}})%2C(?P<id>{UUID})"
        f"&schema={re.escape(SCHEMA)}&orderby=-repo%3AcreatedDate%2CinstanceId&limit=1"
    )
    matches = [form.fullmatch(link) for link in links]
    assert all(matches), links
    assert [(m["ms"], m["id"]) for m in matches if m] == [
        ("1603395515494", seen[0]),
        ("1603395515489", seen[1]),
    ]


def test_the_previewers_next_link_form_rebuilt_with_the_fakes_ids_gives_page_two(
    seed_body: dict[str, Any],
) -> None:
    """The previewer's recorded listOffers link (start first, raw schema) pages the fake."""
    fake = OfferLibrary(clock=_clock(MOMENT, MOMENT + dt.timedelta(seconds=1)))
    first, second = (fake.add_fallback_offer(seed_body) for _ in range(2))
    created = fake.instances[second]["repo:createdDate"]
    ms = epoch_ms(created)
    link = (
        f"/{DEFAULT_CONTAINER}/queries/core/search?start={ms}%2C{second}&schema={SCHEMA}"
        "&orderby=-repo%3AcreatedDate%2CinstanceId&limit=1"
    )
    page = _get(fake, f"{ROOT}{link}").json()
    assert [item["instanceId"] for item in page["_embedded"]["results"]] == [first]
    assert (page["_embedded"]["total"], "next" in page["_links"]) == (1, False)


def test_the_default_order_pages_by_instance_id_with_orderby_put_after_start(
    seed_body: dict[str, Any],
) -> None:
    """Without orderby the token is the last instanceId, as in the OD fallback list's link."""
    fake = OfferLibrary()
    ids = sorted(_three(fake, seed_body))
    page = _get(fake, f"{SEARCH}?schema={SCHEMA}&limit=1").json()
    assert page["_links"]["next"]["href"] == (
        f"/{DEFAULT_CONTAINER}/queries/core/search?start={ids[0]}&orderby=instanceId"
        f"&schema={SCHEMA}&limit=1"
    )
    assert _follow(fake, f"{SEARCH}?schema={SCHEMA}&limit=1")[0] == ids


def test_a_start_in_the_fakes_earlier_rfc3339_form_still_reads(seed_body: dict[str, Any]) -> None:
    """A single date token (today's fake links, or a client's own start) compares on the date."""
    fake = OfferLibrary(clock=_clock(MOMENT, MOMENT + dt.timedelta(seconds=1)))
    first, _ = (fake.add_fallback_offer(seed_body) for _ in range(2))
    start = fake.instances[first]["repo:createdDate"]
    page = _get(fake, f"{SEARCH}?schema={SCHEMA}&orderby=-repo:createdDate&start={start}").json()
    assert page["_embedded"]["results"] == []  # nothing is older than the oldest
    ascending = _get(fake, f"{SEARCH}?schema={SCHEMA}&orderby=repo:createdDate&start={start}")
    assert ascending.json()["_embedded"]["count"] == 1


def test_an_unreadable_start_part_is_a_query_error(seed_body: dict[str, Any]) -> None:
    """A date field's part that is neither epoch ms nor a date: 400 and a recorded query error."""
    fake = OfferLibrary()
    fake.allow_violations()
    fake.add_fallback_offer(seed_body)
    url = f"{SEARCH}?schema={SCHEMA}&orderby=-repo:createdDate&start=yesterday%2Cx"
    response = _get(fake, url)
    message = (
        'start "yesterday,x" has "yesterday" where a date of repo:createdDate goes; give epoch '
        "milliseconds, as the service's next links do, or an RFC 3339 date-time"
    )
    assert (response.status, response.json()["detail"]) == (400, message)
    assert [(v.pointer, v.rule, v.message) for _, v in fake.violations] == [
        ("/query/start", "query", message)
    ]


def test_search_applies_id_and_name_as_lookup_does(seed_body: dict[str, Any]) -> None:
    """Search's id (repeatable, exact) and name (exact, * wildcards) select, no longer ignored."""
    fake = OfferLibrary()
    a = fake.add_fallback_offer({**seed_body, "xdm:name": "Winter sale?"})
    b = fake.add_fallback_offer({**seed_body, "xdm:name": "Summer sale"})
    offer_a = fake.instances[a]["_instance"]["@id"]

    def found(query: str) -> list[str]:
        page = _get(fake, f"{SEARCH}?schema={SCHEMA}&{query}").json()
        return sorted(item["instanceId"] for item in page["_embedded"]["results"])

    assert found(f"id={offer_a}") == [a]
    assert found("name=*sale*") == sorted([a, b])
    assert found("name=Summer sale") == [b]
    assert found("name=Summer sal?") == []  # only * is a wildcard
    assert found("name=summer sale") == []  # case counts


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("2020-10-22T19:38:35.489354Z", 1603395515489),  # the previewer's record: truncated
        ("2020-10-22T19:38:35Z", 1603395515000),
        ("2020-10-22T21:38:35.4+02:00", 1603395515400),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2020-02-30T00:00:00Z", None),
        ("yesterday", None),
    ],
)
def test_epoch_ms_truncates(text: str, ms: int | None) -> None:
    """Dates read as epoch milliseconds, never rounded; what is no date reads as None."""
    assert epoch_ms(text) == ms


@pytest.mark.parametrize(
    ("start", "kinds", "keys"),
    [
        ("1603395515489,2cdb4d10", ["date", "string"], [(1, 1603395515489), (2, "2cdb4d10")]),
        ("2020-10-22T19:38:35Z", ["date", "string"], [(1, 1603395515000)]),
        ("a,b,2cdb4d10", ["string", "string"], [(2, "a,b"), (2, "2cdb4d10")]),
        (",2cdb4d10", ["number", "string"], [None, (2, "2cdb4d10")]),
        ("2cdb4d10", ["string"], [(2, "2cdb4d10")]),
    ],
)
def test_read_start(start: str, kinds: list[Any], keys: list[Any]) -> None:
    """Parts split from the right; a leftover comma belongs to the first (string) field."""
    assert read_start(start, kinds, ["a"] * len(kinds)) == keys


def test_a_number_field_takes_a_number() -> None:
    """A part of a number field that is no number is refused, naming the field."""
    with pytest.raises(TokenError) as caught:
        read_start("ten,x", ["number", "string"], ["_instance.xdm:rank", "instanceId"])
    assert str(caught.value) == 'has "ten" where a number of _instance.xdm:rank goes'


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("schema=s&limit=1", "start=T&orderby=instanceId&schema=s&limit=1"),
        ("orderBy=-a&start=old&limit=1", "start=T&orderBy=-a%2CinstanceId&limit=1"),
        (
            "schema=https%3A%2F%2Fx&orderby=b",
            "start=T&schema=https%3A%2F%2Fx&orderby=b%2CinstanceId",
        ),
    ],
)
def test_next_query_keeps_the_request_as_sent(query: str, expected: str) -> None:
    """Start first; orderby replaced in place (or put after start); the rest as it was sent."""
    ordering = {"instanceId": "instanceId", "-a": "-a,instanceId", "b": "b,instanceId"}
    given = dict(pair.split("=") for pair in query.split("&"))
    order = given.get("orderby", given.get("orderBy", "instanceId"))
    assert next_query(query, "T", ordering[order]) == expected


_ORDERINGS = st.sampled_from(
    [None, "-repo:createdDate", "repo:createdDate", "_instance.xdm:name", "-_instance.xdm:name"]
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(
    steps=st.lists(st.sampled_from([0, 0, 1, 2]), min_size=1, max_size=7),
    names=st.lists(st.sampled_from(["a", "b", "a,b"]), min_size=7, max_size=7),
    orderby=_ORDERINGS,
    limit=st.integers(1, 3),
)
def test_following_next_links_visits_each_instance_once(
    steps: list[int], names: list[str], orderby: str | None, limit: int
) -> None:
    """With dates sharing milliseconds and names repeating, every instance comes exactly once."""
    moments = [MOMENT]
    for step in steps[1:]:
        moments.append(moments[-1] + dt.timedelta(microseconds=step * 300))
    fake = OfferLibrary(clock=_clock(*moments))
    body = json.loads(json.dumps(_BODY))
    ids = [fake.add_fallback_offer({**body, "xdm:name": name}) for name in names[: len(steps)]]
    ordered = f"&orderby={orderby}" if orderby else ""
    seen, _ = _follow(fake, f"{SEARCH}?schema={SCHEMA}{ordered}&limit={limit}")
    assert sorted(seen) == sorted(ids)
    assert len(seen) == len(ids)
    assert fake.violations == []


_BODY = {
    "xdm:status": "approved",
    "xdm:name": "F",
    "xdm:representations": [
        {
            "xdm:components": [
                {
                    "dc:language": ["en"],
                    "@type": "https://ns.adobe.com/experience/offer-management/content-component-html",
                    "dc:format": "text/html",
                }
            ],
            "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
            "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
        }
    ],
}


def test_a_leap_second_start_is_read_as_the_next_minute() -> None:
    """RFC 3339 allows :60; a start written so sorts where the minute after it begins."""
    assert epoch_ms("2016-12-31T23:59:60Z") == epoch_ms("2017-01-01T00:00:00Z")
    assert epoch_ms("2016-12-31T23:59:60.5Z") == epoch_ms("2017-01-01T00:00:00.5Z")
    assert epoch_ms("2020-02-30T00:00:00Z") is None
