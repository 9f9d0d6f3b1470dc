"""check_request: a whole create call, with pointers under /method, /path, /headers and /body."""

from __future__ import annotations

import json
from typing import Any

import pytest

import contract_kit
from contract_kit.core.operations import find_operation
from contract_kit.core.violation import Violation

CREATE_URL = (
    "https://platform.adobe.io/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"
)


@pytest.mark.parametrize(
    "url",
    [
        CREATE_URL,
        "http://127.0.0.1:8080/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances",
        "/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances",
    ],
)
def test_the_documented_call_passes_on_any_host(
    seed_headers: dict[str, str], seed_body: dict[str, Any], url: str
) -> None:
    """The seed call passes with a full URL on any host (a local fake) or with a bare path."""
    assert contract_kit.check_request("POST", url, seed_headers, seed_body) == []


def test_the_body_may_be_bytes_str_or_parsed(
    seed_headers: dict[str, str], seed_body: dict[str, Any]
) -> None:
    """bytes, str and parsed JSON bodies are checked alike."""
    text = json.dumps(seed_body)
    for body in (text, text.encode(), bytearray(text.encode()), seed_body):
        assert contract_kit.check_request("POST", CREATE_URL, seed_headers, body) == []


def test_violations_of_every_part_carry_their_prefix(
    seed_headers: dict[str, str], seed_body: dict[str, Any]
) -> None:
    """Path, header and body problems come together, each under its own pointer."""
    del seed_headers["x-api-key"]
    del seed_body["xdm:name"]
    url = "https://platform.adobe.io/data/core/xcore/e0bd8463/instances"
    assert contract_kit.check_request("POST", url, seed_headers, seed_body) == [
        Violation("/body/xdm:name", 'required member "xdm:name" is missing', "required"),
        Violation("/headers/x-api-key", 'required header "x-api-key" is missing', "required"),
        Violation("/path", 'container id "e0bd8463" in the path is not a UUID', "path"),
    ]


def test_a_path_the_api_does_not_serve(seed_headers: dict[str, str]) -> None:
    """A path outside the API is one violation listing what the API serves."""
    found = contract_kit.check_request("POST", "/data/core/xcore/instances", seed_headers, "{}")
    assert found == [
        Violation(
            "/path",
            '"/data/core/xcore/instances" is not a path of the Offer Library API; it serves '
            "/data/core/xcore/, /data/core/xcore/{CONTAINER_ID}/instances, "
            "/data/core/xcore/{CONTAINER_ID}/instances/{INSTANCE_ID}, "
            "/data/core/xcore/{CONTAINER_ID}/queries/core/search, "
            "/data/core/xcore/containers/{CONTAINER_ID}, "
            "/data/core/xcore/{CONTAINER_ID}/deletions/{DELETION_ID}, "
            "/data/core/ode/{CONTAINER_ID}/decisions, /data/core/ods/decisions",
            "path",
        )
    ]


def test_a_delete_outcome_is_polled_with_the_receipt_type(seed_headers: dict[str, str]) -> None:
    """The poll of a delete's Location is a GET without a body; its id is a UUID."""
    seed_headers.pop("Content-Type")
    url = CREATE_URL.replace("/instances", "/deletions/b3966680-13ec-11eb-9c20-8323709cfc65")
    assert contract_kit.check_request("GET", url, seed_headers, None) == []
    found = contract_kit.check_request("GET", url.rsplit("/", 1)[0] + "/x", seed_headers, None)
    assert found == [Violation("/path", 'deletion id "x" in the path is not a UUID', "path")]
    found = contract_kit.check_request("DELETE", url, seed_headers, None)
    assert [(v.pointer, v.rule) for v in found] == [("/method", "method")]


def test_a_method_the_path_does_not_take(seed_headers: dict[str, str]) -> None:
    """A known path with a method it does not take names the methods it does."""
    url = CREATE_URL.replace("/instances", "/instances/b3966680-13ec-11eb-9c20-8323709cfc65")
    assert contract_kit.check_request("POST", url, seed_headers, "{}") == [
        Violation(
            "/method",
            '"POST" is not a call of the Offer Library API on '
            "/data/core/xcore/{CONTAINER_ID}/instances/{INSTANCE_ID}; it takes GET, PUT, "
            "PATCH, DELETE there",
            "method",
        )
    ]


@pytest.mark.parametrize("method", ["post", "Post"])
def test_methods_are_case_sensitive(
    method: str, seed_headers: dict[str, str], seed_body: dict[str, Any]
) -> None:
    """A method in another case is not the API's (RFC 9110, section 9.1): one method violation."""
    assert contract_kit.check_request(method, CREATE_URL, seed_headers, seed_body) == [
        Violation(
            "/method",
            f'"{method}" is not a method of the Offer Library API: methods are case-sensitive '
            '(RFC 9110, section 9.1); send "POST"',
            "method",
        )
    ]


def test_a_lower_case_method_finds_no_operation() -> None:
    """find_operation matches the method exactly, so the fake and replay refuse "get" too."""
    operation, at_path = find_operation("get", "/data/core/xcore/")
    assert operation is None
    assert [op.method for op in at_path] == ["GET"]


def test_the_content_type_must_name_the_kind_the_body_id_names(
    seed_headers: dict[str, str],
) -> None:
    """A Content-Type naming another kind than the body's @id is a schema-mismatch."""
    seed_headers["Content-Type"] = (
        "application/schema-instance+json; version=1; "
        'schema="https://ns.adobe.com/experience/offer-management/tag;version=0.1"'
    )
    body = {"xdm:name": "Holiday", "@id": "xcore:fallback-offer:1"}
    found = contract_kit.check_request("POST", CREATE_URL, seed_headers, body)
    assert found == [
        Violation(
            "/body/@id",
            '"xcore:fallback-offer:1" is not a tag id: "xcore:tag:" and 1 to 16 lowercase hex '
            "digits",
            "xcore-id",
        ),
        Violation(
            "/headers/content-type",
            'the Content-Type schema parameter names the "tag" schema, but the body is a '
            'fallback-offer (its @id says so); send schema="https://ns.adobe.com/experience/'
            'offer-management/fallback-offer;version=0.1"',
            "schema-mismatch",
        ),
    ]


def test_the_body_is_checked_as_the_kind_the_content_type_names(
    seed_headers: dict[str, str], seed_body: dict[str, Any]
) -> None:
    """A fallback body sent as a tag is checked as a tag: its offer members are unknown."""
    seed_headers["Content-Type"] = (
        "application/schema-instance+json; version=1; "
        'schema="https://ns.adobe.com/experience/offer-management/tag;version=0.1"'
    )
    found = contract_kit.check_request("POST", CREATE_URL, seed_headers, seed_body)
    assert {(v.pointer, v.rule) for v in found} == {
        ("/body/xdm:representations", "unknown-key"),
        ("/body/xdm:status", "unknown-key"),
    }


def test_the_hal_envelope_body_is_checked_inside(seed_headers: dict[str, str]) -> None:
    """With the HAL form, pointers lead through /_instance."""
    body = {"_instance": {"xdm:name": "n", "xdm:status": "approved"}, "_links": {}}
    assert contract_kit.check_request("POST", CREATE_URL, seed_headers, body) == [
        Violation(
            "/body/_instance/xdm:representations",
            "the offer has no xdm:representations; the service stores it, but it renders in no "
            "placement: add a representation (xdm:placement, xdm:channel, xdm:components) per "
            "placement",
            "recommended",
        )
    ]


@pytest.mark.parametrize(
    ("body", "rule", "message"),
    [
        (
            None,
            "body",
            "POST /data/core/xcore/{CONTAINER_ID}/instances sends a JSON body; this call has none",
        ),
        (
            b"",
            "body",
            "POST /data/core/xcore/{CONTAINER_ID}/instances sends a JSON body; this call has none",
        ),
        (b" ", "json", "the body is not JSON: Expecting value (line 1, column 2)"),
        ('{"xdm:name": ', "json", "the body is not JSON: Expecting value (line 1, column 14)"),
        (
            b"\xef\xbb\xbf{}",
            "json",
            "the body starts with a byte order mark; send UTF-8 without one",
        ),
        (b'{"a": "\xff"}', "json", "the body is not UTF-8: byte 8 cannot be decoded"),
        ('{"a": NaN}', "json", "the body is not usable JSON: NaN is not JSON"),
        ('{"a": -Infinity}', "json", "the body is not usable JSON: -Infinity is not JSON"),
        (
            '{"xdm:name": "a", "xdm:name": "b"}',
            "json",
            (
                "the body is not usable JSON: member 'xdm:name' appears twice in one object, "
                "which is ambiguous"
            ),
        ),
    ],
)
def test_bodies_that_are_not_json(
    seed_headers: dict[str, str], body: object, rule: str, message: str
) -> None:
    """A body that cannot be read as one JSON document is one violation at /body."""
    found = contract_kit.check_request("POST", CREATE_URL, seed_headers, body)
    assert found == [Violation("/body", message, rule)]


def test_arguments_of_the_wrong_type_are_violations(seed_headers: dict[str, str]) -> None:
    """A method or URL that is not a string is reported, not raised."""
    found = contract_kit.check_request(None, CREATE_URL, seed_headers, {})  # type: ignore[arg-type]
    assert found == [Violation("/method", "expected the method as a string, got null", "method")]
    found = contract_kit.check_request("POST", 42, seed_headers, {})  # type: ignore[arg-type]
    assert found == [Violation("/path", "expected the URL as a string, got an integer", "type")]


@pytest.mark.parametrize(
    "path",
    [
        "/data/core/ode/e0bd8463-0913-4ca1-bd84-6309134ca1f6/decisions",
        "/data/core/ods/decisions",
    ],
)
def test_a_decision_call_is_checked_by_the_decision_contract(path: str) -> None:
    """Both path forms of the Decisioning API route to the decision request's contract."""
    headers = {
        "Authorization": "Bearer abc.def",
        "x-api-key": "testkey",
        "x-gw-ims-org-id": "0123456789ABCDEF01234567@AdobeOrg",
        "Content-Type": "application/json",
    }
    body: dict[str, object] = {
        "xdm:propositionRequests": [],
        "xdm:profiles": [{"xdm:identityMap": {}}],
    }
    found = contract_kit.check_request("POST", f"https://platform.adobe.io{path}", headers, body)
    assert [(v.pointer, v.rule) for v in found] == [
        ("/body/xdm:profiles/0/xdm:identityMap", "identity-map"),
        ("/body/xdm:propositionRequests", "proposition-count"),
        ("/headers/x-request-id", "request-id-missing"),
    ]
