"""Replay as strict as the fake: contract first, the headers that change the answer, the modes."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

import pytest
import requests
import responses

import contract_kit
from contract_kit.cassettes.cassette import CassetteError, Exchange, load_cassette, save_cassette
from contract_kit.cassettes.recording import Recording
from contract_kit.cassettes.redaction import Redactions
from contract_kit.cassettes.replay import Replay
from contract_kit.cassettes.use import use_cassette
from contract_kit.core.examples import fallback_offer_body

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

CONTAINER = "e0bd8463-0913-4ca1-bd84-6309134ca1f6"
INSTANCE = "b3966680-13ec-11eb-9c20-8323709cfc65"
INSTANCES = f"https://platform.adobe.io/data/core/xcore/{CONTAINER}/instances"
ONE = f"{INSTANCES}/{INSTANCE}"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
RECEIPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"
OFFER_TYPE = f'application/schema-instance+json; version=1; schema="{SCHEMA}"'
TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJlLXNlY3JldA"
CREDENTIALS = {
    "Authorization": f"Bearer {TOKEN}",
    "x-api-key": "6f1c2b9e8d7a4c3b",
    "x-gw-ims-org-id": "8A3C5B2D1E0F9A8B7C6D5E4F@AdobeOrg",
}
CREATE_HEADERS = {**CREDENTIALS, "Accept": RECEIPT, "Content-Type": OFFER_TYPE}
DELETE_HEADERS = {**CREDENTIALS, "Accept": RECEIPT, "If-Match": '"2"'}
WHEN = "2026-11-27T08:12:14.700390Z"
WHO = "0000000000000000FAKE0000@AdobeID"
ANSWER = json.dumps(
    {
        "@id": "xcore:fallback-offer:2134ddf040c97885",
        "instanceId": INSTANCE,
        "repo:etag": 1,
        "repo:createdDate": WHEN,
        "repo:lastModifiedDate": WHEN,
        "repo:createdBy": WHO,
        "repo:lastModifiedBy": WHO,
        "repo:createdByClientId": "contract-kit-fake",
        "repo:lastModifiedByClientId": "contract-kit-fake",
    }
)
BROKEN_HINT = (
    "Hint: fix the client code that sends these requests. A test that sends them on purpose "
    "opts out with @pytest.mark.contract_cassette(..., allow_violations=True) or "
    "replay_cassette(..., allow_violations=True), and gets their recorded answers."
)
RANK_LINE = (
    '  - /body/xdm:rank: member "xdm:rank" is not allowed: fallback offers have no ranking and '
    "no selection or capping constraints: they are what a decision shows when no personalized "
    "offer is eligible; remove it, or create a personalized offer instead [not-for-fallback]"
)
#: A ranked fallback offer is a warning (not-for-fallback): it fails only with fail_on_warnings.
STRICT_HEADLINE = "strict mode: the client drew Offer Library contract warnings in 1 request:"
STRICT_HINT = (
    f"{BROKEN_HINT} A (warning) is a call the service takes: it fails because fail_on_warnings "
    "is on; turn it off with @pytest.mark.contract_cassette(..., fail_on_warnings=False), or "
    "leave out --offer-library-strict and offer_library_strict = true."
)
MISMATCH_HINT = (
    "Hint: if the client's request changed on purpose, record the cassette again "
    "(pytest --contract-record=new-episodes)."
)
SENT_ONLY = (
    "header accept-encoding: sent, not recorded; header connection: sent, not recorded; "
    "header content-length: sent, not recorded; header user-agent: sent, not recorded"
)


def _create(body: dict[str, Any]) -> Exchange:
    return Exchange("POST", INSTANCES, CREATE_HEADERS, json.dumps(body), 201, {}, ANSWER, RECEIPT)


def _cassette(tmp_path: Path, *exchanges: Exchange) -> Path:
    path = tmp_path / "c.yaml"
    save_cassette(path, exchanges, Redactions())
    return path


def _ranked() -> dict[str, Any]:
    return {**fallback_offer_body(), "xdm:rank": 3}


def _post(body: dict[str, Any]) -> requests.Response:
    return requests.post(INSTANCES, json=body, headers=CREATE_HEADERS, timeout=5)


def _swallowing_client() -> None:
    """A create the cassette holds, then a delete it lacks, whose error the client hides."""
    _post(_ranked())
    with suppress(contract_kit.ReplayMismatch):
        _delete()


def _delete(**headers: str) -> requests.Response:
    return requests.delete(ONE, headers={**DELETE_HEADERS, **headers}, timeout=5)


def test_a_placeholder_placement_names_the_rule_it_breaks(tmp_path: Path) -> None:
    """A request the contract rejects is reported by rule, not as a missing recording."""
    path = _cassette(tmp_path, _create(fallback_offer_body()))
    offer = fallback_offer_body()
    offer["xdm:representations"][0]["xdm:placement"] = "{PLACEMENT_ID}"
    with (
        pytest.raises(contract_kit.ContractViolation) as caught,
        contract_kit.replay_cassette(path),
    ):
        requests.post(INSTANCES, json=offer, headers=CREATE_HEADERS, timeout=5)
    assert str(caught.value) == "\n".join(
        [
            "the client broke the Offer Library contract in 1 request:",
            f"- POST /data/core/xcore/{CONTAINER}/instances",
            (
                "  - /body/xdm:representations/0/xdm:placement: the docs' placeholder "
                "{PLACEMENT_ID} was sent; replace it with the @id of an offer-placement you "
                "created [xcore-id]"
            ),
            "",
            BROKEN_HINT,
        ]
    )


def test_a_recording_does_not_make_a_broken_request_right(tmp_path: Path) -> None:
    """A cassette holding the very request still fails the block on the rule it breaks."""
    path = _cassette(tmp_path, _create(_ranked()))
    answers: list[int] = []
    with (
        pytest.raises(contract_kit.ContractViolation) as caught,
        contract_kit.replay_cassette(path, fail_on_warnings=True),
    ):
        answers.append(_post(_ranked()).status_code)
    assert answers == [201]
    assert str(caught.value).splitlines() == [
        STRICT_HEADLINE,
        f"- POST /data/core/xcore/{CONTAINER}/instances",
        RANK_LINE + " (warning)",
        "",
        STRICT_HINT,
    ]


def test_broken_calls_come_before_a_missing_recording(tmp_path: Path) -> None:
    """A client that swallows the mismatch still fails on the earlier call's broken rule."""
    path = _cassette(tmp_path, _create(_ranked()))
    with (
        pytest.raises(contract_kit.ContractViolation) as caught,
        contract_kit.replay_cassette(path, fail_on_warnings=True),
    ):
        _swallowing_client()
    assert str(caught.value).splitlines()[2] == RANK_LINE + " (warning)"


def test_allow_violations_replays_what_the_service_answered(tmp_path: Path) -> None:
    """With the opt-out, a broken request gets its recorded answer and the block passes."""
    path = _cassette(tmp_path, _create(_ranked()))
    with contract_kit.replay_cassette(path, allow_violations=True) as replay:
        answer = requests.post(INSTANCES, json=_ranked(), headers=CREATE_HEADERS, timeout=5)
    assert answer.status_code == 201
    assert replay.failure() is None
    [(line, found)] = replay.calls
    assert (line, [v.rule for v in found]) == (
        f"POST /data/core/xcore/{CONTAINER}/instances",
        ["not-for-fallback"],
    )


def test_allow_violations_still_needs_a_recording(tmp_path: Path) -> None:
    """With the opt-out, a broken request the cassette lacks is a plain mismatch."""
    path = _cassette(tmp_path, _create(fallback_offer_body()))
    with (
        pytest.raises(contract_kit.ReplayMismatch) as caught,
        contract_kit.replay_cassette(path, allow_violations=True),
    ):
        requests.post(INSTANCES, json=_ranked(), headers=CREATE_HEADERS, timeout=5)
    assert str(caught.value).startswith(
        f"c.yaml holds no recording of POST {INSTANCES}; closest: exchange 1 (POST "
        f"/data/core/xcore/{CONTAINER}/instances): body at /xdm:rank: recorded nothing, sent 3"
    )


def test_a_stale_if_match_does_not_replay(tmp_path: Path) -> None:
    """An etag other than the recorded one is a mismatch naming the header and both values."""
    path = _cassette(tmp_path, Exchange("DELETE", ONE, DELETE_HEADERS, "", 200))
    with pytest.raises(contract_kit.ReplayMismatch) as caught, contract_kit.replay_cassette(path):
        _delete(**{"If-Match": '"1"'})
    assert str(caught.value) == (
        f"c.yaml holds no recording of DELETE {ONE}; closest: exchange 1 (DELETE "
        f'/data/core/xcore/{CONTAINER}/instances/{INSTANCE}): header if-match: recorded "2", '
        f'sent "1"; {SENT_ONLY}\n\n{MISMATCH_HINT}'
    )


@pytest.mark.parametrize(
    ("recorded", "sent"),
    [
        ({"If-Match": '"2"'}, {"If-Match": 'W/"2"'}),
        ({"If-Match": '"2"'}, {"if-match": "2"}),
        ({"If-None-Match": '"1", "2"'}, {"If-None-Match": '"2","1"'}),
        ({"Accept": RECEIPT}, {"accept": "Application/VND.adobe.platform.xcore.xdm.receipt+json;VERSION=1"}),
        ({"Content-Type": 'a/b; x=1; y="2"'}, {"content-type": "A/B;y=2;  X=1"}),
        ({}, {"x-sandbox-name": "prod"}),
        ({"x-sandbox-name": "prod"}, {}),
    ],
)  # fmt: skip
def test_headers_that_mean_the_same_match(
    tmp_path: Path, recorded: dict[str, str], sent: dict[str, str]
) -> None:
    """Etag quoting and W/, media-type case and parameter order, an absent sandbox: one meaning."""
    headers = {**CREDENTIALS, "Accept": RECEIPT, **recorded}
    path = _cassette(tmp_path, Exchange("DELETE", ONE, headers, "", 200))
    with contract_kit.replay_cassette(path, allow_violations=True) as replay:
        answer = requests.delete(ONE, headers={**CREDENTIALS, "Accept": RECEIPT, **sent}, timeout=5)
    assert (answer.status_code, replay.used) == (200, [True])


@pytest.mark.parametrize(
    ("recorded", "sent", "named"),
    [
        ({"If-None-Match": '"3"'}, {}, 'header if-none-match: recorded "3", sent none'),
        ({}, {"x-sandbox-name": "dev"}, "header x-sandbox-name: recorded none (prod), sent dev"),
        (
            {"Accept": RECEIPT},
            {"Accept": "application/json"},
            f"header accept: recorded {RECEIPT}, sent application/json",
        ),
        (
            {"Content-Type": "text/plain"},
            {"Content-Type": "text/html"},
            "header content-type: recorded text/plain, sent text/html",
        ),
    ],
)
def test_each_header_that_changes_the_answer_is_named(
    tmp_path: Path, recorded: dict[str, str], sent: dict[str, str], named: str
) -> None:
    """The mismatch names the differing header with the recorded and the sent value."""
    path = _cassette(tmp_path, Exchange("DELETE", ONE, {**CREDENTIALS, **recorded}, "", 200))
    with (
        pytest.raises(contract_kit.ReplayMismatch) as caught,
        contract_kit.replay_cassette(path, allow_violations=True),
    ):
        requests.delete(ONE, headers={**CREDENTIALS, **sent}, timeout=5)
    assert f"/instances/{INSTANCE}): {named}; header " in str(caught.value)


def test_a_mismatched_header_value_is_masked(tmp_path: Path) -> None:
    """A secret sent in a header that decides the match is shown redacted."""
    path = _cassette(tmp_path, Exchange("DELETE", ONE, {"If-Match": '"2"'}, "", 200))
    with (
        pytest.raises(contract_kit.ReplayMismatch) as caught,
        contract_kit.replay_cassette(path, allow_violations=True),
    ):
        requests.delete(ONE, headers={**CREDENTIALS, "If-Match": TOKEN}, timeout=5)
    assert TOKEN not in str(caught.value)
    assert f'/instances/{INSTANCE}): header if-match: recorded "2", sent REDACTED; ' in str(
        caught.value
    )


MISSING = (
    "gone.yaml does not exist, so there is nothing to replay:\n"
    "- {path}: no such file\n\n"
    "Hint: record it with {how}; or give the path of an existing cassette."
)


def test_a_missing_cassette_says_how_to_record_it(tmp_path: Path) -> None:
    """One error, naming the file and the call that records it."""
    path = tmp_path / "gone.yaml"
    with pytest.raises(CassetteError) as caught, contract_kit.replay_cassette(str(path)):
        pass
    how = "contract_kit.record_cassette(path) around the same calls, against the service"
    assert str(caught.value) == MISSING.format(path=path, how=how)
    assert caught.value.__context__ is None


def test_a_missing_cassette_names_the_command_given(tmp_path: Path) -> None:
    """The plugin's command (recorded_by) is the hint's."""
    path = tmp_path / "gone.yaml"
    command = "pytest --contract-record=once tests/test_x.py::test_y"
    with (
        pytest.raises(CassetteError) as caught,
        contract_kit.replay_cassette(path, recorded_by=command),
    ):
        pass
    assert str(caught.value) == MISSING.format(path=path, how=command)


@contextmanager
def _service() -> Iterator[responses.RequestsMock]:
    """A stand-in for the real service, for recording only (a replay would join its mock)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.DELETE, ONE, status=200, body=ANSWER, content_type=RECEIPT)
        yield mock


def test_paths_may_be_strings(tmp_path: Path) -> None:
    """record_cassette, replay_cassette, load_cassette and save_cassette take a str."""
    path = str(tmp_path / "s.yaml")
    with _service() as service:
        with contract_kit.record_cassette(path):
            _delete()
        assert len(service.calls) == 1
    [exchange] = load_cassette(path)
    save_cassette(path, [exchange, exchange], Redactions())
    with contract_kit.replay_cassette(path, strict=True):
        assert [_delete().status_code, _delete().status_code] == [200, 200]


def test_once_records_a_missing_cassette_then_replays_it(tmp_path: Path) -> None:
    """The first run goes to the service and writes the file; the next is answered from it."""
    path = tmp_path / "once.yaml"
    with _service() as service:
        with use_cassette(path, record="once") as first:
            assert _delete().status_code == 200
        assert len(service.calls) == 1
    assert isinstance(first, Recording)
    with use_cassette(str(path), record="once", strict=True) as second:
        answer = _delete()
    assert (answer.status_code, answer.json()["repo:etag"]) == (200, 1)
    assert isinstance(second, Replay)


def test_once_replays_as_strictly_as_none(tmp_path: Path) -> None:
    """An existing cassette under once refuses a request it lacks, with no call to the service."""
    path = _cassette(tmp_path, Exchange("DELETE", ONE, DELETE_HEADERS, "", 200))
    with pytest.raises(contract_kit.ReplayMismatch), use_cassette(path, record="once"):
        _delete(**{"If-Match": '"1"'})


def test_none_replays_and_all_records_afresh(tmp_path: Path) -> None:
    """Mode none answers from the file; all sends to the service and replaces the file."""
    path = _cassette(tmp_path, Exchange("DELETE", ONE, DELETE_HEADERS, "", 204))
    with use_cassette(path, record="none") as replayed:
        assert _delete().status_code == 204
    assert isinstance(replayed, Replay)
    with _service() as service:
        with use_cassette(path, record="all") as recorded:
            assert _delete().status_code == 200
        assert len(service.calls) == 1
    assert isinstance(recorded, Recording)
    assert [e.status for e in load_cassette(path)] == [200]


def test_an_unknown_record_mode_is_refused(tmp_path: Path) -> None:
    """A misspelt mode lists the known ones."""
    expected = 'record mode "onse" is not one of none, once, new-episodes, all'
    mode: Any = "onse"
    with (
        pytest.raises(ValueError, match=f"^{re.escape(expected)}$"),
        use_cassette(tmp_path, record=mode),
    ):
        pass


USER_TEST = f"""
import pytest
import requests

HEADERS = {CREATE_HEADERS!r}

@pytest.mark.contract_cassette("create.yaml")
def test_create(fallback_offer):
    fallback_offer["xdm:rank"] = 3
    requests.post({INSTANCES!r}, json=fallback_offer, headers=HEADERS, timeout=5)
"""


def test_the_plugin_shows_the_rule_a_replayed_request_breaks(pytester: pytest.Pytester) -> None:
    """Through the marker, the broken rule is the test's failure, not a missing recording."""
    pytester.makepyfile(test_user=USER_TEST)
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    (pytester.path / "cassettes").mkdir()
    save_cassette(
        pytester.path / "cassettes" / "create.yaml", [_create(fallback_offer_body())], Redactions()
    )
    result = pytester.runpytest_subprocess("--offer-library-strict")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            STRICT_HEADLINE,
            f"- POST /data/core/xcore/{CONTAINER}/instances",
            RANK_LINE.replace("[", "[[]") + " (warning)",
            "",
            STRICT_HINT.replace("[", "[[]"),
        ],
        consecutive=True,
    )
    assert "holds no recording" not in result.stdout.str()


def test_httpx_clients_without_a_transport_are_replayed_too(tmp_path: Path) -> None:
    """httpx.Client() and httpx.AsyncClient() get the recorded answer, as requests does."""
    import asyncio

    import httpx

    path = _cassette(tmp_path, _create(fallback_offer_body()), _create(fallback_offer_body()))

    async def create_async() -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.post(INSTANCES, json=fallback_offer_body(), headers=CREATE_HEADERS)

    with contract_kit.replay_cassette(path, strict=True) as replay:
        with httpx.Client() as client:
            answer = client.post(INSTANCES, json=fallback_offer_body(), headers=CREATE_HEADERS)
        late = asyncio.run(create_async())
    assert (answer.status_code, late.status_code) == (201, 201)
    assert answer.json()["instanceId"] == INSTANCE
    assert all(replay.used)


def test_an_httpx_request_to_another_host_is_refused_not_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request to another host fails the client on the contract, as with requests; none is sent."""
    import socket

    import httpx

    def no_network(*_args: object, **_kwargs: object) -> None:
        pytest.fail("the replay opened a socket")

    monkeypatch.setattr(socket, "create_connection", no_network)
    path = _cassette(tmp_path, _create(fallback_offer_body()))
    with (
        pytest.raises(contract_kit.ContractViolation, match=r"\[path\]"),
        contract_kit.replay_cassette(path, raise_at_exit=False),
        httpx.Client() as client,
    ):
        client.get("https://ims-na1.adobelogin.com/ims/token/v3")
