"""Container discovery and read-container: one container per sandbox, as clients find them."""

from __future__ import annotations

from typing import Any

import pytest
from fake_calls import CREDENTIALS, DEV, HAL, HOME, ROOT

import contract_kit
from contract_kit.fake import FakeRequest, FakeResponse, OfferLibrary, OfferLibraryOptions
from contract_kit.fake.store import DEFAULT_CONTAINER, sandbox_id

CONTAINERS = "https://ns.adobe.com/experience/xcore/container"


def _get(fake: OfferLibrary, url: str, *headers: tuple[str, str]) -> FakeResponse:
    return fake.handle(FakeRequest("GET", url, (*CREDENTIALS, *headers)))


def _listed(fake: OfferLibrary, query: str, *headers: tuple[str, str]) -> list[dict[str, Any]]:
    response = _get(fake, f"{ROOT}/{query}", HOME, *headers)
    assert response.status == 200, response.body
    body = response.json()
    contract_kit.assert_valid("container-list", body)
    containers: list[dict[str, Any]] = body["_embedded"][CONTAINERS]
    return containers


def _two_sandboxes() -> OfferLibrary:
    return OfferLibrary(OfferLibraryOptions(sandboxes={"dev": DEV}))


def test_each_sandbox_lists_its_container_in_the_recorded_shape() -> None:
    """A container's parentName is its sandbox's name, parentId a stable sandbox uuid, dataCenter VA7."""
    listed = _listed(_two_sandboxes(), "?product=acp&property=_instance.containerType==decisioning")
    # In instanceId order, as instance lists are.
    assert [(c["instanceId"], c["_instance"]["parentName"]) for c in listed] == [
        (DEV, "dev"),
        (DEFAULT_CONTAINER, "prod"),
    ]
    assert listed[0]["_instance"] == {
        "containerType": "decisioning",
        "repo:name": "dev decisioning",
        "dataCenter": "VA7",
        "parentName": "dev",
        "parentId": "2c2b4305-dca6-524c-9b50-e61d9fcd046f",
    }
    assert sandbox_id("dev") == "2c2b4305-dca6-524c-9b50-e61d9fcd046f"  # uuid5: stable across runs
    assert listed[0]["_links"] == {"self": {"href": f"/containers/{DEV}"}}
    assert listed[0]["productContexts"] == ["acp"]


def test_the_listing_is_the_same_whatever_sandbox_the_call_names() -> None:
    """Discovery lists every sandbox's container, with x-sandbox-name dev too (the previewer)."""
    fake = _two_sandboxes()
    with_dev = _listed(fake, "", ("x-sandbox-name", "dev"))
    assert [c["instanceId"] for c in with_dev] == [DEV, DEFAULT_CONTAINER]
    assert fake.violations == []


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("?property=_instance.parentName==prod", [DEFAULT_CONTAINER]),
        ("?property=_instance.parentName==dev", [DEV]),
        ("?product=dma_offers", []),
        ("?product=dma_offers&product=acp", [DEV, DEFAULT_CONTAINER]),
        ("?limit=1", [DEV]),
        (f"?start={DEV}", [DEFAULT_CONTAINER]),
    ],
)
def test_product_property_start_and_limit_select_containers(query: str, ids: list[str]) -> None:
    """Product keeps any of the given contexts; property, start and limit work as on lists."""
    assert [c["instanceId"] for c in _listed(_two_sandboxes(), query)] == ids


def test_the_self_link_echoes_the_query_as_sent_and_a_next_link_pages_on() -> None:
    """_links.self is "/" plus the query as sent; a cut page links to the next by instanceId."""
    fake = _two_sandboxes()
    body = _get(fake, f"{ROOT}/?product=acp&limit=1", HOME).json()
    assert body["_links"]["self"]["href"] == "/?product=acp&limit=1"
    following = body["_links"]["next"]["href"]
    assert following == f"/?start={DEV}&orderby=instanceId&product=acp&limit=1"
    second = _get(fake, f"{ROOT}{following}", HOME).json()
    assert [c["instanceId"] for c in second["_embedded"][CONTAINERS]] == [DEFAULT_CONTAINER]
    assert "next" not in second["_links"]


@pytest.mark.parametrize("accept", [HAL, ("Accept", "*/*")])
def test_read_container_answers_the_container_as_listed(accept: tuple[str, str]) -> None:
    """GET /containers/{id} (the listing's own link) gives the listed item, any sandbox's."""
    fake = _two_sandboxes()
    listed = {c["instanceId"]: c for c in _listed(fake, "")}
    for container_id, item in listed.items():
        response = _get(fake, f"{ROOT}/containers/{container_id}", accept)
        assert response.status == 200, response.body
        assert response.json() == item
        assert response.header("Content-Type") == (
            "application/vnd.adobe.platform.xcore.hal+json; "
            'schema="https://ns.adobe.com/experience/xcore/container;version=0.5"'
        )
        listing = {"_embedded": {CONTAINERS: [response.json()]}, "_links": {"self": {"href": "/"}}}
        contract_kit.assert_valid("container-list", listing)
    assert fake.violations == []


def test_read_container_of_an_unknown_id_is_404() -> None:
    """A container the fake does not hold is 404, naming the containers it serves."""
    fake = _two_sandboxes()
    response = _get(fake, f"{ROOT}/containers/00000000-0000-1000-8000-000000000000", HAL)
    assert response.status == 404
    assert response.json()["detail"] == (
        "container 00000000-0000-1000-8000-000000000000 does not exist; the fake serves "
        f"{DEFAULT_CONTAINER} (prod), {DEV} (dev) (discover them with GET /data/core/xcore/)"
    )


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_container_writes_are_405_allowing_get(method: str) -> None:
    """Writes on /containers/{id} are out of scope: 405 with Allow: GET."""
    fake = OfferLibrary()
    fake.allow_violations()
    request = FakeRequest(method, f"{ROOT}/containers/{DEFAULT_CONTAINER}", (*CREDENTIALS, HAL))
    response = fake.handle(request)
    assert (response.status, response.header("Allow")) == (405, "GET")
    [(_, found)] = fake.violations
    assert (found.pointer, found.rule) == ("/method", "method")


def test_a_discovery_limit_that_is_no_number_is_refused_as_on_lookup() -> None:
    """Discovery documents limit (Postman), so one that is no number is a query error, 400."""
    fake = _two_sandboxes()
    response = _get(fake, f"{ROOT}/?limit=many", HOME)
    assert response.status == 400
    assert [(v.pointer, v.rule) for v in fake.calls[-1].violations] == [("/query/limit", "query")]
    fake.allow_violations()
