"""The fake over broken create calls: 4xx for an error rule, 2xx and the warning kept for one."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import assume, given, settings
from test_strategies import SPEED_FREE

import contract_kit
from contract_kit import strategies as cs
from contract_kit.core.rule_catalogue import severity_of
from contract_kit.fake import FakeRequest, OfferLibrary, OfferLibraryOptions

DRAWS = 1000


def _is_text_pair(pair: object) -> bool:
    return (
        isinstance(pair, tuple | list)
        and len(pair) == 2
        and all(isinstance(part, str) for part in pair)
    )


def _fake_for(call: Any) -> OfferLibrary:
    """A fake holding the call's container and the placements its body names, as a test seeds."""
    parts = urlsplit(str(call.url)).path.split("/")
    container = parts[4] if len(parts) > 4 else ""
    try:  # a drawn path may hold no container id, or a malformed one: the default fake then
        uuid.UUID(container)
    except ValueError:
        fake = OfferLibrary()
    else:
        fake = OfferLibrary(OfferLibraryOptions(container_id=container))
    body: Any = call.body  # bytes or text as sent, or a value sent as json= sends it
    if isinstance(body, bytes | str):
        with contextlib.suppress(ValueError):
            body = json.loads(body)
    if isinstance(body, dict) and isinstance(body.get("_instance"), dict):  # the envelope form
        body = body["_instance"]
    representations = body.get("xdm:representations") if isinstance(body, dict) else None
    for representation in representations if isinstance(representations, list) else []:
        placement = (
            representation.get("xdm:placement") if isinstance(representation, dict) else None
        )
        # A malformed id cannot be stored: the call then gets its xcore-id answer.
        if isinstance(placement, str):
            with contextlib.suppress(contract_kit.ContractViolation):
                fake.add_placement(placement)
    return fake


@pytest.mark.properties
def test_the_fake_refuses_error_draws_and_serves_warning_draws() -> None:
    """Each broken create call gets 4xx if its rule is an error, else 2xx with the warning kept."""
    seen: Counter[str] = Counter()

    @settings(SPEED_FREE, max_examples=DRAWS, database=None)
    @given(cs.invalid_create_calls())
    def check(case: cs.InvalidCase) -> None:
        call = case.instance
        pairs = list(call.headers.items()) if isinstance(call.headers, dict) else call.headers
        # HTTP sends name and value pairs of text only: other headers never reach a fake.
        assume(isinstance(pairs, list | tuple) and all(_is_text_pair(pair) for pair in pairs))
        fake = _fake_for(call)
        fake.allow_violations()
        response = fake.handle(FakeRequest.from_call(*case.instance))
        [served] = fake.calls
        found = {(v.pointer, v.rule) for v in served.violations}
        assert (case.pointer, case.rule) in found, case
        errors = [v for v in served.violations if v.is_error]
        seen[severity_of(case.rule)] += 1
        if errors:
            assert 400 <= response.status < 500, (case, response.body)
        else:
            assert severity_of(case.rule) == "warning", case
            assert 200 <= response.status < 300, (case, response.body)

    check()
    assert seen["error"] > 0
    assert seen["warning"] > 0
