"""check_request of every stored kind: create, PUT, PATCH, lookup and search, named by the table."""

from __future__ import annotations

from typing import Any

import pytest

import contract_kit
from contract_kit.api.request_check import check_call
from contract_kit.core.checks import violations
from contract_kit.core.object_kinds import ObjectKind, documented_body, object_kind, object_kinds

CONTAINER = "https://platform.adobe.io/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6"
INSTANCE = f"{CONTAINER}/instances/b3966680-13ec-11eb-9c20-8323709cfc65"
CREDENTIALS = {
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl",
    "x-api-key": "4a6f3c1d2e8b4f0a9c7d5e3b1a2f4c6d",
    "x-gw-ims-org-id": "0123456789ABCDEF01234567@AdobeOrg",
}
RECEIPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"
HAL = "application/vnd.adobe.platform.xcore.hal+json"
KINDS = [kind.name for kind in object_kinds()]


def _bare(kind: ObjectKind) -> dict[str, Any]:
    body = documented_body(kind.name)
    inner: dict[str, Any] = body.get("_instance", body)
    return inner


def _write(
    kind: ObjectKind, media_type: str = "application/schema-instance+json"
) -> dict[str, str]:
    content_type = f'{media_type}; version=1; schema="{kind.request_schema}"'
    return {**CREDENTIALS, "Accept": RECEIPT, "Content-Type": content_type}


def _errors(found: list[contract_kit.Violation]) -> list[tuple[str, str]]:
    return [(v.pointer, v.rule) for v in found if v.is_error]


def _as_body(kind: ObjectKind, body: object) -> list[contract_kit.Violation]:
    return [v.under("/body") for v in violations(kind.body_kind, body)]


@pytest.mark.parametrize("name", KINDS)
@pytest.mark.parametrize("envelope", [False, True], ids=["bare", "hal"])
def test_a_documented_create_of_every_kind_passes(name: str, *, envelope: bool) -> None:
    """The documented body, bare or in its envelope, is checked as the kind the call names."""
    kind = object_kind(name)
    body: dict[str, Any] = {"_instance": _bare(kind), "_links": {}} if envelope else _bare(kind)
    check = check_call("POST", f"{CONTAINER}/instances", _write(kind), body)
    assert (check.body_kind, check.kind) == (kind.body_kind, kind)
    assert _errors(check.violations) == []
    assert check.violations == _as_body(kind, body)


@pytest.mark.parametrize("name", KINDS)
def test_a_create_body_breaking_its_kind_is_reported_as_that_kind(name: str) -> None:
    """A name that is not a string is the kind's own type violation, under /body."""
    kind = object_kind(name)
    body = {**_bare(kind), "xdm:name": 7}
    found = contract_kit.check_request("POST", f"{CONTAINER}/instances", _write(kind), body)
    assert ("/body/xdm:name", "type") in _errors(found)


@pytest.mark.parametrize("name", KINDS)
def test_a_put_of_every_kind_passes(name: str) -> None:
    """A PUT naming the kind, in the HAL media type, passes with the documented body."""
    kind = object_kind(name)
    body = {"_instance": _bare(kind), "_links": {}}
    found = contract_kit.check_request("PUT", INSTANCE, _write(kind, HAL), body)
    assert found == _as_body(kind, body)


@pytest.mark.parametrize("name", KINDS)
def test_a_put_without_schema_is_checked_as_the_kind_its_body_shows(name: str) -> None:
    """Postman's PUT names no schema: the body's members tell its kind (a version-param warning)."""
    kind = object_kind(name)
    headers = {**_write(kind), "Content-Type": "application/schema-instance+json; version=1"}
    check = check_call("PUT", INSTANCE, headers, _bare(kind))
    assert check.body_kind == kind.body_kind
    assert check.violations == _as_body(kind, _bare(kind))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"offerui:note": "free"}, []),
        ({"_instance": {"offerui:note": "free"}, "_links": {}}, []),
        ([], [("/body", "type")]),
        ({"_instance": "offer", "_links": {}}, [("/body/_instance", "type")]),
    ],
)
def test_a_put_whose_kind_cannot_be_told_is_checked_as_json_in_its_envelope(
    body: object, expected: list[tuple[str, str]]
) -> None:
    """Without a schema parameter or members that tell the kind, only the envelope is checked."""
    headers = {**CREDENTIALS, "Accept": RECEIPT}
    headers["Content-Type"] = "application/schema-instance+json; version=1"
    check = check_call("PUT", INSTANCE, headers, body)
    assert check.body_kind is None
    assert [(v.pointer, v.rule) for v in check.violations] == expected


@pytest.mark.parametrize("name", KINDS)
def test_a_patch_of_every_kind_passes(name: str) -> None:
    """A patch names the stored kind's schema; the patch itself is the same for every kind."""
    kind = object_kind(name)
    headers = _write(kind, "application/vnd.adobe.platform.xcore.patch.hal+json")
    patch = [{"op": "replace", "path": "/_instance/xdm:name", "value": "Renamed"}]
    check = check_call("PATCH", INSTANCE, headers, patch)
    assert (check.violations, check.kind) == ([], kind)


@pytest.mark.parametrize("name", KINDS)
@pytest.mark.parametrize("path", ["instances", "queries/core/search"])
def test_a_lookup_or_search_of_every_kind_passes(name: str, path: str) -> None:
    """schema= names the kind, id carries its prefix: nothing to report."""
    kind = object_kind(name)
    url = f"{CONTAINER}/{path}?schema={kind.request_schema}&id={kind.id_prefix}124e0be5699743d3"
    check = check_call("GET", url, {**CREDENTIALS, "Accept": HAL}, None)
    assert (check.violations, check.kind) == ([], kind)


@pytest.mark.parametrize("name", KINDS)
def test_a_lookup_id_of_another_kind_matches_nothing(name: str) -> None:
    """An @id of another stored kind is query-mismatch, whose message names the kind asked for."""
    kind = object_kind(name)
    other = next(k for k in object_kinds() if k != kind)
    url = f"{CONTAINER}/instances?schema={kind.request_schema}&id={other.id_prefix}1"
    found = contract_kit.check_request("GET", url, {**CREDENTIALS, "Accept": HAL}, None)
    assert found == [
        contract_kit.Violation(
            "/query/id",
            f'id="{other.id_prefix}1" is an @id of kind {other.name}, but schema= names the '
            f"{kind.name} schema, so it matches nothing: send the @id of a {kind.title.lower()}",
            "query-mismatch",
        )
    ]


@pytest.mark.parametrize("name", KINDS)
def test_a_version_less_schema_of_every_kind_warns_with_its_request_version(name: str) -> None:
    """Aepctl's version-less schema= is resolved, and the message suggests the request version."""
    kind = object_kind(name)
    url = f"{CONTAINER}/queries/core/search?schema={kind.schema_id}"
    found = contract_kit.check_request("GET", url, {**CREDENTIALS, "Accept": HAL}, None)
    assert [(v.pointer, v.rule) for v in found] == [("/query/schema", "schema-version")]
    assert found[0].message.endswith(f"send schema={kind.request_schema}")


@pytest.mark.parametrize("name", KINDS)
def test_a_version_the_table_lacks_is_refused_for_every_kind(name: str) -> None:
    """A ;version= the kind's entry does not list is a content-type error naming its versions."""
    kind = object_kind(name)
    headers = _write(kind)
    headers["Content-Type"] = headers["Content-Type"].replace(kind.request_version, "9.9")
    found = contract_kit.check_request("POST", f"{CONTAINER}/instances", headers, _bare(kind))
    assert [v for v in found if v.pointer == "/headers/content-type"] == [
        contract_kit.Violation(
            "/headers/content-type",
            f"the Content-Type schema parameter names version 9.9 of the {kind.name} schema; "
            f"the API documents {' or '.join(kind.versions)}",
            "content-type",
        )
    ]


def test_a_create_naming_no_kind_is_told_the_kind_its_body_shows() -> None:
    """Without a schema parameter, the message suggests the schema of the body's kind."""
    kind = object_kind(KINDS[0])
    headers = {**_write(kind), "Content-Type": "application/schema-instance+json; version=1"}
    found = contract_kit.check_request("POST", f"{CONTAINER}/instances", headers, _bare(kind))
    assert found == [
        contract_kit.Violation(
            "/headers/content-type",
            f'Content-Type has no schema parameter; add schema="{kind.request_schema}"',
            "content-type",
        )
    ]
