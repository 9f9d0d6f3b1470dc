"""The fake's Decisioning runtime over its HTTP path: one test per reason an offer is left out.

Each test stores one offer that does not qualify, decides through ``POST .../decisions`` as a
client would, and pins the line ``assert_offer_proposed`` gives for that offer with the
trace the fake keeps by propositionId.
"""

from __future__ import annotations

from typing import Any

import pytest
from fake_decisions import (
    HEADERS,
    JOE,
    NOW,
    OTHER_PLACEMENT,
    encoded,
    offer_body,
    request_body,
    seed,
)

from contract_kit.decisioning.assertions import (
    DecisionMismatch,
    assert_fallback_served,
    assert_offer_proposed,
)
from contract_kit.fake.exchange import FakeRequest
from contract_kit.fake.service import OfferLibrary

OFFER = "xcore:personalized-offer:1"
OTHER_CONTAINER = "9b4f2c1e-0000-4000-8000-000000000001"
JOE_RULE = 'profile.person.name.firstName.equals("Joe", false)'
_EXPIRED = {"xdm:startDate": "2025-01-01T00:00:00Z", "xdm:endDate": "2026-01-01T00:00:00Z"}
_LATER = {"xdm:startDate": "2026-09-01T00:00:00Z", "xdm:endDate": "2026-12-31T00:00:00Z"}
_RULED = {
    "xdm:startDate": "2026-01-01T00:00:00Z",
    "xdm:endDate": "2026-12-31T00:00:00Z",
    "xdm:eligibilityRule": "xcore:eligibility-rule:e1",
}


@pytest.fixture
def fake() -> OfferLibrary:
    """A fake whose clock stands at June 2026, inside every stored date range."""
    library = OfferLibrary(clock=lambda: NOW)
    library.add_placement(OTHER_PLACEMENT)
    return library


def _post(fake: OfferLibrary, body: object, request_id: str, path: str = "") -> Any:
    target = path or f"/data/core/ode/{fake.container_id}/decisions"
    headers = {**HEADERS, "x-request-id": request_id}
    return fake.handle(
        FakeRequest.from_call("POST", fake.base_url + target, headers, encoded(body))
    )


def _excluded(fake: OfferLibrary, times: int = 1) -> str:
    """The failure of assert_offer_proposed for OFFER after ``times`` decisions over HTTP."""
    for count in range(times):
        response = _post(fake, request_body(), f"request-{count}")
        assert response.status == 200
    body = response.json()
    with pytest.raises(DecisionMismatch) as failure:
        assert_offer_proposed(body, OFFER, trace=fake.decision_trace(body["xdm:propositionId"]))
    return str(failure.value).splitlines()[2]


def test_a_qualifying_offer_is_proposed(fake: OfferLibrary) -> None:
    """An approved offer in its dates, for the placement, with no rule, is the one option."""
    seed(fake, offer_body("1"))
    body = _post(fake, request_body(), "r1").json()
    assert_offer_proposed(body, OFFER)
    assert body["xdm:propositions"][0]["xdm:options"] == [{"xdm:id": OFFER, "repo:etag": 1}]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"xdm:status": "draft"}, "draft, not approved"),
        ({"xdm:selectionConstraint": _EXPIRED}, "expired on 2026-01-01T00:00:00Z"),
        ({"xdm:selectionConstraint": _LATER}, "starts on 2026-09-01T00:00:00Z"),
        ({"xdm:tags": []}, "not in the collection xcore:offer-filter:c1"),
    ],
    ids=["draft", "expired", "not-started", "not-in-collection"],
)
def test_an_offer_left_out_by_its_own_members(
    fake: OfferLibrary, members: dict[str, Any], expected: str
) -> None:
    """Status, dates and collection membership each exclude the offer, and say so."""
    seed(fake, offer_body("1", **members))
    assert _excluded(fake) == f"- /xdm:propositions/0: {OFFER}: {expected}"


def test_an_offer_without_a_representation_for_the_placement(fake: OfferLibrary) -> None:
    """An offer made for another placement is not a candidate for this one."""
    representation = offer_body("1")["xdm:representations"][0]
    other = {**representation, "xdm:placement": OTHER_PLACEMENT}
    seed(fake, offer_body("1", **{"xdm:representations": [other]}))
    assert _excluded(fake) == (
        f"- /xdm:propositions/0: {OFFER}: no representation for placement "
        "xcore:offer-placement:124e0be5699743d3"
    )


def test_an_offer_whose_rule_is_false_for_the_profile(fake: OfferLibrary) -> None:
    """The rule reads the attributes set for the identity: Ann is not Joe."""
    seed(fake, offer_body("1", **{"xdm:selectionConstraint": _RULED}), rule=JOE_RULE)
    fake.set_profile(*JOE, {"person": {"name": {"firstName": "Ann"}}})
    assert _excluded(fake) == (
        f"- /xdm:propositions/0: {OFFER}: the rule xcore:eligibility-rule:e1 is false for "
        'this profile: profile.person.name.firstName is "Ann"'
    )


def test_an_offer_whose_rule_is_unknown_for_the_profile(fake: OfferLibrary) -> None:
    """An identity with no attributes set makes the rule unknown, which does not qualify."""
    seed(fake, offer_body("1", **{"xdm:selectionConstraint": _RULED}), rule=JOE_RULE)
    assert _excluded(fake) == (
        f"- /xdm:propositions/0: {OFFER}: the rule xcore:eligibility-rule:e1 is unknown for "
        "this profile: profile.person.name.firstName is missing"
    )


def test_a_rule_true_for_the_profile_qualifies_the_offer(fake: OfferLibrary) -> None:
    """The same rule, with Joe's first name set through set_profile, proposes the offer."""
    seed(fake, offer_body("1", **{"xdm:selectionConstraint": _RULED}), rule=JOE_RULE)
    fake.set_profile(*JOE, {"person": {"name": {"firstName": "joe"}}})
    assert_offer_proposed(_post(fake, request_body(), "r1").json(), OFFER)


@pytest.mark.parametrize(
    ("cap", "expected", "said"),
    [
        ({"xdm:globalCap": 1}, "capped-global", "capped: 1 of globalCap 1"),
        ({"xdm:profileCap": 1}, "capped-profile", "capped: 1 of profileCap 1 for this profile"),
    ],
)
def test_an_offer_capped_after_one_proposal(
    fake: OfferLibrary, cap: dict[str, int], expected: str, said: str
) -> None:
    """A cap of 1 lets the first decision propose the offer and the second serve the fallback."""
    seed(fake, offer_body("1", **{"xdm:cappingConstraint": cap}))
    assert _excluded(fake, times=2) == f"- /xdm:propositions/0: {OFFER}: {said}"
    body = _post(fake, request_body(), "again").json()
    trace = fake.decision_trace(body["xdm:propositionId"])
    assert trace is not None
    assert trace.propositions[0].candidate(OFFER).reason == expected


def test_a_dry_run_counts_no_cap(fake: OfferLibrary) -> None:
    """xdm:dryRun decisions leave the caps alone: the offer stays proposable."""
    seed(fake, offer_body("1", **{"xdm:cappingConstraint": {"xdm:globalCap": 1}}))
    for count in range(3):
        _post(fake, request_body(**{"xdm:dryRun": True}), f"dry-{count}")
    assert_offer_proposed(_post(fake, request_body(), "real").json(), OFFER)


def test_reset_forgets_the_caps(fake: OfferLibrary) -> None:
    """A reset starts the caps over, with the library."""
    seed(fake, offer_body("1", **{"xdm:cappingConstraint": {"xdm:globalCap": 1}}))
    _post(fake, request_body(), "r1")
    fake.reset()
    seed(fake, offer_body("1", **{"xdm:cappingConstraint": {"xdm:globalCap": 1}}))
    assert_offer_proposed(_post(fake, request_body(), "r2").json(), OFFER)


def test_a_store_change_is_seen_by_the_next_decision(fake: OfferLibrary) -> None:
    """The rankings are rebuilt after a write: a new higher-priority offer wins at once."""
    seed(fake, offer_body("1"))
    assert_offer_proposed(_post(fake, request_body(), "r1").json(), OFFER)
    fake.add("personalized-offer", offer_body("2", 9))
    assert_offer_proposed(_post(fake, request_body(), "r2").json(), "xcore:personalized-offer:2")


def test_the_fallback_is_served_when_no_offer_qualifies(fake: OfferLibrary) -> None:
    """With only a draft offer, the proposition carries the fallback and no options."""
    seed(fake, offer_body("1", **{"xdm:status": "draft"}))
    body = _post(fake, request_body(), "r1").json()
    assert_fallback_served(body)
    assert "xdm:options" not in body["xdm:propositions"][0]


def test_the_ods_form_decides_in_the_callers_container(fake: OfferLibrary) -> None:
    """POST /data/core/ods/decisions names no container and answers as the ODE form does."""
    seed(fake, offer_body("1"))
    response = _post(fake, request_body(), "r1", path="/data/core/ods/decisions")
    assert response.status == 200
    assert_offer_proposed(response.json(), OFFER)


def test_the_ode_form_refuses_another_container(fake: OfferLibrary) -> None:
    """A container the fake does not serve is 404, as on the repository paths."""
    seed(fake, offer_body("1"))
    response = _post(fake, request_body(), "r1", path=f"/data/core/ode/{OTHER_CONTAINER}/decisions")
    assert response.status == 404


def test_credentials_are_checked_first(fake: OfferLibrary) -> None:
    """A call without its API key gets the gateway's body, whatever else is wrong."""
    headers = {k: v for k, v in HEADERS.items() if k != "x-api-key"}
    target = fake.base_url + "/data/core/ods/decisions"
    response = fake.handle(FakeRequest.from_call("POST", target, headers, b"{}"))
    assert (response.status, response.json()) == (
        403,
        {"error_code": "403000", "message": "Api Key is required"},
    )


def test_a_content_type_the_call_does_not_take_is_415(fake: OfferLibrary) -> None:
    """text/plain is not one of the Swagger's three request media types."""
    target = fake.base_url + "/data/core/ods/decisions"
    headers = {**HEADERS, "Content-Type": "text/plain", "x-request-id": "r1"}
    response = fake.handle(FakeRequest.from_call("POST", target, headers, encoded(request_body())))
    assert response.status == 415
    assert [(v.pointer, v.rule) for v in fake.calls[-1].violations] == [
        ("/headers/content-type", "content-type")
    ]


def test_a_reused_request_id_is_a_warning(fake: OfferLibrary) -> None:
    """The second call with one x-request-id is answered, and the call records the warning."""
    seed(fake, offer_body("1", **{"xdm:cappingConstraint": {"xdm:globalCap": 5}}))
    _post(fake, request_body(), "same")
    assert _post(fake, request_body(), "same").status == 200
    assert [(v.pointer, v.rule) for v in fake.calls[-1].violations] == [
        ("/headers/x-request-id", "request-id-reused")
    ]


def test_an_unknown_activity_is_422(fake: OfferLibrary) -> None:
    """A proposition request naming no stored activity cannot be answered."""
    seed(fake, offer_body("1"))
    body = request_body()
    body["xdm:propositionRequests"][0]["xdm:activityId"] = "xcore:offer-activity:ffff"
    response = _post(fake, body, "r1")
    assert response.status == 422
    assert [v.rule for v in fake.calls[-1].violations] == ["unknown-activity"]


def test_decide_in_python_answers_as_over_http(fake: OfferLibrary) -> None:
    """offer_library.decide gives the status, the body and the trace of one decision."""
    seed(fake, offer_body("1", **{"xdm:status": "draft"}))
    answer = fake.decide(request_body())
    assert answer.status == 200
    assert answer.trace is not None
    assert_fallback_served(answer.body, trace=answer.trace)


def test_a_rule_outside_the_pql_subset_is_stored_with_a_warning(fake: OfferLibrary) -> None:
    """The service takes any PQL; the fake warns which construct its decisions refuse."""
    from contract_kit.core.object_kinds import documented_body

    rule = documented_body("eligibility-rule")
    rule["xdm:condition"]["xdm:value"] = 'person.name.firstName like "J%"'
    schema = "https://ns.adobe.com/experience/offer-management/eligibility-rule;version=0.3"
    headers = {
        "Authorization": HEADERS["Authorization"],
        "x-api-key": HEADERS["x-api-key"],
        "x-gw-ims-org-id": HEADERS["x-gw-ims-org-id"],
        "Content-Type": f'application/schema-instance+json; version=1; schema="{schema}"',
        "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
    }
    target = f"{fake.base_url}/data/core/xcore/{fake.container_id}/instances"
    response = fake.handle(FakeRequest.from_call("POST", target, headers, encoded(rule)))
    assert response.status == 201
    assert [(v.pointer, v.rule) for v in fake.calls[-1].violations] == [
        ("/body/xdm:condition/xdm:value", "pql-unsupported")
    ]
