"""Contract tests of the example client and payloads: what a user's own suite looks like."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from offer_client import (
    BASE_URL,
    DECISION_SCHEMA,
    OFFER_SCHEMA,
    AsyncOfferLibraryClient,
    Credentials,
    OfferLibraryClient,
    OfferLibraryError,
    build_create_call,
)

import contract_kit

PAYLOADS = sorted((Path(__file__).parent / "payloads").glob("*.json"))
WEB_FALLBACK = Path(__file__).parent / "payloads" / "web-fallback.json"
CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
AUTH = Credentials("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "4a6f3c1d2e8b4f0a", "0123ABCD@AdobeOrg")


def _payload(path: Path) -> dict[str, Any]:
    offer: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return offer


@pytest.fixture
def client() -> OfferLibraryClient:
    """The client under test, on a plain requests session."""
    return OfferLibraryClient(requests.Session(), AUTH)


@pytest.mark.parametrize("path", PAYLOADS, ids=[p.stem for p in PAYLOADS])
def test_payload_file_is_a_valid_fallback_offer(path: Path) -> None:
    """Every payload kept in the repository passes the fallback-offer contract."""
    contract_kit.assert_valid("fallback-offer", _payload(path))


@pytest.mark.parametrize("path", PAYLOADS, ids=[p.stem for p in PAYLOADS])
def test_client_builds_a_contract_true_create_call(path: Path) -> None:
    """The client's create call, headers and body, passes the contract for every payload."""
    call = build_create_call(BASE_URL, CONTAINER, _payload(path), AUTH)
    assert contract_kit.check_request(call.method, call.url, call.headers, call.body) == []


def test_contract_catches_a_client_that_sends_a_placeholder() -> None:
    """A credential left as the docs' placeholder is caught before any request is sent."""
    auth = Credentials("{ACCESS_TOKEN}", "4a6f3c1d2e8b4f0a", "0123ABCD@AdobeOrg")
    call = build_create_call(BASE_URL, CONTAINER, _payload(PAYLOADS[0]), auth)
    found = contract_kit.check_request(call.method, call.url, call.headers, call.body)
    assert [(v.pointer, v.rule) for v in found] == [("/headers/authorization", "authorization")]


@pytest.mark.parametrize("path", PAYLOADS, ids=[p.stem for p in PAYLOADS])
def test_the_whole_lifecycle_against_the_fake(
    offer_library: contract_kit.OfferLibrary, client: OfferLibraryClient, path: Path
) -> None:
    """Discover, create, read, patch, search and delete: every request keeps the contract."""
    offer = _payload(path)
    members = offer.get("_instance", offer)
    # The fake holds what the offer names, as the service would: its placements and tags.
    for representation in members["xdm:representations"]:
        offer_library.add_placement(representation["xdm:placement"])
    for tag in members.get("xdm:tags", []):
        offer_library.add("tag", {"@id": tag, "xdm:name": f"Tag {tag}"})
    container = client.decisioning_container()
    receipt = client.create_fallback_offer(container, offer)
    stored = client.get_offer(container, receipt["instanceId"])
    client.set_status(container, receipt["instanceId"], "archived", etag=stored["repo:etag"])
    assert [
        o["instanceId"] for o in client.search(container, "_instance.xdm:status==archived")
    ] == [receipt["instanceId"]]
    client.delete_offer(container, receipt["instanceId"])
    assert client.get_offer_or_none(container, receipt["instanceId"]) is None
    assert offer_library.instances == {}


def test_a_decision_with_its_placement_collection_and_fallback(
    offer_library: contract_kit.OfferLibrary, client: OfferLibraryClient
) -> None:
    """Placement, tag, collection, fallback, decision: no violation; the decision names them."""
    container = client.decisioning_container()
    placement = client.create_placement(container, "Homepage banner")
    tag = client.create_tag(container, "Winter sale")
    collection = client.create_collection(container, "Winter sale offers", tag)
    fallback = _payload(WEB_FALLBACK)
    fallback["xdm:representations"][0]["xdm:placement"] = placement
    fallback_id = client.create_fallback_offer(container, fallback)["@id"]
    decision = client.create_decision(container, "Winter sale", placement, collection, fallback_id)
    (stored,) = client.search(container, f"_instance.@id=={decision}", schema=DECISION_SCHEMA)
    assert stored["_instance"]["xdm:criteria"] == [
        {"xdm:placements": [placement], "xdm:optionSelection": {"xdm:filter": collection}}
    ]
    assert stored["_instance"]["xdm:fallback"] == fallback_id
    assert [c.operation for c in offer_library.calls].count("create") == 5
    assert all(not c.violations for c in offer_library.calls)


def _decision_with_one_offer(client: OfferLibraryClient, container: str) -> tuple[str, str, str]:
    """A placement, a tagged offer, its collection, a fallback and the decision serving them."""
    placement = client.create_placement(container, "Homepage banner")
    tag = client.create_tag(container, "Winter sale")
    collection = client.create_collection(container, "Winter sale offers", tag)
    component = {
        "@type": "https://ns.adobe.com/experience/offer-management/content-component-html",
        "dc:format": "text/html",
        "dc:language": ["en"],
    }
    channel = "https://ns.adobe.com/xdm/channel-types/web"
    offer = {
        "xdm:name": "20% off winter coats",
        "xdm:status": "approved",
        "xdm:representations": [
            {
                "xdm:placement": placement,
                "xdm:channel": channel,
                "xdm:components": [{**component, "xdm:content": "<p>20% off coats</p>"}],
            }
        ],
        "xdm:selectionConstraint": {
            "xdm:startDate": "2026-01-01T00:00:00Z",
            "xdm:endDate": "2036-12-31T23:59:59Z",
        },
        "xdm:rank": {"xdm:priority": 1},
        "xdm:tags": [tag],
    }
    receipt = client.create(container, OFFER_SCHEMA, offer)
    fallback = _payload(WEB_FALLBACK)
    fallback["xdm:representations"][0]["xdm:placement"] = placement
    fallback["xdm:representations"][0]["xdm:components"][0]["xdm:content"] = "<p>Free returns</p>"
    fallback_id = client.create_fallback_offer(container, fallback)["@id"]
    decision = client.create_decision(container, "Winter sale", placement, collection, fallback_id)
    return decision, placement, receipt["instanceId"]


def test_the_client_renders_the_offer_a_decision_proposes(
    offer_library: contract_kit.OfferLibrary, client: OfferLibraryClient
) -> None:
    """The approved offer in the decision's collection is what the page shows."""
    container = client.decisioning_container()
    decision, placement, _ = _decision_with_one_offer(client, container)
    assert client.decide(container, decision, placement, "ann@example.com") == (
        "<p>20% off coats</p>"
    )
    assert all(not c.violations for c in offer_library.calls)


def test_the_client_renders_the_fallback_when_no_offer_qualifies(
    offer_library: contract_kit.OfferLibrary, client: OfferLibraryClient
) -> None:
    """Once the offer is archived, nothing qualifies: the page shows the fallback offer."""
    container = client.decisioning_container()
    decision, placement, offer = _decision_with_one_offer(client, container)
    stored = client.get_offer(container, offer)
    client.set_status(container, offer, "archived", stored["repo:etag"], schema=OFFER_SCHEMA)
    assert client.decide(container, decision, placement, "ann@example.com") == (
        "<p>Free returns</p>"
    )
    assert all(not c.violations for c in offer_library.calls)


def test_a_fallback_a_decision_falls_back_to_stays(
    offer_library: contract_kit.OfferLibrary, client: OfferLibraryClient
) -> None:
    """Deleting the decision's fallback is rejected while the decision names it; then allowed."""
    container = client.decisioning_container()
    placement = client.create_placement(container, "Homepage banner")
    collection = client.create_collection(
        container, "Winter sale offers", client.create_tag(container, "Winter sale")
    )
    fallback = _payload(WEB_FALLBACK)
    fallback["xdm:representations"][0]["xdm:placement"] = placement
    receipt = client.create_fallback_offer(container, fallback)
    decision = client.create_decision(
        container, "Winter sale", placement, collection, receipt["@id"]
    )
    assert client.delete_outcome(container, receipt["instanceId"]) == "rejected"
    assert client.get_offer(container, receipt["instanceId"])["_instance"]["@id"] == receipt["@id"]
    (stored,) = client.search(container, f"_instance.@id=={decision}", schema=DECISION_SCHEMA)
    assert client.delete_outcome(container, stored["instanceId"]) == "deleted"
    assert client.delete_outcome(container, receipt["instanceId"]) == "deleted"
    assert client.get_offer_or_none(container, receipt["instanceId"]) is None
    assert offer_library.instances == {}


def test_the_client_reports_an_outage(
    offer_library: contract_kit.OfferLibrary, client: OfferLibraryClient
) -> None:
    """A 503 from the service reaches the caller as OfferLibraryError with its status."""
    offer_library.fail_next(503)
    with pytest.raises(OfferLibraryError) as caught:
        client.decisioning_container()
    assert caught.value.status == 503


def test_the_client_loses_a_race_cleanly(
    offer_library: contract_kit.OfferLibrary,
    client: OfferLibraryClient,
    fallback_offer: dict[str, Any],
) -> None:
    """When someone else changed the offer, the status change fails with 409, nothing stored."""
    instance_id = offer_library.add_fallback_offer(fallback_offer)
    offer_library.simulate_concurrent_update(instance_id)
    with pytest.raises(OfferLibraryError) as caught:
        client.set_status(CONTAINER, instance_id, "draft", etag=1)
    assert caught.value.status == 409
    assert offer_library.instances[instance_id]["_instance"]["xdm:status"] == "approved"


@pytest.mark.offer_library(allow_violations=True)
@pytest.mark.usefixtures("offer_library")
def test_the_client_surfaces_a_refused_token(fallback_offer: dict[str, Any]) -> None:
    """With an empty token the gateway refuses; the client raises with the gateway's body."""
    client = OfferLibraryClient(requests.Session(), Credentials("", "key", "0123ABCD@AdobeOrg"))
    with pytest.raises(OfferLibraryError) as caught:
        client.create_fallback_offer(CONTAINER, fallback_offer)
    assert (caught.value.status, caught.value.body["error_code"]) == (401, "401013")


def test_the_async_client_against_the_fake(
    offer_library: contract_kit.OfferLibrary, fallback_offer: dict[str, Any]
) -> None:
    """An httpx.AsyncClient made without a transport is served by the fake, as requests is."""
    httpx = pytest.importorskip("httpx")

    async def create_and_read() -> dict[str, Any]:
        async with httpx.AsyncClient() as http:
            client = AsyncOfferLibraryClient(http, AUTH)
            container = await client.decisioning_container()
            receipt = await client.create_fallback_offer(container, fallback_offer)
            return await client.get_offer(container, receipt["instanceId"])

    stored = asyncio.run(create_and_read())
    assert stored["_instance"]["xdm:name"] == fallback_offer["xdm:name"]
    assert [c.operation for c in offer_library.calls] == ["discover", "create", "read"]


@pytest.mark.xfail(
    strict=True,
    reason="shows how a broken request fails a test: run pytest --runxfail to read the report",
)
@pytest.mark.usefixtures("offer_library")
def test_a_forgotten_api_key_heads_the_failure(fallback_offer: dict[str, Any]) -> None:
    """raise_for_status() fails on the fake's 403; the contract report says why, first."""
    httpx = pytest.importorskip("httpx")
    forgetful = Credentials(AUTH.access_token, "", AUTH.ims_org)

    async def create() -> dict[str, Any]:
        async with httpx.AsyncClient() as http:
            client = AsyncOfferLibraryClient(http, forgetful)
            return await client.create_fallback_offer(CONTAINER, fallback_offer)

    asyncio.run(create())


@pytest.mark.contract_cassette("lifecycle.yaml", strict=True)
def test_the_client_against_its_recording(fallback_offer: dict[str, Any]) -> None:
    """The recorded lifecycle replays: the same requests, each checked, every exchange used."""
    with requests.Session() as http:
        client = OfferLibraryClient(http, AUTH)
        container = client.decisioning_container()
        receipt = client.create_fallback_offer(container, fallback_offer)
        stored = client.get_offer(container, receipt["instanceId"])
        client.set_status(container, receipt["instanceId"], "draft", etag=stored["repo:etag"])
        assert len(client.search(container, "_instance.xdm:status==draft")) == 1
        client.delete_offer(container, receipt["instanceId"])
        assert client.get_offer_or_none(container, receipt["instanceId"]) is None
