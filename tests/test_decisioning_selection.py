"""Choosing options or the fallback: one test per exclusion reason, ranking, duplicates, caps."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

import pytest
from decisioning_library import (
    ACTIVITY,
    FALLBACK,
    JOE,
    NOW,
    OTHER_ACTIVITY,
    OTHER_PLACEMENT,
    PLACEMENT,
    RULE,
    TAG,
    library,
    offer,
    request,
)

from contract_kit.decisioning.errors import DecisionError, UnsupportedPQLError
from contract_kit.decisioning.roles import roles
from contract_kit.decisioning.selection import Caps, propose

if TYPE_CHECKING:
    from contract_kit.decisioning.trace import DecisionTrace

JOE_PROFILE = {JOE: {"person": {"name": {"firstName": "Joe"}}}}


def _decide(
    lib: dict[str, Any], body: dict[str, Any], caps: Caps | None = None
) -> tuple[dict[str, Any], DecisionTrace]:
    return propose(lib, body, JOE_PROFILE, caps or Caps(), now=NOW, proposition_id="p-1")


def _served(response: dict[str, Any], index: int = 0) -> list[str]:
    proposition = response["xdm:propositions"][index]
    if "xdm:options" in proposition:
        return [option["xdm:id"] for option in proposition["xdm:options"]]
    return ["fallback:" + proposition["xdm:fallback"]["xdm:id"]]


def _reasons(trace: DecisionTrace, index: int = 0) -> list[tuple[str, str]]:
    return [(c.offer.rsplit(":", 1)[1], c.reason) for c in trace.propositions[index].candidates]


EXCLUSIONS = [
    pytest.param({"xdm:status": "draft"}, "status:draft", "draft, not approved", id="draft"),
    pytest.param(
        {"xdm:selectionConstraint": {"xdm:startDate": "2026-12-02T00:00:00Z", "xdm:endDate": "2027-01-01T00:00:00Z"}},
        "not-started", "starts on 2026-12-02T00:00:00Z", id="not-started",
    ),
    pytest.param(
        {"xdm:selectionConstraint": {"xdm:startDate": "2026-01-01T00:00:00Z", "xdm:endDate": "2026-11-30T00:00:00Z"}},
        "expired", "expired on 2026-11-30T00:00:00Z", id="expired",
    ),
    pytest.param(
        {"xdm:representations": []}, "no-representation",
        f"no representation for placement {PLACEMENT}", id="no-representation",
    ),
    pytest.param(
        {"xdm:selectionConstraint": {"xdm:startDate": "2026-01-01T00:00:00Z", "xdm:endDate": "2026-12-31T00:00:00Z", "xdm:eligibilityRule": RULE}},
        "rule-false",
        f'the rule {RULE} is false for this profile: profile.person.name.firstName is "Joe"',
        id="rule-false",
    ),
    pytest.param(
        {"xdm:cappingConstraint": {"xdm:globalCap": 0}}, "capped-global",
        "capped: 0 of globalCap 0", id="capped-global",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("members", "reason", "detail"), EXCLUSIONS)
def test_each_exclusion_reason_falls_back_and_is_traced(
    members: dict[str, Any], reason: str, detail: str
) -> None:
    """An offer excluded for any reason leaves the fallback, and the trace says which reason."""
    lib = library(offer("01", **members), rule='profile.person.name.firstName.equals("Ann")')
    response, trace = _decide(lib, request())
    assert _served(response) == [f"fallback:{FALLBACK}"]
    (candidate,) = trace.propositions[0].candidates
    assert (candidate.reason, candidate.detail) == (reason, detail)


def test_a_missing_attribute_makes_the_rule_unknown() -> None:
    """A rule reading an attribute the profile lacks is unknown, and does not qualify."""
    constraint = {
        "xdm:startDate": "2026-01-01T00:00:00Z",
        "xdm:endDate": "2026-12-31T00:00:00Z",
        "xdm:eligibilityRule": RULE,
    }
    lib = library(
        offer("01", **{"xdm:selectionConstraint": constraint}), rule="person.birthYear > 1980"
    )
    response, trace = _decide(lib, request())
    assert _served(response) == [f"fallback:{FALLBACK}"]
    (candidate,) = trace.propositions[0].candidates
    assert candidate.reason == "rule-unknown"
    assert (
        candidate.detail
        == f"the rule {RULE} is unknown for this profile: person.birthYear is missing"
    )


def test_item_count_two_gives_two_options_in_priority_order_ties_by_id() -> None:
    """Highest priority first; equal priorities in @id order; the rest is not evaluated."""
    lib = library(offer("04", 5), offer("03", 9), offer("02", 5), offer("01", 1))
    response, trace = _decide(lib, request(item_count=2))
    assert _served(response) == ["xcore:personalized-offer:03", "xcore:personalized-offer:02"]
    assert _reasons(trace) == [
        ("03", "chosen"),
        ("02", "chosen"),
        ("04", "not-evaluated"),
        ("01", "not-evaluated"),
    ]


def test_an_option_is_rendered_as_the_request_format_asks() -> None:
    """Content only with includeContent; metadata only as includeMetadata asks; scope of its own ids."""
    lib = library(offer("01", 7))
    form = {
        "xdm:includeContent": True,
        "xdm:includeMetadata": {"xdm:option": ["name", "priority"], "xdm:placement": ["channel"]},
    }
    response, _ = _decide(lib, request(extra={"xdm:responseFormat": form}))
    (proposition,) = response["xdm:propositions"]
    assert proposition["xdm:options"] == [
        {
            "xdm:id": "xcore:personalized-offer:01",
            "repo:etag": 2,
            "@type": "https://ns.adobe.com/experience/decisioning/content-component-html",
            "dc:format": "text/html",
            "dc:language": ["en-us"],
            "xdm:content": "<p>hi</p>",
            "xdm:name": "Offer 01",
            "xdm:priority": 7,
        }
    ]
    assert proposition["xdm:activity"] == {"xdm:id": ACTIVITY, "repo:etag": 3}
    assert proposition["xdm:placement"] == {
        "xdm:id": PLACEMENT, "repo:etag": 1, "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
    }  # fmt: skip
    scope = json.loads(base64.b64decode(proposition["xdm:scope"]))
    assert scope == {"xdm:activityId": ACTIVITY, "xdm:placementId": PLACEMENT}


def test_without_include_content_an_option_is_its_id_and_etag() -> None:
    """The default answer names the offer only: xdm:id and repo:etag."""
    response, _ = _decide(library(offer("01")), request())
    assert response["xdm:propositions"][0]["xdm:options"] == [
        {"xdm:id": "xcore:personalized-offer:01", "repo:etag": 2}
    ]


@pytest.mark.parametrize(
    ("pairs", "flags", "second"),
    [
        pytest.param(((ACTIVITY, PLACEMENT), (OTHER_ACTIVITY, PLACEMENT)), {}, ["xcore:personalized-offer:02"], id="across-activities-off"),
        pytest.param(((ACTIVITY, PLACEMENT), (OTHER_ACTIVITY, PLACEMENT)), {"xdm:acrossActivities": True}, ["xcore:personalized-offer:01"], id="across-activities-on"),
        pytest.param(((ACTIVITY, PLACEMENT), (ACTIVITY, OTHER_PLACEMENT)), {}, ["xcore:personalized-offer:02"], id="across-placements-off"),
        pytest.param(((ACTIVITY, PLACEMENT), (ACTIVITY, OTHER_PLACEMENT)), {"xdm:acrossPlacements": True}, ["xcore:personalized-offer:01"], id="across-placements-on"),
    ],
)  # fmt: skip
def test_duplicates_follow_the_request_flags(
    pairs: tuple[tuple[str, str], ...], flags: dict[str, bool], second: list[str]
) -> None:
    """An offer proposed earlier is skipped for the next best unless the flag allows it."""
    lib = library(offer("01", 9), offer("02", 1))
    response, trace = _decide(lib, request(*pairs, extra={"xdm:allowDuplicatePropositions": flags}))
    assert _served(response, 0) == ["xcore:personalized-offer:01"]
    assert _served(response, 1) == second
    if second == ["xcore:personalized-offer:02"]:
        assert (
            trace.propositions[1].candidates[0].detail
            == "duplicate: already proposed in proposition 0"
        )


def test_a_global_cap_of_two_serves_twice_then_the_next_offer() -> None:
    """Counts persist across decisions in the Caps given; the third decision moves on."""
    lib = library(offer("01", 9, **{"xdm:cappingConstraint": {"xdm:globalCap": 2}}), offer("02", 1))
    caps = Caps()
    served = [_served(_decide(lib, request(), caps)[0]) for _ in range(3)]
    assert served == [["xcore:personalized-offer:01"]] * 2 + [["xcore:personalized-offer:02"]]


def test_a_profile_cap_counts_per_identity() -> None:
    """Another identity still gets an offer Joe has used up."""
    lib = library(
        offer("01", 9, **{"xdm:cappingConstraint": {"xdm:profileCap": 1}}), offer("02", 1)
    )
    caps = Caps()
    _decide(lib, request(), caps)
    again, trace = _decide(lib, request(), caps)
    assert _served(again) == ["xcore:personalized-offer:02"]
    assert (
        trace.propositions[0].candidates[0].detail == "capped: 1 of profileCap 1 for this profile"
    )
    other = request()
    other["xdm:profiles"] = [{"xdm:identityMap": {"Email": [{"xdm:id": "ann@example.com"}]}}]
    assert _served(_decide(lib, other, caps)[0]) == ["xcore:personalized-offer:01"]


def test_a_dry_run_counts_nothing() -> None:
    """xdm:dryRun does not affect the caps."""
    lib = library(offer("01", 9, **{"xdm:cappingConstraint": {"xdm:globalCap": 1}}), offer("02", 1))
    caps = Caps()
    for _ in range(3):
        assert _served(_decide(lib, request(extra={"xdm:dryRun": True}), caps)[0]) == [
            "xcore:personalized-offer:01"
        ]
    assert caps.total == {}


def test_tag_collections_select_by_any_or_all_tags() -> None:
    """A tag collection: anyTags takes offers with one of the tags, allTags those with all."""
    other_tag = "xcore:tag:d2"
    both = offer("01", 1, **{"xdm:tags": [TAG, other_tag]})
    one = offer("02", 9)
    any_lib = library(
        both, one, collection={"xdm:filterType": "anyTags", "xdm:ids": [TAG, other_tag]}
    )
    all_lib = library(
        both, one, collection={"xdm:filterType": "allTags", "xdm:ids": [TAG, other_tag]}
    )
    assert _served(_decide(any_lib, request(item_count=2))[0]) == [
        "xcore:personalized-offer:02",
        "xcore:personalized-offer:01",
    ]
    assert _served(_decide(all_lib, request(item_count=2))[0]) == ["xcore:personalized-offer:01"]


def test_an_offer_outside_the_collection_is_explained_on_request() -> None:
    """The trace explains an offer the walk never saw as not in the collection."""
    _, trace = _decide(library(offer("01")), request())
    candidate = trace.propositions[0].candidate("xcore:personalized-offer:99")
    assert (candidate.reason, candidate.detail) == ("not-in-collection", "not in the collection")


@pytest.mark.parametrize(
    ("change", "rule", "message"),
    [
        pytest.param({"xdm:status": "draft"}, "activity-not-live", f"the activity {ACTIVITY} is draft, not live", id="draft"),
        pytest.param({"xdm:endDate": "2026-06-01T00:00:00Z"}, "activity-not-live",
                     f"the activity {ACTIVITY} runs from 2026-01-01T00:00:00Z to 2026-06-01T00:00:00Z, not at 2026-12-01T12:00:00+00:00", id="ended"),
        pytest.param({"xdm:criteria": []}, "placement-not-in-activity",
                     f"no criterion of the activity {ACTIVITY} lists the placement {PLACEMENT}", id="placement"),
        pytest.param({"xdm:fallback": "xcore:fallback-offer:ff"}, "no-fallback",
                     "no offer qualifies and the activity's fallback xcore:fallback-offer:ff is not stored", id="fallback"),
    ],
)  # fmt: skip
def test_an_activity_that_cannot_answer_is_a_decision_error(
    change: dict[str, Any], rule: str, message: str
) -> None:
    """The whole call is refused (the service's 422), naming the request's member."""
    lib = library()
    lib[roles().activity][ACTIVITY]["_instance"].update(change)
    with pytest.raises(DecisionError) as caught:
        _decide(lib, request())
    ((pointer, text, found),) = caught.value.violations
    assert (found, text) == (rule, message)
    assert pointer.startswith("/xdm:propositionRequests/0/")


def test_an_unknown_activity_is_a_decision_error() -> None:
    """An id the library does not hold names the member that sent it."""
    with pytest.raises(DecisionError) as caught:
        _decide(library(), request(("xcore:offer-activity:ff", PLACEMENT)))
    assert str(caught.value) == (
        "the library cannot answer this decision request\n"
        "- /xdm:propositionRequests/0/xdm:activityId: no activity xcore:offer-activity:ff is stored [unknown-activity]"
    )


def test_a_rule_outside_the_subset_stops_the_decision_naming_the_rule() -> None:
    """PQL the fake cannot evaluate is refused, never guessed."""
    constraint = {
        "xdm:startDate": "2026-01-01T00:00:00Z",
        "xdm:endDate": "2026-12-31T00:00:00Z",
        "xdm:eligibilityRule": RULE,
    }
    lib = library(offer("01", **{"xdm:selectionConstraint": constraint}), rule='city like "%es%"')
    with pytest.raises(UnsupportedPQLError) as caught:
        _decide(lib, request())
    assert str(caught.value).startswith(
        f'PQL construct "like" is not supported (eligibility rule {RULE}, column 6); '
    )
