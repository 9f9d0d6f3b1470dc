"""Recording real exchanges without secrets, and replaying them to check a client."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import pytest
import requests
import responses

import contract_kit
from contract_kit.cassettes.cassette import Exchange, load_cassette, save_cassette
from contract_kit.cassettes.redaction import Redactions

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJlLXNlY3JldA"
API_KEY = "6f1c2b9e8d7a4c3b"
ORG = "8A3C5B2D1E0F9A8B7C6D5E4F@AdobeOrg"
BODY_SECRET = "s3cr3t-in-body-42"
QUERY_SECRET = "qs-secret-123456"
SECRETS = (TOKEN, API_KEY, ORG, BODY_SECRET, QUERY_SECRET, TOKEN.split(".")[1])
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
CANONICAL = "https://platform.adobe.io"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`contract-kit serve` on loopback: a real HTTP server to record against."""
    log = (tmp_path_factory.mktemp("serve") / "access.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "contract_kit", "serve"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    yield process.stdout.readline().strip()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    process.stdout.close()
    log.close()


def _headers(accept: str, content_type: str | None = None) -> dict[str, str]:
    headers = {
        "Accept": accept,
        "Authorization": f"Bearer {TOKEN}",
        "x-api-key": API_KEY,
        "x-gw-ims-org-id": ORG,
    }
    if content_type:
        headers["Content-Type"] = content_type
    return headers


def _create_headers() -> dict[str, str]:
    """The headers of a create call: receipt Accept, fallback-offer Content-Type, credentials."""
    return _headers(
        "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
        f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
    )


def _client_calls(base: str, offer: dict[str, Any]) -> str:
    """A client's create then read (with a secret in the query); returns the instanceId."""
    create = requests.post(
        f"{base}/data/core/xcore/{CONTAINER}/instances",
        json=offer,
        headers=_create_headers(),
        timeout=10,
    )
    assert create.status_code == 201, create.text
    instance_id: str = create.json()["instanceId"]
    read = requests.get(
        f"{base}/data/core/xcore/{CONTAINER}/instances/{instance_id}?access_token={QUERY_SECRET}",
        headers=_headers("application/vnd.adobe.platform.xcore.hal+json"),
        timeout=10,
    )
    assert read.status_code == 200
    return instance_id


def _offer(fallback_offer: dict[str, Any]) -> dict[str, Any]:
    return {**fallback_offer, "xdm:characteristics": {"client_secret": BODY_SECRET, "region": "NA"}}


@pytest.fixture
def recorded(server: str, tmp_path: Path, fallback_offer: dict[str, Any]) -> tuple[Path, str]:
    """A cassette recorded against the server, shown as if recorded against the real API."""
    path = tmp_path / "cassettes" / "create_offer.yaml"
    with contract_kit.record_cassette(path, served_at=server, recorded_as=CANONICAL):
        instance_id = _client_calls(server, _offer(fallback_offer))
    return path, instance_id


def test_a_recording_holds_no_secret(recorded: tuple[Path, str]) -> None:
    """Tokens, keys, the org, a secret body member and query value are all replaced."""
    path, _ = recorded
    text = path.read_text("utf-8")
    assert [secret for secret in SECRETS if secret in text] == []
    assert "Bearer REDACTED" in text
    assert "REDACTED@AdobeOrg" in text
    assert "access_token=REDACTED" in text
    assert "127.0.0.1" not in text
    [create, read] = load_cassette(path)
    assert json.loads(create.request_body)["xdm:characteristics"]["client_secret"] == "REDACTED"
    assert create.url == f"{CANONICAL}/data/core/xcore/{CONTAINER}/instances"
    assert read.status == 200


def test_a_recording_replays_and_its_placeholders_keep_the_contract(
    recorded: tuple[Path, str], fallback_offer: dict[str, Any]
) -> None:
    """Replaying the client against its recording passes; so would its redacted requests."""
    path, instance_id = recorded
    with contract_kit.replay_cassette(path, strict=True) as replay:
        assert _client_calls(CANONICAL, _offer(fallback_offer)) == instance_id
    assert all(replay.used)
    for exchange in load_cassette(path):
        found = contract_kit.check_request(
            exchange.method, exchange.url, exchange.request_headers, exchange.request_body or None
        )
        # The client's own access_token on the read is no parameter of the API: a warning.
        expected = [("/query/access_token", "unknown-parameter")] if "?" in exchange.url else []
        assert [(v.pointer, v.rule) for v in found] == expected


def test_responses_itself_loads_a_recording(recorded: tuple[Path, str]) -> None:
    """The file keeps responses' own format: its loader registers every response."""
    path, _ = recorded
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock._add_from_file(path)  # noqa: SLF001 - proving compatibility with responses' reader
        assert [r.method for r in mock.registered()] == ["POST", "GET"]
        answer = requests.post(f"{CANONICAL}/data/core/xcore/{CONTAINER}/instances", timeout=5)
        assert answer.json()["repo:etag"] == 1


def test_a_client_whose_body_changed(
    recorded: tuple[Path, str], fallback_offer: dict[str, Any]
) -> None:
    """A request the cassette does not hold names the closest exchange and the differing member."""
    path, _ = recorded
    changed = {**_offer(fallback_offer), "xdm:name": "Renamed"}
    with pytest.raises(contract_kit.ReplayMismatch) as caught, contract_kit.replay_cassette(path):
        _client_calls(CANONICAL, changed)
    assert str(caught.value) == (
        f"create_offer.yaml holds no recording of POST {CANONICAL}/data/core/xcore/{CONTAINER}"
        "/instances; closest: exchange 1 (POST /data/core/xcore/e0bd8463-0913-4ca1-bd84-"
        '6309134ca1f6/instances): body at /xdm:name: recorded "Fallback for sales", sent '
        '"Renamed"\n\nHint: if the client\'s request changed on purpose, record the cassette '
        "again (pytest --contract-record=new-episodes)."
    )


def test_a_request_the_cassette_lacks(recorded: tuple[Path, str]) -> None:
    """Another path is reported with the closest exchange's differences, field by field."""
    path, _ = recorded
    with pytest.raises(contract_kit.ReplayMismatch) as caught, contract_kit.replay_cassette(path):
        requests.delete(
            f"{CANONICAL}/data/core/xcore/{CONTAINER}/instances/b3966680-13ec-11eb-9c20-8323709cfc65",
            headers=_headers("application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"),
            timeout=5,
        )
    message = str(caught.value)
    assert message.startswith(
        f"create_offer.yaml holds no recording of DELETE {CANONICAL}/data/core/xcore/{CONTAINER}"
        "/instances/b3966680-13ec-11eb-9c20-8323709cfc65; closest: exchange 2 (GET "
    )
    assert "method: recorded GET, sent DELETE; path: recorded /data/core/xcore/" in message


def test_a_client_that_drops_a_header(
    recorded: tuple[Path, str], fallback_offer: dict[str, Any]
) -> None:
    """The recording still answers, but the request that broke the contract fails the block."""
    path, _ = recorded
    url = f"{CANONICAL}/data/core/xcore/{CONTAINER}/instances"
    headers = _create_headers()
    del headers["x-api-key"]
    with (
        pytest.raises(contract_kit.ContractViolation) as caught,
        contract_kit.replay_cassette(path),
    ):
        assert (
            requests.post(url, json=_offer(fallback_offer), headers=headers, timeout=5).status_code
            == 201
        )
    assert str(caught.value).splitlines()[:3] == [
        "the client broke the Offer Library contract in 1 request:",
        f"- POST /data/core/xcore/{CONTAINER}/instances",
        '  - /headers/x-api-key: required header "x-api-key" is missing [required]',
    ]


def test_a_recording_the_contract_no_longer_accepts(
    recorded: tuple[Path, str], fallback_offer: dict[str, Any]
) -> None:
    """A recorded answer the current schemas reject fails clearly, asking for a new recording."""
    path, _ = recorded
    [create, read] = load_cassette(path)
    receipt = {**json.loads(create.response_body), "repo:etag": 0}
    stale = dataclasses.replace(create, response_body=json.dumps(receipt))
    save_cassette(path, [stale, read], Redactions())
    with (
        pytest.raises(contract_kit.ContractViolation) as caught,
        contract_kit.replay_cassette(path),
    ):
        _client_calls(CANONICAL, _offer(fallback_offer))
    assert str(caught.value).splitlines() == [
        (
            "recorded response no longer matches the contract: exchange 1 (POST "
            f"/data/core/xcore/{CONTAINER}/instances → 201) is not a valid receipt:"
        ),
        "- /repo:etag: expected at least 1, got 0 [minimum]",
        "",
        (
            "Hint: record the cassette again against the service (pytest --contract-record=all), or, "
            "if the contract changed on purpose, fix the recording."
        ),
    ]


def test_a_recorded_read_is_checked_as_the_kind_it_holds(
    recorded: tuple[Path, str], fallback_offer: dict[str, Any]
) -> None:
    """A read answers a stored instance of any kind: the body's ``schemas`` says which it is."""
    path, _ = recorded
    [create, read] = load_cassette(path)
    instance = json.loads(read.response_body)
    del instance["_instance"]["xdm:status"]
    stale = dataclasses.replace(read, response_body=json.dumps(instance))
    save_cassette(path, [create, stale], Redactions())
    with (
        pytest.raises(contract_kit.ContractViolation) as caught,
        contract_kit.replay_cassette(path),
    ):
        _client_calls(CANONICAL, _offer(fallback_offer))
    assert str(caught.value).splitlines()[:2] == [
        (
            "recorded response no longer matches the contract: exchange 2 (GET "
            f"/data/core/xcore/{CONTAINER}/instances/{instance['instanceId']} → 200) is not a "
            "valid fallback-offer-instance:"
        ),
        '- /_instance/xdm:status: required member "xdm:status" is missing [required]',
    ]


def test_unused_exchanges_fail_a_strict_replay(
    recorded: tuple[Path, str], fallback_offer: dict[str, Any]
) -> None:
    """With strict=True, recorded exchanges the client never asked for are reported."""
    path, _ = recorded
    url = f"{CANONICAL}/data/core/xcore/{CONTAINER}/instances"
    headers = _create_headers()
    with (
        pytest.raises(contract_kit.ContractViolation) as caught,
        contract_kit.replay_cassette(path, strict=True),
    ):
        requests.post(url, json=_offer(fallback_offer), headers=headers, timeout=5)
    assert str(caught.value).splitlines()[:2] == [
        "1 recorded exchange of create_offer.yaml were not replayed:",
        f"- exchange 2: GET /data/core/xcore/{CONTAINER}/instances/{recorded[1]}",
    ]


def test_new_episodes_keep_what_was_recorded(server: str, recorded: tuple[Path, str]) -> None:
    """Recording new episodes replays known calls and appends only the new ones."""
    path, _ = recorded
    before = load_cassette(path)
    with contract_kit.record_cassette(
        path, mode="new-episodes", served_at=server, recorded_as=CANONICAL
    ) as session:
        requests.get(
            f"{server}/data/core/xcore/",
            headers=_headers("application/vnd.adobe.platform.xcore.home.hal+json"),
            timeout=5,
        )
    after = load_cassette(path)
    assert after[:2] == before
    assert [e.url for e in after[2:]] == [f"{CANONICAL}/data/core/xcore/"]
    assert session.replayed == [False, False]


def test_users_add_redactions(tmp_path: Path) -> None:
    """Extra headers, query parameters, body keys and literal values are redacted too."""
    exchange = Exchange(
        "POST",
        "https://example.com/x?session=abcdefgh",
        {"X-Session": "session-value-1"},
        '{"pin": "12345678", "note": "mentions literal-secret-9"}',
        200,
        {"X-Echo": "session-value-1"},
        '{"ok": true}',
        "application/json",
    )
    path = tmp_path / "c.yaml"
    redactions = Redactions(
        headers={"X-Session": "REDACTED"},
        query=("session",),
        body_keys=("pin",),
        values=("literal-secret-9",),
    )
    save_cassette(path, [exchange], redactions)
    text = path.read_text("utf-8")
    for secret in ("abcdefgh", "session-value-1", "12345678", "literal-secret-9"):
        assert secret not in text


def test_a_killed_recording_leaves_a_whole_file(tmp_path: Path) -> None:
    """SIGKILL mid-write leaves the old cassette or the new one; the next write clears the rest."""
    path = tmp_path / "big.yaml"
    old = [Exchange("GET", "https://example.com/old", response_body="x" * 10)]
    save_cassette(path, old, Redactions())
    writer = (
        "import sys\n"
        "from pathlib import Path\n"
        "from contract_kit.cassettes.cassette import Exchange, save_cassette\n"
        "from contract_kit.cassettes.redaction import Redactions\n"
        "new = [Exchange('GET', f'https://example.com/{i}', response_body='y' * 20000) for i in range(400)]\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    save_cassette(Path(sys.argv[1]), new, Redactions())\n"
    )
    for delay in (0.05, 0.2, 0.5):
        process = subprocess.Popen(
            [sys.executable, "-c", writer, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        exchanges = load_cassette(path)
        assert len(exchanges) in {1, 400}
        assert exchanges == old or all(e.response_body == "y" * 20000 for e in exchanges)
    save_cassette(path, old, Redactions())  # the next write clears what a kill left behind
    assert [p.name for p in tmp_path.iterdir()] == ["big.yaml"]


USER_TEST = (
    """
import os
import pytest
import requests

BASE = os.environ.get("OFFER_LIBRARY_URL", "https://platform.adobe.io")
HEADERS = {
    "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
    "Content-Type": 'application/schema-instance+json; version=1; schema="https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"',
    "Authorization": "Bearer %s",
    "x-api-key": "%s",
    "x-gw-ims-org-id": "%s",
}
SERVED_AT = os.environ.get("OFFER_LIBRARY_URL")

@pytest.mark.contract_cassette("create.yaml", served_at=SERVED_AT, recorded_as="https://platform.adobe.io")
def test_create(fallback_offer):
    fallback_offer["xdm:name"] = os.environ.get("OFFER_NAME", "Fallback for sales")
    url = f"{BASE}/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"
    response = requests.post(url, json=fallback_offer, headers=HEADERS, timeout=10)
    assert response.status_code == 201
""".replace("%s", TOKEN, 1)
    .replace("%s", API_KEY, 1)
    .replace("%s", ORG, 1)
)


def test_the_marker_records_with_the_option_and_replays_without(
    pytester: pytest.Pytester, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--contract-record=all records against a server; a plain run replays the cassette."""
    pytester.makepyfile(test_user=USER_TEST)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    monkeypatch.setenv("OFFER_LIBRARY_URL", server)
    pytester.runpytest_subprocess("--contract-record=all").assert_outcomes(passed=1)
    cassette = pytester.path / "cassettes" / "create.yaml"
    assert [secret for secret in SECRETS if secret in cassette.read_text("utf-8")] == []
    monkeypatch.delenv("OFFER_LIBRARY_URL")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    monkeypatch.setenv("OFFER_NAME", "Renamed")
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            (
                "create.yaml holds no recording of POST https://platform.adobe.io/data/core/xcore/"
                "e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances; closest: exchange 1 (POST "
                "/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances): body at "
                '/xdm:name: recorded "Fallback for sales", sent "Renamed"'
            ),
            "",
            (
                "Hint: if the client's request changed on purpose, record the cassette again "
                "(pytest --contract-record=new-episodes)."
            ),
        ],
        consecutive=True,
    )


def test_a_missing_or_malformed_cassette_fails_the_test(pytester: pytest.Pytester) -> None:
    """A cassette that cannot be read fails the test with the file and line, no traceback."""
    pytester.makepyfile(test_user=USER_TEST)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    (pytester.path / "cassettes").mkdir()
    (pytester.path / "cassettes" / "create.yaml").write_text("responses: [\n", "utf-8")
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "create.yaml is not a recording contract_kit can replay:",
            (
                "- */cassettes/create.yaml:2:1: invalid YAML: while parsing a flow node, did not "
                "find expected node content"
            ),
            "",
            (
                "Hint: fix the file where shown, or record the cassette again "
                "(pytest --contract-record=all)."
            ),
        ],
        consecutive=True,
    )


def test_once_records_a_missing_cassette_then_replays_it(
    pytester: pytest.Pytester, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--contract-record=once writes the cassette on the first run, then only replays it."""
    pytester.makepyfile(test_user=USER_TEST)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    missing = pytester.runpytest_subprocess()
    missing.assert_outcomes(errors=1)
    missing.stdout.fnmatch_lines(
        ["*Hint: record it with pytest --contract-record=once test_user.py::test_create*"]
    )
    assert missing.stdout.str().count("does not exist, so there is nothing to replay") == 1
    monkeypatch.setenv("OFFER_LIBRARY_URL", server)
    pytester.runpytest_subprocess("--contract-record=once").assert_outcomes(passed=1)
    cassette = pytester.path / "cassettes" / "create.yaml"
    written = cassette.read_text("utf-8")
    monkeypatch.delenv("OFFER_LIBRARY_URL")  # the second run cannot reach the server
    pytester.runpytest_subprocess("--contract-record=once").assert_outcomes(passed=1)
    assert cassette.read_text("utf-8") == written


def test_the_marker_lets_a_replay_pass_broken_calls(pytester: pytest.Pytester) -> None:
    """With allow_violations=True on the marker a broken call is no contract failure, only a mismatch."""
    pytester.makepyfile(
        test_user="""
        import pytest
        import requests

        URL = "https://platform.adobe.io/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"

        @pytest.mark.contract_cassette("create.yaml", allow_violations=True)
        def test_create(contract_cassette):
            response = requests.post(URL, json={}, headers={}, timeout=5)
            assert contract_cassette.calls[0][1]
            assert response is not None
        """
    )
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    (pytester.path / "cassettes").mkdir()
    (pytester.path / "cassettes" / "create.yaml").write_text("responses: []\n", "utf-8")
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    assert "broke the Offer Library contract" not in result.stdout.str()
    result.stdout.fnmatch_lines(["*holds no recording of POST*"])


def test_httpx_calls_are_recorded_and_replayed(
    server: str, tmp_path: Path, fallback_offer: dict[str, Any]
) -> None:
    """Httpx clients made without a transport are recorded for real, then replayed offline."""
    import asyncio

    import httpx

    path = tmp_path / "cassettes" / "httpx.yaml"
    url = f"{server}/data/core/xcore/{CONTAINER}/instances"
    canonical = f"{CANONICAL}/data/core/xcore/{CONTAINER}/instances"

    async def create_async(target: str) -> int:
        async with httpx.AsyncClient() as client:
            answer = await client.post(target, json=fallback_offer, headers=_create_headers())
            return answer.status_code

    with contract_kit.record_cassette(path, served_at=server, recorded_as=CANONICAL):
        with httpx.Client() as client:
            first = client.post(url, json=fallback_offer, headers=_create_headers())
        second = asyncio.run(create_async(url))
    assert (first.status_code, second) == (201, 201)
    text = path.read_text("utf-8")
    assert [exchange.method for exchange in load_cassette(path)] == ["POST", "POST"]
    assert [secret for secret in SECRETS if secret in text] == []
    with contract_kit.replay_cassette(path) as replay:
        with httpx.Client() as client:
            again = client.post(canonical, json=fallback_offer, headers=_create_headers())
        assert asyncio.run(create_async(canonical)) == 201
    assert again.json()["instanceId"] == first.json()["instanceId"]
    assert all(replay.used)
