"""The decision assertions: pass quietly, or say why each candidate was left out."""

from __future__ import annotations

from typing import Any

import pytest
from decisioning_library import (
    FALLBACK,
    JOE,
    NOW,
    OTHER_PLACEMENT,
    PLACEMENT,
    RULE,
    library,
    offer,
    request,
)

from contract_kit.decisioning.assertions import (
    DecisionMismatch,
    assert_fallback_served,
    assert_offer_proposed,
)
from contract_kit.decisioning.errors import DecisionContractError
from contract_kit.decisioning.selection import Caps, propose

PROFILES = {JOE: {"person": {"name": {"firstName": "Ann"}}}}
RULED = {
    "xdm:startDate": "2026-01-01T00:00:00Z",
    "xdm:endDate": "2026-12-31T00:00:00Z",
    "xdm:eligibilityRule": RULE,
}
EXPIRED = {"xdm:startDate": "2026-01-01T00:00:00Z", "xdm:endDate": "2026-11-30T00:00:00Z"}


def _library() -> dict[str, Any]:
    """Five offers: one qualifies, four are excluded for four different reasons."""
    return library(
        offer("01", 9, **{"xdm:status": "draft"}),
        offer("02", 8, **{"xdm:selectionConstraint": EXPIRED}),
        offer("03", 7, **{"xdm:selectionConstraint": RULED}),
        offer("04", 6, **{"xdm:representations": []}),
        offer("05", 5),
        offer("06", 1),
        rule='profile.person.name.firstName.equals("Joe", false)',
    )


class _HTTPResponse:
    """What requests and httpx responses share: a json() method."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def json(self) -> dict[str, Any]:
        return self.body


def test_passing_assertions_say_nothing() -> None:
    """An offer among the options passes; a fallback served passes the other assertion."""
    response, trace = propose(_library(), request(), PROFILES, Caps(), now=NOW)
    assert_offer_proposed(response, "xcore:personalized-offer:05", trace=trace)
    assert_offer_proposed(
        _HTTPResponse(response), "xcore:personalized-offer:05", placement=PLACEMENT
    )
    fallback, _ = propose(library(), request(), PROFILES, Caps(), now=NOW)
    assert_fallback_served(fallback)


def test_an_offer_not_proposed_is_explained_with_every_other_candidate() -> None:
    """The offer asked about comes first, then each excluded candidate with its reason."""
    response, trace = propose(_library(), request(), PROFILES, Caps(), now=NOW)
    with pytest.raises(DecisionMismatch) as caught:
        assert_offer_proposed(response, "xcore:personalized-offer:03", trace=trace)
    assert str(caught.value).splitlines() == [
        "xcore:personalized-offer:03 was not proposed:",
        "- /xdm:propositions/0: served xcore:personalized-offer:05",
        f'- /xdm:propositions/0: xcore:personalized-offer:03: the rule {RULE} is false for this profile: profile.person.name.firstName is "Ann"',
        "- /xdm:propositions/0: xcore:personalized-offer:01: draft, not approved",
        "- /xdm:propositions/0: xcore:personalized-offer:02: expired on 2026-11-30T00:00:00Z",
        f"- /xdm:propositions/0: xcore:personalized-offer:04: no representation for placement {PLACEMENT}",
        "- /xdm:propositions/0: xcore:personalized-offer:06: ranked 6th with priority 1 while itemCount is 1",
        "",
        "Hint: change the library or the profile so that the offer qualifies; each line gives the first reason a candidate was excluded.",
    ]  # fmt: skip


def test_an_offer_ranked_below_the_chosen_ones_is_explained_by_its_rank() -> None:
    """An eligible offer the walk did not reach is evaluated now, and its rank given."""
    response, trace = propose(_library(), request(), PROFILES, Caps(), now=NOW)
    with pytest.raises(DecisionMismatch) as caught:
        assert_offer_proposed(response, "xcore:personalized-offer:06", trace=trace)
    assert str(caught.value).splitlines()[2] == (
        "- /xdm:propositions/0: xcore:personalized-offer:06: ranked 6th with priority 1 while itemCount is 1"
    )


def test_an_offer_outside_the_collection_names_the_collection() -> None:
    """Even an offer the decision never saw is explained."""
    response, trace = propose(_library(), request(), PROFILES, Caps(), now=NOW)
    with pytest.raises(DecisionMismatch) as caught:
        assert_offer_proposed(response, "xcore:personalized-offer:99", trace=trace)
    assert str(caught.value).splitlines()[2] == (
        "- /xdm:propositions/0: xcore:personalized-offer:99: not in the collection xcore:offer-filter:c1"
    )


def test_a_capped_offer_says_how_far_its_count_went() -> None:
    """The cap and the count are in the reason."""
    lib = library(offer("01", 9, **{"xdm:cappingConstraint": {"xdm:globalCap": 1}}))
    caps = Caps()
    propose(lib, request(), PROFILES, caps, now=NOW)
    response, trace = propose(lib, request(), PROFILES, caps, now=NOW)
    with pytest.raises(DecisionMismatch) as caught:
        assert_offer_proposed(response, "xcore:personalized-offer:01", trace=trace)
    assert str(caught.value).splitlines()[1:3] == [
        f"- /xdm:propositions/0: served the fallback {FALLBACK}",
        "- /xdm:propositions/0: xcore:personalized-offer:01: capped: 1 of globalCap 1",
    ]


def test_without_a_trace_the_failure_says_what_was_served() -> None:
    """Only the response at hand: what each proposition served, and how to learn more."""
    response, _ = propose(_library(), request(), PROFILES, Caps(), now=NOW)
    with pytest.raises(DecisionMismatch) as caught:
        assert_offer_proposed(response, "xcore:personalized-offer:03")
    assert str(caught.value) == (
        "xcore:personalized-offer:03 was not proposed:\n"
        "- /xdm:propositions/0: served xcore:personalized-offer:05\n"
        "\n"
        "Hint: pass trace= (the DecisionTrace the decision returned) to see why each candidate was excluded."
    )


def test_a_fallback_not_served_names_the_options_and_their_rank() -> None:
    """assert_fallback_served lists each option proposed and why it qualified."""
    body = request(
        ("xcore:offer-activity:a1", PLACEMENT), ("xcore:offer-activity:a1", OTHER_PLACEMENT)
    )
    body["xdm:allowDuplicatePropositions"] = {"xdm:acrossPlacements": True}
    response, trace = propose(_library(), body, PROFILES, Caps(), now=NOW)
    with pytest.raises(DecisionMismatch) as caught:
        assert_fallback_served(response, placement=OTHER_PLACEMENT, trace=trace)
    assert str(caught.value).splitlines() == [
        f"the fallback was not served for placement {OTHER_PLACEMENT}:",
        "- /xdm:propositions/1: xcore:personalized-offer:05 was proposed (ranked 5th with priority 5)",
        "",
        "Hint: these offers qualified; make them ineligible for this profile (status, dates, representation, rule or caps) for the fallback to be served.",
    ]  # fmt: skip


def test_a_placement_no_proposition_has_fails_both_assertions() -> None:
    """Asking about a placement the request did not name is a failure, not a silent pass."""
    response, _ = propose(_library(), request(), PROFILES, Caps(), now=NOW)
    nowhere = "xcore:offer-placement:ff"
    with pytest.raises(DecisionMismatch, match=f"no proposition for placement {nowhere}"):
        assert_fallback_served(response, placement=nowhere)
    with pytest.raises(DecisionMismatch, match=f"no proposition for placement {nowhere}"):
        assert_offer_proposed(response, "xcore:personalized-offer:05", placement=nowhere)


def test_a_value_that_is_no_response_is_a_type_error() -> None:
    """Passing something else says what was expected."""
    with pytest.raises(TypeError, match="expected a decision response"):
        assert_fallback_served(["not", "a", "response"])


def test_an_answer_that_breaks_the_response_contract_is_the_fake_s_error() -> None:
    """Stored characteristics that are not strings cannot be sent: the fake refuses its answer."""
    lib = library(offer("01", **{"xdm:characteristics": {"tier": 1}}))
    body = request(
        extra={"xdm:responseFormat": {"xdm:includeMetadata": {"xdm:option": ["characteristics"]}}}
    )
    with pytest.raises(DecisionContractError) as caught:
        propose(lib, body, PROFILES, Caps(), now=NOW)
    assert [(v.pointer, v.rule) for v in caught.value.violations] == [
        ("/xdm:propositions/0/xdm:options/0/xdm:characteristics/tier", "type")
    ]
