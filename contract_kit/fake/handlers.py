"""What each operation does to the store, once the call has passed the contract checks.

Every handler takes the store, the options, the checked call and the raw request, and returns
the answer. Where the docs are silent (create status, delete body, unknown placements, ...)
the choice is the options' default, documented in docs/contract.md.
"""

from __future__ import annotations

import fnmatch
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from contract_kit.core.operations import HAL_MEDIA_TYPE, RECEIPT_MEDIA_TYPE
from contract_kit.fake.error_bodies import problem
from contract_kit.fake.exchange import FakeResponse, json_response
from contract_kit.fake.store import STORED_SCHEMA, offer_of, receipt

if TYPE_CHECKING:
    from collections.abc import Callable

    from contract_kit.api.request_check import CallCheck
    from contract_kit.fake.exchange import FakeRequest
    from contract_kit.fake.options import OfferLibraryOptions
    from contract_kit.fake.store import Store

__all__ = ["HANDLERS"]

_RECEIPT_TYPE = f"{RECEIPT_MEDIA_TYPE}; version=1"
_INSTANCE_TYPE = f'{HAL_MEDIA_TYPE}; schema="{STORED_SCHEMA}"'
_RESULTS_TYPE = f'{HAL_MEDIA_TYPE}; schema="https://ns.adobe.com/experience/xcore/hal/results"'
_HOME_TYPE = "application/vnd.adobe.platform.xcore.home.hal+json"
_RESULTS_LINK_TYPE = "https://ns.adobe.com/experience/xcore/hal/results"
# Members a client may not change once set: "meta:immutable" / "meta:usereditable: false".
_MAX_DIGITS = 18  # a limit longer than this pages everything anyway
_READ_ONLY_COMPONENT_MEMBERS = ("repo:id", "repo:resolveURL")


def _missing_container(store: Store, check: CallCheck) -> FakeResponse | None:
    if check.path_params.get("container", "").lower() == store.container_id:
        return None
    detail = (
        f"container {check.path_params.get('container')} does not exist; the fake serves "
        f"container {store.container_id} (discover it with GET /data/core/xcore/)"
    )
    return problem(404, detail)


def _missing_instance(store: Store, check: CallCheck) -> tuple[str, FakeResponse | None]:
    instance_id = check.path_params.get("instance", "").lower()
    if instance_id in store.instances:
        return instance_id, None
    return instance_id, problem(404, f"no instance {instance_id} in container {store.container_id}")


def _unknown_placements(
    store: Store, options: OfferLibraryOptions, instance: Any
) -> FakeResponse | None:
    if not options.check_references:
        return None
    for representation in instance.get("xdm:representations", []):
        placement = representation.get("xdm:placement")
        if placement not in store.placements:
            detail = (
                f"placement {placement} does not exist in container {store.container_id}; a "
                "representation must name an existing placement (in tests, seed it with "
                "offer_library.add_placement)"
            )
            return problem(422, detail)
    return None


def _etag(header: str) -> str:
    """The etag a conditional header names: ``W/"3"``, ``"3"`` and ``3`` all name etag 3."""
    return header.strip().removeprefix("W/").strip('"')


def _stale(store: Store, instance_id: str, request: FakeRequest) -> FakeResponse | None:
    wanted = request.header("If-Match")
    if wanted is None:
        return None
    current = str(store.instances[instance_id]["repo:etag"])
    if _etag(wanted) == current:
        return None
    detail = f"If-Match {wanted} is stale: the instance is at etag {current}; read it again"
    return problem(409, detail)


def _existing(store: Store, check: CallCheck) -> tuple[str, FakeResponse | None]:
    """The instance a call names, or why there is none: no such container, no such instance."""
    instance_id, refused = _missing_instance(store, check)
    return instance_id, _missing_container(store, check) or refused


def _writable(
    store: Store, check: CallCheck, request: FakeRequest
) -> tuple[str, FakeResponse | None]:
    """The instance a write names, or why it cannot be written: no container, no instance, stale."""
    instance_id, refused = _existing(store, check)
    if refused:
        return instance_id, refused
    return instance_id, _stale(store, instance_id, request)


def _receipt(
    status: int, envelope: dict[str, Any], extra: tuple[tuple[str, str], ...] = ()
) -> FakeResponse:
    return json_response(status, receipt(envelope), _RECEIPT_TYPE, extra)


def discover(
    store: Store, _o: OfferLibraryOptions, check: CallCheck, _r: FakeRequest
) -> FakeResponse:
    """List the one container, filtered as the query asks."""
    from contract_kit.api.repository_query import search

    page = search([store.container()], filters=check.query_values("property"))
    body = {
        "_embedded": {"https://ns.adobe.com/experience/xcore/container": list(page.items)},
        "_links": {
            "self": {
                "href": "/" + _query(check.query),
                "@type": "https://ns.adobe.com/experience/xcore/hal/home",
            }
        },
    }
    return json_response(200, body, _HOME_TYPE)


def create(
    store: Store, options: OfferLibraryOptions, check: CallCheck, _r: FakeRequest
) -> FakeResponse:
    """Store a new fallback offer; answer with its receipt."""
    refused = _missing_container(store, check)
    instance = offer_of(check.body)
    refused = refused or _unknown_placements(store, options, instance)
    if refused:
        return refused
    if "@id" in instance and store.holds_offer(instance["@id"]):
        return problem(409, f"an instance with @id {instance['@id']} exists already")
    envelope = store.insert(instance)
    location = f"{store.container_id}/instances/{envelope['instanceId']}"
    headers = (("Location", location), ("Content-Base", f"{options.base_url}/data/core/xcore/"))
    return _receipt(options.create_status, envelope, headers)


def read(
    store: Store, _o: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """One stored instance; 304 when the client's copy is current."""
    instance_id, refused = _existing(store, check)
    if refused:
        return refused
    envelope = store.instances[instance_id]
    current = str(envelope["repo:etag"])
    etag = (("ETag", f'"{current}"'),)
    seen = request.header("If-None-Match")
    if seen is not None and _etag(seen) == current:
        return FakeResponse(304, etag)
    return json_response(200, envelope, _INSTANCE_TYPE, etag)


def _query(query: list[tuple[str, str]]) -> str:
    return f"?{urlencode(query, safe=':;/=,*')}" if query else ""


def _page_size(limit: str) -> int:
    """The page size a ``limit`` asks for (checked digits), read without int()'s length cap."""
    digits = limit.lstrip("0") or "0"
    return int(digits) if len(digits) <= _MAX_DIGITS else sys.maxsize


def _page(  # noqa: PLR0913 - the call's parts and the page's place, all needed
    store: Store,
    options: OfferLibraryOptions,
    check: CallCheck,
    items: list[dict[str, Any]],
    path: str,
    *,
    score: bool,
) -> FakeResponse:
    from contract_kit.api.repository_query import QueryError, search

    limit = check.query_values("limit")
    try:
        page = search(
            items,
            filters=check.query_values("property"),
            orderby=check.query_value("orderby", "orderBy"),
            start=check.query_value("start"),
            limit=_page_size(limit[0]) if limit else options.page_size,
            q=check.query_value("q"),
            qop=check.query_value("qop"),
            fields=check.query_values("field"),
        )
    except QueryError as error:
        return problem(400, str(error))
    results = [dict(item, _score=0) if score else dict(item) for item in page.items]
    links: dict[str, Any] = {
        "self": {"href": path + _query(check.query), "@type": _RESULTS_LINK_TYPE}
    }
    if page.next_start is not None:
        following = [(k, v) for k, v in check.query if k != "start"] + [("start", page.next_start)]
        if not any(k in {"orderby", "orderBy"} for k, _ in following):
            following.append(("orderby", "instanceId"))
        links["next"] = {"href": path + _query(following), "@type": _RESULTS_LINK_TYPE}
    body = {
        "containerId": store.container_id,
        "schemaNs": check.query_values("schema")[0],
        "requestTime": store.now(),
        "_embedded": {"results": results, "total": page.total, "count": len(results)},
        "_links": links,
    }
    return json_response(200, body, _RESULTS_TYPE)


def lookup(
    store: Store, options: OfferLibraryOptions, check: CallCheck, _r: FakeRequest
) -> FakeResponse:
    """Instances by ``@id`` (any of several) or by name (``*`` matches any run of characters)."""
    refused = _missing_container(store, check)
    if refused:
        return refused
    ids, names = check.query_values("id"), check.query_values("name")
    if ids:  # through the store's index, so a lookup costs the same with 20,000 offers
        found = {offer_id: store.offer(offer_id) for offer_id in ids}
        # Creation dates only grow (Store.now), so this is the order the store holds them in.
        items = sorted(
            (e for e in found.values() if e is not None), key=lambda e: e["repo:createdDate"]
        )
    else:
        items = list(store.instances.values())
    if names:
        items = [
            e
            for e in items
            if any(fnmatch.fnmatchcase(e["_instance"]["xdm:name"], n) for n in names)
        ]
    return _page(store, options, check, items, f"/{store.container_id}/instances", score=True)


def search_instances(
    store: Store, options: OfferLibraryOptions, check: CallCheck, _r: FakeRequest
) -> FakeResponse:
    """A page of the container's fallback offers, filtered, ordered and paged as asked."""
    refused = _missing_container(store, check)
    if refused:
        return refused
    items = list(store.instances.values())
    return _page(
        store, options, check, items, f"/{store.container_id}/queries/core/search", score=False
    )


def update(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Replace an instance whole; its ``@id`` cannot change."""
    instance_id, refused = _writable(store, check, request)
    if refused:
        return refused
    instance = offer_of(check.body)
    current_id = store.instances[instance_id]["_instance"]["@id"]
    if instance.setdefault("@id", current_id) != current_id:
        return problem(422, f"@id is read-only: it stays {current_id}")
    refused = _unknown_placements(store, options, instance)
    if refused:
        return refused
    return _receipt(200, store.replace(instance_id, instance))


def _read_only_changes(before: dict[str, Any], after: dict[str, Any]) -> str | None:
    if after.get("@id") != before.get("@id"):
        return f"@id is read-only: it stays {before.get('@id')}"
    old = {
        (rep.get("xdm:placement"), index, name): component.get(name)
        for rep in before.get("xdm:representations", [])
        for index, component in enumerate(rep.get("xdm:components", []))
        for name in _READ_ONLY_COMPONENT_MEMBERS
        if name in component
    }
    for rep in after.get("xdm:representations", []):
        for index, component in enumerate(rep.get("xdm:components", [])):
            for name in _READ_ONLY_COMPONENT_MEMBERS:
                key = (rep.get("xdm:placement"), index, name)
                if key in old and component.get(name) != old[key]:
                    return f"{name} of a component is read-only: it stays {old[key]}"
    return None


def patch(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Apply a JSON Patch to the HAL envelope, then check the result as a PUT would be."""
    from contract_kit.api.json_patch import PatchError, apply_patch
    from contract_kit.core.checks import violations

    instance_id, refused = _writable(store, check, request)
    if refused:
        return refused
    envelope = store.instances[instance_id]
    document = {"_instance": envelope["_instance"], "_links": envelope["_links"]}
    try:
        patched = apply_patch(document, check.body)
    except PatchError as error:
        return problem(422, str(error))
    if not isinstance(patched, dict) or not isinstance(patched.get("_instance"), dict):
        return problem(422, "the patch leaves no _instance object")
    read_only = _read_only_changes(envelope["_instance"], patched["_instance"])
    if read_only:
        return problem(422, read_only)
    found = violations("fallback-offer", {"_instance": patched["_instance"], "_links": {}})
    if found:
        first = found[0]
        detail = f"the patched offer breaks the contract at {first.pointer}: {first.message}"
        return problem(400, detail, violations=found)
    refused = _unknown_placements(store, options, patched["_instance"])
    if refused:
        return refused
    return _receipt(200, store.replace(instance_id, patched["_instance"]))


def delete(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Remove an instance: 202 and no body by default, as the xcore pages document."""
    instance_id, refused = _writable(store, check, request)
    if refused:
        return refused
    envelope = store.remove(instance_id)
    if options.delete_body == "receipt":
        return _receipt(options.delete_status, envelope)
    return FakeResponse(options.delete_status)


HANDLERS: dict[
    str, Callable[[Store, OfferLibraryOptions, CallCheck, FakeRequest], FakeResponse]
] = {
    "discover": discover,
    "create": create,
    "read": read,
    "lookup": lookup,
    "search": search_instances,
    "update": update,
    "patch": patch,
    "delete": delete,
}
