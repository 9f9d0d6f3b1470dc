"""The fake's behaviour, driven directly: each operation, the documented statuses, the faults."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fake_calls import BASE, CREATE_TYPE, CREDENTIALS, HAL, RECEIPT, SCHEMA

import contract_kit
import contract_kit.fake
from contract_kit.fake import FakeConnectionError, FakeRequest, FakeResponse, OfferLibrary
from contract_kit.fake.store import DEFAULT_CONTAINER, DEFAULT_PLACEMENT

PATCH_TYPE = ("Content-Type", "application/vnd.adobe.platform.xcore.patch.hal+json; version=1")
MISSING = "00000000-0000-1000-8000-000000000000"


def _send(
    fake: OfferLibrary, method: str, url: str, *headers: tuple[str, str], body: object = None
) -> FakeResponse:
    data = b"" if body is None else json.dumps(body).encode()
    return fake.handle(FakeRequest(method, url, (*CREDENTIALS, *headers), data))


def _create(fake: OfferLibrary, body: dict[str, Any]) -> dict[str, Any]:
    response = _send(fake, "POST", f"{BASE}/instances", RECEIPT, CREATE_TYPE, body=body)
    assert response.status == 201, response.body
    receipt: dict[str, Any] = response.json()
    return receipt


def _clock() -> dt.datetime:
    return dt.datetime(2023, 10, 21, 22, 28, 11, 111732, dt.UTC)


def test_create_answers_201_with_a_receipt_and_where_to_find_it(seed_body: dict[str, Any]) -> None:
    """The receipt names a UUID, a fresh fallback-offer @id and etag 1; Location is relative."""
    fake = OfferLibrary(clock=_clock)
    response = _send(fake, "POST", f"{BASE}/instances", RECEIPT, CREATE_TYPE, body=seed_body)
    receipt = response.json()
    contract_kit.assert_valid("receipt", receipt)
    assert response.status == 201
    assert receipt["repo:etag"] == 1
    assert receipt["repo:createdDate"] == "2023-10-21T22:28:11.111732Z"
    assert response.header("Location") == f"{DEFAULT_CONTAINER}/instances/{receipt['instanceId']}"
    assert response.header("Content-Base") == "https://platform.adobe.io/data/core/xcore/"
    assert response.header("Content-Type") == RECEIPT[1]
    stored = fake.instances[receipt["instanceId"]]
    assert stored["_instance"] == {**seed_body, "@id": receipt["@id"]}


def test_read_answers_the_stored_instance_and_304_when_unchanged(seed_body: dict[str, Any]) -> None:
    """A read returns the envelope with its ETag; If-None-Match with that etag gets 304."""
    fake = OfferLibrary()
    receipt = _create(fake, seed_body)
    url = f"{BASE}/instances/{receipt['instanceId']}"
    response = _send(fake, "GET", url, HAL)
    contract_kit.assert_valid("fallback-offer-instance", response.json())
    assert response.header("ETag") == '"1"'
    assert _send(fake, "GET", url, HAL, ("If-None-Match", '"1"')).status == 304
    assert _send(fake, "GET", url, HAL, ("If-None-Match", '"0"')).status == 200


def test_patch_moves_the_etag_and_refuses_stale_and_read_only_changes(
    seed_body: dict[str, Any],
) -> None:
    """PATCH bumps the etag; a stale If-Match is 409; changing @id is 422; a bad result is 400."""
    fake = OfferLibrary()
    receipt = _create(fake, seed_body)
    url = f"{BASE}/instances/{receipt['instanceId']}"
    change = [{"op": "replace", "path": "/_instance/xdm:status", "value": "draft"}]
    patched = _send(fake, "PATCH", url, RECEIPT, PATCH_TYPE, ("If-Match", '"1"'), body=change)
    assert (patched.status, patched.json()["repo:etag"]) == (200, 2)
    stale = _send(fake, "PATCH", url, RECEIPT, PATCH_TYPE, ("If-Match", "1"), body=change)
    assert (stale.status, stale.json()["detail"]) == (
        409,
        "If-Match 1 is stale: the instance is at etag 2; read it again",
    )
    new_id = [{"op": "replace", "path": "/_instance/@id", "value": "xcore:fallback-offer:1"}]
    read_only = _send(fake, "PATCH", url, RECEIPT, PATCH_TYPE, body=new_id)
    assert (read_only.status, read_only.json()["detail"]) == (
        422,
        f"@id is read-only: it stays {receipt['@id']}",
    )
    breaking = [{"op": "replace", "path": "/_instance/xdm:status", "value": "live"}]
    invalid = _send(fake, "PATCH", url, RECEIPT, PATCH_TYPE, body=breaking)
    assert invalid.status == 400
    assert invalid.json()["report"]["violations"][0]["rule"] == "status"
    missing_array = [{"op": "add", "path": "/_instance/xdm:tags/-", "value": "xcore:tag:1"}]
    assert _send(fake, "PATCH", url, RECEIPT, PATCH_TYPE, body=missing_array).status == 422
    assert fake.instances[receipt["instanceId"]]["repo:etag"] == 2
    assert fake.violations == []


def test_an_etag_race(seed_body: dict[str, Any]) -> None:
    """Another writer's change makes the client's If-Match stale."""
    fake = OfferLibrary()
    instance_id = fake.add_fallback_offer(seed_body)
    assert fake.simulate_concurrent_update(instance_id) == 2
    body = {**seed_body, "xdm:name": "renamed"}
    update = _send(
        fake,
        "PUT",
        f"{BASE}/instances/{instance_id}",
        RECEIPT,
        CREATE_TYPE,
        ("If-Match", '"1"'),
        body=body,
    )
    assert update.status == 409


def test_put_replaces_the_instance_and_keeps_its_id(seed_body: dict[str, Any]) -> None:
    """A full update stores the new body under the same @id, etag + 1."""
    fake = OfferLibrary()
    receipt = _create(fake, seed_body)
    url = f"{BASE}/instances/{receipt['instanceId']}"
    renamed = {"_instance": {**seed_body, "xdm:name": "renamed"}, "_links": {}}
    response = _send(fake, "PUT", url, RECEIPT, CREATE_TYPE, body=renamed)
    assert (response.status, response.json()["@id"], response.json()["repo:etag"]) == (
        200,
        receipt["@id"],
        2,
    )
    assert fake.instances[receipt["instanceId"]]["_instance"]["xdm:name"] == "renamed"


def test_delete_answers_202_then_the_instance_is_gone(seed_body: dict[str, Any]) -> None:
    """DELETE answers 202 with no body (as the xcore pages say); a read after it is 404."""
    fake = OfferLibrary()
    instance_id = fake.add_fallback_offer(seed_body)
    url = f"{BASE}/instances/{instance_id}"
    deleted = _send(fake, "DELETE", url, RECEIPT)
    assert (deleted.status, deleted.body) == (202, b"")
    gone = _send(fake, "GET", url, HAL)
    assert gone.status == 404
    contract_kit.assert_valid("error", gone.json())


def test_the_undocumented_statuses_are_options(seed_body: dict[str, Any]) -> None:
    """create_status, delete_status and delete_body change what the fake answers."""
    options = contract_kit.OfferLibraryOptions(
        create_status=200, delete_status=200, delete_body="receipt"
    )
    fake = OfferLibrary(options)
    created = _send(fake, "POST", f"{BASE}/instances", RECEIPT, CREATE_TYPE, body=seed_body)
    assert created.status == 200
    deleted = _send(fake, "DELETE", f"{BASE}/instances/{created.json()['instanceId']}", RECEIPT)
    assert deleted.status == 200
    contract_kit.assert_valid("receipt", deleted.json())
    with pytest.raises(ValueError, match=r"create_status=202: expected one of 200, 201"):
        contract_kit.OfferLibraryOptions(create_status=202)  # type: ignore[arg-type]


def test_placements_must_exist(seed_body: dict[str, Any]) -> None:
    """A representation naming an unknown placement is refused with 422, unless turned off."""
    seed_body["xdm:representations"][0]["xdm:placement"] = "xcore:offer-placement:abc"
    fake = OfferLibrary()
    refused = _send(fake, "POST", f"{BASE}/instances", RECEIPT, CREATE_TYPE, body=seed_body)
    assert refused.status == 422
    assert refused.json()["detail"] == (
        "/xdm:representations/0/xdm:placement names xcore:offer-placement:abc, which is not "
        f"an offer-placement in container {DEFAULT_CONTAINER}; create it first (in tests: "
        "offer_library.add(...))"
    )
    assert [(v.pointer, v.rule) for _, v in fake.violations] == [
        ("/body/xdm:representations/0/xdm:placement", "reference")
    ]
    fake.add_placement("xcore:offer-placement:abc")
    assert _create(fake, seed_body)["repo:etag"] == 1
    lenient = OfferLibrary(contract_kit.OfferLibraryOptions(check_references=False))
    seed_body["xdm:representations"][0]["xdm:placement"] = "xcore:offer-placement:def"
    assert _create(lenient, seed_body)["repo:etag"] == 1


def test_search_pages_filter_and_order(seed_body: dict[str, Any]) -> None:
    """Search pages with _links.next until every matching offer was seen once, in order."""
    fake = OfferLibrary()
    for index in range(5):
        fake.add_fallback_offer(
            {
                **seed_body,
                "xdm:name": f"offer {index}",
                "xdm:status": "draft" if index % 2 else "approved",
            }
        )
    url = f"{BASE}/queries/core/search?schema={SCHEMA}&limit=2&orderby=-_instance.xdm:name&property=_instance.xdm:status==approved"
    names = []
    while url:
        page = _send(fake, "GET", url, HAL).json()
        contract_kit.assert_valid("search-results", page)
        names += [item["_instance"]["xdm:name"] for item in page["_embedded"]["results"]]
        following = page["_links"].get("next")
        url = f"https://platform.adobe.io/data/core/xcore{following['href']}" if following else ""
    assert names == ["offer 4", "offer 2", "offer 0"]


def test_lookup_by_id_and_by_name(seed_body: dict[str, Any]) -> None:
    """Lookup finds by @id (repeatable) or by name with wildcards; items carry _score."""
    fake = OfferLibrary()
    first = fake.add_fallback_offer({**seed_body, "xdm:name": "Winter sale"})
    fake.add_fallback_offer({**seed_body, "xdm:name": "Summer sale"})
    offer_id = fake.instances[first]["_instance"]["@id"]
    by_id = _send(fake, "GET", f"{BASE}/instances?schema={SCHEMA}&id={offer_id}", HAL).json()
    assert [r["instanceId"] for r in by_id["_embedded"]["results"]] == [first]
    assert by_id["_embedded"]["results"][0]["_score"] == 0
    by_name = _send(fake, "GET", f"{BASE}/instances?schema={SCHEMA}&name=*sale", HAL).json()
    assert by_name["_embedded"]["count"] == 2


def test_discovery_lists_the_decisioning_container() -> None:
    """Container discovery answers the one container, filtered by the documented property."""
    fake = OfferLibrary()
    home = ("Accept", "application/vnd.adobe.platform.xcore.home.hal+json")
    url = "https://platform.adobe.io/data/core/xcore/?product=acp&property=_instance.containerType==decisioning"
    listed = _send(fake, "GET", url, home).json()
    contract_kit.assert_valid("container-list", listed)
    [container] = listed["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
    assert container["instanceId"] == DEFAULT_CONTAINER


@pytest.mark.parametrize(
    ("drop", "status", "body"),
    [
        ("Authorization", 403, {"error_code": "403010", "message": "Oauth token is missing."}),
        ("x-api-key", 403, {"error_code": "403000", "message": "Api Key is required"}),
        ("x-gw-ims-org-id", 400, {"error_code": "400003", "message": "Missing header"}),
    ],
)
def test_missing_credentials_get_the_gateway_errors(
    seed_body: dict[str, Any], drop: str, status: int, body: dict[str, str]
) -> None:
    """Without a credential the gateway answers its documented body, status from its code."""
    fake = OfferLibrary()
    headers = tuple(h for h in (*CREDENTIALS, RECEIPT, CREATE_TYPE) if h[0] != drop)
    request = FakeRequest("POST", f"{BASE}/instances", headers, json.dumps(seed_body).encode())
    response = fake.handle(request)
    assert (response.status, response.json()) == (status, body)
    assert [v.pointer for _, v in fake.violations] == [f"/headers/{drop.lower()}"]


def test_other_violations_get_a_problem_listing_them(seed_body: dict[str, Any]) -> None:
    """A body that breaks the contract gets a 400 problem whose report lists the violations."""
    del seed_body["xdm:name"]
    fake = OfferLibrary()
    response = _send(fake, "POST", f"{BASE}/instances", RECEIPT, CREATE_TYPE, body=seed_body)
    assert response.status == 400
    assert response.header("Content-Type") == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": '1 contract violation; first: /body/xdm:name: required member "xdm:name" is missing',
        "report": {
            "violations": [
                {
                    "pointer": "/body/xdm:name",
                    "rule": "required",
                    "message": 'required member "xdm:name" is missing',
                }
            ]
        },
    }


def test_faults_hit_the_matching_calls_only(seed_body: dict[str, Any]) -> None:
    """fail_next and disconnect_next match method and path glob, for the given number of calls."""
    fake = OfferLibrary()
    instance_id = fake.add_fallback_offer(seed_body)
    url = f"{BASE}/instances/{instance_id}"
    fake.fail_next(429, method="GET", path="*/instances/*", times=2, retry_after=1)
    fake.disconnect_next(method="DELETE")
    assert [_send(fake, "GET", url, HAL).status for _ in range(3)] == [429, 429, 200]
    with pytest.raises(FakeConnectionError):
        _send(fake, "DELETE", url, RECEIPT)
    assert fake.calls[-1].response is None
    assert _send(fake, "DELETE", url, RECEIPT).status == 202


def test_seeding_an_invalid_offer_is_a_test_bug(seed_body: dict[str, Any]) -> None:
    """add_fallback_offer refuses a body that breaks the contract, saying how."""
    del seed_body["xdm:status"]
    with pytest.raises(contract_kit.ContractViolation, match="required member"):
        OfferLibrary().add_fallback_offer(seed_body)


def test_an_answer_that_breaks_the_contract_is_the_fakes_bug(
    seed_body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every answer is checked against its schema: a drifting fake fails loudly."""
    from contract_kit.fake import store, writes

    monkeypatch.setattr(
        writes, "receipt", lambda envelope: {**store.receipt(envelope), "repo:etag": 0}
    )
    with pytest.raises(contract_kit.fake.FakeContractError) as caught:
        _send(OfferLibrary(), "POST", f"{BASE}/instances", RECEIPT, CREATE_TYPE, body=seed_body)
    assert str(caught.value) == (
        "contract_kit's fake answered create with a receipt that breaks the contract: "
        "/repo:etag: expected at least 1, got 0 [minimum]"
    )


def test_a_limit_of_thousands_of_digits_pages_everything(seed_body: dict[str, Any]) -> None:
    """A limit past int()'s digit cap is a page of everything, not a crash of the fake."""
    fake = OfferLibrary()
    for index in range(3):
        fake.add_fallback_offer({**seed_body, "xdm:name": f"offer {index}"})
    url = f"{BASE}/queries/core/search?schema={SCHEMA}&limit=0{'9' * 5000}"
    response = _send(fake, "GET", url, HAL)
    assert response.status == 200, response.body
    assert response.json()["_embedded"]["count"] == 3
    assert "next" not in response.json()["_links"]


def test_the_call_log_keeps_the_latest_calls_and_every_broken_one(
    seed_body: dict[str, Any],
) -> None:
    """call_log_size bounds calls; a broken call that left the log still fails the test."""
    fake = OfferLibrary(contract_kit.OfferLibraryOptions(call_log_size=3))
    keyless = tuple(h for h in (*CREDENTIALS, HAL) if h[0] != "x-api-key")
    fake.handle(FakeRequest("GET", f"{BASE}/instances/{MISSING}", keyless))
    for index in range(5):
        _create(fake, {**seed_body, "xdm:name": f"offer {index}"})
    assert [c.operation for c in fake.calls] == ["create"] * 3
    assert [v.pointer for _, v in fake.violations] == ["/headers/x-api-key"]
    with pytest.raises(contract_kit.ContractViolation) as caught:
        fake.check_no_violations()
    assert str(caught.value).splitlines()[:3] == [
        "the client broke the Offer Library contract in 1 request:",
        f"- GET /data/core/xcore/{DEFAULT_CONTAINER}/instances/{MISSING}",
        '  - /headers/x-api-key: required header "x-api-key" is missing [required]',
    ]
    with pytest.raises(ValueError, match=r"call_log_size=0: expected at least 1"):
        contract_kit.OfferLibraryOptions(call_log_size=0)


def test_a_body_over_the_limit_is_a_413(seed_body: dict[str, Any]) -> None:
    """More than 10 MiB is refused with a problem, without parsing it."""
    from contract_kit.fake.service import MAX_BODY_BYTES

    fake = OfferLibrary()
    padded = json.dumps(seed_body).encode() + b" " * MAX_BODY_BYTES
    response = fake.handle(
        FakeRequest("POST", f"{BASE}/instances", (*CREDENTIALS, RECEIPT, CREATE_TYPE), padded)
    )
    assert (response.status, response.json()["detail"]) == (
        413,
        "the body is larger than 10 MiB, the most the fake reads; offers are kilobytes",
    )
    assert fake.calls[-1].response == response


def test_a_deeply_nested_body_is_a_violation_not_a_recursion_error() -> None:
    """A 100,000-deep body is answered 400 with a problem naming the depth limit."""
    from contract_kit.documents.limits import MAX_DEPTH

    fake = OfferLibrary()
    deep = b"[" * 100_000 + b"]" * 100_000
    response = fake.handle(
        FakeRequest("POST", f"{BASE}/instances", (*CREDENTIALS, RECEIPT, CREATE_TYPE), deep)
    )
    assert response.status == 400
    [violation] = response.json()["report"]["violations"]
    assert violation["pointer"] == "/body"
    assert str(MAX_DEPTH) in violation["message"]


def test_etags_are_read_alike_in_if_match_and_if_none_match(seed_body: dict[str, Any]) -> None:
    """W/"1", "1" and 1 all name etag 1, for a read's 304 and a write's precondition."""
    fake = OfferLibrary()
    url = f"{BASE}/instances/{fake.add_fallback_offer(seed_body)}"
    for seen in ('W/"1"', '"1"', " 1 "):
        assert _send(fake, "GET", url, HAL, ("If-None-Match", seen)).status == 304
    change = [{"op": "replace", "path": "/_instance/xdm:status", "value": "draft"}]
    assert (
        _send(fake, "PATCH", url, RECEIPT, PATCH_TYPE, ("If-Match", 'W/"1"'), body=change).status
        == 200
    )
    assert (
        _send(fake, "PATCH", url, RECEIPT, PATCH_TYPE, ("If-Match", 'W/"1"'), body=change).status
        == 409
    )


def test_a_deleted_offer_leaves_nothing_behind(seed_body: dict[str, Any]) -> None:
    """The store forgets a deleted offer's @id (it stays small), which may then be reused."""
    fake = OfferLibrary()
    first = _create(fake, {**seed_body, "@id": "xcore:fallback-offer:1234"})
    again = _send(
        fake,
        "POST",
        f"{BASE}/instances",
        RECEIPT,
        CREATE_TYPE,
        body={**seed_body, "@id": "xcore:fallback-offer:1234"},
    )
    assert again.status == 409
    assert _send(fake, "DELETE", f"{BASE}/instances/{first['instanceId']}", RECEIPT).status == 202
    index = fake._store.default.at_ids  # noqa: SLF001 - the index a long-lived server must not grow
    assert list(index) == [DEFAULT_PLACEMENT]
    assert _create(fake, {**seed_body, "@id": "xcore:fallback-offer:1234"})["repo:etag"] == 1


def test_a_lookup_of_several_ids_answers_them_in_creation_order(seed_body: dict[str, Any]) -> None:
    """Ids asked in any order come back in the order the offers were created; unknown ids are skipped."""
    fake = OfferLibrary()
    first, second = (fake.add_fallback_offer({**seed_body, "xdm:name": n}) for n in ("a", "b"))
    ids = [fake.instances[i]["_instance"]["@id"] for i in (second, first)]
    query = "&".join(f"id={i}" for i in [*ids, "xcore:fallback-offer:999"])
    found = _send(fake, "GET", f"{BASE}/instances?schema={SCHEMA}&{query}", HAL).json()
    assert [r["instanceId"] for r in found["_embedded"]["results"]] == [first, second]


def test_the_report_masks_a_live_token_in_the_query() -> None:
    """A request line in the fake's report shows no secret the client put in its URL."""
    fake = OfferLibrary()
    token = "eyJhbGciOiJSUzI1NiJ9.live-token"
    keyless = tuple(h for h in (*CREDENTIALS, HAL) if h[0] != "x-api-key")
    fake.handle(FakeRequest("GET", f"{BASE}/instances/{MISSING}?access_token={token}", keyless))
    with pytest.raises(contract_kit.ContractViolation) as caught:
        fake.check_no_violations()
    report = str(caught.value)
    assert token not in report
    assert report.splitlines()[1] == (
        f"- GET /data/core/xcore/{DEFAULT_CONTAINER}/instances/{MISSING}?access_token=REDACTED"
    )
