"""One secret policy: every encoding a secret travels in, every place a copy of it lands."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
import requests

import contract_kit
from contract_kit.cassettes.cassette import Exchange, load_cassette, save_cassette
from contract_kit.cassettes.recording_check import recording_violations
from contract_kit.cassettes.redaction import Redactions
from contract_kit.core.secrets import SecretPolicy, mask
from contract_kit.core.violation import Violation
from contract_kit.documents.yaml_source import parse_yaml

if TYPE_CHECKING:
    from pathlib import Path

HOME = "https://platform.adobe.io/data/core/xcore/"
IMS = "https://ims-na1.adobelogin.com/ims/token/v3"
CLIENT_ID = "client-id-0f3c9a"
CLIENT_SECRET = "p8e-client/secret+42"
CODE = "auth-code-7d1e2b"
ACCESS = "eyJhbGciOiJSUzI1NiJ9.YWNjZXNz.c2ln"
REFRESH = "refresh-3c8f0a9d"
ORG = "8A3C5B2D1E0F9A8B7C6D5E4F@AdobeOrg"
HOME_HEADERS = {
    "Accept": "application/vnd.adobe.platform.xcore.home.hal+json",
    "Authorization": "Bearer REDACTED",
    "x-api-key": "REDACTED",
    "x-gw-ims-org-id": "REDACTED@AdobeOrg",
    "x-sandbox-name": "prod",
}


def _saved(tmp_path: Path, *exchanges: Exchange, redactions: Redactions | None = None) -> str:
    path = tmp_path / "c.yaml"
    save_cassette(path, exchanges, redactions or Redactions())
    return path.read_text("utf-8")


def _strings(text: str) -> list[str]:
    """Every string the cassette's YAML holds, once the writer's own escapes are read."""
    found, stack = [], [parse_yaml(text.encode()).value]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend([*value, *value.values()])
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            found.append(value)
    return found


def _kept(text: str, secret: str) -> bool:
    """Whether the written file still holds ``secret``, written any way we know."""
    ways = {secret, quote(secret, safe=""), json.dumps(secret)[1:-1]}
    return any(way in text or any(way in s for s in _strings(text)) for way in ways)


def _token_call() -> Exchange:
    """An OAuth token call: secrets in a form body, answered with tokens in JSON."""
    form = (
        f"grant_type=authorization_code&client_id={CLIENT_ID}&"
        f"Client_Secret={quote(CLIENT_SECRET, safe='')}&code={CODE}"
    )
    answer = json.dumps(
        {
            "access_token": ACCESS,
            "refresh_token": REFRESH,
            "token_type": "bearer",
            "expires_in": 86399,
        }
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return Exchange("POST", IMS, headers, form, 200, {}, answer, "application/json")


def test_a_form_encoded_token_call_keeps_no_secret(tmp_path: Path) -> None:
    """client_id, client_secret (any case), code and the tokens answered are all replaced."""
    text = _saved(tmp_path, _token_call())
    assert [s for s in (CLIENT_ID, CLIENT_SECRET, CODE, ACCESS, REFRESH) if _kept(text, s)] == []
    [exchange] = load_cassette(tmp_path / "c.yaml")
    assert exchange.request_body == (
        "grant_type=authorization_code&client_id=REDACTED&Client_Secret=REDACTED&code=REDACTED"
    )
    assert json.loads(exchange.response_body) == {
        "access_token": "REDACTED",
        "refresh_token": "REDACTED",
        "token_type": "bearer",
        "expires_in": 86399,
    }


def test_a_token_from_one_exchange_is_scrubbed_from_the_others(tmp_path: Path) -> None:
    """The token a login call answered is gone from a later exchange that repeats it."""
    later = Exchange("GET", HOME, HOME_HEADERS, "", 200, {}, json.dumps({"seen": ACCESS}))
    text = _saved(tmp_path, _token_call(), later)
    assert not _kept(text, ACCESS)
    assert json.loads(load_cassette(tmp_path / "c.yaml")[1].response_body) == {"seen": "REDACTED"}


@pytest.mark.parametrize(
    "name", ["access_token", "Access_Token", "ACCESS-TOKEN", "accessToken", "access%5Ftoken"]
)
def test_secret_names_match_in_any_case_and_spelling(tmp_path: Path, name: str) -> None:
    """A query parameter is secret however its name is cased, dashed or percent-encoded."""
    exchange = Exchange("GET", f"{HOME}?{name}=qs-secret-1234&product=acp", HOME_HEADERS)
    assert not _kept(_saved(tmp_path, exchange), "qs-secret-1234")
    assert load_cassette(tmp_path / "c.yaml")[0].url == f"{HOME}?{name}=REDACTED&product=acp"


@pytest.mark.parametrize(
    "echo",
    [
        pytest.param("tok/en+é 9", id="verbatim"),
        pytest.param("tok%2Fen%2B%C3%A9%209", id="percent-upper"),
        pytest.param("tok%2fen%2b%c3%a9+9", id="percent-lower-plus"),
        pytest.param("tok\\/en+\\u00e9 9", id="json-escaped"),
        pytest.param("tok%2Fen+\\u00E9%209", id="mixed"),
    ],
)
def test_an_echo_is_scrubbed_however_it_is_written(tmp_path: Path, echo: str) -> None:
    """A secret repeated percent-encoded, JSON-escaped or both is scrubbed all the same."""
    secret = "tok/en+é 9"
    exchange = Exchange(
        "GET",
        f"{HOME}?api_key={quote(secret, safe='')}",
        HOME_HEADERS,
        response_body=f'{{"message": "key {echo} is not valid"}}',
    )
    text = _saved(tmp_path, exchange)
    assert not _kept(text, secret)
    assert load_cassette(tmp_path / "c.yaml")[0].response_body == (
        '{"message": "key REDACTED is not valid"}'
    )


def test_a_cookie_value_echoed_in_a_body_is_scrubbed(tmp_path: Path) -> None:
    """Each cookie of a Cookie or Set-Cookie header is a secret wherever it reappears."""
    exchange = Exchange(
        "GET",
        HOME,
        {**HOME_HEADERS, "Cookie": "session=sess-4f2a9c81; theme=dark"},
        "",
        200,
        {"Set-Cookie": "renewed=sess-77b0e1d2; Path=/; HttpOnly"},
        '{"session": "sess-4f2a9c81", "next": "sess-77b0e1d2", "path": "/"}',
    )
    text = _saved(tmp_path, exchange)
    assert not _kept(text, "sess-4f2a9c81")
    assert not _kept(text, "sess-77b0e1d2")
    [saved] = load_cassette(tmp_path / "c.yaml")
    assert saved.request_headers["Cookie"] == saved.response_headers["Set-Cookie"] == "REDACTED"
    assert json.loads(saved.response_body)["path"] == "/"


def test_basic_credentials_are_decoded_and_scrubbed(tmp_path: Path) -> None:
    """The user and password inside Basic authorization are secrets of their own."""
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    exchange = Exchange(
        "POST",
        IMS,
        {"Authorization": f"Basic {basic}"},
        "grant_type=client_credentials",
        401,
        {},
        json.dumps({"error": f"client {CLIENT_ID} with secret {CLIENT_SECRET} refused"}),
    )
    text = _saved(tmp_path, exchange)
    assert [s for s in (basic, CLIENT_ID, CLIENT_SECRET) if _kept(text, s)] == []


def test_a_multipart_field_is_redacted(tmp_path: Path) -> None:
    """A secret sent as a multipart form-data field is replaced in its part."""
    body = (
        '--b0undary\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\npassword\r\n'
        '--b0undary\r\nContent-Disposition: form-data; name="Password"\r\n\r\nhunter-22\r\n'
        "--b0undary--\r\n"
    )
    exchange = Exchange(
        "POST", IMS, {"Content-Type": "multipart/form-data; boundary=b0undary"}, body
    )
    assert not _kept(_saved(tmp_path, exchange), "hunter-22")
    assert "\r\n\r\nREDACTED\r\n--b0undary--" in str(
        load_cassette(tmp_path / "c.yaml")[0].request_body
    )


def test_members_at_any_depth_and_inside_escaped_json(tmp_path: Path) -> None:
    """JSON members are found at any depth, repeated, and inside a JSON string holding JSON."""
    body = (
        '{"a": [{"b": {"Refresh-Token": "deep-refresh-1"}}], "password": "first-pw-1", '
        '"password": "second-pw-2", "raw": "{\\"id_token\\": \\"inner-id-token\\"}"}'
    )
    exchange = Exchange("GET", HOME, HOME_HEADERS, "", 200, {}, body)
    text = _saved(tmp_path, exchange)
    assert [
        s
        for s in ("deep-refresh-1", "first-pw-1", "second-pw-2", "inner-id-token")
        if _kept(text, s)
    ] == []


def test_a_secret_in_a_binary_body_is_scrubbed_on_its_bytes(tmp_path: Path) -> None:
    """A body that is not UTF-8 loses its copies of a secret and keeps every other byte."""
    body = b"\x89PNG\xff\x00" + ACCESS.encode() + b"\xfe"
    exchange = Exchange(
        "GET", HOME, {**HOME_HEADERS, "Authorization": f"Bearer {ACCESS}"}, "", 200, {}, body
    )
    _saved(tmp_path, exchange)
    assert load_cassette(tmp_path / "c.yaml")[0].response_body == b"\x89PNG\xff\x00REDACTED\xfe"


def test_placeholders_keep_the_contract_where_the_values_are_echoed(tmp_path: Path) -> None:
    """The org id echoed in a body becomes the org placeholder, and re-saving changes nothing."""
    headers = {**HOME_HEADERS, "Authorization": f"Bearer {ACCESS}", "x-gw-ims-org-id": ORG}
    exchange = Exchange("GET", HOME, headers, "", 200, {}, json.dumps({"parentId": ORG}))
    first = _saved(tmp_path, exchange)
    [saved] = load_cassette(tmp_path / "c.yaml")
    assert json.loads(saved.response_body) == {"parentId": "REDACTED@AdobeOrg"}
    assert contract_kit.check_request(saved.method, saved.url, saved.request_headers, None) == []
    assert _saved(tmp_path, saved) == first


def test_ordinary_text_is_left_alone(tmp_path: Path) -> None:
    """Filters, error codes, client-id members and short values elsewhere are not secrets."""
    url = f"{HOME}?product=acp&property=_instance.containerType==decisioning&code=abc"
    body = '{"error_code": "404", "repo:createdByClientId": "contract-kit-fake", "note": "abc"}'
    exchange = Exchange("GET", url, HOME_HEADERS, "", 404, {}, body)
    _saved(tmp_path, exchange)
    [saved] = load_cassette(tmp_path / "c.yaml")
    assert (
        saved.url
        == f"{HOME}?product=acp&property=_instance.containerType==decisioning&code=REDACTED"
    )
    assert saved.response_body == body  # "abc" is too short to search for elsewhere


def test_users_add_names_that_apply_everywhere(tmp_path: Path) -> None:
    """A name given as a query parameter is secret in a JSON body too, in any spelling."""
    exchange = Exchange("POST", f"{HOME}?pin=pin-value-1", HOME_HEADERS, '{"PIN": "pin-value-2"}')
    text = _saved(tmp_path, exchange, redactions=Redactions(query=("pin",)))
    assert not _kept(text, "pin-value-1")
    assert not _kept(text, "pin-value-2")


def test_mask_hides_a_request_s_secrets_in_a_message() -> None:
    """The function every report of a live request uses: named places and copies masked."""
    url = f"{HOME}?access_token=ya29.live-token&product=acp"
    message = f"no recording of GET {url}; the server said ya29.live-token is unknown"
    assert mask(message, url=url) == (
        f"no recording of GET {HOME}?access_token=REDACTED&product=acp; the server said "
        "REDACTED is unknown"
    )
    assert mask("sent Bearer abcdefgh12", headers={"Authorization": "Bearer abcdefgh12"}) == (
        "sent Bearer REDACTED"
    )


def test_the_policy_names_places_by_their_syntax() -> None:
    """Pairs, JSON members and multipart fields are told apart, for the lint's messages."""
    policy = SecretPolicy()
    found = policy.places(
        'code=c1&x=1 {"Secret": 7} Content-Disposition: form-data; name="token"\n\nt\n--'
    )
    assert [(p.kind, p.name, p.value) for p in found] == [
        ("pair", "code", "c1"),
        ("member", "Secret", "7"),
        ("field", "token", "t"),
    ]


def test_a_policy_adds_to_the_defaults_and_never_changes() -> None:
    """A policy's own names and headers join the defaults; it compares by them and stays put."""
    policy = SecretPolicy({"X-Tenant-Key": "TENANT"}, ("pin",), ("hunter2",))
    assert policy == SecretPolicy({"X-Tenant-Key": "TENANT"}, ("pin",), ("hunter2",))
    assert policy != SecretPolicy()
    assert policy.header_placeholder("x_tenant_key") == "TENANT"
    assert policy.is_secret_name("PIN")
    assert policy.is_secret_name("access-token")
    assert not SecretPolicy().is_secret_name("pin")
    assert SecretPolicy().headers == {}
    assert repr(SecretPolicy(names=("pin",))) == (
        "SecretPolicy(headers={}, names=('pin',), values=())"
    )
    with pytest.raises(AttributeError, match="never changes"):
        policy.names = ()


def _cassette(request: dict[str, object], response: dict[str, object]) -> dict[str, object]:
    base = {"method": "POST", "url": IMS, "headers": {}, "body": ""}
    return {
        "responses": [
            {"request": {**base, **request}, "response": {**base, "status": 200, **response}}
        ]
    }


def _secret_findings(document: dict[str, object]) -> list[Violation]:
    return [v for v in recording_violations(document) if v.rule == "secret"]


def test_lint_flags_what_recording_would_remove() -> None:
    """Form fields, JSON members, cookies and echoes left in a cassette are each a finding."""
    document = _cassette(
        {
            "url": f"{IMS}?Access_Token=live-token-9",
            "headers": {"Cookie": "session=s3ss10n-value"},
            "body": f"client_id={CLIENT_ID}&client_secret=REDACTED&code={CODE}",
        },
        {
            "body": json.dumps({"id_token": "id-token-live", "echo": "live-token-9"}),
            "url": f"{IMS}?Access_Token=REDACTED",
            "headers": {
                "Location": "https://app.example/cb?code=other-code-1",
                "X-Echo": "live-token-9",
            },
        },
    )
    assert _secret_findings(document) == [
        Violation(
            "/responses/0/request/url",
            "query parameter Access_Token keeps a secret; it must read REDACTED",
            "secret",
        ),
        Violation(
            "/responses/0/request/headers/Cookie",
            'header Cookie keeps a real credential; a recording holds the placeholder "REDACTED" '
            "instead: record it again with contract_kit (it redacts), or replace the value, and "
            "revoke the credential",
            "secret",
        ),
        Violation(
            "/responses/0/request/body",
            "parameter client_id in the body keeps a secret; it must read REDACTED",
            "secret",
        ),
        Violation(
            "/responses/0/request/body",
            "parameter code in the body keeps a secret; it must read REDACTED",
            "secret",
        ),
        Violation(
            "/responses/0/response/headers/Location",
            "parameter code in header Location keeps a secret; it must read REDACTED",
            "secret",
        ),
        Violation(
            "/responses/0/response/body",
            "member id_token in the body keeps a secret; it must read REDACTED",
            "secret",
        ),
        Violation(
            "/responses/0/response/headers/X-Echo",
            "header X-Echo repeats a secret this recording keeps elsewhere (its value is not shown); "
            "record it again with contract_kit (it redacts), or replace it, and revoke the "
            "credential",
            "secret",
        ),
    ]


def test_lint_finds_nothing_in_what_recording_wrote(tmp_path: Path) -> None:
    """The same exchanges, recorded (so redacted), hold nothing the rule flags."""
    _saved(tmp_path, _token_call())
    document = parse_yaml((tmp_path / "c.yaml").read_bytes()).value
    assert isinstance(document, dict)
    assert _secret_findings(document) == []
    assert (
        _secret_findings({"responses": [json.loads(json.dumps(e)) for e in document["responses"]]})
        == []
    )


def test_a_replay_mismatch_masks_the_live_token(tmp_path: Path) -> None:
    """The request line and the query difference show REDACTED, never the token sent."""
    path = tmp_path / "home.yaml"
    save_cassette(path, [Exchange("GET", f"{HOME}?product=acp", HOME_HEADERS)], Redactions())
    with (
        pytest.raises(contract_kit.ReplayMismatch) as caught,
        contract_kit.replay_cassette(path),
    ):
        requests.get(f"{HOME}?access_token=ya29.live-token", headers=HOME_HEADERS, timeout=5)
    assert str(caught.value) == (
        f"home.yaml holds no recording of GET {HOME}?access_token=REDACTED; closest: exchange 1 "
        "(GET /data/core/xcore/): query: recorded product=acp, sent access_token=REDACTED; "
        "header accept-encoding: sent, not recorded; header connection: sent, not recorded; "
        "header user-agent: sent, not recorded\n\n"
        "Hint: if the client's request changed on purpose, record the cassette again "
        "(pytest --contract-record=new-episodes)."
    )


def test_a_broken_call_report_masks_the_live_token(tmp_path: Path) -> None:
    """A call that broke the contract is listed with its secrets masked."""
    path = tmp_path / "home.yaml"
    url = f"{HOME}?access_token=ya29.live-token"
    save_cassette(path, [Exchange("GET", url, HOME_HEADERS)], Redactions())
    headers = {**HOME_HEADERS, "Accept": "text/plain"}
    with (
        pytest.raises(contract_kit.ContractViolation) as caught,
        contract_kit.replay_cassette(path),
    ):
        requests.get(url, headers=headers, timeout=5)
    message = str(caught.value)
    assert "ya29.live-token" not in message
    assert message.splitlines()[1] == "- GET /data/core/xcore/?access_token=REDACTED"
