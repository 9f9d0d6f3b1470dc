"""Every stored kind's whole life, in the fake and over `contract-kit serve`, and delete polls."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import pytest
from fake_calls import (
    CREDENTIALS,
    HAL,
    PATCH_TYPE,
    RECEIPT,
    documented_seeds,
    seed_documented,
    send,
    write_type,
)

import contract_kit
from contract_kit.core.object_kinds import documented_body, object_kind, object_kinds
from contract_kit.fake import OfferLibrary
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.store import DEFAULT_CONTAINER

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    #: One call: method, path below the API root, headers, body -> status, headers, JSON.
    Caller = Callable[
        [str, str, tuple[tuple[str, str], ...], object], tuple[int, dict[str, str], Any]
    ]

KINDS = [kind.name for kind in object_kinds()]
FALLBACK = "xcore:fallback-offer:13c259399d8bf013"
ROOT = "/data/core/xcore"


def _renamed(body: dict[str, Any], name: str) -> dict[str, Any]:
    """The body with another ``xdm:name`` (in its envelope, if it has one)."""
    if "_instance" in body:
        return {**body, "_instance": {**body["_instance"], "xdm:name": name}}
    return {**body, "xdm:name": name}


def _fixture_caller(fake: OfferLibrary) -> Caller:
    def call(
        method: str, path: str, headers: tuple[tuple[str, str], ...], body: object
    ) -> tuple[int, dict[str, str], Any]:
        response = send(fake, method, f"https://platform.adobe.io{path}", *headers, body=body)
        answer = response.json() if response.body else None
        return response.status, {k.lower(): v for k, v in response.headers}, answer

    return call


def _lifecycle(call: Caller, kind: str) -> None:
    """Create, read, lookup, search, PUT, PATCH and delete one object of ``kind``."""
    entry = object_kind(kind)
    instances = f"{ROOT}/{DEFAULT_CONTAINER}/instances"
    body = _renamed(documented_body(kind), f"{kind} for its lifecycle")
    status, headers, receipt = call("POST", instances, (RECEIPT, write_type(kind)), body)
    assert status == 201, receipt
    assert receipt["@id"].startswith(entry.id_prefix)
    url = f"{instances}/{receipt['instanceId']}"
    status, headers, stored = call("GET", url, (HAL,), None)
    assert (status, headers["etag"]) == (200, '"1"')
    assert headers["content-type"].endswith(f'schema="{entry.stored_schema}"')
    contract_kit.assert_valid(entry.instance_kind, stored)
    assert stored["schemas"] == [entry.stored_schema]
    schema = quote(entry.request_schema, safe=":/;=")
    status, _, page = call("GET", f"{instances}?schema={schema}&id={receipt['@id']}", (HAL,), None)
    assert (status, [r["instanceId"] for r in page["_embedded"]["results"]]) == (
        200,
        [receipt["instanceId"]],
    )
    search = f"{ROOT}/{DEFAULT_CONTAINER}/queries/core/search?schema={schema}"
    status, _, page = call("GET", search, (HAL,), None)
    results = page["_embedded"]["results"]
    assert receipt["instanceId"] in [r["instanceId"] for r in results]
    assert {r["schemas"][0] for r in results} == {entry.stored_schema}
    put = _renamed(documented_body(kind), f"{kind} replaced")
    status, _, updated = call("PUT", url, (RECEIPT, write_type(kind)), put)
    assert (status, updated["repo:etag"]) == (200, 2)
    rename = [{"op": "replace", "path": "/_instance/xdm:name", "value": f"{kind} patched"}]
    status, _, patched = call("PATCH", url, (RECEIPT, PATCH_TYPE), rename)
    assert (status, patched["repo:etag"]) == (200, 3)
    status, _, stored = call("GET", url, (HAL,), None)
    assert stored["_instance"]["xdm:name"] == f"{kind} patched"
    status, headers, _ = call("DELETE", url, (RECEIPT,), None)
    assert status == 202
    assert headers["location"].startswith(f"{DEFAULT_CONTAINER}/deletions/")
    assert call("GET", url, (HAL,), None)[0] == 404


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_lives_its_whole_life_in_the_fake(kind: str) -> None:
    """Each operation works for the kind, and no call breaks the contract."""
    fake = OfferLibrary()
    seed_documented(fake)
    _lifecycle(_fixture_caller(fake), kind)
    assert fake.violations == []


class _Client:
    """One keep-alive connection to a served fake."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)

    def __call__(
        self, method: str, path: str, headers: tuple[tuple[str, str], ...], body: object
    ) -> tuple[int, dict[str, str], Any]:
        data = None if body is None else json.dumps(body).encode()
        self.connection.request(method, path, data, dict((*CREDENTIALS, *headers)))
        response = self.connection.getresponse()
        raw = response.read()
        answer = json.loads(raw) if raw else None
        return response.status, {k.lower(): v for k, v in response.getheaders()}, answer


@contextmanager
def _served() -> Iterator[_Client]:
    command = [sys.executable, "-m", "contract_kit", "serve", "--port", "0"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        try:
            assert process.stdout is not None
            client = _Client(process.stdout.readline().strip())
            yield client
            client.connection.close()
        finally:
            process.terminate()


def test_every_kind_lives_its_whole_life_over_serve() -> None:
    """The control plane seeds what the documented bodies name; then every kind's life."""
    with _served() as client:
        seeds = [{"kind": kind, "body": body} for kind, body in documented_seeds()]
        status, _, receipts = client("POST", "/_contract-kit/objects", (), seeds)
        assert status == 201, receipts
        for kind in KINDS:
            _lifecycle(client, kind)
        status, _, violations = client("GET", "/_contract-kit/violations", (), None)
    assert (status, violations) == (200, [])


def _library(**options: Any) -> tuple[OfferLibrary, Caller, str]:
    """The documented decision and what it names; a caller; the fallback's instance URL."""
    fake = OfferLibrary(OfferLibraryOptions(**options))
    stored = seed_documented(fake)
    fake.add("offer-activity", documented_body("offer-activity"))
    return fake, _fixture_caller(fake), f"{ROOT}/{DEFAULT_CONTAINER}/instances/{stored[FALLBACK]}"


def _poll(call: Caller, location: str) -> tuple[int, dict[str, str], Any]:
    return call("GET", f"{ROOT}/{location}", (RECEIPT,), None)


def test_a_referenced_delete_is_polled_to_its_rejection() -> None:
    """202, the fallback still reads, and the poll says rejected, naming the decision."""
    fake, call, url = _library(delete_pending_polls=1)
    (decision,) = fake.instances_of("offer-activity").values()
    status, headers, _ = call("DELETE", url, (RECEIPT,), None)
    assert status == 202
    assert call("GET", url, (HAL,), None)[0] == 200
    pending = _poll(call, headers["location"])
    assert (pending[0], pending[1]["location"]) == (202, headers["location"])
    status, _, outcome = _poll(call, headers["location"])
    assert status == 200
    assert outcome == {
        "instanceId": url.rsplit("/", 1)[-1],
        "@id": FALLBACK,
        "outcome": "rejected",
        "detail": f"{FALLBACK} is referenced by 1 instance(s)",
        "referencedBy": [
            {
                "instanceId": decision["instanceId"],
                "@id": decision["_instance"]["@id"],
                "schema": object_kind("offer-activity").stored_schema,
                "pointer": "/_instance/xdm:fallback",
            }
        ],
    }
    assert fake.violations == []


def test_once_the_reference_is_gone_the_delete_succeeds() -> None:
    """PATCH the decision onto another fallback; then the delete goes through and polls deleted."""
    fake, call, url = _library()
    (decision,) = fake.instances_of("offer-activity")
    fitting = next(body for _, body in documented_seeds() if body["@id"] == FALLBACK)
    other = fake.add_fallback_offer({**fitting, "@id": "xcore:fallback-offer:abc"})
    other_id = fake.instances[other]["_instance"]["@id"]
    change = [{"op": "replace", "path": "/_instance/xdm:fallback", "value": other_id}]
    decision_url = f"{ROOT}/{DEFAULT_CONTAINER}/instances/{decision}"
    assert call("PATCH", decision_url, (RECEIPT, PATCH_TYPE), change)[0] == 200
    status, headers, _ = call("DELETE", url, (RECEIPT,), None)
    assert status == 202
    assert call("GET", url, (HAL,), None)[0] == 404
    status, _, outcome = _poll(call, headers["location"])
    assert (status, outcome["outcome"], outcome["@id"]) == (200, "deleted", FALLBACK)
    assert fake.violations == []


def test_a_deletion_the_fake_never_made_is_404() -> None:
    """Polling an unknown deletion id is a 404 naming it."""
    _, call, _ = _library()
    missing = "00000000-0000-4000-8000-000000000000"
    status, _, problem = _poll(call, f"{DEFAULT_CONTAINER}/deletions/{missing}")
    assert (status, problem["detail"]) == (
        404,
        f"no deletion {missing} in container {DEFAULT_CONTAINER}",
    )


def test_a_patch_breaking_a_reference_is_a_422() -> None:
    """A PATCH that points the decision at a fallback the container lacks is refused."""
    fake, call, _ = _library()
    (decision,) = fake.instances_of("offer-activity")
    change = [
        {"op": "replace", "path": "/_instance/xdm:fallback", "value": "xcore:fallback-offer:abc"}
    ]
    url = f"{ROOT}/{DEFAULT_CONTAINER}/instances/{decision}"
    status, _, problem = call("PATCH", url, (RECEIPT, PATCH_TYPE), change)
    assert status == 422
    assert problem["report"]["violations"] == [
        {
            "pointer": "/patched/_instance/xdm:fallback",
            "rule": "reference",
            "message": (
                "/xdm:fallback names xcore:fallback-offer:abc, which is not a fallback-offer in "
                f"container {DEFAULT_CONTAINER}; create it first (in tests: "
                "offer_library.add(...))"
            ),
        }
    ]
    assert fake.instances_of("offer-activity")[decision]["repo:etag"] == 1


def test_a_create_past_a_stored_guardrail_warns() -> None:
    """The 1,001st placement of a container is stored, with a guardrail warning on its call."""
    fake = OfferLibrary()
    for _ in range(999):
        fake.add_placement()
    call = _fixture_caller(fake)
    body = documented_body("offer-placement")
    instances = f"{ROOT}/{DEFAULT_CONTAINER}/instances"
    assert call("POST", instances, (RECEIPT, write_type("offer-placement")), body)[0] == 201
    assert [(v.pointer, v.rule, v.message) for _, v in fake.violations] == [
        (
            "/body",
            "guardrail",
            (
                f"container {DEFAULT_CONTAINER} holds 1001 offer-placement objects; the documented "
                "guardrail is 1000"
            ),
        )
    ]


def test_a_placement_search_finds_the_default_placement() -> None:
    """A new fake's placement search lists the documented placement, as aepctl's flow needs."""
    call = _fixture_caller(OfferLibrary())
    schema = quote(object_kind("offer-placement").request_schema, safe=":/;=")
    search = f"{ROOT}/{DEFAULT_CONTAINER}/queries/core/search?schema={schema}"
    status, _, page = call("GET", search, (HAL,), None)
    assert status == 200
    assert [r["_instance"]["xdm:name"] for r in page["_embedded"]["results"]] == ["Sales Placement"]


def test_a_patch_naming_another_kind_is_a_schema_mismatch() -> None:
    """The patch's Content-Type names a tag; the instance is the default placement: 400."""
    fake = OfferLibrary()
    (placement,) = fake.instances_of("offer-placement")
    tag_schema = object_kind("tag").request_schema
    typed = ("Content-Type", f'{PATCH_TYPE[1]}; schema="{tag_schema}"')
    rename = [{"op": "replace", "path": "/_instance/xdm:name", "value": "n"}]
    url = f"{ROOT}/{DEFAULT_CONTAINER}/instances/{placement}"
    status, _, problem = _fixture_caller(fake)("PATCH", url, (RECEIPT, typed), rename)
    assert (status, [v["rule"] for v in problem["report"]["violations"]]) == (
        400,
        ["schema-mismatch"],
    )
    assert fake.instances_of("offer-placement")[placement]["repo:etag"] == 1
