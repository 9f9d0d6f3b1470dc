"""The store's own rules, for every kind: references, deletes of referenced objects, tag names."""

from __future__ import annotations

from typing import Any

import pytest
from fake_calls import BASE, HAL, RECEIPT, seed_documented, send, write_type

import contract_kit
from contract_kit.core.object_kinds import documented_body, insertion_order, object_kind
from contract_kit.fake import OfferLibrary
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.store import DEFAULT_CONTAINER, DEFAULT_PLACEMENT

FALLBACK = "xcore:fallback-offer:13c259399d8bf013"
PLACEMENT = "xcore:offer-placement:1457f9322f005194"
TAG = "xcore:tag:124e147572cd7866"


def _library(**options: Any) -> OfferLibrary:
    fake = OfferLibrary(OfferLibraryOptions(**options))
    seed_documented(fake)
    return fake


def _with_decision(**options: Any) -> tuple[OfferLibrary, str]:
    """A library holding the documented decision, and everything it names."""
    fake = _library(**options)
    return fake, fake.add("offer-activity", documented_body("offer-activity"))


def _instance_id(fake: OfferLibrary, at_id: str) -> str:
    return next(i for i, e in fake.all_instances.items() if e["_instance"]["@id"] == at_id)


def test_every_kind_is_stored_in_its_own_envelope() -> None:
    """Each kind's documented body is stored with its stored schema and its own @id prefix."""
    fake = _library()
    for kind in insertion_order():
        instance_id = fake.add(kind, documented_body(kind)) if kind != "tag" else None
        if instance_id is None:
            continue
        envelope = fake.instances_of(kind)[instance_id]
        assert envelope["schemas"] == [object_kind(kind).stored_schema]
        assert envelope["_instance"]["@id"].startswith(object_kind(kind).id_prefix)
        assert envelope["_links"]["self"]["@type"] == object_kind(kind).stored_schema
        contract_kit.assert_valid(object_kind(kind).instance_kind, envelope)
    assert all(
        e["schemas"][0].split(";")[0].endswith("fallback-offer") for e in fake.instances.values()
    )
    assert len(fake.all_instances) == sum(len(fake.instances_of(k)) for k in insertion_order())


def test_the_default_placement_is_a_stored_placement() -> None:
    """A new fake holds the documented placement under the seed's @id, in every sandbox."""
    fake = OfferLibrary()
    fake.add_sandbox("dev")
    for sandbox in ("prod", "dev"):
        (placement,) = fake.instances_of("offer-placement", sandbox=sandbox).values()
        assert placement["_instance"] == {
            **documented_body("offer-placement"),
            "@id": DEFAULT_PLACEMENT,
        }
    assert fake.placement_ids() == [DEFAULT_PLACEMENT]
    assert fake.instances == {}


def test_a_dangling_reference_is_a_422_naming_it(seed_body: dict[str, Any]) -> None:
    """A create naming a tag the container lacks is refused, and recorded as a violation."""
    fake = OfferLibrary()
    body = {**seed_body, "xdm:tags": ["xcore:tag:abc"]}
    refused = send(
        fake, "POST", f"{BASE}/instances", RECEIPT, write_type("fallback-offer"), body=body
    )
    message = (
        f"/xdm:tags/0 names xcore:tag:abc, which is not a tag in container {DEFAULT_CONTAINER}; "
        "create it first (in tests: offer_library.add(...))"
    )
    assert (refused.status, refused.json()["detail"]) == (422, message)
    assert refused.json()["report"]["violations"] == [
        {"pointer": "/body/xdm:tags/0", "rule": "reference", "message": message}
    ]
    assert [(v.pointer, v.rule) for _, v in fake.violations] == [("/body/xdm:tags/0", "reference")]
    assert fake.instances == {}


def test_check_references_off_stores_what_names_nothing(seed_body: dict[str, Any]) -> None:
    """With check_references=False a dangling tag is stored as sent."""
    fake = OfferLibrary(OfferLibraryOptions(check_references=False))
    body = {**seed_body, "xdm:tags": ["xcore:tag:abc"]}
    created = send(
        fake, "POST", f"{BASE}/instances", RECEIPT, write_type("fallback-offer"), body=body
    )
    assert created.status == 201
    assert fake.violations == []


def test_seeding_refuses_a_dangling_reference() -> None:
    """add() names the member and the missing object, and stores nothing."""
    fake = OfferLibrary()
    with pytest.raises(contract_kit.ContractViolation) as caught:
        fake.add("offer-filter", documented_body("offer-filter"))
    assert str(caught.value).splitlines() == [
        "offer_library.add('offer-filter', ...): the fake cannot store it (1 problem):",
        (
            f"- /xdm:ids/0: /xdm:ids/0 names {TAG}, which is not a tag in container "
            f"{DEFAULT_CONTAINER}; create it first (in tests: offer_library.add(...)) [reference]"
        ),
        "",
        (
            "Hint: add the objects it names first (offer_library.add), give each tag a name of its "
            "own, or set check_references=False to store it as it is."
        ),
    ]
    assert fake.instances_of("offer-filter") == {}


def test_a_second_tag_of_one_name_is_a_409() -> None:
    """Tag names are unique per container: the second create is refused, the first kept."""
    fake = OfferLibrary()
    first = fake.add_tag("Holiday sales and promotions")
    refused = send(
        fake, "POST", f"{BASE}/instances", RECEIPT, write_type("tag"), body=documented_body("tag")
    )
    message = (
        f'a tag named "Holiday sales and promotions" exists already (@id {first}); tag names '
        "are unique"
    )
    assert (refused.status, refused.json()["detail"]) == (409, message)
    assert refused.json()["report"]["violations"] == [
        {"pointer": "/body/xdm:name", "rule": "unique-name", "message": message}
    ]
    with pytest.raises(contract_kit.ContractViolation, match=r"/xdm:name: a tag named"):
        fake.add_tag("Holiday sales and promotions")
    assert len(fake.instances_of("tag")) == 1
    fake.add_sandbox("dev")
    assert fake.add_tag("Holiday sales and promotions", sandbox="dev").startswith("xcore:tag:")


def test_a_reused_offer_name_is_a_warning(seed_body: dict[str, Any]) -> None:
    """A second fallback offer of one name is stored, with a name-reuse finding on its call."""
    fake = OfferLibrary()
    first = fake.add_fallback_offer(seed_body)
    created = send(
        fake, "POST", f"{BASE}/instances", RECEIPT, write_type("fallback-offer"), body=seed_body
    )
    assert created.status == 201
    at_id = fake.instances[first]["_instance"]["@id"]
    assert [(v.pointer, v.rule, v.message) for _, v in fake.violations] == [
        (
            "/body/xdm:name",
            "name-reuse",
            (
                f'another fallback-offer has the xdm:name "Fallback for sales" already (@id {at_id}); '
                "the service takes it, but the docs ask for names unique across offers"
            ),
        )
    ]


@pytest.mark.parametrize("target", [FALLBACK, PLACEMENT])
def test_a_referenced_object_survives_its_delete(target: str) -> None:
    """A delete of what the decision names is accepted (202) but the object stays readable."""
    fake, decision = _with_decision()
    instance_id = _instance_id(fake, target)
    deleted = send(fake, "DELETE", f"{BASE}/instances/{instance_id}", RECEIPT)
    assert deleted.status == 202
    assert deleted.body == b""
    assert str(deleted.header("Location")).startswith(f"{DEFAULT_CONTAINER}/deletions/")
    assert deleted.header("Content-Base") == "https://platform.adobe.io/data/core/xcore/"
    assert send(fake, "GET", f"{BASE}/instances/{instance_id}", HAL).status == 200
    assert instance_id in fake.all_instances
    assert decision in fake.instances_of("offer-activity")
    assert fake.violations == []


def test_a_tag_an_offer_names_survives_its_delete() -> None:
    """The tag the documented personalized offer names stays when deleted."""
    fake = _library()
    fake.add("personalized-offer", documented_body("personalized-offer"))
    instance_id = _instance_id(fake, TAG)
    assert send(fake, "DELETE", f"{BASE}/instances/{instance_id}", RECEIPT).status == 202
    assert instance_id in fake.instances_of("tag")


def test_an_immediate_delete_of_a_referenced_object_is_a_409() -> None:
    """delete_integrity="immediate" refuses at once, listing who references the object."""
    fake, decision = _with_decision(delete_integrity="immediate")
    instance_id = _instance_id(fake, FALLBACK)
    refused = send(fake, "DELETE", f"{BASE}/instances/{instance_id}", RECEIPT)
    decision_id = fake.instances_of("offer-activity")[decision]["_instance"]["@id"]
    assert refused.status == 409
    assert refused.json()["detail"] == (
        f"{FALLBACK} is referenced by 1 instance(s); remove the references first, then delete it"
    )
    assert refused.json()["report"]["referencedBy"] == [
        {
            "instanceId": decision,
            "@id": decision_id,
            "schema": object_kind("offer-activity").stored_schema,
            "pointer": "/_instance/xdm:fallback",
        }
    ]
    assert instance_id in fake.instances


def test_an_unreferenced_delete_is_gone_at_once(seed_body: dict[str, Any]) -> None:
    """Nothing names the offer: it is deleted, with a Location to poll."""
    fake = OfferLibrary()
    instance_id = fake.add_fallback_offer(seed_body)
    deleted = send(fake, "DELETE", f"{BASE}/instances/{instance_id}", RECEIPT)
    assert deleted.status == 202
    assert str(deleted.header("Location")).startswith(f"{DEFAULT_CONTAINER}/deletions/")
    assert send(fake, "GET", f"{BASE}/instances/{instance_id}", HAL).status == 404


def test_unknown_kinds_and_stored_ids_are_refused_by_add() -> None:
    """add() names the known kinds, and refuses an @id the container holds already."""
    fake = OfferLibrary()
    with pytest.raises(contract_kit.UnknownKindError, match=r"unknown kind 'offer'"):
        fake.add("offer", {})
    with pytest.raises(ValueError, match=rf"an object with @id {DEFAULT_PLACEMENT} exists already"):
        fake.add(
            "offer-placement", {**documented_body("offer-placement"), "@id": DEFAULT_PLACEMENT}
        )


def test_the_shortcuts_store_placements_tags_and_rules() -> None:
    """add_placement, add_tag and add_rule return @ids of stored objects of their kinds."""
    fake = OfferLibrary()
    placement = fake.add_placement(channel="https://ns.adobe.com/xdm/channel-types/email")
    assert placement.startswith("xcore:offer-placement:")
    assert fake.add_placement(placement) == placement
    tag = fake.add_tag("Summer")
    rule = fake.add_rule()
    assert [e["_instance"]["@id"] for e in fake.instances_of("tag").values()] == [tag]
    assert [e["_instance"]["@id"] for e in fake.instances_of("eligibility-rule").values()] == [rule]
    assert sorted(fake.placement_ids()) == sorted([DEFAULT_PLACEMENT, placement])


def test_a_put_without_a_schema_is_checked_as_the_stored_kind(seed_body: dict[str, Any]) -> None:
    """A placement body PUT on a fallback offer, naming no kind, is refused as a fallback offer."""
    fake = OfferLibrary()
    instance_id = fake.add_fallback_offer(seed_body)
    plain = ("Content-Type", "application/schema-instance+json; version=1")
    refused = send(
        fake,
        "PUT",
        f"{BASE}/instances/{instance_id}",
        RECEIPT,
        plain,
        body=documented_body("offer-placement"),
    )
    assert refused.status == 400
    assert refused.json()["detail"].startswith(
        "the body breaks the contract of a fallback-offer at /body"
    )
    assert fake.instances[instance_id]["repo:etag"] == 1


def test_a_put_naming_another_kind_is_a_schema_mismatch(seed_body: dict[str, Any]) -> None:
    """The Content-Type names a placement, the instance is a fallback offer: 400."""
    fake = OfferLibrary()
    instance_id = fake.add_fallback_offer(seed_body)
    refused = send(
        fake,
        "PUT",
        f"{BASE}/instances/{instance_id}",
        RECEIPT,
        write_type("offer-placement"),
        body=documented_body("offer-placement"),
    )
    schema = object_kind("fallback-offer").request_schema
    assert (refused.status, refused.json()["report"]["violations"]) == (
        400,
        [
            {
                "pointer": "/headers/content-type",
                "rule": "schema-mismatch",
                "message": (
                    "the Content-Type's schema names offer-placement, but instance "
                    f'{instance_id} is a fallback-offer: send schema="{schema}"'
                ),
            }
        ],
    )


def test_a_representation_unlike_its_placement_warns(seed_body: dict[str, Any]) -> None:
    """An email representation of html text on the web placement: stored, with placement-fit."""
    fake = OfferLibrary()
    representation = seed_body["xdm:representations"][0]
    representation["xdm:channel"] = "https://ns.adobe.com/xdm/channel-types/email"
    representation["xdm:components"][0]["@type"] = (
        "https://ns.adobe.com/experience/offer-management/content-component-text"
    )
    body = {**seed_body, "xdm:name": "Email fallback"}
    created = send(
        fake, "POST", f"{BASE}/instances", RECEIPT, write_type("fallback-offer"), body=body
    )
    assert created.status == 201
    assert [(v.pointer, v.rule, v.message) for _, v in fake.violations] == [
        (
            "/body/xdm:representations/0/xdm:channel",
            "placement-fit",
            (
                "the channel https://ns.adobe.com/xdm/channel-types/email is not the channel of "
                f"placement {DEFAULT_PLACEMENT}, https://ns.adobe.com/xdm/channel-types/web"
            ),
        ),
        (
            "/body/xdm:representations/0/xdm:components/0/@type",
            "placement-fit",
            (
                "a https://ns.adobe.com/experience/offer-management/content-component-text component "
                f"cannot go in placement {DEFAULT_PLACEMENT}, of "
                "https://ns.adobe.com/experience/offer-management/content-component-html"
            ),
        ),
    ]
    assert not any(v.is_error for _, v in fake.violations)
