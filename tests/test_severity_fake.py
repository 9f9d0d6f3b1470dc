"""Severity in the fake and the assertions: errors answer and fail; warnings fail when strict."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fake_calls import BASE, CREATE_TYPE, CREDENTIALS, HAL, RECEIPT, SCHEMA

import contract_kit
from contract_kit.fake import FakeRequest, FakeResponse, OfferLibrary, OfferLibraryOptions
from contract_kit.fake.store import DEFAULT_CONTAINER

EXTRA = (
    'unknown member "xdm:extra": the contract defines no such member in the "xdm:" namespace; '
    'did you mean "xdm:tags"? [unknown-key] (warning)'
)
UNKNOWN = f"/body/xdm:extra: {EXTRA}"
STRICT_HINT = (
    "Hint: fix the client code that sends these requests. A test that sends them on purpose "
    "opts out with @pytest.mark.offer_library(allow_violations=True) or "
    "offer_library.allow_violations(). A (warning) is a call the service takes: it fails the "
    "test because strict mode is on; turn it off with @pytest.mark.offer_library(strict=False), "
    "or leave out --offer-library-strict and offer_library_strict = true."
)


def _create(fake: OfferLibrary, body: dict[str, Any], *headers: tuple[str, str]) -> FakeResponse:
    sent = (*CREDENTIALS, RECEIPT, CREATE_TYPE, *headers)
    return fake.handle(FakeRequest("POST", f"{BASE}/instances", sent, json.dumps(body).encode()))


def _extended(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "xdm:extra": 1}


def test_a_call_with_only_warnings_is_served_and_recorded(seed_body: dict[str, Any]) -> None:
    """An unknown member is a warning: the create answers 201, and the call keeps the warning."""
    fake = OfferLibrary()
    response = _create(fake, _extended(seed_body))
    assert response.status == 201
    [call] = fake.calls
    assert [(v.pointer, v.rule, v.severity) for v in call.violations] == [
        ("/body/xdm:extra", "unknown-key", "warning")
    ]
    fake.check_no_violations()  # not strict: nothing to raise


def test_a_stored_warning_is_read_back_as_stored(seed_body: dict[str, Any]) -> None:
    """The fake's check of its own answers ignores warnings: a read returns the extra member."""
    fake = OfferLibrary()
    receipt = _create(fake, _extended(seed_body)).json()
    url = f"{BASE}/instances/{receipt['instanceId']}"
    response = fake.handle(FakeRequest("GET", url, (*CREDENTIALS, HAL)))
    assert response.status == 200
    assert response.json()["_instance"]["xdm:extra"] == 1


def test_strict_fails_on_warnings_with_the_severity_shown(seed_body: dict[str, Any]) -> None:
    """With strict=True the warning fails the check, marked (warning), with how to turn it off."""
    fake = OfferLibrary(OfferLibraryOptions(strict=True))
    assert _create(fake, _extended(seed_body)).status == 201
    with pytest.raises(contract_kit.ContractViolation) as caught:
        fake.check_no_violations()
    assert str(caught.value).splitlines() == [
        "strict mode: the client drew Offer Library contract warnings in 1 request:",
        f"- POST /data/core/xcore/{DEFAULT_CONTAINER}/instances",
        f"  - {UNKNOWN}",
        "",
        STRICT_HINT,
    ]


def test_an_error_answers_from_the_errors_only(seed_body: dict[str, Any]) -> None:
    """A call with an error and a warning gets the error's 400; its report names the error only."""
    fake = OfferLibrary()
    body = _extended(seed_body)
    del body["xdm:name"]
    response = _create(fake, body)
    assert response.status == 400
    report = response.json()["report"]["violations"]
    assert [(v["pointer"], v["rule"]) for v in report] == [("/body/xdm:name", "required")]
    assert response.json()["detail"] == (
        '1 contract violation; first: /body/xdm:name: required member "xdm:name" is missing'
    )
    [call] = fake.calls
    assert [v.rule for v in call.violations] == ["unknown-key", "required"]
    with pytest.raises(contract_kit.ContractViolation) as caught:
        fake.check_no_violations()
    assert str(caught.value).splitlines()[:3] == [
        "the client broke the Offer Library contract in 1 request:",
        f"- POST /data/core/xcore/{DEFAULT_CONTAINER}/instances",
        '  - /body/xdm:name: required member "xdm:name" is missing [required]',
    ]
    assert len(str(caught.value).splitlines()) == 5  # the warning is not part of the failure


def test_a_header_sent_twice_is_served(seed_body: dict[str, Any]) -> None:
    """duplicate-header is a warning: the create is answered, the warning recorded."""
    fake = OfferLibrary()
    assert _create(fake, seed_body, RECEIPT).status == 201
    assert [v.rule for v in fake.calls[0].violations] == ["duplicate-header"]


def test_allow_violations_lets_strict_warnings_pass(seed_body: dict[str, Any]) -> None:
    """allow_violations keeps working: strict or not, nothing fails the test."""
    fake = OfferLibrary(OfferLibraryOptions(strict=True, allow_violations=True))
    _create(fake, _extended(seed_body))
    assert fake.violations_allowed


def test_seeding_takes_a_body_with_warnings(seed_body: dict[str, Any]) -> None:
    """add_fallback_offer checks for errors only, as a create does."""
    fake = OfferLibrary()
    instance_id = fake.add_fallback_offer(_extended(seed_body))
    assert fake.instances[instance_id]["_instance"]["xdm:extra"] == 1


def test_assert_valid_passes_warnings_unless_strict(seed_body: dict[str, Any]) -> None:
    """assert_valid fails on errors only; strict=True fails on a warning, marked as one."""
    contract_kit.assert_valid("fallback-offer", _extended(seed_body))
    with pytest.raises(contract_kit.ContractViolation) as caught:
        contract_kit.assert_valid("fallback-offer", _extended(seed_body), strict=True)
    assert str(caught.value).splitlines() == [
        "fallback-offer breaks the contract (1 warning):",
        f"- /xdm:extra: {EXTRA}",
        "",
        (
            "Hint: each line is a JSON pointer into the checked value, what is wrong there and, "
            "in brackets, the rule id; contract_kit.violations(kind, value) returns the same "
            "list as data. A (warning) is what the service takes: it fails here because "
            "strict=True was given; leave strict out to let warnings pass."
        ),
    ]


def test_assert_valid_lists_the_errors_only_when_not_strict(seed_body: dict[str, Any]) -> None:
    """Without strict, an error fails and the warning beside it is left out of the message."""
    body = _extended(seed_body)
    del body["xdm:name"]
    with pytest.raises(contract_kit.ContractViolation) as caught:
        contract_kit.assert_valid("fallback-offer", body)
    assert str(caught.value).splitlines()[:2] == [
        "fallback-offer breaks the contract (1 violation):",
        '- /xdm:name: required member "xdm:name" is missing [required]',
    ]
    assert [v.rule for v in caught.value.violations] == ["required"]


class _Request:
    def __init__(self, headers: dict[str, str], body: bytes) -> None:
        self.method = "POST"
        self.url = f"{BASE}/instances"
        self.headers = headers
        self.body = body


def test_assert_request_valid_takes_strict(seed_body: dict[str, Any]) -> None:
    """A request with a warning passes assert_request_valid, and fails it with strict=True."""
    headers = dict((*CREDENTIALS, RECEIPT, CREATE_TYPE))
    request = _Request(headers, json.dumps(_extended(seed_body)).encode())
    contract_kit.assert_request_valid(request)
    with pytest.raises(contract_kit.ContractViolation) as caught:
        contract_kit.assert_request_valid(request, strict=True)
    assert str(caught.value).splitlines()[:2] == [
        f"POST /data/core/xcore/{DEFAULT_CONTAINER}/instances breaks the contract (1 warning):",
        f"- {UNKNOWN}",
    ]


def test_a_patch_whose_result_only_warns_is_applied_and_the_warning_kept(
    seed_body: dict[str, Any],
) -> None:
    """A patch removing a channel (recommended) answers 200; the call keeps the warning."""
    fake = OfferLibrary()
    instance_id = _create(fake, seed_body).json()["instanceId"]
    patch_type = (
        "Content-Type",
        f'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="{SCHEMA}"',
    )
    removal = [{"op": "remove", "path": "/_instance/xdm:representations/0/xdm:channel"}]
    sent = (*CREDENTIALS, RECEIPT, patch_type)
    url = f"{BASE}/instances/{instance_id}"
    response = fake.handle(FakeRequest("PATCH", url, sent, json.dumps(removal).encode()))
    assert response.status == 200, response.body
    assert [(v.pointer, v.rule) for v in fake.calls[-1].violations] == [
        ("/patched/_instance/xdm:representations/0/xdm:channel", "recommended")
    ]
    read = fake.handle(FakeRequest("GET", url, (*CREDENTIALS, HAL)))
    assert "xdm:channel" not in read.json()["_instance"]["xdm:representations"][0]
