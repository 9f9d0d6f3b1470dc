"""check_request for every operation of the repository API, each with its own headers and body."""

from __future__ import annotations

from typing import Any

import pytest

import contract_kit
from contract_kit.core.object_kinds import object_kind, object_kinds
from contract_kit.core.operations import answer_kind
from contract_kit.core.violation import Violation

ROOT = "https://platform.adobe.io/data/core/xcore"
CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
INSTANCE = f"{ROOT}/{CONTAINER}/instances/b3966680-13ec-11eb-9c20-8323709cfc65"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
HAL = "application/vnd.adobe.platform.xcore.hal+json"
PATCH = "application/vnd.adobe.platform.xcore.patch.hal+json"
RECEIPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"


def _headers(seed: dict[str, str], accept: str, content_type: str | None = None) -> dict[str, str]:
    headers = {k: v for k, v in seed.items() if k not in {"Accept", "Content-Type"}}
    headers["Accept"] = accept
    if content_type:
        headers["Content-Type"] = content_type
    return headers


@pytest.mark.parametrize(
    ("method", "url", "accept", "content_type", "body"),
    [
        ("GET", f"{ROOT}/?product=acp&property=_instance.containerType==decisioning",
         "application/vnd.adobe.platform.xcore.home.hal+json", None, None),
        ("GET", INSTANCE, f'*, {HAL}; schema="{SCHEMA}"', None, None),
        ("GET", INSTANCE, f'application/schema-instance+json; schema="{SCHEMA}"', None, b""),
        ("GET", f"{ROOT}/{CONTAINER}/queries/core/search?schema={SCHEMA}&limit=1",
         f'*,{HAL}; schema="https://ns.adobe.com/experience/xcore/hal/results"', None, None),
        ("GET", (f"{ROOT}/{CONTAINER}/queries/core/search?schema={SCHEMA}&orderby=-repo:createdDate"
         "&property=_instance.xdm:status==approved"), HAL, None, None),
        ("GET", f"{ROOT}/{CONTAINER}/instances?schema={SCHEMA}&id=xcore:fallback-offer:122206064e0d98df",
         HAL, None, None),
        ("GET", f"{ROOT}/{CONTAINER}/instances?schema={SCHEMA}&name=F1*", HAL, None, None),
        ("PATCH", INSTANCE, RECEIPT, f'{PATCH}; version=1; schema="{SCHEMA}"',
         [{"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}]),
        ("PATCH", INSTANCE, RECEIPT, f"{PATCH}; version=1", '[{"op": "remove", "path": "/_instance/xdm:tags"}]'),
        ("DELETE", INSTANCE, RECEIPT, None, None),
    ],
)  # fmt: skip
def test_documented_calls_pass(
    seed_headers: dict[str, str],
    method: str,
    url: str,
    accept: str,
    content_type: str | None,
    body: object,
) -> None:
    """Each documented call of the API, with its documented headers, has no violation."""
    headers = _headers(seed_headers, accept, content_type)
    assert contract_kit.check_request(method, url, headers, body) == []


def test_a_full_update_takes_the_create_body(
    seed_headers: dict[str, str], seed_body: dict[str, Any]
) -> None:
    """PUT sends a whole fallback offer, bare or in the HAL envelope; the schema is optional."""
    headers = _headers(seed_headers, RECEIPT, f"{HAL}; version=1")
    envelope = {"_instance": seed_body, "_links": {}}
    assert contract_kit.check_request("PUT", INSTANCE, headers, envelope) == []
    del seed_body["xdm:status"]
    assert contract_kit.check_request("PUT", INSTANCE, headers, seed_body) == [
        Violation("/body/xdm:status", 'required member "xdm:status" is missing', "required")
    ]


def test_a_read_carries_no_body_and_asks_for_hal(seed_headers: dict[str, str]) -> None:
    """GET with a body, or with the receipt Accept, is refused with what to send instead."""
    found = contract_kit.check_request("GET", INSTANCE, seed_headers, b'{"x": 1}')
    assert found == [
        Violation(
            "/body",
            "GET /data/core/xcore/{CONTAINER_ID}/instances/{INSTANCE_ID} carries no body; "
            "send the call without one",
            "body",
        ),
        Violation(
            "/headers/accept",
            'Accept "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1" does '
            "not admit what GET /data/core/xcore/{CONTAINER_ID}/instances/{INSTANCE_ID} answers "
            f"with; send Accept: {HAL} (or a wildcard such as */*)",
            "accept",
        ),
    ]


def test_patch_takes_the_patch_media_type(seed_headers: dict[str, str]) -> None:
    """The create Content-Type on a PATCH (as one doc table has it) is refused; so is a bad op."""
    body = [{"op": "replace", "path": "/xdm:status", "value": "approved"}]
    found = contract_kit.check_request("PATCH", INSTANCE, seed_headers, body)
    assert found == [
        Violation(
            "/body/0/path",
            '"/xdm:status" is not a JSON pointer under /_instance or /_links (e.g. '
            '"/_instance/xdm:status")',
            "patch-path",
        ),
        Violation(
            "/headers/content-type",
            'Content-Type "application/schema-instance+json" is not one PATCH '
            "/data/core/xcore/{CONTAINER_ID}/instances/{INSTANCE_ID} accepts; send Content-Type: "
            f'{PATCH}; version=1; schema="{SCHEMA}"',
            "content-type",
        ),
    ]


def test_a_patch_without_content_type(seed_headers: dict[str, str]) -> None:
    """A call with a body must say what it is."""
    headers = _headers(seed_headers, RECEIPT)
    body = [{"op": "remove", "path": "/_instance/xdm:tags"}]
    assert contract_kit.check_request("PATCH", INSTANCE, headers, body) == [
        Violation(
            "/headers/content-type",
            'required header "content-type" is missing (PATCH '
            "/data/core/xcore/{CONTAINER_ID}/instances/{INSTANCE_ID} sends a body)",
            "required",
        )
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "id=xcore:fallback-offer:1",
            [
                Violation(
                    "/query/schema",
                    "query parameter schema is required by GET /data/core/xcore/{CONTAINER_ID}/instances",
                    "required",
                )
            ],
        ),
        (
            f"schema={SCHEMA}&id=xcore:fallback-offer:1&name=x",
            [Violation("/query/id", "id and name cannot be used together in one lookup", "query")],
        ),
        (
            f"schema={SCHEMA}&id=F1",
            [Violation("/query/id", 'id="F1" is not a fallback-offer @id', "query")],
        ),
        ("schema=https://ns.adobe.com/experience/offer-management/tag;version=0.1", []),
        (
            "schema=https://ns.adobe.com/experience/offer-management/tag;version=0.9",
            [
                Violation(
                    "/query/schema",
                    'schema="https://ns.adobe.com/experience/offer-management/tag;version=0.9" '
                    "does not name the tag schema in a version the API documents (0.1); send "
                    "schema=https://ns.adobe.com/experience/offer-management/tag;version=0.1",
                    "query",
                )
            ],
        ),
        (
            "schema=https://ns.adobe.com/experience/offer-management/offer",
            [
                Violation(
                    "/query/schema",
                    'schema="https://ns.adobe.com/experience/offer-management/offer" does not '
                    "name the schema of a stored kind (contract-kit kinds lists them); send "
                    "schema=https://ns.adobe.com/experience/offer-management/<kind>;"
                    "version=<version>",
                    "query",
                )
            ],
        ),
        (
            f"schema={SCHEMA}&limit=0",
            [Violation("/query/limit", 'limit="0" is not a whole number of at least 1', "query")],
        ),
        (f"schema={SCHEMA}&limit=000{'9' * 5000}", []),  # past int()'s 4,300 digits: no crash
        (
            f"schema={SCHEMA}&field=_instance..xdm:name",
            [
                Violation(
                    "/query/field",
                    "query parameter field is not one GET /data/core/xcore/{CONTAINER_ID}/"
                    "instances documents, so the service ignores it; it takes schema, id, name, "
                    "property, orderby, start, limit",
                    "unknown-parameter",
                )
            ],
        ),
    ],
)
def test_lookup_query_parameters(
    seed_headers: dict[str, str], query: str, expected: list[Violation]
) -> None:
    """A lookup names its schema, finds by id or by name (not both); search's own are unknown."""
    headers = _headers(seed_headers, HAL)
    url = f"{ROOT}/{CONTAINER}/instances?{query}"
    assert contract_kit.check_request("GET", url, headers, None) == expected


@pytest.mark.parametrize("name", [kind.name for kind in object_kinds()])
def test_a_read_answers_the_instance_of_the_kind_its_schemas_names(name: str) -> None:
    """answer_kind of a read is the stored kind's instance, told by schemas[0] or by @id."""
    kind = object_kind(name)
    assert answer_kind("read", 200, {"schemas": [kind.stored_schema]}) == kind.instance_kind
    by_id = {"_instance": {"@id": f"{kind.id_prefix}1"}}
    assert answer_kind("read", 200, by_id) == kind.instance_kind
    assert answer_kind("read", 404, by_id) == "error"


def test_a_read_answer_of_no_kind_is_not_checked_as_one() -> None:
    """Without a body, or with one no kind's schemas names, no instance kind comes back."""
    assert answer_kind("read", 200) is None
    assert answer_kind("read", 200, {"schemas": ["https://example.com/x"]}) is None
    assert answer_kind("create", 201) == "receipt"
    assert answer_kind("delete-outcome", 200) == "delete-outcome"
