"""What the fake's tests send: the credentials, the media types and the URLs, in one place."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from contract_kit.fake.store import DEFAULT_CONTAINER, DEFAULT_PLACEMENT

if TYPE_CHECKING:
    from contract_kit.fake import FakeResponse, OfferLibrary

ROOT = "https://platform.adobe.io/data/core/xcore"
BASE = f"{ROOT}/{DEFAULT_CONTAINER}"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
#: The three headers every call carries (a well-formed token, key and organization).
CREDENTIALS = (
    ("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
    ("x-api-key", "4a6f3c1d2e8b4f0a"),
    ("x-gw-ims-org-id", "0123ABCD@AdobeOrg"),
)
HOME = ("Accept", "application/vnd.adobe.platform.xcore.home.hal+json")
HAL = ("Accept", "application/vnd.adobe.platform.xcore.hal+json")
RECEIPT = ("Accept", "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1")
CREATE_TYPE = ("Content-Type", f'application/schema-instance+json; version=1; schema="{SCHEMA}"')
#: The container of the second sandbox the tests name (the previewer's recorded sandbox1).
DEV = "8a4838ca-dc7c-31d8-9983-2fbb0c224f3a"
PATCH_TYPE = ("Content-Type", "application/vnd.adobe.platform.xcore.patch.hal+json; version=1")


def write_type(kind: str) -> tuple[str, str]:
    """The Content-Type of a create or PUT of ``kind``, naming its request version."""
    from contract_kit.core.object_kinds import object_kind

    schema = object_kind(kind).request_schema
    return ("Content-Type", f'application/schema-instance+json; version=1; schema="{schema}"')


def send(
    fake: OfferLibrary, method: str, url: str, *headers: tuple[str, str], body: object = None
) -> FakeResponse:
    """One call to the fake with the credentials, as a client would make it."""
    from contract_kit.fake import FakeRequest

    data = b"" if body is None else json.dumps(body).encode()
    return fake.handle(FakeRequest(method, url, (*CREDENTIALS, *headers), data))


def bare(body: dict[str, Any]) -> dict[str, Any]:
    """A body's members, out of the HAL envelope if it has one."""
    inner: dict[str, Any] = body.get("_instance", body)
    return inner


def documented_seeds() -> list[tuple[str, dict[str, Any]]]:
    """What the documented bodies name, each a documented body of its kind under that @id.

    In reference order, without the default placement (every fake holds it): seeded, they let
    every kind's documented body be created as it stands.
    """
    from contract_kit.core.object_kinds import (
        documented_body,
        insertion_order,
        kind_of_id,
        reference_values,
    )

    named = {
        reference.target
        for kind in insertion_order()
        for reference in reference_values(kind, bare(documented_body(kind)))
    }
    seeds = [
        (kind, {**bare(documented_body(kind)), "@id": at_id})
        for kind in insertion_order()
        for at_id in sorted(named)
        if getattr(kind_of_id(at_id), "name", None) == kind and at_id != DEFAULT_PLACEMENT
    ]
    # The decision's fallback must fit its placements too: one representation for each.
    decision = bare(documented_body("offer-activity"))
    wanted = [p for c in decision["xdm:criteria"] for p in c.get("xdm:placements", [])]
    for _, body in seeds:
        if body["@id"] == decision["xdm:fallback"]:
            first = body["xdm:representations"][0]
            body["xdm:representations"] += [{**first, "xdm:placement": p} for p in wanted]
    return seeds


def seed_documented(fake: OfferLibrary) -> dict[str, str]:
    """Store :func:`documented_seeds`; return the instanceId of each @id stored."""
    return {body["@id"]: fake.add(kind, body) for kind, body in documented_seeds()}
