"""`contract-kit serve`'s control plane, --seed, --token, log lines and /openapi.json, over loopback."""

from __future__ import annotations

import http.client
import io
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from loopback import LoopbackClient, serving

from contract_kit.cli import main
from contract_kit.core.object_kinds import documented_body
from contract_kit.fake import OfferLibrary
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.seeding import Seed
from contract_kit.fake.serving import ServedLibrary
from contract_kit.fake.store import DEFAULT_CONTAINER, DEFAULT_PLACEMENT
from contract_kit.lint.examples import example
from contract_kit.openapi.served import served_document

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
TOKEN = "the-one-token"
HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
    "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
    "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
}
INSTANCES = f"/data/core/xcore/{DEFAULT_CONTAINER}/instances"
OTHER_PLACEMENT = "xcore:offer-placement:1246fa0a44ae0e7d"
SEED_DIR = Path(__file__).parent / "serve_seed"


@contextmanager
def _serve(
    seeds: Sequence[Seed] = (), token: str | None = TOKEN
) -> Iterator[tuple[LoopbackClient, io.StringIO, str]]:
    """Serve's front on a free loopback port, in a thread, for the block."""
    log = io.StringIO()

    def fake_for(base_url: str) -> ServedLibrary:
        library = OfferLibrary(OfferLibraryOptions(base_url=base_url, allow_violations=True))
        return ServedLibrary(library, token=token, seeds=seeds, document=served_document(example))

    with serving(fake_for, log) as (client, base_url):
        yield client, log, base_url


PLACEMENT = documented_body("offer-placement")


def _offer(placement: str = DEFAULT_PLACEMENT) -> dict[str, Any]:
    body: dict[str, Any] = example("fallback-offer")
    body["xdm:representations"][0]["xdm:placement"] = placement
    return body


def test_a_placement_seeded_over_http_can_be_named_by_a_create() -> None:
    """Before the seed the create is 422 unknown placement; after it, 201."""
    with _serve() as (client, _, _):
        before, _, _ = client.call("POST", INSTANCES, _offer(OTHER_PLACEMENT), HEADERS)
        status, _, receipts = client.call(
            "POST",
            "/_contract-kit/objects",
            {"kind": "offer-placement", "body": {**PLACEMENT, "@id": OTHER_PLACEMENT}},
        )
        after, _, _ = client.call("POST", INSTANCES, _offer(OTHER_PLACEMENT), HEADERS)
    assert (before, status, after) == (422, 201, 201)
    assert [(r["kind"], r["@id"]) for r in receipts] == [("offer-placement", OTHER_PLACEMENT)]


def test_a_seeded_offer_keeps_its_id_and_is_listed() -> None:
    """An explicit @id is kept; the offer is among the stored objects."""
    offer = {**_offer(), "@id": "xcore:fallback-offer:1234abcd"}
    with _serve() as (client, _, _):
        status, _, receipts = client.call(
            "POST", "/_contract-kit/objects", [{"kind": "fallback-offer", "body": offer}]
        )
        _, _, listed = client.call("GET", "/_contract-kit/objects?kind=fallback-offer")
    assert status == 201
    assert receipts[0]["@id"] == "xcore:fallback-offer:1234abcd"
    assert [item["object"]["instanceId"] for item in listed] == [receipts[0]["instanceId"]]


def test_a_batch_with_one_bad_object_seeds_nothing() -> None:
    """The 400 names the bad body's place and rule; the good object was not stored."""
    good = {"kind": "fallback-offer", "body": _offer()}
    bad = {"kind": "fallback-offer", "body": {**_offer(), "xdm:status": "live"}}
    with _serve() as (client, _, _):
        status, headers, answer = client.call("POST", "/_contract-kit/objects", [good, bad])
        _, _, listed = client.call("GET", "/_contract-kit/objects?kind=fallback-offer")
    assert (status, headers["content-type"], listed) == (400, "application/problem+json", [])
    assert answer["detail"].startswith("nothing was seeded: /1/body/xdm:status: ")
    assert [(v["pointer"], v["rule"]) for v in answer["report"]["violations"]] == [
        ("/1/body/xdm:status", "status")
    ]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"kind": "tag"},
            (
                'send {"kind": KIND, "body": {...}} or a list of them; the kinds are '
                "offer-placement, tag, eligibility-rule, personalized-offer, fallback-offer, "
                "offer-filter, offer-activity"
            ),
        ),
        (
            {"status": 200},
            (
                "fail_next(200): the status must be an error status, 400 to 599 (a fault "
                "stands for the service failing); for a successful answer, let the fake serve "
                "the call"
            ),
        ),
        (
            {"status": 503, "times": 0},
            "times must be a whole number, 1 or more, not 0",
        ),
        (
            {"status": 503, "when": "later"},
            (
                '\'when\' is not a fault member; send {"status": 503, "method": "POST", '
                '"path": "*/instances", "times": 1, "retry_after": 5}, or {"disconnect": true, '
                "...} to drop the connection"
            ),
        ),
    ],
)
def test_a_control_request_that_cannot_be_done_says_what_to_send(
    body: dict[str, Any], detail: str
) -> None:
    """Seeds and faults are refused with a problem body naming the fix."""
    target = "/_contract-kit/objects" if "kind" in body else "/_contract-kit/faults"
    with _serve() as (client, _, _):
        status, _, answer = client.call("POST", target, body)
    assert (status, answer["detail"]) == (400, detail)


def test_an_injected_503_answers_the_next_create_and_is_read_back() -> None:
    """The fault fires once, with Retry-After; the calls show it and the next create is served."""
    fault = {"status": 503, "method": "POST", "path": "*/instances", "retry_after": 5}
    with _serve() as (client, _, _):
        added, _, pending = client.call("POST", "/_contract-kit/faults", fault)
        first, headers, _ = client.call("POST", INSTANCES, _offer(), HEADERS)
        second, _, _ = client.call("POST", INSTANCES, _offer(), HEADERS)
        _, _, calls = client.call("GET", "/_contract-kit/calls")
    assert (added, first, headers["retry-after"], second) == (201, 503, "5", 201)
    assert pending == {
        "pending": [
            (
                "fail_next(503, method='POST', path='*/instances', retry_after=5) never "
                "fired: no request matched"
            )
        ]
    }
    assert [(c["index"], c["operation"], c["status"]) for c in calls] == [
        (0, "create", 503),
        (1, "create", 201),
    ]


def test_a_disconnect_fault_drops_the_connection_and_is_logged_as_a_call() -> None:
    """The client sees the connection close; the call is listed with status null."""
    with _serve() as (client, _, base_url):
        client.call("POST", "/_contract-kit/faults", {"disconnect": True})
        with pytest.raises(http.client.RemoteDisconnected):
            client.call("GET", "/data/core/xcore/", headers=HEADERS)
        again = LoopbackClient(base_url)
        _, _, calls = again.call("GET", "/_contract-kit/calls")
        again.close()
    assert [(c["target"], c["status"]) for c in calls] == [("/data/core/xcore/", None)]


def test_violations_are_read_back_with_their_severity_and_since() -> None:
    """A warning and an error each carry their severity; since=N skips earlier calls."""
    warned = {**HEADERS, "Accept": "*/*", "x-sandbox-name": "dev"}
    with _serve() as (client, _, _):
        client.call("POST", INSTANCES, _offer(), HEADERS)
        client.call("POST", INSTANCES, {**_offer(), "xdm:status": "live"}, warned)
        _, _, found = client.call("GET", "/_contract-kit/violations?since=1")
        _, _, none = client.call("GET", "/_contract-kit/violations?since=2")
    assert {(v["index"], v["rule"], v["severity"]) for v in found} >= {(1, "status", "error")}
    assert all(v["severity"] in {"error", "warning"} for v in found)
    assert none == []


def test_reset_goes_back_to_the_seeds_or_to_empty() -> None:
    """Reset forgets creates, calls and faults; the --seed objects come back unless empty."""
    seeds = [Seed("fallback-offer", _offer())]
    with _serve(seeds) as (client, _, _):
        client.call("POST", INSTANCES, _offer(), HEADERS)
        client.call("POST", "/_contract-kit/faults", {"status": 500})
        _, _, two = client.call("GET", "/_contract-kit/objects?kind=fallback-offer")
        reset, _, _ = client.call("POST", "/_contract-kit/reset")
        _, _, one = client.call("GET", "/_contract-kit/objects?kind=fallback-offer")
        _, _, faults = client.call("GET", "/_contract-kit/faults")
        _, _, calls = client.call("GET", "/_contract-kit/calls")
        client.call("POST", "/_contract-kit/reset", {"to": "empty"})
        _, _, empty = client.call("GET", "/_contract-kit/objects?kind=fallback-offer")
    assert (reset, len(two), len(one), faults, calls, empty) == (204, 2, 1, [], [], [])


def test_an_unknown_control_path_or_method_is_refused_naming_what_there_is() -> None:
    """404 lists the control plane's paths; 405 carries Allow."""
    with _serve() as (client, _, _):
        missing, _, answer = client.call("GET", "/_contract-kit/nothing")
        wrong, headers, _ = client.call("PUT", "/_contract-kit/reset")
    assert (missing, wrong, headers["allow"]) == (404, 405, "POST")
    assert answer["detail"] == (
        "the control plane has no /_contract-kit/nothing; it serves /_contract-kit/, "
        "/_contract-kit/objects, /_contract-kit/reset, /_contract-kit/faults, "
        "/_contract-kit/calls, /_contract-kit/violations, "
        "/_contract-kit/profiles/{namespace}/{id}, /_contract-kit/decisions/{propositionId}"
    )


def test_another_token_gets_401013_before_the_call_is_routed() -> None:
    """Even a read of an instance that does not exist gets the gateway's 401, not 404."""
    gone = f"{INSTANCES}/00000000-0000-1000-8000-000000000000"
    with _serve() as (client, _, _):
        other = client.call("GET", gone, headers={**HEADERS, "Authorization": "Bearer other"})
        hal = {**HEADERS, "Accept": "application/vnd.adobe.platform.xcore.hal+json"}
        right, _, _ = client.call("GET", gone, headers=hal)
        missing = client.call("GET", gone, headers={"x-api-key": "k"})
    assert other[:1] == (401,)
    assert other[2] == {"error_code": "401013", "message": "Oauth token is not valid"}
    assert right == 404
    assert (missing[0], missing[2]["error_code"]) == (403, "403010")


def test_without_token_any_well_formed_token_passes() -> None:
    """Serve without --token keeps today's behaviour."""
    with _serve(token=None) as (client, _, _):
        status, _, _ = client.call(
            "POST", INSTANCES, _offer(), {**HEADERS, "Authorization": "Bearer anything"}
        )
    assert status == 201


def test_each_log_line_names_the_operation_and_the_rules_broken() -> None:
    """Rule ids with their severity, rules=- when none, control=NAME for the control plane."""
    with _serve() as (client, log, _):
        client.call("POST", INSTANCES, _offer(), HEADERS)
        client.call("POST", INSTANCES, {**_offer(), "xdm:status": "live"}, HEADERS)
        client.call("GET", "/data/core/xcore/", headers={**HEADERS, "Authorization": "Bearer x"})
        client.call("POST", "/_contract-kit/reset")
    assert log.getvalue().splitlines() == [
        f"POST {INSTANCES} 201 op=create rules=-",
        f"POST {INSTANCES} 400 op=create rules=status(error)",
        "GET /data/core/xcore/ 401 op=- rules=- token=refused",
        "POST /_contract-kit/reset 204 control=reset",
    ]


def test_the_served_document_is_valid_pinned_and_has_its_own_control_section() -> None:
    """Servers is serve's URL; placements and container are what it holds; ETag gives 304."""
    from openapi_spec_validator import validate

    with _serve([Seed("fallback-offer", _offer(OTHER_PLACEMENT))]) as (client, _, base_url):
        status, headers, document = client.call("GET", "/openapi.json")
        again, _, _ = client.call(
            "GET", "/openapi.json", headers={"If-None-Match": headers["etag"]}
        )
    validate(document)
    assert (status, again, document["servers"][0]["url"]) == (200, 304, base_url)
    bare = document["components"]["schemas"]["fallback-offer.bare"]
    representations = bare["properties"]["xdm:representations"]
    assert representations["items"]["properties"]["xdm:placement"]["enum"] == sorted(
        [DEFAULT_PLACEMENT, OTHER_PLACEMENT]
    )
    assert [c["maxContains"] for c in representations["allOf"]] == [1, 1]
    create = document["paths"]["/data/core/xcore/{CONTAINER_ID}/instances"]["post"]
    assert create["parameters"][0]["schema"] == {"type": "string", "enum": [DEFAULT_CONTAINER]}
    control = [
        operation
        for path, operations in document["paths"].items()
        if path.startswith("/_contract-kit/")
        for operation in operations.values()
    ]
    assert {tuple(op["tags"]) for op in control} == {("control-plane",)}
    assert all(op["security"] == [] for op in control)
    assert "control-plane" in [tag["name"] for tag in document["tags"]]


def test_a_seed_file_that_breaks_the_contract_stops_serve_before_it_listens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2, the error at file:line:column, and nothing printed on stdout."""
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{\n  "xdm:name": "x",\n  "xdm:status": "live",\n  "xdm:representations": []\n}\n'
    )
    code = main(["serve", "--port", "0", "--seed", str(tmp_path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "contract-kit serve: nothing was served: fix the --seed file above (contract-kit lint "
        "shows the same)"
    )
    assert f"contract-kit serve: error: {bad}:3:17: /xdm:status: " in err


def test_a_seed_of_a_kind_serve_cannot_hold_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A patch file is valid but is no object to store."""
    patch = tmp_path / "patch.json"
    patch.write_text('[{"op": "replace", "path": "/_instance/xdm:name", "value": "n"}]\n')
    code = main(["serve", "--seed", str(patch)])
    assert code == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"contract-kit serve: error: {patch}:1:1: a fallback-offer-patch cannot be seeded: "
        "serve seeds the bodies and stored instances of the kinds the Offer Library stores [kind]"
    )


def test_the_command_serves_the_seed_folder() -> None:
    """`serve --seed tests/serve_seed` holds its offers and placements, a tag, a collection."""
    command = [sys.executable, "-m", "contract_kit", "serve", "--port", "0", "--seed"]
    with subprocess.Popen(
        [*command, str(SEED_DIR)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        try:
            assert process.stdout is not None
            client = LoopbackClient(process.stdout.readline().strip())
            _, _, listed = client.call("GET", "/_contract-kit/objects")
            client.close()
        finally:
            process.terminate()
    kinds = [item["kind"] for item in listed]
    assert kinds.count("fallback-offer") == len(list(SEED_DIR.glob("*-fallback.json")))
    assert (kinds.count("tag"), kinds.count("offer-filter")) == (1, 1)
    placements = [item["object"] for item in listed if item["kind"] == "offer-placement"]
    assert {placement["_instance"]["@id"] for placement in placements} == {
        DEFAULT_PLACEMENT,
        OTHER_PLACEMENT,
    }


def test_seeds_of_every_kind_are_served_and_come_back_on_reset() -> None:
    """Serve's seeds (a tag, an offer naming it, a collection over it) are stored in order."""
    tag = {"@id": "xcore:tag:124e147572cd7866", "xdm:name": "Holiday sales and promotions"}
    seeds = [
        Seed("offer-filter", documented_body("offer-filter")),
        Seed("fallback-offer", {**_offer(), "xdm:tags": [tag["@id"]]}),
        Seed("tag", tag),
    ]
    with _serve(seeds) as (client, _, _):
        client.call("POST", "/_contract-kit/reset", {"to": "seed"})
        _, _, listed = client.call("GET", "/_contract-kit/objects?kind=tag&kind=offer-filter")
    assert [item["kind"] for item in listed] == ["tag", "offer-filter"]


def test_serve_refuses_seeds_naming_what_is_not_seeded(capsys: pytest.CaptureFixture[str]) -> None:
    """A collection over a tag nobody seeds: nothing is served, and the line says why."""
    from contract_kit.fake.server import CANNOT_START, serve

    assert serve(seeds=[Seed("offer-filter", documented_body("offer-filter"))]) == CANNOT_START
    assert capsys.readouterr().err.splitlines() == [
        (
            "contract-kit serve: error: --seed object 1 (offer-filter): /xdm:ids/0: /xdm:ids/0 names "
            f"xcore:tag:124e147572cd7866, which is not a tag in container {DEFAULT_CONTAINER}; create "
            "it first (in tests: offer_library.add(...)) [reference]"
        ),
        "contract-kit serve: nothing was served: fix the --seed objects above",
    ]
