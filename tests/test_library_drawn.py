"""Drawn Offer Libraries (strategies.offer_libraries) in the fake: seeded whole, deletes refused.

A few draws run with the suite; the long run is marked ``properties``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from fake_calls import BASE, RECEIPT, send
from hypothesis import HealthCheck, given, settings

from contract_kit import strategies as cs
from contract_kit.core.object_kinds import reference_values
from contract_kit.fake import OfferLibrary

if TYPE_CHECKING:
    from collections.abc import Callable

FEW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=10)
MANY = settings(FEW, max_examples=300)


def _seeded_and_guarded(library: cs.Library) -> None:
    """Every drawn object is stored; each one another names survives its delete."""
    fake = OfferLibrary()
    stored = library.seed_into(fake)
    assert set(stored.values()) <= set(fake.all_instances)
    named = {
        r.target for found in library.objects for r in reference_values(found.kind, found.body)
    }
    for at_id in sorted(named & set(stored))[:3]:
        instance_id = stored[at_id]
        assert send(fake, "DELETE", f"{BASE}/instances/{instance_id}", RECEIPT).status == 202
        assert instance_id in fake.all_instances
    assert fake.violations == []


def _checked(run: settings) -> Callable[[], None]:
    return run(given(cs.offer_libraries())(_seeded_and_guarded))


def test_a_few_drawn_libraries_seed_whole_and_keep_what_is_named() -> None:
    """A few draws, with the suite."""
    _checked(FEW)()


@pytest.mark.properties
def test_drawn_libraries_seed_whole_and_keep_what_is_named() -> None:
    """Many draws: no drawn library is refused, no named object is deleted."""
    _checked(MANY)()
