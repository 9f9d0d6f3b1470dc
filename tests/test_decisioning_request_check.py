"""The decision call's request check: headers as the Swagger and AJO send them, then the body."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from decisioning_library import HEADERS

from contract_kit.api.decision_request import check_decision_request
from contract_kit.core.rule_catalogue import severity_of

CASES = Path(__file__).parent / "cases" / "decision-request"
REQUEST = '"https://ns.adobe.com/experience/offer-management/decision-request;version=1.0"'
RESPONSE = '"https://ns.adobe.com/experience/offer-management/decision-response;version=1.0"'
BODY = json.loads((CASES / "valid" / "ajo-ods-example.json").read_text("utf-8"))


def _found(headers: dict[str, str], body: object = BODY, **options: object) -> list[str]:
    return [str(v) for v in check_decision_request(headers, body, **options)]  # type: ignore[arg-type]


def test_the_documented_call_passes() -> None:
    """AJO's curl headers (x-request-id ending in -example) with its body: nothing to report."""
    assert _found(HEADERS) == []


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        f"application/vnd.adobe.xdm+json;schema={REQUEST.replace('1.0', '0.9')}",
        f"Application/Vnd.Adobe.Xdm+Json ; schema={REQUEST}",
    ],
)
def test_the_three_content_type_forms_are_taken(content_type: str) -> None:
    """The Swagger's consumes list: JSON, or the XDM type with version 1.0 or 0.9."""
    assert _found({**HEADERS, "Content-Type": content_type}) == []


@pytest.mark.parametrize("accept", ["application/json", "*/*", "application/vnd.adobe.xdm+json"])
def test_accept_admits_json_wildcards_and_the_response_type(accept: str) -> None:
    """Accept may be JSON, a wildcard, or the XDM type without or with the response schema."""
    assert _found({**HEADERS, "Accept": accept}) == []


def test_every_header_mistake_is_reported_at_its_header() -> None:
    """No request id, a foreign Content-Type and an Accept naming another schema: one each."""
    headers = {
        **HEADERS,
        "Content-Type": "text/plain",
        "Accept": 'application/vnd.adobe.xdm+json; schema="x"',
    }
    del headers["x-request-id"]
    accept = (
        '/headers/accept: Accept "application/vnd.adobe.xdm+json; schema=\\"x\\"" does not admit '
        f"the decision response; send Accept: application/vnd.adobe.xdm+json; schema={RESPONSE} [accept]"
    )
    content_type = (
        '/headers/content-type: Content-Type "text/plain" is not one the decision call takes; '
        f"send Content-Type: application/vnd.adobe.xdm+json; schema={REQUEST} [content-type]"
    )
    request_id = (
        '/headers/x-request-id: header "x-request-id" is missing; the Swagger requires one, but '
        "the previewer decides without it: send a value unique per request [request-id-missing]"
    )
    assert _found(headers) == [accept, content_type, request_id]


def test_a_content_type_of_another_version_is_refused() -> None:
    """Only versions 1.0 and 0.9 of the request schema are documented."""
    content_type = f"application/vnd.adobe.xdm+json; schema={REQUEST.replace('1.0', '2.0')}"
    message = (
        '/headers/content-type: Content-Type names decision-request version "2.0", not 1.0 or '
        f"0.9; send Content-Type: application/vnd.adobe.xdm+json; schema={REQUEST} [content-type]"
    )
    assert _found({**HEADERS, "Content-Type": content_type}) == [message]


def test_a_reused_request_id_is_only_a_warning() -> None:
    """The docs want one id per request, but the service's answer does not depend on it."""
    (violation,) = check_decision_request(HEADERS, BODY, seen_request_ids={HEADERS["x-request-id"]})
    assert (violation.rule, severity_of(violation.rule)) == (
        "request-id-reused",
        "warning",
    )


def test_an_empty_request_id_is_refused() -> None:
    """A request id is a non-empty string of visible ASCII."""
    message = '/headers/x-request-id: x-request-id " " is not a non-empty string of visible ASCII'
    assert _found({**HEADERS, "x-request-id": " "}) == [f"{message} [request-id]"]


def test_the_body_is_checked_after_the_headers_and_read_from_bytes() -> None:
    """Bytes are parsed as strict JSON; the schema's findings come at /body pointers."""
    body = dict(BODY, **{"xdm:dryrun": True, "xdm:propositionRequests": []})
    typo = (
        '/body/xdm:dryrun: unknown member "xdm:dryrun": the contract defines no such member in '
        'the "xdm:" namespace; did you mean "xdm:dryRun"? [unknown-key]'
    )
    empty = "/body/xdm:propositionRequests: expected at least 1 item, got none [proposition-count]"
    assert _found(HEADERS, json.dumps(body).encode()) == [typo, empty]


def test_a_body_that_is_not_json_says_where_it_breaks() -> None:
    """Text that does not parse is one json violation, never a traceback."""
    message = (
        "/body: the body is not JSON: Expecting property name enclosed in double quotes "
        "(line 1, column 2) [json]"
    )
    assert _found(HEADERS, b"{") == [message]


def test_members_named_with_non_ascii_digits_are_reported_not_raised() -> None:
    """Schemathesis sent proposition requests with members "²²" and "٣": unknown, never a crash."""
    body = json.loads(json.dumps(BODY))
    body["xdm:propositionRequests"][0]["²²"] = {}
    body["xdm:propositionRequests"][0]["٣"] = []
    found = _found(HEADERS, body)
    assert [line.rsplit(" [", 1)[1] for line in found] == ["unknown-key]", "unknown-key]"]
    assert found[0] == (
        '/body/xdm:propositionRequests/0/²²: unknown member "²²": the contract defines no such '
        "member here; members of other kinds or vendor extensions belong in a namespace of their "
        'own (e.g. "acme:") [unknown-key]'
    )
    assert found[1].startswith('/body/xdm:propositionRequests/0/٣: unknown member "٣": ')
