"""The choices strategies make inside a draw, from strategies built once."""

from __future__ import annotations

import itertools

from hypothesis import find, given, settings
from hypothesis import strategies as st

from contract_kit.strategies.picks import between, pick, shuffled

ITEMS = ("a", "b", "c")


@st.composite
def _picked(draw: st.DrawFn) -> str:
    return pick(draw, ITEMS)


@st.composite
def _shuffled(draw: st.DrawFn) -> list[str]:
    return shuffled(draw, ITEMS)


@st.composite
def _between(draw: st.DrawFn) -> int:
    return between(draw, 3, 5)


def test_pick_reaches_every_item_and_shrinks_to_the_first() -> None:
    """Every item is picked; a pick shrinks to the first item, as sampled_from's does."""
    seen: set[str] = set()

    @settings(max_examples=100, database=None, derandomize=True)
    @given(_picked())
    def check(item: str) -> None:
        seen.add(item)

    check()
    assert seen == set(ITEMS)
    assert find(_picked(), lambda _: True) == "a"


def test_pick_of_one_item_draws_nothing() -> None:
    """A single item is returned without a choice, as sampled_from of one is just()."""
    assert find(st.composite(lambda draw: pick(draw, ["only"]))(), lambda _: True) == "only"


def test_shuffled_reaches_every_order_and_shrinks_to_the_order_given() -> None:
    """Every order of three items occurs; a shuffle shrinks back to the order given."""
    seen: set[tuple[str, ...]] = set()

    @settings(max_examples=200, database=None, derandomize=True)
    @given(_shuffled())
    def check(order: list[str]) -> None:
        assert sorted(order) == list(ITEMS)
        seen.add(tuple(order))

    check()
    assert seen == set(itertools.permutations(ITEMS))
    assert find(_shuffled(), lambda _: True) == list(ITEMS)


def test_between_stays_in_its_bounds_and_shrinks_to_the_low_one() -> None:
    """Integers from low to high, both reached; they shrink to low."""
    seen: set[int] = set()

    @settings(max_examples=100, database=None, derandomize=True)
    @given(_between())
    def check(number: int) -> None:
        seen.add(number)

    check()
    assert seen == {3, 4, 5}
    assert find(_between(), lambda _: True) == 3
