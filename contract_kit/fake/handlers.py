"""What each operation does to the store, once the call has passed the contract checks.

Every handler takes the store, the options, the checked call and the raw request, and returns
the answer. Where the docs are silent (create status, delete body, unknown placements, ...)
the choice is the options' default, documented in docs/contract.md.

What only the store can tell (a call to another sandbox's container, a ``start`` token its
ordering cannot read) a handler adds to ``check.violations``: the service records them with
the call, so warnings reach the test without changing the answer.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from contract_kit.api.paging import next_query
from contract_kit.core.operations import CONTAINER_SCHEMA, HAL_MEDIA_TYPE, RECEIPT_MEDIA_TYPE
from contract_kit.core.violation import Violation
from contract_kit.fake.error_bodies import problem
from contract_kit.fake.exchange import FakeResponse, json_response
from contract_kit.fake.store import DEFAULT_SANDBOX, STORED_SCHEMA, offer_of, receipt

if TYPE_CHECKING:
    from collections.abc import Callable

    from contract_kit.api.repository_query import QueryError
    from contract_kit.api.request_check import CallCheck
    from contract_kit.fake.exchange import FakeRequest
    from contract_kit.fake.options import OfferLibraryOptions
    from contract_kit.fake.store import Container, Store

__all__ = ["HANDLERS"]

_RECEIPT_TYPE = f"{RECEIPT_MEDIA_TYPE}; version=1"
_INSTANCE_TYPE = f'{HAL_MEDIA_TYPE}; schema="{STORED_SCHEMA}"'
_RESULTS_TYPE = f'{HAL_MEDIA_TYPE}; schema="https://ns.adobe.com/experience/xcore/hal/results"'
_HOME_TYPE = "application/vnd.adobe.platform.xcore.home.hal+json"
_CONTAINER_TYPE = f'{HAL_MEDIA_TYPE}; schema="{CONTAINER_SCHEMA}"'
_CONTAINERS = "https://ns.adobe.com/experience/xcore/container"
_RESULTS_LINK_TYPE = "https://ns.adobe.com/experience/xcore/hal/results"
_HOME_LINK_TYPE = "https://ns.adobe.com/experience/xcore/hal/home"
# Members a client may not change once set: "meta:immutable" / "meta:usereditable: false".
_MAX_DIGITS = 18  # a limit longer than this pages everything anyway
_READ_ONLY_COMPONENT_MEMBERS = ("repo:id", "repo:resolveURL")


def _container(
    store: Store,
    options: OfferLibraryOptions,
    check: CallCheck,
    request: FakeRequest,
    *,
    any_sandbox: bool = False,
) -> tuple[Container, FakeResponse | None]:
    """The container a call names, or why it is not served: unknown, or another sandbox's.

    The sandbox is x-sandbox-name's (absent: prod). A container of another sandbox answers
    as a recorded client saw the service answer, with a ``sandbox-mismatch`` warning; under
    ``sandbox_isolation="strict"`` it is 404, as other Platform APIs would answer.
    """
    wanted = check.path_params.get("container", "").lower()
    container = store.containers.get(wanted)
    if container is None:
        served = ", ".join(f"{c.container_id} ({c.sandbox})" for c in store.containers.values())
        detail = (
            f"container {check.path_params.get('container')} does not exist; the fake serves "
            f"{served} (discover them with GET /data/core/xcore/)"
        )
        return store.default, problem(404, detail)
    sandbox = request.header("x-sandbox-name") or DEFAULT_SANDBOX
    if any_sandbox or sandbox == container.sandbox:
        return container, None
    if options.sandbox_isolation == "strict":
        return container, problem(404, f"container {wanted} is not in sandbox {sandbox}")
    message = (
        f"x-sandbox-name names {sandbox} (absent means prod), but container {wanted} belongs "
        f"to sandbox {container.sandbox}; the service resolved such calls by container in a "
        f"recorded client, other Platform APIs would not: send x-sandbox-name: "
        f"{container.sandbox}"
    )
    check.violations.append(Violation("/headers/x-sandbox-name", message, "sandbox-mismatch"))
    return container, None


def _missing_instance(container: Container, check: CallCheck) -> FakeResponse | None:
    instance_id = check.path_params.get("instance", "").lower()
    if instance_id in container.instances:
        return None
    return problem(404, f"no instance {instance_id} in container {container.container_id}")


def _unknown_placements(
    container: Container, options: OfferLibraryOptions, instance: Any
) -> FakeResponse | None:
    if not options.check_references:
        return None
    for representation in instance.get("xdm:representations", []):
        placement = representation.get("xdm:placement")
        if placement not in container.placements:
            detail = (
                f"placement {placement} does not exist in container {container.container_id}; "
                "a representation must name an existing placement (in tests, seed it with "
                "offer_library.add_placement)"
            )
            return problem(422, detail)
    return None


def _etag(header: str) -> str:
    """The etag a conditional header names: ``W/"3"``, ``"3"`` and ``3`` all name etag 3."""
    return header.strip().removeprefix("W/").strip('"')


def _stale(container: Container, instance_id: str, request: FakeRequest) -> FakeResponse | None:
    wanted = request.header("If-Match")
    if wanted is None:
        return None
    current = str(container.instances[instance_id]["repo:etag"])
    if _etag(wanted) == current:
        return None
    detail = f"If-Match {wanted} is stale: the instance is at etag {current}; read it again"
    return problem(409, detail)


def _existing(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> tuple[Container, str, FakeResponse | None]:
    """The instance a call names, or why there is none: no such container, no such instance."""
    container, refused = _container(store, options, check, request)
    instance_id = check.path_params.get("instance", "").lower()
    return container, instance_id, refused or _missing_instance(container, check)


def _writable(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> tuple[Container, str, FakeResponse | None]:
    """The instance a write names, or why it cannot be written: no container, no instance, stale."""
    container, instance_id, refused = _existing(store, options, check, request)
    if refused:
        return container, instance_id, refused
    return container, instance_id, _stale(container, instance_id, request)


def _receipt(
    status: int, envelope: dict[str, Any], extra: tuple[tuple[str, str], ...] = ()
) -> FakeResponse:
    return json_response(status, receipt(envelope), _RECEIPT_TYPE, extra)


def _raw_query(request: FakeRequest) -> str:
    """The query as the client sent it, still encoded: what the service's links echo."""
    return urlsplit(request.target).query


def _refused_query(check: CallCheck, error: QueryError) -> FakeResponse:
    """A 400 for a query only the store could find unreadable, recorded as a violation."""
    found = Violation(f"/query/{error.parameter}", str(error), "query")
    check.violations.append(found)
    return problem(400, str(error), violations=[found])


def discover(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """List every sandbox's container, whatever x-sandbox-name says, filtered as asked.

    ``product`` (repeatable) keeps the containers with any of the given product contexts;
    ``property`` filters and ``start``/``limit`` work as on instance lists (by instanceId).
    """
    from contract_kit.api.repository_query import QueryError, search

    products = set(check.query_values("product"))
    listed = [
        container.listing()
        for container in store.containers.values()
        if not products or products & set(container.product_contexts)
    ]
    limit = check.query_values("limit")
    try:
        page = search(
            listed,
            filters=check.query_values("property"),
            start=check.query_value("start"),
            limit=_page_size(limit[0], options) if limit else None,
        )
    except QueryError as error:
        return _refused_query(check, error)
    raw = _raw_query(request)
    links: dict[str, Any] = {
        "self": {"href": "/" + (f"?{raw}" if raw else ""), "@type": _HOME_LINK_TYPE}
    }
    if page.next_start is not None:
        following = next_query(raw, page.next_start, page.order)
        links["next"] = {"href": f"/?{following}", "@type": _HOME_LINK_TYPE}
    body = {"_embedded": {_CONTAINERS: list(page.items)}, "_links": links}
    return json_response(200, body, _HOME_TYPE)


def read_container(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """One container, exactly as discovery lists it: any sandbox's, as discovery lists them all."""
    container, refused = _container(store, options, check, request, any_sandbox=True)
    if refused:
        return refused
    return json_response(200, container.listing(), _CONTAINER_TYPE)


def create(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Store a new fallback offer in the container named; answer with its receipt."""
    container, refused = _container(store, options, check, request)
    instance = offer_of(check.body)
    refused = refused or _unknown_placements(container, options, instance)
    if refused:
        return refused
    if "@id" in instance and container.holds_offer(instance["@id"]):
        return problem(409, f"an instance with @id {instance['@id']} exists already")
    envelope = container.insert(instance)
    location = f"{container.container_id}/instances/{envelope['instanceId']}"
    headers = (("Location", location), ("Content-Base", f"{options.base_url}/data/core/xcore/"))
    return _receipt(options.create_status, envelope, headers)


def read(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """One stored instance; 304 when the client's copy is current."""
    container, instance_id, refused = _existing(store, options, check, request)
    if refused:
        return refused
    envelope = container.instances[instance_id]
    current = str(envelope["repo:etag"])
    etag = (("ETag", f'"{current}"'),)
    seen = request.header("If-None-Match")
    if seen is not None and _etag(seen) == current:
        return FakeResponse(304, etag)
    return json_response(200, envelope, _INSTANCE_TYPE, etag)


def _query(query: list[tuple[str, str]]) -> str:
    return f"?{urlencode(query, safe=':;/=,*')}" if query else ""


def _page_size(limit: str, options: OfferLibraryOptions) -> int:
    """The page size a ``limit`` asks for, read without int()'s length cap.

    Lookups and searches get their ``limit`` checked with the call; discovery's is read here,
    and one that is no whole number gets the default page size.
    """
    if not (limit.isascii() and limit.isdigit()) or not limit.strip("0"):
        return options.page_size
    digits = limit.lstrip("0")
    return int(digits) if len(digits) <= _MAX_DIGITS else sys.maxsize


def _name_pattern(name: str) -> re.Pattern[str]:
    """A lookup ``name``: exact and case-sensitive, ``*`` matching any run of characters."""
    return re.compile(".*".join(map(re.escape, name.split("*"))), re.DOTALL)


def _named(container: Container, check: CallCheck) -> list[dict[str, Any]]:
    """The instances ``id`` (any of several, exact) and ``name`` select; all without them."""
    ids, names = check.query_values("id"), check.query_values("name")
    if ids:  # through the container's index, so a lookup costs the same with 20,000 offers
        found = {offer_id: container.offer(offer_id) for offer_id in ids}
        # Creation dates only grow (Store.now), so this is the order the store holds them in.
        items = sorted(
            (e for e in found.values() if e is not None), key=lambda e: e["repo:createdDate"]
        )
    else:
        items = list(container.instances.values())
    if names:
        patterns = [_name_pattern(name) for name in names]
        items = [
            e
            for e in items
            if any(p.fullmatch(str(e["_instance"].get("xdm:name", ""))) for p in patterns)
        ]
    return items


def _page(  # noqa: PLR0913 - the call's parts and the page's place, all needed
    container: Container,
    options: OfferLibraryOptions,
    check: CallCheck,
    request: FakeRequest,
    path: str,
    *,
    score: bool,
) -> FakeResponse:
    from contract_kit.api.repository_query import QueryError, search

    limit = check.query_values("limit")
    try:
        page = search(
            _named(container, check),
            filters=check.query_values("property"),
            orderby=check.query_value("orderby", "orderBy"),
            start=check.query_value("start"),
            limit=_page_size(limit[0], options) if limit else options.page_size,
            q=check.query_value("q"),
            qop=check.query_value("qop"),
            fields=check.query_values("field"),
        )
    except QueryError as error:
        return _refused_query(check, error)
    results = [dict(item, _score=0) if score else dict(item) for item in page.items]
    links: dict[str, Any] = {
        "self": {"href": path + _query(check.query), "@type": _RESULTS_LINK_TYPE}
    }
    if page.next_start is not None:
        following = next_query(_raw_query(request), page.next_start, page.order)
        links["next"] = {"href": f"{path}?{following}", "@type": _RESULTS_LINK_TYPE}
    body = {
        "containerId": container.container_id,
        "schemaNs": check.query_values("schema")[0],
        "requestTime": container.now(),
        "_embedded": {"results": results, "total": page.total, "count": len(results)},
        "_links": links,
    }
    return json_response(200, body, _RESULTS_TYPE)


def lookup(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Instances by ``@id`` (any of several) or by name (``*`` matches any run of characters)."""
    container, refused = _container(store, options, check, request)
    if refused:
        return refused
    path = f"/{container.container_id}/instances"
    return _page(container, options, check, request, path, score=True)


def search_instances(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """A page of the container's fallback offers, selected, ordered and paged as asked.

    ``id`` and ``name`` select as on lookup (the lookup pages document both on this path).
    """
    container, refused = _container(store, options, check, request)
    if refused:
        return refused
    path = f"/{container.container_id}/queries/core/search"
    return _page(container, options, check, request, path, score=False)


def update(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Replace an instance whole; its ``@id`` cannot change."""
    container, instance_id, refused = _writable(store, options, check, request)
    if refused:
        return refused
    instance = offer_of(check.body)
    current_id = container.instances[instance_id]["_instance"]["@id"]
    if instance.setdefault("@id", current_id) != current_id:
        return problem(422, f"@id is read-only: it stays {current_id}")
    refused = _unknown_placements(container, options, instance)
    if refused:
        return refused
    return _receipt(200, container.replace(instance_id, instance))


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

    container, instance_id, refused = _writable(store, options, check, request)
    if refused:
        return refused
    envelope = container.instances[instance_id]
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
    # Warnings of the result are the call's (under /patched: where in the patched envelope);
    # only errors change the answer, as for any other call.
    check.violations.extend(v.under("/patched") for v in found if not v.is_error)
    found = [v for v in found if v.is_error]
    if found:
        first = found[0]
        detail = f"the patched offer breaks the contract at {first.pointer}: {first.message}"
        return problem(400, detail, violations=found)
    refused = _unknown_placements(container, options, patched["_instance"])
    if refused:
        return refused
    return _receipt(200, container.replace(instance_id, patched["_instance"]))


def delete(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Remove an instance: 202 and no body by default, as the xcore pages document."""
    container, instance_id, refused = _writable(store, options, check, request)
    if refused:
        return refused
    envelope = container.remove(instance_id)
    if options.delete_body == "receipt":
        return _receipt(options.delete_status, envelope)
    return FakeResponse(options.delete_status)


HANDLERS: dict[
    str, Callable[[Store, OfferLibraryOptions, CallCheck, FakeRequest], FakeResponse]
] = {
    "discover": discover,
    "read-container": read_container,
    "create": create,
    "read": read,
    "lookup": lookup,
    "search": search_instances,
    "update": update,
    "patch": patch,
    "delete": delete,
}
