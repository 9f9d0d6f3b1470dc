"""offer_libraries(): whole Offer Libraries whose every reference names an object drawn before it.

A few draws each here; the long run is test_library_strategies_properties below, marked
``properties``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from test_strategies import SPEED_FREE

import contract_kit
from contract_kit import strategies as cs
from contract_kit.api.decision_request import (
    REQUEST_SCHEMA,
    RESPONSE_SCHEMA,
    check_decision_request,
)
from contract_kit.core.object_kinds import insertion_order, reference_values
from contract_kit.fake import OfferLibrary

PLACEMENT, FALLBACK, DECISION = "offer-placement", "fallback-offer", "offer-activity"
OFFERS = ("personalized-offer", "fallback-offer")
_XDM = "application/vnd.adobe.xdm+json"
#: The headers of a decision call, as the Decisioning API documents them.
DECISION_HEADERS = {
    "Accept": f'{_XDM}; schema="{RESPONSE_SCHEMA}"',
    "Content-Type": f'{_XDM}; schema="{REQUEST_SCHEMA}"',
    "Authorization": "Bearer fake-access-token",
    "x-api-key": "fake-api-key",
    "x-gw-ims-org-id": "FAKE0123456789@AdobeOrg",
    "x-sandbox-name": "prod",
    "x-request-id": "fake-request-1",
}
#: A library is some twenty bodies: a few draws per test keep the fast suite fast.
SOME = settings(SPEED_FREE, max_examples=5, database=None)


def check_library(library: cs.Library) -> None:
    """Every body is valid and carries its @id; every reference names an earlier object it may."""
    earlier: dict[str, str] = {}
    for found in library.objects:
        problems = contract_kit.violations(found.kind, found.body)
        assert problems == [], (found.kind, [str(v) for v in problems])
        assert found.body["@id"] == found.id
        assert found.id not in earlier, found.id
        for reference in reference_values(found.kind, found.body):
            assert earlier.get(reference.target) in reference.kinds, (found.kind, reference)
        earlier[found.id] = found.kind


def check_fit(library: cs.Library) -> None:
    """Representations sit on distinct placements with the placement's channel and types."""
    placements = {found.id: found.body for found in library.of_kind(PLACEMENT)}
    for kind in OFFERS:
        for offer in library.of_kind(kind):
            named = [r["xdm:placement"] for r in offer.body.get("xdm:representations", ())]
            assert len(named) == len(set(named)), offer.body
            for representation in offer.body.get("xdm:representations", ()):
                placement = placements[representation["xdm:placement"]]
                assert representation["xdm:channel"] == placement["xdm:channel"]
                for component in representation["xdm:components"]:
                    assert component["@type"] == placement["xdm:componentType"]
                    if placement.get("xdm:contentTypes"):
                        assert component["dc:format"] in placement["xdm:contentTypes"]


def served(decision: dict[str, Any]) -> set[str]:
    """The placements a decision's criteria name."""
    return {p for criterion in decision["xdm:criteria"] for p in criterion["xdm:placements"]}


@SOME
@given(cs.offer_libraries())
def test_every_body_is_valid_and_every_reference_names_an_earlier_object(
    library: cs.Library,
) -> None:
    """Bodies keep their kind's contract, and reference only objects of the kinds they may."""
    check_library(library)


@SOME
@given(cs.offer_libraries())
def test_representations_fit_the_placements_they_name(library: cs.Library) -> None:
    """An offer's representations name distinct placements, with their channel and types."""
    check_fit(library)


@SOME
@given(cs.offer_libraries())
def test_one_decision_over_one_collection_and_a_fallback_for_every_placement(
    library: cs.Library,
) -> None:
    """The decision's fallback has one representation per placement the decision serves."""
    (decision,) = library.of_kind(DECISION)
    (fallback,) = library.of_kind(FALLBACK)
    assert decision.body["xdm:fallback"] == fallback.id
    placements = [r["xdm:placement"] for r in fallback.body["xdm:representations"]]
    assert set(placements) >= served(decision.body)
    assert len(placements) == len(set(placements))
    (collection,) = library.of_kind("offer-filter")
    assert collection.body["xdm:ids"], collection.body


@SOME
@given(cs.offer_libraries())
def test_objects_come_in_insertion_order_with_unique_names(library: cs.Library) -> None:
    """Objects are grouped by kind in the table's reference order, every name used once."""
    kinds = [found.kind for found in library.objects]
    assert list(dict.fromkeys(kinds)) == list(insertion_order())
    assert kinds == sorted(kinds, key=insertion_order().index)
    names = [found.body["xdm:name"] for found in library.objects]
    assert len(set(names)) == len(names)


class _Recorder:
    """A stand-in for the fake's ``add``: records each call and answers a made-up instanceId."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def add(self, kind: str, body: dict[str, Any]) -> str:
        """Record the call."""
        self.calls.append((kind, body))
        return f"instance-{len(self.calls)}"


@settings(SPEED_FREE, max_examples=3, database=None)
@given(cs.offer_libraries())
def test_seed_into_adds_every_object_in_order(library: cs.Library) -> None:
    """seed_into calls add(kind, body) once per object, in order, and maps each @id to its id."""
    recorder = _Recorder()
    answered = library.seed_into(recorder)
    assert recorder.calls == [(found.kind, found.body) for found in library.objects]
    assert all(
        body is not found.body
        for (_, body), found in zip(recorder.calls, library.objects, strict=True)
    )
    assert answered == {found.id: f"instance-{n}" for n, found in enumerate(library.objects, 1)}


@pytest.mark.properties
def test_library_strategies_properties() -> None:
    """300 libraries are each consistent, fitted and covered by their fallback."""
    count = 0

    @settings(SPEED_FREE, max_examples=300, database=None)
    @given(cs.offer_libraries())
    def check(library: cs.Library) -> None:
        nonlocal count
        count += 1
        check_library(library)
        check_fit(library)
        (decision,) = library.of_kind(DECISION)
        (fallback,) = library.of_kind(FALLBACK)
        assert {r["xdm:placement"] for r in fallback.body["xdm:representations"]} >= served(
            decision.body
        )

    check()
    assert count >= 300


@settings(SPEED_FREE, max_examples=3, database=None)
@given(cs.offer_libraries())
def test_a_drawn_library_seeds_a_fake_whose_reads_find_every_object(library: cs.Library) -> None:
    """The fake takes every object of a drawn library in order and stores it under its @id."""
    fake = OfferLibrary()
    answered = library.seed_into(fake)
    assert list(answered) == [found.id for found in library.objects]
    for found in library.objects:
        stored = [
            envelope["_instance"]
            for envelope in fake.instances_of(found.kind).values()
            if envelope["_instance"].get("@id") == found.id
        ]
        assert len(stored) == 1, found
        assert {k: v for k, v in stored[0].items() if k != "@id"} == {
            k: v for k, v in found.body.items() if k != "@id"
        }


@SOME
@given(st.data())
def test_decision_requests_ask_the_library_and_pass_the_decision_check(data: Any) -> None:
    """Each drawn decision request names the library's decisions and their placements, checked clean."""
    library = data.draw(cs.offer_libraries())
    body = data.draw(cs.decision_requests(library))
    assert check_decision_request(DECISION_HEADERS, body) == []
    decisions = {found.id: found.body for found in library.of_kind(DECISION)}
    for request in body["xdm:propositionRequests"]:
        served = {
            value
            for criterion in decisions[request["xdm:activityId"]]["xdm:criteria"]
            for value in criterion.get("xdm:placements", ())
        }
        assert request["xdm:placementId"] in served
        assert 1 <= request.get("xdm:itemCount", 1) <= 30
    assert 1 <= len(body["xdm:propositionRequests"]) <= 30
    assert len(body["xdm:profiles"]) == 1


def test_decision_requests_need_a_library_with_a_decision() -> None:
    """A library without a decision is refused when the strategy is made, saying why."""
    with pytest.raises(InvalidArgument, match="needs a library that holds a decision"):
        cs.decision_requests(cs.Library(()))
