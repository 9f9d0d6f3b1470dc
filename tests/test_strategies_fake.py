"""Drawn calls go to the fake as they are drawn: valid creates get 201, lookups and searches 200.

The long run (thousands of draws) is in test_strategies_properties.py.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis.errors import InvalidArgument
from test_strategies import SPEED_FREE

import contract_kit
from contract_kit import strategies as cs
from contract_kit.fake import FakeRequest, OfferLibrary, OfferLibraryOptions
from contract_kit.fake.store import DEFAULT_CONTAINER, DEFAULT_PLACEMENT
from contract_kit.strategies.calls import FAKE_CONTAINER, FAKE_PLACEMENT

QUICK = settings(SPEED_FREE, max_examples=30, database=None)
PLACEMENTS = ("xcore:offer-placement:a1", "xcore:offer-placement:b2", "xcore:offer-placement:c3")
OTHER_CONTAINER = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
SEVEN: Any = 7  # not a str, as a caller without a type checker may pass


def placements_of(call: cs.CreateCall) -> list[str]:
    """The placements a drawn create call's offer names, whatever its encoding and form."""
    body = json.loads(FakeRequest.from_call(*call).body)
    offer = body.get("_instance", body)
    return [r["xdm:placement"] for r in offer["xdm:representations"]]


def some(strategy: Any, condition: Any = lambda _: True) -> Any:
    """A draw meeting ``condition``, unshrunk: shrinking whole calls is slow, and not needed."""
    return find(strategy, condition, settings=settings(database=None, phases=[Phase.generate]))


def container_of(call: Any) -> str:
    """The container id in a drawn call's path."""
    return str(urlsplit(call.url).path).split("/")[4]


def test_the_strategies_name_the_fakes_defaults() -> None:
    """The ids the strategies default to are the ones a new fake holds."""
    assert (FAKE_CONTAINER, FAKE_PLACEMENT) == (DEFAULT_CONTAINER, DEFAULT_PLACEMENT)


def test_valid_create_calls_are_created_by_a_reset_fake() -> None:
    """Each drawn create call, sent as drawn to a fake reset before it, gets 201."""
    fake = OfferLibrary()

    @QUICK
    @given(cs.create_calls())
    def check(call: cs.CreateCall) -> None:
        fake.reset()
        response = fake.handle(FakeRequest.from_call(*call))
        assert response.status == 201, response.body
        assert container_of(call).lower() == DEFAULT_CONTAINER
        assert placements_of(call) == [DEFAULT_PLACEMENT]

    check()


def test_create_calls_name_the_container_and_placements_they_are_given() -> None:
    """With placements seeded in a fake of another container, each draw gets 201."""
    fake = OfferLibrary(OfferLibraryOptions(container_id=OTHER_CONTAINER))

    @QUICK
    @given(cs.create_calls(container_id=OTHER_CONTAINER, placements=PLACEMENTS))
    def check(call: cs.CreateCall) -> None:
        fake.reset()
        for placement in PLACEMENTS:
            fake.add_placement(placement)
        response = fake.handle(FakeRequest.from_call(*call))
        assert response.status == 201, response.body
        assert set(placements_of(call)) <= set(PLACEMENTS)

    check()
    several = cs.create_calls(placements=PLACEMENTS)
    assert len(placements_of(some(several, lambda c: len(placements_of(c)) == 3))) == 3


def test_create_calls_of_any_container_and_placement_keep_check_request() -> None:
    """None draws any UUID container and any placement, as before: check_request is empty."""
    anywhere = cs.create_calls(container_id=None, placements=None)
    call = some(anywhere, lambda c: container_of(c).lower() != DEFAULT_CONTAINER)
    assert contract_kit.check_request(*call) == []
    other = some(anywhere, lambda c: placements_of(c) != [DEFAULT_PLACEMENT])
    assert contract_kit.check_request(*other) == []


def test_lookups_and_searches_name_the_container_they_are_given() -> None:
    """Lookups and searches are in the fake's container, or the one given, in either case."""
    assert container_of(some(cs.lookup_calls())).lower() == DEFAULT_CONTAINER
    upper = some(cs.search_calls(container_id=OTHER_CONTAINER), lambda c: container_of(c).isupper())
    assert container_of(upper) == OTHER_CONTAINER.upper()
    fake = OfferLibrary(OfferLibraryOptions(container_id=OTHER_CONTAINER))
    assert fake.handle(FakeRequest.from_call(*upper)).status == 200


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: cs.create_calls(container_id="e0bd8463"), "container_id must be a UUID (8-4-4-4-12 hex digits) or None, not 'e0bd8463'"),
        (lambda: cs.lookup_calls(container_id=SEVEN), "container_id must be a UUID (8-4-4-4-12 hex digits) or None, not 7"),
        (lambda: cs.create_calls(placements="xcore:offer-placement:a1"), "placements must be a list of placement ids, e.g. placements=['xcore:offer-placement:124e0be5699743d3']"),
        (lambda: cs.create_calls(placements=["xcore:offer-placement:A1"]), "placements: 'xcore:offer-placement:A1' is not an offer-placement id (\"xcore:offer-placement:\" and 1 to 16 lowercase hex digits)"),
        (lambda: cs.create_calls(placements=[]), "placements is empty: name at least one, e.g. placements=['xcore:offer-placement:124e0be5699743d3']"),
    ],
)  # fmt: skip
def test_call_arguments_are_checked_when_the_strategy_is_made(make: Any, message: str) -> None:
    """A wrong container or placement raises InvalidArgument at once, saying what is allowed."""
    with pytest.raises(InvalidArgument) as raised:
        make()
    assert str(raised.value) == message
