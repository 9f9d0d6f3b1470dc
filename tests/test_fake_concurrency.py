"""The in-process fake under threads: one winner per etag, however the threads interleave."""

from __future__ import annotations

import json
import sys
import threading
from typing import TYPE_CHECKING, Any

import pytest

from contract_kit.fake import FakeRequest, OfferLibrary
from contract_kit.fake.store import DEFAULT_CONTAINER

if TYPE_CHECKING:
    from collections.abc import Iterator

BASE = f"https://platform.adobe.io/data/core/xcore/{DEFAULT_CONTAINER}"
HEADERS = (
    ("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
    ("x-api-key", "4a6f3c1d2e8b4f0a"),
    ("x-gw-ims-org-id", "0123ABCD@AdobeOrg"),
    ("Accept", "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"),
    ("Content-Type", "application/vnd.adobe.platform.xcore.patch.hal+json; version=1"),
    ("If-Match", '"1"'),
)
ROUNDS = 100
WRITERS = 8


@pytest.fixture
def forced_switching() -> Iterator[None]:
    """Make the interpreter switch threads every microsecond, so a missing lock shows."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _race(fake: OfferLibrary, instance_id: str) -> list[int]:
    """WRITERS threads PATCH the instance at once, each with If-Match of etag 1."""
    start = threading.Barrier(WRITERS)
    statuses: list[int] = []

    def write(name: str) -> None:
        change = [{"op": "replace", "path": "/_instance/xdm:name", "value": name}]
        request = FakeRequest(
            "PATCH", f"{BASE}/instances/{instance_id}", HEADERS, json.dumps(change).encode()
        )
        start.wait()
        statuses.append(fake.handle(request).status)

    threads = [threading.Thread(target=write, args=(f"writer {n}",)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


@pytest.mark.usefixtures("forced_switching")
def test_concurrent_if_match_writes_have_exactly_one_winner(seed_body: dict[str, Any]) -> None:
    """In each of 100 rounds, one PATCH with the current etag wins (200); the others get 409."""
    fake = OfferLibrary()
    outcomes = []
    for _ in range(ROUNDS):
        instance_id = fake.add_fallback_offer(seed_body)
        outcomes.append(_race(fake, instance_id))
        assert fake.instances[instance_id]["repo:etag"] == 2
    assert outcomes == [[200] + [409] * (WRITERS - 1)] * ROUNDS
    assert len(fake.calls) == ROUNDS * WRITERS
