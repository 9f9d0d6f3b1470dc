"""Over drawn libraries and requests: options xor fallback, the contract kept, rankings reused."""

from __future__ import annotations

from typing import Any

import pytest
from decisioning_library import (
    ACTIVITY,
    COLLECTION,
    JOE,
    NOW,
    OTHER_ACTIVITY,
    OTHER_PLACEMENT,
    PLACEMENT,
    RULE,
    library,
    offer,
)
from draw_budgets import quick_and_long
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_kit.decisioning.response_check import check_decision_response
from contract_kit.decisioning.roles import roles
from contract_kit.decisioning.selection import Caps, Rankings, propose

_DATES = st.sampled_from(
    [
        ("2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z"),
        ("2026-12-02T00:00:00Z", "2027-01-01T00:00:00Z"),
        ("2026-01-01T00:00:00Z", "2026-11-30T00:00:00Z"),
    ]
)


@st.composite
def _offers(draw: st.DrawFn, suffix: str) -> tuple[str, dict[str, Any]]:
    start, end = draw(_DATES)
    constraint: dict[str, Any] = {"xdm:startDate": start, "xdm:endDate": end}
    if draw(st.booleans()):
        constraint["xdm:eligibilityRule"] = RULE
    members: dict[str, Any] = {
        "xdm:status": draw(st.sampled_from(["approved", "approved", "draft", "archived"])),
        "xdm:selectionConstraint": constraint,
    }
    if draw(st.booleans()):
        members["xdm:cappingConstraint"] = {"xdm:globalCap": draw(st.integers(1, 3))}
    if draw(st.booleans()):
        members["xdm:representations"] = []
    return offer(suffix, draw(st.integers(0, 3)), **members)


_LIBRARIES = st.lists(st.integers(0, 255), max_size=8, unique=True).flatmap(
    lambda ids: st.tuples(*(_offers(f"{i:02x}") for i in ids))
)
_PAIRS = st.lists(
    st.tuples(
        st.sampled_from([ACTIVITY, OTHER_ACTIVITY]), st.sampled_from([PLACEMENT, OTHER_PLACEMENT])
    ),
    min_size=1,
    max_size=4,
)
_REQUESTS = st.builds(
    lambda pairs, counts, flags, content, dry: {
        "xdm:propositionRequests": [
            {"xdm:activityId": a, "xdm:placementId": p, "xdm:itemCount": c}
            for (a, p), c in zip(pairs, counts, strict=False)
        ],
        "xdm:profiles": [{"xdm:identityMap": {JOE[0]: [{"xdm:id": JOE[1]}]}}],
        "xdm:allowDuplicatePropositions": flags,
        "xdm:responseFormat": {"xdm:includeContent": content},
        "xdm:dryRun": dry,
    },
    _PAIRS,
    st.lists(st.integers(1, 3), min_size=4, max_size=4),
    st.fixed_dictionaries(
        {}, optional={"xdm:acrossActivities": st.booleans(), "xdm:acrossPlacements": st.booleans()}
    ),
    st.booleans(),
    st.booleans(),
)
_PROFILES = st.sampled_from(
    [{}, {JOE: {"tier": "gold"}}, {JOE: {"tier": "silver"}}, {JOE: {"tier": 1}}]
)


@pytest.mark.parametrize("draws", quick_and_long(60, 600))
def test_every_proposition_has_options_or_a_fallback(draws: int) -> None:
    """Never both nor neither, one proposition per request, and the answer meets its contract."""

    @settings(max_examples=draws, deadline=None)
    @given(offers=_LIBRARIES, body=_REQUESTS, profiles=_PROFILES)
    def check(
        offers: tuple[tuple[str, dict[str, Any]], ...],
        body: dict[str, Any],
        profiles: dict[Any, Any],
    ) -> None:
        lib = library(*offers, rule='tier = "gold"')
        caps = Caps()
        for _ in range(2):  # the second decision sees the caps the first counted
            response, trace = propose(lib, body, profiles, caps, now=NOW)
            propositions = response["xdm:propositions"]
            assert (
                len(propositions) == len(body["xdm:propositionRequests"]) == len(trace.propositions)
            )
            for proposition in propositions:
                assert ("xdm:options" in proposition) != ("xdm:fallback" in proposition)
            assert check_decision_response(response, body) == []

    check()


@settings(max_examples=100, deadline=None)
@given(offers=_LIBRARIES, body=_REQUESTS)
def test_kept_rankings_decide_as_fresh_ones(
    offers: tuple[tuple[str, dict[str, Any]], ...], body: dict[str, Any]
) -> None:
    """A decision with Rankings kept answers exactly as one that ranks afresh."""
    lib = library(*offers, rule='tier = "gold"')
    profiles = {JOE: {"tier": "gold"}}
    rankings = Rankings()
    fresh_caps, kept_caps = Caps(), Caps()
    for _ in range(3):
        fresh, _ = propose(lib, body, profiles, fresh_caps, now=NOW, proposition_id="p")
        kept, _ = propose(
            lib, body, profiles, kept_caps, now=NOW, proposition_id="p", rankings=rankings
        )
        assert kept == fresh


def test_clearing_rankings_sees_a_changed_library() -> None:
    """After the library changes, clear() makes the next decision rank the new offers."""
    lib = library(offer("01", 1))
    rankings = Rankings()
    first, _ = propose(lib, _request(), {}, Caps(), now=NOW, rankings=rankings)
    better_id, better = offer("02", 9)
    lib[roles().offer][better_id] = better
    lib[roles().collection][COLLECTION]["_instance"]["xdm:ids"].append(better_id)
    rankings.clear()
    second, _ = propose(lib, _request(), {}, Caps(), now=NOW, rankings=rankings)
    assert [o["xdm:id"] for o in first["xdm:propositions"][0]["xdm:options"]] == [
        "xcore:personalized-offer:01"
    ]
    assert [o["xdm:id"] for o in second["xdm:propositions"][0]["xdm:options"]] == [better_id]


def _request() -> dict[str, Any]:
    return {
        "xdm:propositionRequests": [{"xdm:activityId": ACTIVITY, "xdm:placementId": PLACEMENT}],
        "xdm:profiles": [{"xdm:identityMap": {JOE[0]: [{"xdm:id": JOE[1]}]}}],
    }
