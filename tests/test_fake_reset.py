"""offer_library.reset(): each example of a @given test starts from a new fake's state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from contract_kit.assertions import ContractViolation
from contract_kit.fake import FakeRequest, FakeResponse, OfferLibrary, OfferLibraryOptions
from contract_kit.fake.store import DEFAULT_CONTAINER, DEFAULT_PLACEMENT

URL = f"https://platform.adobe.io/data/core/xcore/{DEFAULT_CONTAINER}/instances"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
HEADERS = {
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
    "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
    "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
}
OFFER_ID = "xcore:fallback-offer:1a2b3c4d5e6f7a8b"


def _create(fake: OfferLibrary, body: Any, **headers: str) -> FakeResponse:
    return fake.handle(FakeRequest.from_call("POST", URL, {**HEADERS, **headers}, body))


def _clock() -> dt.datetime:
    return dt.datetime(2023, 10, 21, 22, 28, 11, 111732, dt.UTC)


def test_reset_forgets_what_the_test_did_and_keeps_the_options(
    seed_body: dict[str, Any],
) -> None:
    """Instances, placements, calls, faults and the opt-out go; options and clock stay."""
    options = OfferLibraryOptions(create_status=200, page_size=7)
    fake = OfferLibrary(options, clock=_clock)
    assert _create(fake, seed_body).status == 200
    fake.add_placement("xcore:offer-placement:abc")
    fake.allow_violations()
    fake.fail_next(503)
    fake.reset()
    assert (fake.instances, fake.calls, fake.violations) == ({}, [], [])
    assert fake.violations_allowed is False
    assert fake.options is options
    assert fake.container_id == DEFAULT_CONTAINER
    created = _create(fake, seed_body)  # no fault left to answer 503
    assert created.status == 200
    assert created.json()["repo:createdDate"] == "2023-10-21T22:28:11.111732Z"
    seed_body["xdm:representations"][0]["xdm:placement"] = "xcore:offer-placement:abc"
    assert _create(fake, seed_body).status == 422  # the added placement is gone
    seed_body["xdm:representations"][0]["xdm:placement"] = DEFAULT_PLACEMENT
    assert _create(fake, seed_body).status == 200  # the default one is seeded again


def test_the_same_id_is_created_again_after_a_reset(seed_body: dict[str, Any]) -> None:
    """A body carrying an @id gets 409 the second time, and 201 again after a reset."""
    fake = OfferLibrary()
    body = {**seed_body, "@id": OFFER_ID}
    assert _create(fake, body).status == 201
    assert _create(fake, body).status == 409
    fake.reset()
    assert _create(fake, body).status == 201


def test_a_reset_never_hides_a_violation(seed_body: dict[str, Any]) -> None:
    """A broken call not yet reported outlives the reset; one already raised, or allowed, goes."""
    fake = OfferLibrary()
    assert _create(fake, seed_body, **{"x-api-key": ""}).status == 403
    fake.reset()
    assert fake.instances == {}
    with pytest.raises(ContractViolation, match="POST /data/core/xcore/"):
        fake.check_no_violations()
    fake.reset()  # the failure was raised: the example that sent it has failed already
    fake.check_no_violations()
    fake.allow_violations()
    assert _create(fake, seed_body, **{"x-api-key": ""}).status == 403
    fake.reset()
    fake.check_no_violations()


def test_a_request_takes_headers_and_bodies_as_clients_give_them() -> None:
    """Headers as a mapping or pairs; bodies as bytes, text, parsed JSON or None."""
    pairs = FakeRequest.from_call("GET", URL, [("Accept", "*/*")], None)
    assert (pairs.headers, pairs.body) == ((("Accept", "*/*"),), b"")
    mapping = FakeRequest.from_call("POST", URL, {"Accept": "*/*"}, {"xdm:name": "é"})
    assert (mapping.headers, mapping.body) == ((("Accept", "*/*"),), b'{"xdm:name": "\\u00e9"}')
    assert FakeRequest.from_call("POST", URL, (), "{}").body == b"{}"
    assert FakeRequest.from_call("POST", URL, (), bytearray(b"[]")).body == b"[]"
    with pytest.raises(TypeError) as refused:
        FakeRequest.from_call("GET", URL, ["Accept"], None)
    assert str(refused.value) == "headers must be a mapping or (name, value) pairs, not ['Accept']"


GIVEN_TEST = """
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

URL = "THE_URL"
HEADERS = THE_HEADERS
STATUSES = []


@settings(
    max_examples=50,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.integers())
def test_create(offer_library, fallback_offer, _):
    RESET
    body = {**fallback_offer, "@id": "THE_ID"}
    response = requests.post(URL, json=body, headers=HEADERS, timeout=5)
    STATUSES.append(response.status_code)
    assert response.status_code == 201, response.text


def test_every_example_was_created():
    assert len(STATUSES) >= 50
    assert set(STATUSES) == {201}
"""


@pytest.mark.parametrize("reset", [True, False])
def test_each_example_of_a_given_test_creates_the_same_offer_after_a_reset(
    pytester: pytest.Pytester, *, reset: bool
) -> None:
    """50 examples creating one @id all get 201 with a reset; without it the second gets 409."""
    source = (
        GIVEN_TEST.replace("RESET", "offer_library.reset()" if reset else "pass")
        .replace("THE_URL", URL)
        .replace("THE_HEADERS", repr(HEADERS))
        .replace("THE_ID", OFFER_ID)
    )
    pytester.makepyfile(test_given=source)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    result = pytester.runpytest_subprocess()
    if reset:
        result.assert_outcomes(passed=2)
        return
    result.assert_outcomes(failed=2)
    conflict = f"*AssertionError: *409*an instance with @id {OFFER_ID} exists already*"
    result.stdout.fnmatch_lines([conflict])
