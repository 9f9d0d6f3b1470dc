"""A client of every kind against the fake: the acceptance tests of issue 13's "Done when".

``library_client.LibraryClient`` (a requests session, or an httpx client) builds a whole
library over HTTP, walks create, lookup, search, patch and delete for every kind, and meets
referential integrity: a referenced placement and fallback offer survive a delete (the
documented 202 and the outcome behind its Location), a dangling reference is refused, a second
tag of one name is refused. Each runs against the pytest fixture and against ``contract-kit
serve`` in its own process. docs/contract.md, "References and deletes", gives the decisions.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import requests
from library_client import LibraryClient, LibraryError

from contract_kit.core.object_kinds import object_kinds

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from contract_kit.fake import OfferLibrary

OM = "https://ns.adobe.com/experience/offer-management/"
#: Each kind's schema id with the version its requests send, from the table of kinds.
SCHEMAS = {kind.name: kind.request_schema for kind in object_kinds()}
#: What stored instances of each kind report in ``schemas``.
STORED = {kind.name: kind.stored_schema for kind in object_kinds()}
CREDENTIALS = {
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123456789ABCDEF01234567@AdobeOrg",
    "x-sandbox-name": "prod",
}
WEB = "https://ns.adobe.com/xdm/channel-types/web"
HTML = {"@type": f"{OM}content-component-html", "dc:format": "text/html", "dc:language": ["en"]}


@dataclass
class Library:
    """The ``@id`` and ``instanceId`` of each object the client made, by a short name."""

    ids: dict[str, str]
    instances: dict[str, str]
    kinds: dict[str, str]


def build(client: LibraryClient, suffix: str = "") -> Library:
    """Create a placement, a tag, a rule, an offer, a collection, a fallback and a decision."""
    made = Library({}, {}, {})

    def create(name: str, kind: str, body: dict[str, Any]) -> str:
        receipt = client.create(kind, body)
        made.ids[name], made.instances[name], made.kinds[name] = (
            receipt["@id"],
            receipt["instanceId"],
            kind,
        )
        return str(receipt["@id"])

    placement = create(
        "placement",
        "offer-placement",
        {"xdm:name": "Web banner", "xdm:componentType": HTML["@type"], "xdm:channel": WEB},
    )
    tag = create("tag", "tag", {"xdm:name": f"Holiday{suffix}"})
    rule = create(
        "rule",
        "eligibility-rule",
        {
            "xdm:name": "Named Joe",
            "xdm:condition": {
                "xdm:type": "PQL",
                "xdm:format": "pql/text",
                "xdm:value": 'profile.person.name.firstName.equals("Joe", false)',
            },
        },
    )
    representation = {"xdm:placement": placement, "xdm:channel": WEB, "xdm:components": [HTML]}
    create(
        "offer",
        "personalized-offer",
        {
            "xdm:name": "Holiday sale",
            "xdm:status": "approved",
            "xdm:representations": [representation],
            "xdm:selectionConstraint": {
                "xdm:startDate": "2026-12-01T00:00:00Z",
                "xdm:endDate": "2026-12-31T00:00:00Z",
                "xdm:eligibilityRule": rule,
            },
            "xdm:rank": {"xdm:priority": 1},
            "xdm:tags": [tag],
        },
    )
    collection = create(
        "collection",
        "offer-filter",
        {"xdm:name": "Holiday offers", "xdm:filterType": "anyTags", "xdm:ids": [tag]},
    )
    fallback = create(
        "fallback",
        "fallback-offer",
        {"xdm:name": "Default", "xdm:status": "approved", "xdm:representations": [representation]},
    )
    create(
        "decision",
        "offer-activity",
        {
            "xdm:name": "Holiday decision",
            "xdm:status": "live",
            "xdm:startDate": "2026-12-01T00:00:00Z",
            "xdm:endDate": "2026-12-31T00:00:00Z",
            "xdm:criteria": [
                {"xdm:placements": [placement], "xdm:optionSelection": {"xdm:filter": collection}}
            ],
            "xdm:fallback": fallback,
        },
    )
    return made


# Where the client runs: the fixture, or `contract-kit serve` in its own process -------------


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """`contract-kit serve` on a free loopback port; its base URL."""
    command = [sys.executable, "-m", "contract_kit", "serve", "--port", "0"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            yield process.stdout.readline().strip()
        finally:
            process.terminate()
            process.communicate(timeout=10)


@dataclass
class Endpoint:
    """A client on one transport, and how to let a test's refused calls pass."""

    client: LibraryClient
    allow_refusals: Callable[[], None]


def _nothing() -> None:
    """Nothing to do."""


def _http(name: str) -> Any:
    return httpx.Client() if name == "httpx" else requests.Session()


@pytest.fixture(params=["requests-fixture", "httpx-fixture", "requests-serve", "httpx-serve"])
def endpoint(request: pytest.FixtureRequest) -> Iterator[Endpoint]:
    """A fresh library on the fixture (intercepted) or on serve (reset to empty first)."""
    transport, where = request.param.split("-")
    if where == "fixture":
        fake: OfferLibrary = request.getfixturevalue("offer_library")
        base_url = "https://platform.adobe.io"
        allow: Callable[[], None] = fake.allow_violations
    else:
        base_url = request.getfixturevalue("served")
        reset = urllib.request.Request(  # noqa: S310 - the loopback URL serve printed
            f"{base_url}/_contract-kit/reset", data=b'{"to": "empty"}', method="POST"
        )
        with urllib.request.urlopen(reset, timeout=10) as answer:  # noqa: S310 - as above
            assert answer.status == 204
        allow = _nothing  # serve records refusals and fails nothing

    with _http(transport) as http:
        client = LibraryClient(http, base_url, SCHEMAS, CREDENTIALS)
        client.discover()
        yield Endpoint(client, allow)


# Every kind through every operation ----------------------------------------------------------


def test_a_client_walks_every_kind_through_every_operation(endpoint: Endpoint) -> None:
    """Create, lookup, search, patch and delete, for each of the seven kinds, all answered."""
    client = endpoint.client
    library = build(client)
    for name, kind in library.kinds.items():
        instance_id = library.instances[name]
        (found,) = client.lookup(kind, id=library.ids[name])
        assert (found["instanceId"], found["schemas"]) == (instance_id, [STORED[kind]])
        # Paged one by one; only this kind (the fixture also holds its default placement).
        listed = client.search(kind, page_size=1)
        assert instance_id in [item["instanceId"] for item in listed]
        assert {item["schemas"][0] for item in listed} == {STORED[kind]}
        renamed = f"{found['_instance']['xdm:name']} (renamed)"
        change = [{"op": "replace", "path": "/_instance/xdm:name", "value": renamed}]
        assert client.patch(kind, instance_id, change, etag=1)["repo:etag"] == 2
        assert client.read(instance_id)["_instance"]["xdm:name"] == renamed
        named = client.search(kind, property=f"_instance.xdm:name=={renamed}")
        assert [item["instanceId"] for item in named] == [instance_id]
    # Referrers first, so that each delete finds nothing naming its object.
    for name in reversed(library.kinds):
        deleted = client.delete(library.instances[name])
        assert (deleted.status, deleted.body) == (202, None)
        assert deleted.location is not None
        assert client.outcome(deleted.location).body["outcome"] == "deleted"
        with pytest.raises(LibraryError) as gone:
            client.read(library.instances[name])
        assert gone.value.status == 404


# References and deletes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "referrers"),
    [
        ("fallback", {"decision"}),
        ("placement", {"offer", "fallback", "decision"}),
        ("tag", {"offer", "collection"}),
    ],
)
def test_a_referenced_object_survives_its_delete(
    endpoint: Endpoint, target: str, referrers: set[str]
) -> None:
    """202 and a Location, the object still read; the outcome is `rejected`, naming referrers."""
    client = endpoint.client
    library = build(client)
    deleted = client.delete(library.instances[target])
    assert (deleted.status, deleted.body) == (202, None)
    assert deleted.location is not None
    assert client.read(library.instances[target])["_instance"]["@id"] == library.ids[target]
    outcome = client.outcome(deleted.location)
    assert (outcome.status, outcome.body["outcome"], outcome.body["@id"]) == (
        200,
        "rejected",
        library.ids[target],
    )
    named = {entry["@id"] for entry in outcome.body["referencedBy"]}
    assert named == {library.ids[name] for name in referrers}
    assert outcome.body["detail"] == (
        f"{library.ids[target]} is referenced by {len(referrers)} instance(s)"
    )


def test_a_fallback_no_longer_named_is_deleted(endpoint: Endpoint) -> None:
    """Once the decision names another fallback, the first one's delete goes through."""
    client = endpoint.client
    library = build(client)
    other = client.create(
        "fallback-offer",
        {
            "xdm:name": "Another default",
            "xdm:status": "approved",
            "xdm:representations": [
                {
                    "xdm:placement": library.ids["placement"],
                    "xdm:channel": WEB,
                    "xdm:components": [HTML],
                }
            ],
        },
    )
    change = [{"op": "replace", "path": "/_instance/xdm:fallback", "value": other["@id"]}]
    client.patch("offer-activity", library.instances["decision"], change, etag=1)
    deleted = client.delete(library.instances["fallback"])
    assert deleted.status == 202
    assert deleted.location is not None
    with pytest.raises(LibraryError) as gone:
        client.read(library.instances["fallback"])
    assert gone.value.status == 404
    outcome = client.outcome(deleted.location)
    assert (outcome.status, outcome.body["outcome"]) == (200, "deleted")


def test_a_dangling_reference_is_refused(endpoint: Endpoint) -> None:
    """An offer naming a placement the container lacks is refused 422, one `reference` each."""
    endpoint.allow_refusals()
    client = endpoint.client
    missing = "xcore:offer-placement:0123456789abcdef"
    body = {
        "xdm:name": "Nowhere",
        "xdm:status": "approved",
        "xdm:representations": [
            {"xdm:placement": missing, "xdm:channel": WEB, "xdm:components": [HTML]}
        ],
    }
    with pytest.raises(LibraryError) as refused:
        client.create("fallback-offer", body)
    assert refused.value.status == 422
    problem = refused.value.body
    assert [(v["pointer"], v["rule"]) for v in problem["report"]["violations"]] == [
        ("/body/xdm:representations/0/xdm:placement", "reference")
    ]
    assert missing in problem["detail"]
    assert client.search("fallback-offer") == []


def test_a_second_tag_with_the_same_name_is_refused(endpoint: Endpoint) -> None:
    """Tag names are unique in a container: the second create is 409, naming the first tag."""
    endpoint.allow_refusals()
    client = endpoint.client
    first = client.create("tag", {"xdm:name": "Holiday sales and promotions"})
    with pytest.raises(LibraryError) as refused:
        client.create("tag", {"xdm:name": "Holiday sales and promotions"})
    assert refused.value.status == 409
    problem = refused.value.body
    assert problem["detail"] == (
        f'a tag named "Holiday sales and promotions" exists already (@id {first["@id"]}); '
        "tag names are unique"
    )
    assert [(v["pointer"], v["rule"]) for v in problem["report"]["violations"]] == [
        ("/body/xdm:name", "unique-name")
    ]
    assert [t["instanceId"] for t in client.search("tag")] == [first["instanceId"]]
    # Another case is another name: the comparison is exact.
    assert client.create("tag", {"xdm:name": "holiday sales and promotions"})["repo:etag"] == 1


@pytest.mark.offer_library(delete_integrity="immediate", allow_violations=True)
@pytest.mark.usefixtures("offer_library")
def test_an_immediate_delete_of_a_referenced_fallback_is_409() -> None:
    """With delete_integrity="immediate" the refusal comes at once: 409, naming the decision."""
    with requests.Session() as http:
        client = LibraryClient(http, "https://platform.adobe.io", SCHEMAS, CREDENTIALS)
        client.discover()
        library = build(client)
        with pytest.raises(LibraryError) as refused:
            client.delete(library.instances["fallback"])
        assert refused.value.status == 409
        named = [entry["@id"] for entry in refused.value.body["report"]["referencedBy"]]
        assert named == [library.ids["decision"]]
        assert client.read(library.instances["fallback"])["repo:etag"] == 1


def test_the_library_client_sends_every_call_as_documented(offer_library: OfferLibrary) -> None:
    """Over the fixture the whole walk records no violation at all, warnings included."""
    with requests.Session() as http:
        client = LibraryClient(http, "https://platform.adobe.io", SCHEMAS, CREDENTIALS)
        client.discover()
        library = build(client, suffix=" 2")
        for name in reversed(library.kinds):
            client.delete(library.instances[name])
    recorded = [(call.operation, call.violations) for call in offer_library.calls]
    assert [(operation, found) for operation, found in recorded if found] == []
    assert len(recorded) == 1 + 7 + 7
