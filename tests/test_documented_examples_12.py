"""The documented examples of issue 12, each valid or reported at the severity decided.

Bodies, headers, receipts and queries as the public sources print them (the French seed page,
the xcore pages (OD/AJO), the older repository tutorial (ENT)), placeholders filled with
realistic values where the example is meant to pass. docs/contract.md names the decision each
outcome follows; the other kinds' examples belong to issue 13.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

import contract_kit
from contract_kit.cli import main
from contract_kit.fake import FakeRequest, OfferLibrary

if TYPE_CHECKING:
    from pathlib import Path

HOST = "https://platform.adobe.io"
CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
FALLBACK = "https://ns.adobe.com/experience/offer-management/fallback-offer"
FALLBACK_01 = f"{FALLBACK};version=0.1"
RECEIPT_ACCEPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"
#: The xcore pages' Accept for lists and lookups, a wildcard first.
RESULTS_ACCEPT = (
    "*,application/vnd.adobe.platform.xcore.hal+json; "
    'schema="https://ns.adobe.com/experience/xcore/hal/results"'
)
#: The docs' credentials placeholders, filled.
FILLED = {
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123456789ABCDEF01234567@AdobeOrg",
    "x-sandbox-name": "prod",
}
#: The same, as the pages print them.
PLACEHOLDERS = {
    "Authorization": "Bearer {ACCESS_TOKEN}",
    "x-api-key": "{API_KEY}",
    "x-gw-ims-org-id": "{IMS_ORG}",
    "x-sandbox-name": "{SANDBOX_NAME}",
}
#: The seed page's (and OD/AJO's) create Content-Type, two spaces after ``version=1;``.
SEED_CONTENT_TYPE = f'application/schema-instance+json; version=1;  schema="{FALLBACK_01}"'

SEED_BODY: dict[str, Any] = {
    "xdm:status": "approved",
    "xdm:name": "Fallback for sales",
    "xdm:representations": [
        {
            "xdm:components": [
                {
                    "dc:language": ["en"],
                    "@type": "https://ns.adobe.com/experience/offer-management/content-component-html",
                    "dc:format": "text/html",
                }
            ],
            "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
            "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
        }
    ],
}

#: ENT "Managing fallback offers", byte for byte: the comma after xdm:placement is missing.
ENT_FALLBACK_AS_PRINTED = """{
  "xdm:name": "Default for Kiosk Placements",
  "xdm:status": "approved",
  "xdm:representations": [
    {
      "xdm:placement": "xcore:offer-placement:e91afcf81bad130"
      "xdm:components": [
        {
          "dc:language": ["en" ],
          "@type": "https://ns.adobe.com/experience/offer-management/content-component-html",
          "dc:format": "text/html"
        }
      ]
    }
  ]
}
"""
ENT_FALLBACK_FIXED = ENT_FALLBACK_AS_PRINTED.replace(
    '"xcore:offer-placement:e91afcf81bad130"\n', '"xcore:offer-placement:e91afcf81bad130",\n'
)
NO_CHANNEL = [("/xdm:representations/0/xdm:channel", "recommended")]


def _receipt(created: str, by: str, client: str) -> dict[str, Any]:
    return {
        "instanceId": "b3966680-13ec-11eb-9c20-8323709cfc65",
        "@id": "xcore:fallback-offer:124e2e764b1ac1b9",
        "repo:etag": 1,
        "repo:createdDate": created,
        "repo:lastModifiedDate": created,
        "repo:createdBy": by,
        "repo:lastModifiedBy": by.replace("CREATED", "MODIFIED"),
        "repo:createdByClientId": client,
        "repo:lastModifiedByClientId": client.replace("CREATED", "MODIFIED"),
    }


def _pairs(found: list[contract_kit.Violation]) -> list[tuple[str, str]]:
    return sorted((v.pointer, v.rule) for v in found)


def _check(
    method: str, target: str, headers: dict[str, str], body: object = None
) -> list[tuple[str, str]]:
    return _pairs(contract_kit.check_request(method, HOST + target, headers, body))


# The create call ------------------------------------------------------------------------------


def test_the_seed_create_call_with_its_placeholders_filled_is_valid() -> None:
    """The seed page's curl (headers, body) passes once its credentials are real."""
    headers = {"Accept": RECEIPT_ACCEPT, "Content-Type": SEED_CONTENT_TYPE, **FILLED}
    assert _check("POST", f"/data/core/xcore/{CONTAINER}/instances", headers, SEED_BODY) == []
    assert _pairs(contract_kit.violations("fallback-offer", SEED_BODY)) == []


def test_the_seed_create_call_as_printed_names_each_placeholder() -> None:
    """As printed, each credential placeholder is its header's error; nothing else is reported."""
    headers = {"Accept": RECEIPT_ACCEPT, "Content-Type": SEED_CONTENT_TYPE, **PLACEHOLDERS}
    found = contract_kit.check_request(
        "POST", f"{HOST}/data/core/xcore/{CONTAINER}/instances", headers, SEED_BODY
    )
    assert _pairs(found) == [
        ("/headers/authorization", "authorization"),
        ("/headers/x-api-key", "api-key"),
        ("/headers/x-gw-ims-org-id", "ims-org"),
        ("/headers/x-sandbox-name", "sandbox-name"),
    ]
    assert all(v.is_error for v in found)
    # The spec of issue 12 words these (its section 1.8): a placeholder is named, not masked.
    assert sorted(v.message for v in found) == [
        (
            "the docs' placeholder {ACCESS_TOKEN} was sent; replace it with an access token "
            "(Authorization: Bearer <token>)"
        ),
        (
            "the docs' placeholder {API_KEY} was sent; replace it with your integration's API key "
            "(its client id)"
        ),
        (
            "the docs' placeholder {IMS_ORG} was sent; replace it with your IMS organization id "
            "(…@AdobeOrg)"
        ),
        (
            "the docs' placeholder {SANDBOX_NAME} was sent; replace it with a sandbox name such as "
            "prod (or leave the header out for prod)"
        ),
    ]


@pytest.mark.parametrize(
    "receipt",
    [
        _receipt("2023-10-21T22:28:11.111732Z", "{CREATED_BY}", "{CREATED_CLIENT_ID}"),
        _receipt("2020-10-21T22:28:11.111732Z", "{CREATED_BY}", "{CREATED_CLIENT_ID}"),
    ],
    ids=["seed-page", "od-create"],
)
def test_the_documented_receipts_are_valid(receipt: dict[str, Any]) -> None:
    """The receipts of the seed and OD create pages pass, their {CREATED_BY} placeholders too."""
    assert _pairs(contract_kit.violations("receipt", receipt)) == []


# ENT's fallback example (R6) --------------------------------------------------------------------


def test_ents_fallback_example_as_printed_is_not_json() -> None:
    """As printed (a comma missing), the body is a `json` error, the one thing reported of it."""
    headers = {"Accept": RECEIPT_ACCEPT, "Content-Type": SEED_CONTENT_TYPE, **FILLED}
    target = f"/data/core/xcore/{CONTAINER}/instances"
    found = _check("POST", target, headers, ENT_FALLBACK_AS_PRINTED.encode())
    assert found == [("/body", "json")]


def test_ents_fallback_example_with_its_comma_fixed_lacks_only_a_channel() -> None:
    """Fixed, it lacks xdm:channel only, which is `recommended`: a warning, not an error."""
    found = contract_kit.violations("fallback-offer", json.loads(ENT_FALLBACK_FIXED))
    assert _pairs(found) == NO_CHANNEL
    assert [v.severity for v in found] == ["warning"]


def test_the_fake_creates_ents_fallback_example_and_records_the_warning() -> None:
    """The fake answers 201 and stores the offer; the missing channel is recorded as a warning."""
    fake = OfferLibrary()
    fake.add_placement("xcore:offer-placement:e91afcf81bad130")
    headers = (("Accept", RECEIPT_ACCEPT), ("Content-Type", SEED_CONTENT_TYPE), *FILLED.items())
    target = f"{HOST}/data/core/xcore/{fake.container_id}/instances"
    response = fake.handle(FakeRequest("POST", target, headers, ENT_FALLBACK_FIXED.encode()))
    assert response.status == 201
    recorded = _pairs(list(fake.calls[-1].violations))
    assert recorded == [("/body/xdm:representations/0/xdm:channel", "recommended")]
    stored = fake.instances[response.json()["instanceId"]]["_instance"]
    assert stored["xdm:name"] == "Default for Kiosk Placements"


@pytest.mark.parametrize(
    ("text", "options", "code", "found"),
    [
        (ENT_FALLBACK_AS_PRINTED, (), 2, [("", "unchecked/json", "error")]),
        (ENT_FALLBACK_FIXED, (), 0, [(NO_CHANNEL[0][0], "recommended", "warning")]),
        (ENT_FALLBACK_FIXED, ("--strict",), 1, [(NO_CHANNEL[0][0], "recommended", "warning")]),
    ],
    ids=["as-printed", "fixed", "fixed-strict"],
)
def test_lint_reports_ents_fallback_example_at_its_severity(
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    options: tuple[str, ...],
    code: int,
    found: list[tuple[str, str, str]],
) -> None:
    """Lint: as printed unreadable (`unchecked/json`, exit 2); fixed a warning (exit 0, 1 strict)."""
    (folder / "ent-fallback.json").write_text(text, "utf-8")
    arguments = ["lint", "--format", "json", "--kind", "fallback-offer", *options]
    exit_code = main([*arguments, "ent-fallback.json"])
    findings = json.loads(capsys.readouterr().out)
    reported = [(f["pointer"], f["rule"], f["level"]) for f in findings]
    assert (exit_code, reported) == (code, found)


# ENT's HAL headers (R3, R2) --------------------------------------------------------------------

#: ENT writes the receipt Accept without a version, and the HAL Content-Type without version=1.
ENT_ACCEPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json"
ENT_HAL = f'application/vnd.adobe.platform.xcore.hal+json; schema="{FALLBACK}"'
ENT_PATCH = f'application/vnd.adobe.platform.xcore.patch.hal+json; schema="{FALLBACK}"'
BOTH = [("/headers/content-type", "schema-version"), ("/headers/content-type", "version-param")]


@pytest.mark.parametrize(
    ("method", "path", "content_type", "body"),
    [
        ("POST", "", ENT_HAL, {"_instance": SEED_BODY, "_links": {}}),
        (
            "PUT",
            "/b3966680-13ec-11eb-9c20-8323709cfc65",
            ENT_HAL,
            {"_instance": SEED_BODY, "_links": {}},
        ),
        (
            "PATCH",
            "/b3966680-13ec-11eb-9c20-8323709cfc65",
            ENT_PATCH,
            [{"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}],
        ),
    ],
    ids=["create", "put", "patch"],
)
def test_ents_hal_writes_warn_of_the_missing_versions(
    method: str, path: str, content_type: str, body: object
) -> None:
    """ENT's HAL create, PUT and PATCH: no version=1 and a version-less schema id, two warnings."""
    headers = {"Accept": ENT_ACCEPT, "Content-Type": content_type, **FILLED}
    found = contract_kit.check_request(
        method, f"{HOST}/data/core/xcore/{CONTAINER}/instances{path}", headers, body
    )
    assert _pairs(found) == BOTH
    assert not any(v.is_error for v in found)


def test_ents_hal_create_headers_as_a_request_headers_document() -> None:
    """The same headers checked as a request-headers instance give the same two warnings."""
    headers = {"Accept": ENT_ACCEPT, "Content-Type": ENT_HAL, **FILLED}
    found = contract_kit.violations("request-headers", headers)
    assert _pairs(found) == [
        ("/content-type", "schema-version"),
        ("/content-type", "version-param"),
    ]


# The documented queries ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "accept", "found"),
    [
        pytest.param(
            f"/data/core/xcore/{CONTAINER}/queries/core/search?schema={FALLBACK_01}&limit=1",
            RESULTS_ACCEPT,
            [],
            id="od-fallback-list",
        ),
        pytest.param(
            f"/data/core/xcore/{CONTAINER}/instances?schema={FALLBACK_01}"
            "&id=xcore:fallback-offer:122206064e0d98df",
            RESULTS_ACCEPT,
            [],
            id="od-lookup-by-id",
        ),
        pytest.param(
            f"/data/core/xcore/{CONTAINER}/queries/core/search?schema={FALLBACK_01}"
            "&q=sale%20web&qop=and",
            "*/*",
            [],
            id="ent-qop-lower-case",
        ),
        pytest.param(
            "/data/core/xcore/?product=dma_offers&product=acp",
            "application/vnd.adobe.platform.xcore.home.hal+json",
            [],
            id="ent-list-containers",
        ),
        pytest.param(
            "/data/core/xcore/?product=acp&property=_instance.containerType==decisioning",
            None,
            [("/headers/accept", "accept-missing")],
            id="od-getting-started-discovery",
        ),
    ],
)
def test_the_documented_queries(
    target: str, accept: str | None, found: list[tuple[str, str]]
) -> None:
    """Each documented read is valid; OD's discovery curl names no Accept, a warning."""
    headers = dict(FILLED) if accept is None else {"Accept": accept, **FILLED}
    assert _check("GET", target, headers) == found


def test_the_od_patch_and_delete_calls_are_valid() -> None:
    """OD's PATCH (patch.hal with version=1) and DELETE (receipt Accept) pass."""
    instance = f"/data/core/xcore/{CONTAINER}/instances/b3966680-13ec-11eb-9c20-8323709cfc65"
    patch_type = (
        f'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="{FALLBACK_01}"'
    )
    change = [{"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}]
    patch_headers = {"Accept": RECEIPT_ACCEPT, "Content-Type": patch_type, **FILLED}
    assert _check("PATCH", instance, patch_headers, change) == []
    assert _check("DELETE", instance, {"Accept": RECEIPT_ACCEPT, **FILLED}) == []
