"""The table of stored kinds (``object-kinds.json``) holds together with the bundle."""

from __future__ import annotations

import pytest

from contract_kit.core import object_kinds
from contract_kit.core.schema_bundle import kinds
from contract_kit.errors import UnknownKindError

NAMES = [kind.name for kind in object_kinds.object_kinds()]


def test_the_table_holds_the_seven_kinds_the_offer_library_stores() -> None:
    """Seven kinds, each named once."""
    assert sorted(NAMES) == [
        "eligibility-rule",
        "fallback-offer",
        "offer-activity",
        "offer-filter",
        "offer-placement",
        "personalized-offer",
        "tag",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_each_kind_has_its_schema_files_and_a_documented_body(name: str) -> None:
    """A kind is its entry plus a body schema, an instance schema and an example body."""
    kind = object_kinds.object_kind(name)
    assert {kind.body_kind, kind.instance_kind} <= set(kinds())
    assert isinstance(object_kinds.documented_body(name), dict)
    assert kind.request_version in kind.versions
    assert kind.id_prefix == f"xcore:{name}:"
    assert kind.schema_id == f"https://ns.adobe.com/experience/offer-management/{name}"


def test_references_name_kinds_of_the_table() -> None:
    """Every kind a reference may name is in the table."""
    for kind in object_kinds.object_kinds():
        for reference in kind.references:
            targets = set(reference.kinds)
            if reference.when is not None:
                targets.update(*reference.when[1].values())
            assert targets <= set(NAMES), (kind.name, reference)


def test_insertion_order_puts_every_referenced_kind_first() -> None:
    """Seeding in this order never meets a reference to a kind not yet inserted."""
    order = object_kinds.insertion_order()
    assert sorted(order) == sorted(NAMES)
    for kind in object_kinds.object_kinds():
        for reference in kind.references:
            for target in reference.kinds:
                assert order.index(target) < order.index(kind.name)


def test_reference_values_follow_stars_and_the_filter_type() -> None:
    """An offers collection names personalized offers; a tag collection names tags."""
    offers = {"xdm:filterType": "offers", "xdm:ids": ["xcore:personalized-offer:1", 7]}
    assert list(object_kinds.reference_values("offer-filter", offers)) == [
        object_kinds.ReferenceValue(
            "/xdm:ids/0", "xcore:personalized-offer:1", ("personalized-offer",)
        )
    ]
    decision = object_kinds.documented_body("offer-activity")["_instance"]
    assert [
        value.pointer for value in object_kinds.reference_values("offer-activity", decision)
    ] == [
        "/xdm:criteria/0/xdm:placements/0",
        "/xdm:criteria/0/xdm:optionSelection/xdm:filter",
        "/xdm:fallback",
    ]


def test_who_may_reference_a_fallback_offer() -> None:
    """Only a decision names a fallback offer."""
    assert [kind for kind, _ in object_kinds.referrers("fallback-offer")] == ["offer-activity"]


def test_kinds_are_found_by_schema_id_and_by_id() -> None:
    """A schema id with or without its version, and an ``@id`` by its prefix."""
    tag = object_kinds.object_kind("tag")
    assert object_kinds.kind_of_schema_id(tag.schema_id) is tag
    assert object_kinds.kind_of_schema_id(tag.request_schema) is tag
    assert object_kinds.kind_of_id("xcore:tag:124e147572cd7866") is tag
    assert object_kinds.kind_of_id("xcore:container:1") is None
    assert object_kinds.kind_of_id("tag:1") is None


def test_an_unknown_kind_lists_the_known_ones() -> None:
    """A misspelt kind gets a did-you-mean."""
    with pytest.raises(UnknownKindError, match='did you mean "offer-placement"'):
        object_kinds.object_kind("offer-placment")
