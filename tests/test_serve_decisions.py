"""Decisions over `contract-kit serve`: the decide call, profiles and traces on the control plane."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from fake_decisions import HEADERS, JOE, RULE, library, offer_body, request_body
from loopback import LoopbackClient, serving

from contract_kit.decisioning.assertions import assert_fallback_served, assert_offer_proposed
from contract_kit.fake import OfferLibrary
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.seeding import Seed
from contract_kit.fake.serving import ServedLibrary
from contract_kit.lint.examples import example
from contract_kit.openapi.served import served_document

if TYPE_CHECKING:
    from collections.abc import Iterator

TOKEN = "the-one-token"
CALL = {**HEADERS, "Authorization": f"Bearer {TOKEN}"}
OFFER = "xcore:personalized-offer:1"
RULED = {
    "xdm:startDate": "2026-01-01T00:00:00Z",
    "xdm:endDate": "2026-12-31T00:00:00Z",
    "xdm:eligibilityRule": RULE,
}
JOE_RULE = 'profile.person.name.firstName.equals("Joe", false)'


@contextmanager
def _serve(*offers: dict[str, Any], rule: str | None = None) -> Iterator[LoopbackClient]:
    """Serve a library of ``offers`` on a free loopback port, in a thread, for the block."""
    seeds = [Seed(kind, body) for kind, body in library(*offers, rule=rule)]

    def fake_for(base_url: str) -> ServedLibrary:
        served = OfferLibrary(OfferLibraryOptions(base_url=base_url, allow_violations=True))
        return ServedLibrary(served, token=TOKEN, seeds=seeds, document=served_document(example))

    with serving(fake_for) as (client, _):
        yield client


def _decide(client: LoopbackClient, request_id: str) -> Any:
    status, _, body = client.call(
        "POST", "/data/core/ods/decisions", request_body(), {**CALL, "x-request-id": request_id}
    )
    assert status == 200, body
    return body


def test_serve_decides_and_keeps_the_trace() -> None:
    """A decision over HTTP proposes the offer; its trace, read by propositionId, lists both."""
    with _serve(offer_body("1"), offer_body("2", 0, **{"xdm:status": "draft"})) as client:
        body = _decide(client, "r1")
        assert_offer_proposed(body, OFFER)
        status, _, trace = client.call(
            "GET", f"/_contract-kit/decisions/{body['xdm:propositionId']}"
        )
    assert status == 200
    assert trace["propositionId"] == body["xdm:propositionId"]
    assert [(c["offer"], c["reason"]) for c in trace["propositions"][0]["candidates"]] == [
        (OFFER, "chosen"),
        ("xcore:personalized-offer:2", "not-evaluated"),
    ]


def test_a_profile_set_over_the_control_plane_is_what_rules_read() -> None:
    """PUT /_contract-kit/profiles/{namespace}/{id} makes Joe's rule true for his identity."""
    with _serve(offer_body("1", **{"xdm:selectionConstraint": RULED}), rule=JOE_RULE) as client:
        assert_fallback_served(_decide(client, "before"))
        namespace, identity = JOE
        target = f"/_contract-kit/profiles/{namespace}/{identity.replace('@', '%40')}"
        status, _, _ = client.call("PUT", target, {"person": {"name": {"firstName": "Joe"}}})
        assert status == 204
        assert_offer_proposed(_decide(client, "after"), OFFER)


def test_an_unknown_proposition_id_is_a_404_saying_what_is_kept() -> None:
    """The control plane keeps recent traces only; a miss says so."""
    with _serve(offer_body("1")) as client:
        status, _, body = client.call("GET", "/_contract-kit/decisions/nothing-like-it")
    assert status == 404
    assert body["detail"] == (
        "no recent decision has xdm:propositionId nothing-like-it; the fake keeps the traces "
        "of its last 1000 decisions, until a reset"
    )


def test_a_profile_body_that_is_not_an_object_is_refused() -> None:
    """The attributes are a JSON object; anything else is a 400 saying what to send."""
    with _serve(offer_body("1")) as client:
        status, _, body = client.call("PUT", "/_contract-kit/profiles/Email/a%40b.com", [1])
    assert status == 400
    assert body["detail"] == (
        'the body is the profile\'s attributes as a JSON object, {"person": {"name": '
        '{"firstName": "Joe"}}}'
    )
