"""Request headers: names are case-insensitive, media types are parsed, secrets stay hidden."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest
from requests.structures import CaseInsensitiveDict

import contract_kit
from contract_kit.core.violation import Violation

RECEIPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer"


class _ReadOnlyHeaders(Mapping[str, str]):
    """A mapping that is not a dict, as HTTP libraries hand them out."""

    def __init__(self, pairs: dict[str, str]) -> None:
        self._pairs = pairs

    def __getitem__(self, key: str) -> str:
        return self._pairs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)


def _with(headers: dict[str, str], **changes: str) -> dict[str, str]:
    updated = {
        k: v
        for k, v in headers.items()
        if k.lower() not in {c.replace("_", "-").lower() for c in changes}
    }
    updated.update({k.replace("_", "-"): v for k, v in changes.items()})
    return updated


def test_headers_in_any_container_and_case(seed_headers: dict[str, str]) -> None:
    """A dict, any mapping, requests' CaseInsensitiveDict or a list of pairs all check alike."""
    upper = {k.upper(): v for k, v in seed_headers.items()}
    as_bytes = [(k, v.encode("latin-1")) for k, v in seed_headers.items()]
    for headers in (
        seed_headers,
        upper,
        _ReadOnlyHeaders(seed_headers),
        CaseInsensitiveDict(seed_headers),
        list(seed_headers.items()),
        tuple(seed_headers.items()),
        as_bytes,
    ):
        assert contract_kit.violations("request-headers", headers) == []


@pytest.mark.parametrize(
    "accept",
    [
        f"{RECEIPT}; version=1",
        f"{RECEIPT};version=1",
        f'{RECEIPT}; version="1"',
        f"{RECEIPT}",
        "APPLICATION/VND.ADOBE.PLATFORM.XCORE.XDM.RECEIPT+JSON; VERSION=1",
        "*/*",
        "*",
        "application/*",
        f"application/json, {RECEIPT}; version=1; q=0.5",
        f"*,{RECEIPT}; version=1",
        "text/html;q=0, */*;q=0.1",
    ],
)
def test_accept_admits_the_receipt(seed_headers: dict[str, str], accept: str) -> None:
    """Accept passes by naming the receipt (version 1 or none) or through a wildcard."""
    assert contract_kit.violations("request-headers", _with(seed_headers, Accept=accept)) == []


@pytest.mark.parametrize(
    ("accept", "message"),
    [
        (
            "application/json",
            (
                'Accept "application/json" does not admit what POST /data/core/xcore/{CONTAINER_ID}/instances answers with; '
                f"send Accept: {RECEIPT}; version=1 (or a wildcard such as */*)"
            ),
        ),
        (
            f"{RECEIPT}; version=2",
            (
                f"Accept asks for version=2 of {RECEIPT}, which this contract does not know; "
                f"send Accept: {RECEIPT}; version=1"
            ),
        ),
        (
            "*/*; q=0",
            (
                'Accept "*/*; q=0" does not admit what POST /data/core/xcore/{CONTAINER_ID}/instances answers with; '
                f"send Accept: {RECEIPT}; version=1 (or a wildcard such as */*)"
            ),
        ),
        (
            "text/html;",
            (
                'Accept "text/html;" does not admit what POST /data/core/xcore/{CONTAINER_ID}/instances answers with; '
                f"send Accept: {RECEIPT}; version=1 (or a wildcard such as */*)"
            ),
        ),
        (
            "application/json; charset=",
            (
                "Accept is not a list of media ranges: expected a value for charset at character 27 "
                'of "application/json; charset="'
            ),
        ),
    ],
)
def test_accept_violations(seed_headers: dict[str, str], accept: str, message: str) -> None:
    """An Accept that cannot lead to the receipt is one violation saying what to send."""
    found = contract_kit.violations("request-headers", _with(seed_headers, Accept=accept))
    assert found == [Violation("/accept", message, "accept")]


def test_accept_with_a_bad_weight(seed_headers: dict[str, str]) -> None:
    """A q outside 0 to 1 is named even when another range admits the receipt."""
    found = contract_kit.violations("request-headers", _with(seed_headers, Accept="*/*;q=2"))
    message = "q=2 in Accept is not a weight from 0 to 1 with at most 3 decimals"
    assert found == [Violation("/accept", message, "accept")]


@pytest.mark.parametrize(
    "content_type",
    [
        f'application/schema-instance+json; version=1;  schema="{SCHEMA};version=0.1"',
        f'application/schema-instance+json;schema="{SCHEMA};version=0.1";version=1',
        f'Application/Schema-Instance+JSON ; Version="1" ; Schema="{SCHEMA};version=0.1"',
        f'application/schema-instance+json; version=1; schema="{SCHEMA};version=0.5"',
        f'application/vnd.adobe.platform.xcore.hal+json; version=1; schema="{SCHEMA};version=0.1"',
        f'application/schema-instance+json; version=1; schema="{SCHEMA}\\;version=0.1"',
    ],
)
def test_content_type_forms_that_pass(seed_headers: dict[str, str], content_type: str) -> None:
    """Order, spacing, case and quoting of parameters vary freely; the meaning is what counts."""
    headers = _with(seed_headers, Content_Type=content_type)
    assert contract_kit.violations("request-headers", headers) == []


_WANTED = f'application/schema-instance+json; version=1; schema="{SCHEMA};version=0.1"'
_ANY = 'schema="https://ns.adobe.com/experience/offer-management/<kind>;version=<version>"'


@pytest.mark.parametrize(
    ("content_type", "rule", "message"),
    [
        (
            "application/json",
            "content-type",
            (
                'Content-Type "application/json" is not one POST /data/core/xcore/{CONTAINER_ID}/instances accepts; send '
                f"Content-Type: application/schema-instance+json; version=1; {_ANY} (or "
                "application/vnd.adobe.platform.xcore.hal+json, same parameters)"
            ),
        ),
        (
            f"application/schema-instance+json; version=1; schema={SCHEMA};version=0.1",
            "content-type",
            (
                "the schema parameter's value holds ':', '/' and ';', so it must be quoted; send "
                f"Content-Type: {_WANTED}"
            ),
        ),
        (
            "application/schema-instance+json; version=1",
            "content-type",
            f"Content-Type has no schema parameter; add {_ANY}",
        ),
        (
            f'application/schema-instance+json; schema="{SCHEMA};version=0.1"',
            "version-param",
            (
                "Content-Type has no version parameter; the service takes that, but the docs send "
                f"version=1: send Content-Type: {_WANTED}"
            ),
        ),
        (
            f'application/schema-instance+json; version=1; version=1; schema="{SCHEMA};version=0.1"',
            "content-type",
            (
                'Content-Type gives the version parameter twice: a schema value holding ";version=" '
                f'must be in double quotes, as in schema="{SCHEMA};version=0.1"'
            ),
        ),
        (
            f'application/schema-instance+json; version=1; schema="{SCHEMA};version=0.2"',
            "content-type",
            (
                "the Content-Type schema parameter names version 0.2 of the fallback-offer schema; "
                "the API documents 0.1 or 0.5"
            ),
        ),
        (
            f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
            "schema-version",
            (
                f'the Content-Type schema parameter "{SCHEMA}" names no version; the service '
                f'takes that, but the docs name one: send schema="{SCHEMA};version=0.1"'
            ),
        ),
        (
            (
                'application/schema-instance+json; version=1; schema="https://ns.adobe.com/'
                "experience/offer-management/personalized-offer;version=0.5 "
                'https://ns.adobe.com/experience/offer-management/tag;version=0.1"'
            ),
            "schema-mismatch",
            (
                "the Content-Type schema parameter names 2 kinds (personalized-offer, tag); the "
                "body is one: name its schema alone"
            ),
        ),
        (
            (
                'application/schema-instance+json; version=1; schema="https://ns.adobe.com/'
                'experience/offer-management/offer;version=0.5"'
            ),
            "content-type",
            (
                'the Content-Type schema parameter "https://ns.adobe.com/experience/'
                'offer-management/offer;version=0.5" names no kind the Offer Library stores '
                "(contract-kit kinds lists them); send "
                f"{_ANY}"
            ),
        ),
        (
            f'application/schema-instance+json; version=1; schema="{SCHEMA};version=0.1',
            "content-type",
            (
                "Content-Type is not a media type: unterminated quoted string at character 129 of "
                f'"application/schema-instance+json; version=1; schema=\\"{SCHEMA};version=0.1"; '
                f"send Content-Type: {_WANTED}"
            ),
        ),
    ],
)
def test_content_type_violations(
    seed_headers: dict[str, str], content_type: str, rule: str, message: str
) -> None:
    """Each way a Content-Type goes wrong says what to send instead."""
    found = contract_kit.violations(
        "request-headers", _with(seed_headers, Content_Type=content_type)
    )
    assert found == [Violation("/content-type", message, rule)]


def test_secrets_never_appear_in_messages(seed_headers: dict[str, str]) -> None:
    """Tokens and keys are masked even in the violations their own headers cause."""
    headers = _with(
        seed_headers,
        Authorization="Token s3cr3t-t0ken value",
        x_api_key="sk live/s3cr3t",
    )
    found = contract_kit.violations("request-headers", headers)
    assert found == [
        Violation(
            "/authorization",
            '"Token …" (credentials hidden) is not "Bearer " followed by an access token',
            "authorization",
        ),
        Violation(
            "/x-api-key",
            "a value of 14 characters (hidden) is not an API key (the client id of the "
            "integration: letters, digits, '.', '_' or '-')",
            "api-key",
        ),
    ]
    assert all("s3cr3t" not in v.message for v in found)


def test_duplicate_names_in_pairs(seed_headers: dict[str, str]) -> None:
    """The same header twice is one violation at its lower-cased pointer; the first value counts."""
    pairs = [*seed_headers.items(), ("ACCEPT", "text/html"), ("x-sandbox-name", "prod")]
    assert contract_kit.violations("request-headers", pairs) == [
        Violation(
            "/accept",
            'header accept is sent twice, as "Accept" and as "ACCEPT"; header names are '
            "case-insensitive, so the server sees one of the two values: send it once",
            "duplicate-header",
        ),
        Violation(
            "/x-sandbox-name",
            "header x-sandbox-name is sent twice; header names are case-insensitive, so the "
            "server sees one of the two values: send it once",
            "duplicate-header",
        ),
    ]


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (
            None,
            "expected a mapping of header names to values, or a list of (name, value) pairs, got null",
        ),
        (
            "Accept: */*",
            "expected a mapping of header names to values, or a list of (name, value) pairs, got a string",
        ),
        ([("Accept",)], "item 0 is not a (name, value) pair with a string name"),
    ],
)
def test_values_that_are_not_headers(headers: object, message: str) -> None:
    """Input that is not headers at all is reported at the root, not raised."""
    assert Violation("", message, "type") in contract_kit.violations("request-headers", headers)


def test_a_missing_header_points_at_a_misspelling(seed_headers: dict[str, str]) -> None:
    """A required header that is absent names a present look-alike."""
    headers = _with(seed_headers)
    headers["x-api_key"] = headers.pop("x-api-key")
    assert contract_kit.violations("request-headers", headers) == [
        Violation(
            "/x-api-key",
            'required header "x-api-key" is missing (found "x-api_key": a misspelling?)',
            "required",
        )
    ]


def test_a_header_value_that_is_not_a_string(seed_headers: dict[str, str]) -> None:
    """A non-string value is a type violation at its header, secrets still hidden."""
    headers: dict[str, object] = dict(_with(seed_headers))
    headers["x-api-key"] = 12345
    del headers["x-sandbox-name"]
    headers["X-Sandbox-Name"] = 7
    assert contract_kit.violations("request-headers", headers) == [
        Violation(
            "/x-api-key",
            "expected an API key (the client id of the integration: letters, digits, '.', '_' "
            "or '-'), got an integer",
            "type",
        ),
        Violation(
            "/x-sandbox-name",
            'expected a sandbox name in lower case, such as "prod" or "dev-1" (omit the header '
            "for prod), got an integer (7)",
            "type",
        ),
    ]
