"""The schema parts that follow from the table of stored kinds are up to date, and dispatch."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

import contract_kit
from contract_kit.core.object_kinds import object_kind, object_kinds

SCRIPT = Path(__file__).parent.parent / "scripts" / "generate_dispatch.py"
CASES = Path(__file__).parent / "cases"
STORED = "2020-09-16T17:41:23.316486Z"


def test_the_generated_schema_parts_match_the_table() -> None:
    """scripts/generate_dispatch.py would change nothing: receipt and page follow the table."""
    script = runpy.run_path(str(SCRIPT))
    for name, schema in script["generated"]().items():
        text = (Path(script["SCHEMAS"]) / name).read_text("utf-8")
        assert text == script["text"](schema), f"schemas/{name} is stale"


def _receipt(at_id: str) -> dict[str, object]:
    return {
        "instanceId": "b3966680-13ec-11eb-9c20-8323709cfc65",
        "@id": at_id,
        "repo:etag": 1,
        "repo:createdDate": STORED,
        "repo:lastModifiedDate": STORED,
        "repo:createdBy": "{CREATED_BY}",
        "repo:lastModifiedBy": "{MODIFIED_BY}",
        "repo:createdByClientId": "{CREATED_CLIENT_ID}",
        "repo:lastModifiedByClientId": "{MODIFIED_CLIENT_ID}",
    }


@pytest.mark.parametrize("name", [kind.name for kind in object_kinds()])
def test_a_receipt_takes_the_id_of_every_stored_kind(name: str) -> None:
    """A write of any kind is answered with a receipt naming that kind's @id."""
    assert contract_kit.violations("receipt", _receipt(f"xcore:{name}:124e2e764b1ac1b9")) == []


def test_a_receipt_refuses_an_id_of_no_stored_kind() -> None:
    """An @id of a kind the Offer Library does not store is xcore-id."""
    found = contract_kit.violations("receipt", _receipt("xcore:offer:124e2e764b1ac1b9"))
    assert [(v.pointer, v.rule) for v in found] == [("/@id", "xcore-id")]


def _stored(kind_name: str, instance: dict[str, object]) -> dict[str, object]:
    kind = object_kind(kind_name)
    template = CASES / kind.instance_kind / "valid"
    stored: dict[str, object] = json.loads(next(template.glob("*.json")).read_text("utf-8"))
    return {**stored, "_instance": {**instance, "@id": f"{kind.id_prefix}122206064e0d98df"}}


def _page(*items: dict[str, object]) -> dict[str, object]:
    return {
        "_embedded": {"results": list(items), "total": len(items), "count": len(items)},
        "_links": {"self": {"href": "/e0bd8463-0913-4ca1-bd84-6309134ca1f6/queries/core/search"}},
    }


def test_each_result_is_checked_as_the_kind_its_schemas_names() -> None:
    """A tag and a placement on one page each pass as their own kind; a bad tag is found."""
    tag = _stored("tag", {"xdm:name": "Holiday"})
    placement = _stored(
        "offer-placement",
        {
            "xdm:name": "Web",
            "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
            "xdm:componentType": "https://ns.adobe.com/experience/offer-management/"
            "content-component-html",
        },
    )
    assert contract_kit.violations("search-results", _page(tag, placement)) == []
    bad = _stored("tag", {"xdm:name": 7})
    found = contract_kit.violations("search-results", _page(placement, bad))
    assert [(v.pointer, v.rule) for v in found] == [
        ("/_embedded/results/1/_instance/xdm:name", "type")
    ]


def test_a_result_of_no_stored_kind_is_a_schema_id_violation() -> None:
    """An item whose schemas names no stored kind is reported at its schemas[0]."""
    item = {**_stored("tag", {"xdm:name": "Holiday"}), "schemas": ["https://example.com/x"]}
    found = contract_kit.violations("search-results", _page(item))
    assert [(v.pointer, v.rule) for v in found] == [("/_embedded/results/0/schemas/0", "schema-id")]
