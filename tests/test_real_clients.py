"""Every request shape of the three real clients and Adobe's Postman collection, with its outcome.

The shapes are those real-client-evidence.md records (aepctl, the offer-decisioning previewer,
aepp, the Postman collection), built verbatim with the fake's container and the ids it hands
out. Each test pins the status and the exact sorted (pointer, rule) pairs the fake recorded,
warnings included: these are the acceptance tests of issue 12 (docs/contract.md, "Real
clients").
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from aepctl_like import AepctlLike, go_query, lifecycle
from fake_decisions import ACTIVITY, JOE, NOW, PLACEMENT, offer_body, seed

from contract_kit.core.checks import violations
from contract_kit.core.object_kinds import kind_of_schema_id
from contract_kit.decisioning.assertions import assert_offer_proposed
from contract_kit.fake import FakeRequest, FakeResponse, OfferLibrary
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.server import open_server

if TYPE_CHECKING:
    from collections.abc import Iterator

HOST = "https://platform.adobe.io"
TOKEN = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"
KEY = "4a6f3c1d2e8b4f0a"
ORG = "0123456789ABCDEF01234567@AdobeOrg"
OM = "https://ns.adobe.com/experience/offer-management/"
FALLBACK = f"{OM}fallback-offer"
FALLBACK_01 = f"{FALLBACK};version=0.1"
HOME_TYPE = "application/vnd.adobe.platform.xcore.home.hal+json"
HAL_TYPE = "application/vnd.adobe.platform.xcore.hal+json"
RECEIPT_TYPE = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"
#: A second sandbox's container, as the previewer's recorded answers name it.
SANDBOX1_CONTAINER = "8a4838ca-dc7c-31d8-9983-2fbb0c224f3a"

#: What aepctl sends on every call (api/authentication.go), with Go's header names: no Accept.
GO = (
    ("User-Agent", "Go-http-client/1.1"),
    ("Authorization", f"Bearer {TOKEN}"),
    ("X-Api-Key", KEY),
    ("X-Gw-Ims-Org-Id", ORG),
    ("X-Sandbox-Name", "prod"),
    ("Accept-Encoding", "gzip"),
)
#: What the previewer's actions send (node-fetch adds Accept: */*): never x-sandbox-name.
PREVIEWER = (
    ("x-api-key", KEY),
    ("x-gw-ims-org-id", ORG),
    ("Authorization", f"Bearer {TOKEN}"),
    ("Accept", "*/*"),
    ("User-Agent", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)"),
)
#: What the Postman collection's requests carry besides Accept and Content-Type.
POSTMAN = (
    ("Authorization", f"Bearer {TOKEN}"),
    ("x-api-key", KEY),
    ("x-gw-ims-org-id", ORG),
    ("x-sandbox-name", "prod"),
    ("x-request-id", "5b6a1e2c-0f3d-4c59-9a8e-2d7c1b0a9f11"),
    ("x-user-token", "eyJ1c2VyIjoidG9rZW4ifQ.e30.c2ln"),
)
#: The Postman collection's Accept for lookups and searches, its schema in single quotes.
POSTMAN_RESULTS = (
    "application/vnd.adobe.platform.xcore.hal+json; "
    "schema='https://ns.adobe.com/experience/xcore/hal/results'"
)

ACCEPT_MISSING = ("/headers/accept", "accept-missing")
QUERY_SCHEMA_VERSION = ("/query/schema", "schema-version")
CONTENT_TYPE_SCHEMA_VERSION = ("/headers/content-type", "schema-version")
VERSION_PARAM = ("/headers/content-type", "version-param")


def _offer(name: str = "Fallback for sales") -> dict[str, Any]:
    """The od.Fallback aepctl marshals: ``repo:name`` and ``dc:language`` have no omitempty."""
    return {
        "xdm:name": name,
        "xdm:status": "approved",
        "xdm:representations": [
            {
                "xdm:components": [
                    {
                        "repo:name": "",
                        "@type": f"{OM}content-component-html",
                        "dc:format": "text/html",
                        "dc:language": ["en"],
                    }
                ],
                "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
                "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
            }
        ],
    }


def _send(
    fake: OfferLibrary,
    method: str,
    target: str,
    headers: tuple[tuple[str, str], ...],
    body: object = None,
) -> tuple[FakeResponse, list[tuple[str, str]]]:
    """The answer to one call, and the sorted (pointer, rule) pairs the fake recorded for it."""
    if body is None:
        data = b""
    elif isinstance(body, bytes):
        data = body
    else:
        data = json.dumps(body, separators=(",", ":")).encode()
    response = fake.handle(FakeRequest(method, HOST + target, headers, data))
    recorded = fake.calls[-1].violations
    return response, sorted((v.pointer, v.rule) for v in recorded)


def _container_of(listing: dict[str, Any], sandbox: str) -> str:
    """How aepctl and the previewer find their container: by ``_instance.parentName``."""
    containers = listing["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
    return str(next(c["instanceId"] for c in containers if c["_instance"]["parentName"] == sandbox))


def _create_type(schema: str, *, version: bool = True) -> tuple[str, str]:
    version_part = "version=1; " if version else ""
    return ("Content-Type", f'application/schema-instance+json; {version_part}schema="{schema}"')


def _patch_type(schema: str) -> tuple[str, str]:
    return (
        "Content-Type",
        f'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="{schema}"',
    )


def _seed(fake: OfferLibrary, *names: str) -> list[dict[str, Any]]:
    """Offers the fake holds, as a read of each returns it (their @id and instanceId)."""
    ids = [fake.add_fallback_offer(_offer(name)) for name in names]
    return [fake.instances[i] for i in ids]


# aepctl -------------------------------------------------------------------------------------


def test_aepctl_discovery_finds_its_sandbox_container() -> None:
    """A1: no Accept is a warning; parentName is the sandbox, so aepctl maps prod to the container."""
    fake = OfferLibrary()
    target = "/data/core/xcore/?product=acp&property=_instance.containerType==decisioning"
    response, recorded = _send(fake, "GET", target, GO)
    assert (response.status, recorded) == (200, [ACCEPT_MISSING])
    assert _container_of(response.json(), "prod") == fake.container_id


def test_aepctl_create_with_a_version_less_schema() -> None:
    """A2: 201 with a receipt and Location; no Accept and the version-less id are warnings."""
    fake = OfferLibrary()
    target = f"/data/core/xcore/{fake.container_id}/instances"
    response, recorded = _send(fake, "POST", target, (*GO, _create_type(FALLBACK)), _offer())
    assert (response.status, recorded) == (201, [ACCEPT_MISSING, CONTENT_TYPE_SCHEMA_VERSION])
    receipt = response.json()
    assert response.header("Location") == f"{fake.container_id}/instances/{receipt['instanceId']}"
    assert response.header("Content-Base") == f"{HOST}/data/core/xcore/"
    assert fake.instances[receipt["instanceId"]]["_instance"]["xdm:name"] == "Fallback for sales"


def test_aepctl_create_with_a_null_language_is_refused() -> None:
    """A2': aepctl's real bug (dc:language null) stays an error: 400, beside the two warnings."""
    fake = OfferLibrary()
    body = _offer()
    body["xdm:representations"][0]["xdm:components"][0]["dc:language"] = None
    target = f"/data/core/xcore/{fake.container_id}/instances"
    response, recorded = _send(fake, "POST", target, (*GO, _create_type(FALLBACK)), body)
    assert (response.status, recorded) == (
        400,
        [
            ("/body/xdm:representations/0/xdm:components/0/dc:language", "type"),
            ACCEPT_MISSING,
            CONTENT_TYPE_SCHEMA_VERSION,
        ],
    )
    assert fake.instances == {}


def test_aepctl_list_gets_only_fallback_offers() -> None:
    """A3: a version-less schema= (Go-encoded) lists the kind's offers, with two warnings."""
    fake = OfferLibrary()
    seeded = _seed(fake, "A", "B")
    query = go_query({"schema": FALLBACK})
    assert (
        query
        == "schema=https%3A%2F%2Fns.adobe.com%2Fexperience%2Foffer-management%2Ffallback-offer"
    )
    target = f"/data/core/xcore/{fake.container_id}/queries/core/search?{query}"
    response, recorded = _send(fake, "GET", target, GO)
    assert (response.status, recorded) == (200, [ACCEPT_MISSING, QUERY_SCHEMA_VERSION])
    results = response.json()["_embedded"]["results"]
    assert sorted(r["instanceId"] for r in results) == sorted(s["instanceId"] for s in seeded)


def test_aepctl_lookup_by_id() -> None:
    """A4: lookup by a Go-encoded @id finds that one offer, scored 0."""
    fake = OfferLibrary()
    first, _ = _seed(fake, "A", "B")
    query = go_query({"id": first["_instance"]["@id"], "schema": FALLBACK})
    assert query.startswith("id=xcore%3Afallback-offer%3A")
    target = f"/data/core/xcore/{fake.container_id}/instances?{query}"
    response, recorded = _send(fake, "GET", target, GO)
    assert (response.status, recorded) == (200, [ACCEPT_MISSING, QUERY_SCHEMA_VERSION])
    results = response.json()["_embedded"]["results"]
    assert [(r["instanceId"], r["_score"]) for r in results] == [(first["instanceId"], 0)]


def test_aepctl_query_with_its_oderby_typo_then_the_next_page() -> None:
    """A5, A5': the typo is a warning with a did-you-mean; the pager's next page is the other offer."""
    fake = OfferLibrary()
    seeded = _seed(fake, "Sale web", "Sale kiosk")
    params = {
        "field": "_instance.xdm:name",
        "limit": "1",
        "oderBy": "-repo:createdDate",
        "q": "sale",
        "qop": "AND",
        "schema": FALLBACK,
    }
    search = f"/data/core/xcore/{fake.container_id}/queries/core/search"
    query = go_query(params)
    assert query.startswith("field=_instance.xdm%3Aname&limit=1&oderBy=-repo%3AcreatedDate&q=sale")
    expected = sorted(
        [ACCEPT_MISSING, ("/query/oderBy", "unknown-parameter"), QUERY_SCHEMA_VERSION]
    )
    first, recorded = _send(fake, "GET", f"{search}?{query}", GO)
    assert (first.status, recorded) == (200, expected)
    typo = next(v for v in fake.calls[-1].violations if v.rule == "unknown-parameter")
    assert 'did you mean "orderby"?' in typo.message
    # The typo orders nothing: the default order, instanceId, applies.
    in_order = sorted(s["instanceId"] for s in seeded)
    assert [r["instanceId"] for r in first.json()["_embedded"]["results"]] == in_order[:1]
    # aepctl's pager (cmd/helper/pager.go) copies start and orderby out of the next link.
    carried = dict(parse_qsl(urlsplit(first.json()["_links"]["next"]["href"]).query))
    following = go_query({**params, "start": carried["start"], "orderby": carried["orderby"]})
    second, recorded = _send(fake, "GET", f"{search}?{following}", GO)
    assert (second.status, recorded) == (200, expected)
    assert [r["instanceId"] for r in second.json()["_embedded"]["results"]] == in_order[1:]
    assert "next" not in second.json()["_links"]


def test_aepctl_patch_delete_and_the_lookup_after() -> None:
    """A6, A7, A4 after A7: etag 2; 202 with no body; then the lookup is empty."""
    fake = OfferLibrary()
    (stored,) = _seed(fake, "A")
    instance = f"/data/core/xcore/{fake.container_id}/instances/{stored['instanceId']}"
    change = [{"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}]
    patched, recorded = _send(fake, "PATCH", instance, (*GO, _patch_type(FALLBACK)), change)
    assert (patched.status, patched.json()["repo:etag"]) == (200, 2)
    assert recorded == [ACCEPT_MISSING, CONTENT_TYPE_SCHEMA_VERSION]
    deleted, recorded = _send(fake, "DELETE", instance, GO)
    assert (deleted.status, deleted.body, recorded) == (202, b"", [ACCEPT_MISSING])
    query = go_query({"id": stored["_instance"]["@id"], "schema": FALLBACK})
    target = f"/data/core/xcore/{fake.container_id}/instances?{query}"
    after, recorded = _send(fake, "GET", target, GO)
    assert (after.status, after.json()["_embedded"]["total"], recorded) == (
        200,
        0,
        [ACCEPT_MISSING, QUERY_SCHEMA_VERSION],
    )


def test_aepctl_control_run_with_accept_and_versioned_ids_has_no_violation() -> None:
    """The control run (Accept */*, ;version=0.1) of every aepctl call records nothing."""
    fake = OfferLibrary()
    headers = (*GO, ("Accept", "*/*"))
    discovered, _ = _send(
        fake,
        "GET",
        "/data/core/xcore/?product=acp&property=_instance.containerType==decisioning",
        headers,
    )
    container = _container_of(discovered.json(), "prod")
    instances = f"/data/core/xcore/{container}/instances"
    created, _ = _send(fake, "POST", instances, (*headers, _create_type(FALLBACK_01)), _offer())
    receipt = created.json()
    instance = f"{instances}/{receipt['instanceId']}"
    lookup = go_query({"id": receipt["@id"], "schema": FALLBACK_01})
    search = go_query(
        {
            "field": "_instance.xdm:name",
            "limit": "10",
            "q": "sales",
            "qop": "AND",
            "schema": FALLBACK_01,
        }
    )
    change = [{"op": "replace", "path": "/_instance/xdm:status", "value": "draft"}]
    answers = [
        discovered.status,
        created.status,
        _send(fake, "GET", f"{instances}?{lookup}", headers)[0].status,
        _send(fake, "GET", f"/data/core/xcore/{container}/queries/core/search?{search}", headers)[
            0
        ].status,
        _send(fake, "PATCH", instance, (*headers, _patch_type(FALLBACK_01)), change)[0].status,
        _send(fake, "DELETE", instance, headers)[0].status,
    ]
    assert answers == [200, 201, 200, 200, 200, 202]
    assert fake.violations == []


# The previewer -------------------------------------------------------------------------------


def test_previewer_finds_its_container_by_parent_name() -> None:
    """P1: discovery lists every sandbox's container, whatever the header; parentName filters."""
    fake = OfferLibrary()
    fake.add_sandbox("sandbox1", SANDBOX1_CONTAINER)
    headers = (*PREVIEWER[:3], ("Accept", HOME_TYPE))
    everything, recorded = _send(
        fake, "GET", "/data/core/xcore/?property=_instance.containerType==decisioning", headers
    )
    assert (everything.status, recorded) == (200, [])
    assert _container_of(everything.json(), "sandbox1") == SANDBOX1_CONTAINER
    assert _container_of(everything.json(), "prod") == fake.container_id
    filtered, recorded = _send(
        fake,
        "GET",
        "/data/core/xcore/?property=_instance.containerType==decisioning"
        "&property=_instance.parentName==sandbox1",
        headers,
    )
    listed = filtered.json()["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
    assert (filtered.status, recorded) == (200, [])
    assert [c["instanceId"] for c in listed] == [SANDBOX1_CONTAINER]
    # Naming a sandbox does not narrow discovery: the caller sees every container it may use.
    named, recorded = _send(
        fake, "GET", "/data/core/xcore/", (*headers, ("x-sandbox-name", "sandbox1"))
    )
    every = named.json()["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
    assert (named.status, recorded) == (200, [])
    assert sorted(c["instanceId"] for c in every) == sorted([fake.container_id, SANDBOX1_CONTAINER])


def test_previewer_fallback_offer_details() -> None:
    """P6: the raw schema and raw xcore id in the query find the seeded offer, with no violation."""
    fake = OfferLibrary()
    (stored,) = _seed(fake, "A")
    target = (
        f"/data/core/xcore/{fake.container_id}/instances"
        f"?schema={FALLBACK_01}&id={stored['_instance']['@id']}"
    )
    response, recorded = _send(fake, "GET", target, PREVIEWER)
    assert (response.status, recorded) == (200, [])
    assert [r["instanceId"] for r in response.json()["_embedded"]["results"]] == [
        stored["instanceId"]
    ]


def test_previewer_calls_another_sandboxs_container_without_the_header() -> None:
    """P6 on sandbox1's container, no x-sandbox-name: answered by container, sandbox-mismatch."""
    fake = OfferLibrary()
    fake.add_sandbox("sandbox1", SANDBOX1_CONTAINER)
    target = f"/data/core/xcore/{SANDBOX1_CONTAINER}/instances?schema={FALLBACK_01}"
    response, recorded = _send(fake, "GET", target, PREVIEWER)
    assert (response.status, recorded) == (200, [("/headers/x-sandbox-name", "sandbox-mismatch")])
    assert response.json()["containerId"] == SANDBOX1_CONTAINER
    named, recorded = _send(fake, "GET", target, (*PREVIEWER, ("x-sandbox-name", "sandbox1")))
    assert (named.status, recorded) == (200, [])


def test_the_containers_own_link_reads_it() -> None:
    """GET /containers/{id}, the listing's self link, answers the container as listed."""
    fake = OfferLibrary()
    listing, _ = _send(fake, "GET", "/data/core/xcore/", GO)
    (listed,) = listing.json()["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
    link = listed["_links"]["self"]["href"]
    assert link == f"/containers/{fake.container_id}"
    response, recorded = _send(fake, "GET", f"/data/core/xcore{link}", GO)
    assert (response.status, recorded) == (200, [ACCEPT_MISSING])
    assert response.json() == listed
    unknown, _ = _send(
        fake, "GET", "/data/core/xcore/containers/" + "0" * 8 + "-0000-1000-8000-" + "0" * 12, GO
    )
    assert unknown.status == 404
    written, recorded = _send(fake, "POST", f"/data/core/xcore{link}", GO, {})
    assert (written.status, written.header("Allow"), recorded) == (
        405,
        "GET",
        [("/method", "method")],
    )


def test_stored_instances_show_their_containers_sandbox() -> None:
    """A create in dev's container with x-sandbox-name: dev reads back sandboxName dev."""
    fake = OfferLibrary()
    dev = fake.add_sandbox("dev", SANDBOX1_CONTAINER)
    assert (dev, fake.container_of("dev"), fake.container_of("prod")) == (
        SANDBOX1_CONTAINER,
        SANDBOX1_CONTAINER,
        fake.container_id,
    )
    headers = (*GO[:4], ("X-Sandbox-Name", "dev"), ("Accept", "*/*"), _create_type(FALLBACK_01))
    created, recorded = _send(fake, "POST", f"/data/core/xcore/{dev}/instances", headers, _offer())
    assert (created.status, recorded) == (201, [])
    target = f"/data/core/xcore/{dev}/instances/{created.json()['instanceId']}"
    read, _ = _send(fake, "GET", target, (*headers[:-1],))
    assert read.json()["sandboxName"] == "dev"


def test_strict_sandbox_isolation_answers_404() -> None:
    """With sandbox_isolation="strict", another sandbox's container is not found from prod."""
    fake = OfferLibrary(OfferLibraryOptions(sandbox_isolation="strict"))
    fake.add_sandbox("sandbox1", SANDBOX1_CONTAINER)
    target = f"/data/core/xcore/{SANDBOX1_CONTAINER}/instances?schema={FALLBACK_01}"
    response, _ = _send(fake, "GET", target, PREVIEWER)
    assert response.status == 404


def test_the_previewers_recorded_next_link_form_pages_the_fake() -> None:
    """A next link as the service writes it (epoch ms, instanceId) gives the fake's second page."""
    fake = OfferLibrary()
    seeded = _seed(fake, "A", "B", "C")

    def millis(item: dict[str, Any]) -> int:
        moment = dt.datetime.fromisoformat(item["repo:createdDate"])
        return int(moment.timestamp() * 1000)

    newest_first = sorted(seeded, key=lambda item: (-millis(item), item["instanceId"]))
    last = newest_first[0]
    target = (
        f"/data/core/xcore/{fake.container_id}/queries/core/search"
        f"?start={millis(last)}%2C{last['instanceId']}&schema={FALLBACK_01}"
        "&orderby=-repo%3AcreatedDate%2CinstanceId&limit=1"
    )
    response, recorded = _send(fake, "GET", target, PREVIEWER)
    assert (response.status, recorded) == (200, [])
    page = response.json()["_embedded"]
    assert ([r["instanceId"] for r in page["results"]], page["total"]) == (
        [newest_first[1]["instanceId"]],
        2,
    )


# The previewer's calls for the other kinds (spec 12-13 §1.4, P2-P5, P7, P8). Since issue 13
# the fake stores every kind: each call finds the object it asks for, and a schema id without
# its version is `schema-version`, the warning aepctl's ids get too. The ids P5 and P7 send
# are the ones the previewer's app read before (``${ruleID}``, ``${offerID}``): here, the
# seeded objects' ``@id``.
OTHER_KINDS = [
    pytest.param(
        "offer-activity",
        "instances?schema={om}offer-activity",
        (("Content-Type", f'{HAL_TYPE}; schema="{OM}offer-activity"'),),
        [QUERY_SCHEMA_VERSION],
        id="P2-get-activities",
    ),
    pytest.param(
        "offer-filter",
        "queries/core/search?schema={om}offer-filter;version=0.1",
        (),
        [],
        id="P3-get-all-collections",
    ),
    pytest.param(
        "personalized-offer",
        "instances?schema={om}personalized-offer;version=0.5",
        (),
        [],
        id="P4-get-all-offers",
    ),
    pytest.param(
        "eligibility-rule",
        "instances?schema={om}eligibility-rule;version=0.3&id={id}",
        (),
        [],
        id="P5-get-decision-rules",
    ),
    pytest.param(
        "personalized-offer",
        "instances?schema={om}personalized-offer;version=0.5&id={id}",
        (),
        [],
        id="P7-get-offer-details",
    ),
    pytest.param(
        "offer-placement",
        "instances?schema={om}offer-placement",
        (("Content-Type", f'{HAL_TYPE}; schema="{OM}offer-placement"'),),
        [QUERY_SCHEMA_VERSION],
        id="P8-get-placements",
    ),
]

#: One object of each kind, in an order where each names only those before it.
WEB = "https://ns.adobe.com/xdm/channel-types/web"
HTML_COMPONENT = {"@type": f"{OM}content-component-html", "dc:format": "text/html"}


def _library_bodies() -> list[tuple[str, str, dict[str, Any]]]:
    """A small library as aepctl's structs marshal it: (name, kind, body with ``{name}`` ids)."""
    representation = {
        "xdm:placement": "{placement}",
        "xdm:channel": WEB,
        "xdm:components": [{**HTML_COMPONENT, "dc:language": ["en"]}],
    }
    return [
        (
            "placement",
            "offer-placement",
            {
                "xdm:name": "Web banner",
                "xdm:description": "",
                "xdm:componentType": HTML_COMPONENT["@type"],
                "xdm:channel": WEB,
            },
        ),
        ("tag", "tag", {"xdm:name": "Holiday"}),
        (
            "rule",
            "eligibility-rule",
            {
                "xdm:name": "Named Joe",
                "xdm:description": "",
                # aepctl's Rule struct: the older, unprefixed condition members.
                "condition": {
                    "type": "PQL",
                    "format": "pql/text",
                    "value": 'profile.person.name.firstName.equals("Joe", false)',
                },
                "xdm:definedOn": {},
            },
        ),
        (
            "offer",
            "personalized-offer",
            {
                "xdm:name": "Holiday sale",
                "xdm:status": "approved",
                "xdm:representations": [representation],
                "xdm:selectionConstraint": {
                    "xdm:startDate": "2026-12-01T00:00:00Z",
                    "xdm:endDate": "2026-12-31T00:00:00Z",
                    "xdm:eligibilityRule": "{rule}",
                },
                "xdm:rank": {"xdm:priority": 1},
                "xdm:tags": ["{tag}"],
            },
        ),
        (
            "collection",
            "offer-filter",
            {"xdm:name": "Holiday offers", "xdm:filterType": "anyTags", "xdm:ids": ["{tag}"]},
        ),
        (
            "fallback",
            "fallback-offer",
            {
                "xdm:name": "Default",
                "xdm:status": "approved",
                "xdm:representations": [representation],
            },
        ),
        (
            "decision",
            "offer-activity",
            {
                "xdm:name": "Holiday decision",
                "xdm:status": "live",
                "xdm:startDate": "2026-12-01T00:00:00Z",
                "xdm:endDate": "2026-12-31T00:00:00Z",
                "xdm:criteria": [
                    {
                        "xdm:placements": ["{placement}"],
                        "xdm:optionSelection": {"xdm:filter": "{collection}"},
                    }
                ],
                "xdm:fallback": "{fallback}",
            },
        ),
    ]


def _filled(body: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    text = json.dumps(body)
    for name, at_id in ids.items():
        text = text.replace(f'"{{{name}}}"', json.dumps(at_id))
    filled: dict[str, Any] = json.loads(text)
    return filled


def _seed_library(fake: OfferLibrary) -> dict[str, tuple[str, str]]:
    """Each object of the small library seeded with ``fake.add``: name -> (kind, ``@id``)."""
    ids: dict[str, str] = {}
    made: dict[str, tuple[str, str]] = {}
    for name, kind, body in _library_bodies():
        instance_id = fake.add(kind, _filled(body, ids))
        ids[name] = fake.instances_of(kind)[instance_id]["_instance"]["@id"]
        made[name] = (kind, ids[name])
    return made


@pytest.mark.parametrize(("kind", "call", "extra", "expected"), OTHER_KINDS)
def test_previewer_calls_for_every_kind(
    kind: str, call: str, extra: tuple[tuple[str, str], ...], expected: list[tuple[str, str]]
) -> None:
    """P2-P5, P7, P8 as sent (query unencoded, Content-Type on a GET): 200, that kind only."""
    fake = OfferLibrary()
    made = _seed_library(fake)
    at_id = next(at_id for made_kind, at_id in made.values() if made_kind == kind)
    target = f"/data/core/xcore/{fake.container_id}/{call.format(om=OM, id=at_id)}"
    response, recorded = _send(fake, "GET", target, (*PREVIEWER, *extra))
    assert (response.status, recorded) == (200, expected)
    results = response.json()["_embedded"]["results"]
    assert at_id in [r["_instance"]["@id"] for r in results]
    assert {r["schemas"][0].split(";")[0] for r in results} == {f"{OM}{kind}"}


@pytest.mark.parametrize(
    ("name", "kind"),
    [(name, kind) for name, kind, _ in _library_bodies()],
    ids=[kind for _, kind, _ in _library_bodies()],
)
def test_aepctl_creates_every_kind_with_a_version_less_schema(name: str, kind: str) -> None:
    """A2'': aepctl's version-less Content-Type for each kind: 201; its rule's `condition` warns."""
    fake = OfferLibrary()
    ids: dict[str, str] = {}
    target = f"/data/core/xcore/{fake.container_id}/instances"
    for made_name, made_kind, body in _library_bodies():
        content_type = _create_type(f"{OM}{made_kind}")
        response, recorded = _send(fake, "POST", target, (*GO, content_type), _filled(body, ids))
        ids[made_name] = response.json()["@id"]
        if made_name == name:
            break
    expected = [ACCEPT_MISSING, CONTENT_TYPE_SCHEMA_VERSION]
    if kind == "eligibility-rule":
        expected = sorted([*expected, ("/body/condition", "legacy-form")])
    assert (response.status, recorded) == (201, expected)
    assert ids[name].startswith(f"xcore:{kind}:")


#: The previewer's mocked xcore answers (test/actions/mock.js), recorded from the live service
#: (spec 12-13 §0.1): each file holds one, as JSON, and names the kind it is checked as.
MOCKS = Path(__file__).with_name("previewer_mocks")


@pytest.mark.parametrize(
    ("mock", "kind", "expected"),
    [
        pytest.param("container", "container-list", [], id="container"),
        pytest.param("offerActivity", "search-results", [], id="offerActivity"),
        pytest.param("offerPlacements", "search-results", [], id="offerPlacements"),
        pytest.param("offerCollections", "search-results", [], id="offerCollections"),
        pytest.param("listOffers", "search-results", [], id="listOffers"),
        pytest.param(
            "offerDetails",
            "search-results",
            [("/_embedded/results/0/_instance/xdm:representations/0/xdm:channel", "recommended")],
            id="offerDetails",
        ),
        pytest.param("offerDecisionRule", "search-results", [], id="offerDecisionRule"),
        pytest.param("offerFallback", "search-results", [], id="offerFallback"),
    ],
)
def test_the_previewers_mocked_answers_pass_as_their_kind(
    mock: str, kind: str, expected: list[tuple[str, str]]
) -> None:
    """Every mocked answer keeps its kind's contract; the offer without a channel warns."""
    answer = json.loads((MOCKS / f"{mock}.json").read_text("utf-8"))
    found = violations(kind, answer)
    assert sorted((v.pointer, v.rule) for v in found) == expected
    assert not any(v.is_error for v in found)
    # Each result alone, checked as the kind its schemas names, finds the same.
    for index, item in enumerate(answer.get("_embedded", {}).get("results", [])):
        own = kind_of_schema_id(item["schemas"][0])
        assert own is not None
        prefix = f"/_embedded/results/{index}"
        alone = sorted((prefix + v.pointer, v.rule) for v in violations(own.instance_kind, item))
        assert alone == [pair for pair in expected if pair[0].startswith(prefix + "/")]


def test_previewer_get_offer_representation_is_decided() -> None:
    """get-offer-representation as the previewer sends it is decided, with two warnings.

    It sends no x-request-id and a profileModel: the fake takes what a released client sends,
    and warns of what the Swagger would have it send.
    """
    fake = OfferLibrary(clock=lambda: NOW)
    seed(fake, offer_body("1"))
    body = {
        "xdm:dryRun": True,
        "xdm:propositionRequests": [{"xdm:placementId": PLACEMENT, "xdm:activityId": ACTIVITY}],
        "xdm:profiles": [
            {
                "xdm:identityMap": {JOE[0]: [{"xdm:id": JOE[1]}]},
                "xdm:profileModel": "_xdm.context.profile",
            }
        ],
        "xdm:responseFormat": {"xdm:includeContent": True},
    }
    xdm = "application/vnd.adobe.xdm+json"
    schemas = "https://ns.adobe.com/experience/offer-management/decision-"
    headers = (
        *(pair for pair in PREVIEWER if pair[0] != "Accept"),
        ("Content-Type", f'{xdm}; schema="{schemas}request;version=1.0"'),
        ("Accept", f'{xdm}; schema="{schemas}response;version=1.0"'),
    )
    response, recorded = _send(
        fake, "POST", f"/data/core/ode/{fake.container_id}/decisions", headers, body
    )
    assert (response.status, recorded) == (
        200,
        [
            ("/body/xdm:profiles/0/xdm:profileModel", "unknown-key"),
            ("/headers/x-request-id", "request-id-missing"),
        ],
    )
    assert_offer_proposed(response.json(), "xcore:personalized-offer:1")


def test_previewer_get_offer_metrics_is_not_this_api() -> None:
    """get-offer-metrics (GET /data/core/ode/.../metrics) is another API: 404 `path`."""
    fake = OfferLibrary()
    target = f"/data/core/ode/{fake.container_id}/metrics"
    response, recorded = _send(fake, "GET", target, PREVIEWER)
    assert (response.status, recorded) == (404, [("/path", "path")])


# aepp ----------------------------------------------------------------------------------------

#: aepp's default headers; home() asks for home.hal and keeps the JSON Content-Type on its GET.
AEPP = (
    ("Accept", HOME_TYPE),
    ("Content-Type", "application/json"),
    ("Authorization", f"Bearer {TOKEN}"),
    ("x-api-key", KEY),
    ("x-gw-ims-org-id", ORG),
    ("x-sandbox-name", "prod"),
)


@pytest.mark.parametrize(
    "query", ["limit=50", "product=acp&limit=50"], ids=["E1-home", "E2-home-acp"]
)
def test_aepp_home_lists_the_container(query: str) -> None:
    """E1, E2: aepp.home() gets the container with no violation (limit and product are documented)."""
    fake = OfferLibrary()
    response, recorded = _send(fake, "GET", f"/data/core/xcore/?{query}", AEPP)
    assert (response.status, recorded) == (200, [])
    assert _container_of(response.json(), "prod") == fake.container_id


def test_aepp_home_for_another_product_lists_nothing() -> None:
    """The product filter is applied: dma_offers holds none of the fake's containers."""
    fake = OfferLibrary()
    response, recorded = _send(fake, "GET", "/data/core/xcore/?product=dma_offers&limit=50", AEPP)
    listed = response.json()["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
    assert (response.status, recorded, listed) == (200, [], [])


# Adobe's Postman collection ------------------------------------------------------------------


def test_postman_home_with_every_parameter() -> None:
    """GET / with product, start, limit, property, a Content-Type on a GET: 200, nothing recorded."""
    fake = OfferLibrary()
    query = (
        "product=acp&start=00000000-0000-0000-0000-000000000000&limit=10"
        "&property=_instance.containerType==decisioning"
    )
    headers = (
        ("Accept", f"*, {HOME_TYPE}"),
        ("Content-Type", HAL_TYPE),
        *POSTMAN,
    )
    response, recorded = _send(fake, "GET", f"/data/core/xcore/?{query}", headers)
    assert (response.status, recorded) == (200, [])
    assert _container_of(response.json(), "prod") == fake.container_id


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (
            "queries/core/search",
            (
                "schema={schema}&q=sales&qop=AND&field=_instance.xdm:name"
                "&property=_instance.xdm:status==approved&orderby=instanceId"
                "&start=00000000-0000-0000-0000-000000000000&limit=10"
            ),
        ),
        (
            "instances",
            (
                "schema={schema}&id={id}&property=_instance.xdm:status==approved"
                "&orderby=instanceId&start=00000000-0000-0000-0000-000000000000&limit=10"
            ),
        ),
    ],
    ids=["search", "lookup"],
)
def test_postman_search_and_lookup_with_a_single_quoted_accept(path: str, query: str) -> None:
    """The collection's Accept quotes its schema in '...': read as quoted, warning `quoting`."""
    fake = OfferLibrary()
    (stored,) = _seed(fake, "Fallback for sales")
    filled = query.format(schema=FALLBACK_01, id=stored["_instance"]["@id"])
    headers = (("Accept", POSTMAN_RESULTS), ("Content-Type", HAL_TYPE), *POSTMAN)
    target = f"/data/core/xcore/{fake.container_id}/{path}?{filled}"
    response, recorded = _send(fake, "GET", target, headers)
    assert (response.status, recorded) == (200, [("/headers/accept", "quoting")])
    assert [r["instanceId"] for r in response.json()["_embedded"]["results"]] == [
        stored["instanceId"]
    ]


def test_postman_create_without_version_1() -> None:
    """POST with schema-instance+json and no version=1: 201, warning `version-param`."""
    fake = OfferLibrary()
    headers = (("Accept", RECEIPT_TYPE), _create_type(FALLBACK_01, version=False), *POSTMAN)
    target = f"/data/core/xcore/{fake.container_id}/instances"
    response, recorded = _send(fake, "POST", target, headers, _offer())
    assert (response.status, recorded) == (201, [VERSION_PARAM])


def test_postman_read_with_if_none_match() -> None:
    """GET one instance with the collection's two-type Accept: 200, then 304 on its etag."""
    fake = OfferLibrary()
    (stored,) = _seed(fake, "A")
    accept = (
        "Accept",
        f'application/schema-instance+json; schema="{FALLBACK_01}", {HAL_TYPE}; schema="{FALLBACK_01}"',
    )
    target = f"/data/core/xcore/{fake.container_id}/instances/{stored['instanceId']}"
    read, recorded = _send(fake, "GET", target, (accept, *POSTMAN))
    assert (read.status, recorded) == (200, [])
    unchanged, recorded = _send(fake, "GET", target, (accept, ("If-None-Match", '"1"'), *POSTMAN))
    assert (unchanged.status, recorded) == (304, [])


def test_postman_put_patch_and_delete_with_if_match() -> None:
    """PUT and PATCH without version=1 warn `version-param`: 200, then 409 when stale; DELETE 409."""
    fake = OfferLibrary()
    (stored,) = _seed(fake, "A")
    target = f"/data/core/xcore/{fake.container_id}/instances/{stored['instanceId']}"
    put_type = _create_type(FALLBACK_01, version=False)
    patch_type = (
        "Content-Type",
        f'application/vnd.adobe.platform.xcore.patch.hal+json; schema="{FALLBACK_01}"',
    )
    change = [{"op": "replace", "path": "/_instance/xdm:status", "value": "draft"}]
    outcomes = []
    for method, content_type, body, etag in [
        ("PUT", put_type, _offer("Renamed"), '"1"'),
        ("PUT", put_type, _offer("Again"), '"1"'),
        ("PATCH", patch_type, change, '"2"'),
        ("PATCH", patch_type, change, '"2"'),
    ]:
        headers = (("Accept", RECEIPT_TYPE), content_type, ("If-Match", etag), *POSTMAN)
        response, recorded = _send(fake, method, target, headers, body)
        outcomes.append((method, response.status, recorded))
    assert outcomes == [
        ("PUT", 200, [VERSION_PARAM]),
        ("PUT", 409, [VERSION_PARAM]),
        ("PATCH", 200, [VERSION_PARAM]),
        ("PATCH", 409, [VERSION_PARAM]),
    ]
    headers = (("Accept", RECEIPT_TYPE), ("Content-Type", HAL_TYPE), ("If-Match", '"1"'), *POSTMAN)
    stale, recorded = _send(fake, "DELETE", target, headers)
    assert (stale.status, recorded) == (409, [])


# An aepctl-like client end to end ------------------------------------------------------------

#: Every call of the lifecycle, with what the fake records for it: warnings only.
LIFECYCLE_CALLS = [
    ("discover", [ACCEPT_MISSING]),
    ("create", [ACCEPT_MISSING, CONTENT_TYPE_SCHEMA_VERSION]),
    ("create", [ACCEPT_MISSING, CONTENT_TYPE_SCHEMA_VERSION]),
    ("lookup", [ACCEPT_MISSING, QUERY_SCHEMA_VERSION]),
    ("search", [ACCEPT_MISSING, ("/query/oderBy", "unknown-parameter"), QUERY_SCHEMA_VERSION]),
    ("search", [ACCEPT_MISSING, ("/query/oderBy", "unknown-parameter"), QUERY_SCHEMA_VERSION]),
    ("patch", [ACCEPT_MISSING, CONTENT_TYPE_SCHEMA_VERSION]),
    ("delete", [ACCEPT_MISSING]),
    ("lookup", [ACCEPT_MISSING, QUERY_SCHEMA_VERSION]),
]


def _expected_summary(container: str, created: list[str]) -> dict[str, Any]:
    return {
        "container": container,
        "looked up": 1,
        "pages": [[created[0]], [created[1]]],
        "etag after patch": 2,
        "delete status": 202,
        "total after delete": 0,
    }


def _comparable(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary with what depends on the ids the fake drew replaced by what it must equal."""
    created = summary.pop("created")
    summary["looked up"] = len(summary["looked up"])
    return {"summary": summary, "created": created}


def _recorded_calls(fake: OfferLibrary) -> list[tuple[str | None, list[tuple[str, str]]]]:
    return [(c.operation, sorted((v.pointer, v.rule) for v in c.violations)) for c in fake.calls]


@contextmanager
def _serving() -> Iterator[tuple[str, list[OfferLibrary]]]:
    """``serve``'s server on a free loopback port, in a thread, and the fake it made."""
    made: list[OfferLibrary] = []

    def fake_for(base_url: str) -> OfferLibrary:
        made.append(OfferLibrary(OfferLibraryOptions(base_url=base_url)))
        return made[-1]

    server = open_server("127.0.0.1", 0, fake_for, io.StringIO())
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server.base_url, made
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_an_aepctl_like_client_completes_its_lifecycle_over_http() -> None:
    """Over loopback HTTP: every call answered, warnings recorded, no error; the test would pass."""
    with _serving() as (base_url, made):
        client = AepctlLike(base_url, TOKEN, KEY, ORG)
        seen = _comparable(lifecycle(client))
    (fake,) = made
    created = seen["created"]
    assert seen["summary"] == _expected_summary(fake.container_id, created)
    assert _recorded_calls(fake) == LIFECYCLE_CALLS
    assert all(not v.is_error for _, v in fake.violations)
    fake.check_no_violations()


def test_an_aepctl_like_client_against_the_serve_command() -> None:
    """`contract-kit serve` in its own process answers the whole lifecycle with no refusal."""
    command = [sys.executable, "-m", "contract_kit", "serve", "--port", "0"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as served:
        try:
            assert served.stdout is not None
            base_url = served.stdout.readline().strip()
            seen = _comparable(lifecycle(AepctlLike(base_url, TOKEN, KEY, ORG)))
        finally:
            served.terminate()
            served.communicate(timeout=10)
    assert seen["summary"] == _expected_summary(seen["summary"]["container"], seen["created"])
    assert seen["summary"]["container"] != "prod"


PLUGIN_TEST = """
from aepctl_like import AepctlLike, lifecycle

def test_lifecycle(offer_library):
    client = AepctlLike("https://platform.adobe.io", "{token}", "{key}", "{org}")
    seen = lifecycle(client)
    assert seen["container"] == offer_library.container_id
    assert seen["etag after patch"] == 2 and seen["total after delete"] == 0
    recorded = sorted({{(v.pointer, v.rule) for _, v in offer_library.violations}})
    assert recorded == {expected!r}
"""

EVERY_WARNING = sorted({pair for _, pairs in LIFECYCLE_CALLS for pair in pairs})


@pytest.fixture
def aepctl_project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A user's project whose test drives the aepctl-like client through the fixture."""
    client = Path(__file__).with_name("aepctl_like.py").read_text("utf-8")
    pytester.makepyfile(aepctl_like=client)
    pytester.makepyfile(
        test_aepctl=PLUGIN_TEST.format(token=TOKEN, key=KEY, org=ORG, expected=EVERY_WARNING)
    )
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    return pytester


def test_an_aepctl_like_client_passes_through_the_fixture(aepctl_project: pytest.Pytester) -> None:
    """Through the pytest fixture the lifecycle passes; the warnings are recorded and shown."""
    result = aepctl_project.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*/headers/accept: * [[]accept-missing[]] (warning)",
            '*/query/oderBy: *did you mean "orderby"?* [[]unknown-parameter[]] (warning)',
        ]
    )


@pytest.mark.parametrize(
    ("arguments", "ini", "marker"),
    [
        (("--offer-library-strict",), "", ""),
        ((), "offer_library_strict = true\n", ""),
        ((), "", "@pytest.mark.offer_library(strict=True)\n"),
    ],
    ids=["command-line", "ini", "marker"],
)
def test_an_aepctl_like_client_fails_under_strict_listing_the_warnings(
    aepctl_project: pytest.Pytester, arguments: tuple[str, ...], ini: str, marker: str
) -> None:
    """Strict mode, asked any of three ways, fails the same test, listing each warning."""
    if ini:
        aepctl_project.makeini(
            f"[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n{ini}"
        )
    if marker:
        source = PLUGIN_TEST.format(token=TOKEN, key=KEY, org=ORG, expected=EVERY_WARNING)
        source = source.replace("def test_lifecycle", f"{marker}def test_lifecycle")
        aepctl_project.makepyfile(test_aepctl="import pytest\n" + source)
    result = aepctl_project.runpytest_subprocess(*arguments)
    result.assert_outcomes(failed=1)
    container = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
    result.stdout.fnmatch_lines(
        [
            "- GET /data/core/xcore/?product=acp&property=_instance.containerType==decisioning",
            "  - /headers/accept: * [[]accept-missing[]] (warning)",
            f"- POST /data/core/xcore/{container}/instances",
            "  - /headers/accept: * [[]accept-missing[]] (warning)",
            "  - /headers/content-type: * [[]schema-version[]] (warning)",
            f"- GET /data/core/xcore/{container}/queries/core/search?*",
            "  - /headers/accept: * [[]accept-missing[]] (warning)",
            "  - /query/oderBy: * [[]unknown-parameter[]] (warning)",
            "  - /query/schema: * [[]schema-version[]] (warning)",
        ]
    )


def test_the_go_query_encoding_is_aepctls() -> None:
    """Keys sorted, values escaped as url.QueryEscape does (space as +), empty values dropped."""
    assert go_query({"schema": "a;b", "q": "x y", "limit": "", "field": "_instance.xdm:name"}) == (
        "field=_instance.xdm%3Aname&q=x+y&schema=a%3Bb"
    )
