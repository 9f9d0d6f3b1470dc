"""For any library the strategies draw, every proposition has options or a fallback, never both.

Each drawn library is made decidable (its activity live over the fake's clock, its rules in
the PQL subset) and seeded into the fake, then into ``contract-kit serve``; every activity
is decided at every placement it names, over HTTP.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from fake_decisions import HEADERS, encoded
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loopback import serving
from test_serve_decisions import TOKEN

import contract_kit.strategies as cs
from contract_kit.decisioning.request_body import decision_body
from contract_kit.decisioning.roles import roles
from contract_kit.fake import OfferLibrary
from contract_kit.fake.exchange import FakeRequest
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.seeding import Seed
from contract_kit.fake.serving import ServedLibrary
from contract_kit.lint.examples import example
from contract_kit.openapi.served import served_document

if TYPE_CHECKING:
    from contract_kit.strategies.library import Library

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
#: Rules the fake evaluates: true, false and unknown for a profile without attributes.
RULES = ("true", "false", 'person.name.firstName = "Joe"', "not (person.age > 3)")
PROFILES: tuple[dict[str, Any], ...] = ({}, {"person": {"name": {"firstName": "Joe"}, "age": 40}})


def _decidable(library: Library, data: st.DataObject) -> list[tuple[str, dict[str, Any]]]:
    """The library's objects in order, made decidable: both answers come up often.

    Activities are live today and rules in the subset; offers are often approved and inside
    their dates, which drawn ones rarely are.
    """
    parts = roles()
    objects = []
    for found in library.objects:
        body = copy.deepcopy(found.body)
        if found.kind == parts.activity:
            body.update(
                {
                    "xdm:status": "live",
                    "xdm:startDate": "2000-01-01T00:00:00Z",
                    "xdm:endDate": "2100-01-01T00:00:00Z",
                }
            )
        if found.kind == parts.offer and data.draw(st.booleans()):
            # Often an offer that may qualify: approved and inside its dates today.
            constraint = body.setdefault("xdm:selectionConstraint", {})
            constraint.update(
                {"xdm:startDate": "2000-01-01T00:00:00Z", "xdm:endDate": "2100-01-01T00:00:00Z"}
            )
            body["xdm:status"] = "approved"
        if found.kind == parts.rule:
            body["xdm:condition"] = {
                "xdm:type": "PQL",
                "xdm:format": "pql/text",
                "xdm:value": data.draw(st.sampled_from(RULES)),
            }
        objects.append((found.kind, body))
    return objects


def _requests(objects: list[tuple[str, dict[str, Any]]], data: st.DataObject) -> list[Any]:
    """One request per activity, deciding every placement it names, with a drawn itemCount."""
    bodies = []
    for kind, body in objects:
        if kind != roles().activity:
            continue
        placements = dict.fromkeys(p for c in body["xdm:criteria"] for p in c["xdm:placements"])
        bodies.append(
            decision_body(
                ("Email", "joe@example.com"),
                [(body["@id"], placement) for placement in placements],
                item_count=data.draw(st.integers(1, 3)),
                allow_duplicates=data.draw(
                    st.fixed_dictionaries({"acrossActivities": st.booleans()})
                ),
                attributes=data.draw(st.sampled_from(PROFILES)),
            )
        )
    return bodies


def _assert_options_xor_fallback(status: int, body: Any) -> None:
    assert status == 200, body
    for proposition in body["xdm:propositions"]:
        present = [name for name in ("xdm:options", "xdm:fallback") if name in proposition]
        assert len(present) == 1, proposition
        assert proposition.get("xdm:options", [None]) != []


@pytest.mark.properties
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cs.offer_libraries(), st.data())
def test_the_fake_always_proposes_options_or_the_fallback(
    library: Library, data: st.DataObject
) -> None:
    """Seeded into the fake and decided over its HTTP path: options xor fallback, every time."""
    fake = OfferLibrary(clock=lambda: NOW)
    objects = _decidable(library, data)
    for kind, body in objects:
        fake.add(kind, body)
    target = f"{fake.base_url}/data/core/ode/{fake.container_id}/decisions"
    for index, body in enumerate(_requests(objects, data)):
        headers = {**HEADERS, "x-request-id": f"r{index}"}
        response = fake.handle(FakeRequest.from_call("POST", target, headers, encoded(body)))
        _assert_options_xor_fallback(response.status, response.json())


@pytest.mark.properties
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cs.offer_libraries(), st.data())
def test_serve_always_proposes_options_or_the_fallback(
    library: Library, data: st.DataObject
) -> None:
    """The same property over contract-kit serve, seeded with --seed's objects."""
    objects = _decidable(library, data)
    seeds = [Seed(kind, body) for kind, body in objects]

    def fake_for(base_url: str) -> ServedLibrary:
        options = OfferLibraryOptions(base_url=base_url, allow_violations=True)
        served = OfferLibrary(options, clock=lambda: NOW)
        return ServedLibrary(served, token=TOKEN, seeds=seeds, document=served_document(example))

    with serving(fake_for) as (client, _):
        for index, body in enumerate(_requests(objects, data)):
            headers = {**HEADERS, "Authorization": f"Bearer {TOKEN}", "x-request-id": f"r{index}"}
            status, _, answer = client.call("POST", "/data/core/ods/decisions", body, headers)
            _assert_options_xor_fallback(status, answer)
