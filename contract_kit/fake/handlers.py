"""What the reads do, once the call has passed the contract checks; and what writes share.

Every handler takes the store, the options, the checked call and the raw request, and returns
the answer. Where the docs are silent (page size, sandbox isolation, ...) the choice is the
options' default, documented in docs/contract.md. Writes live in :mod:`contract_kit.fake.writes`.

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
from contract_kit.fake.call_kinds import queried_kind
from contract_kit.fake.error_bodies import problem
from contract_kit.fake.exchange import FakeResponse, json_response
from contract_kit.fake.store import DEFAULT_SANDBOX

if TYPE_CHECKING:
    from contract_kit.api.repository_query import QueryError
    from contract_kit.api.request_check import CallCheck
    from contract_kit.core.object_kinds import ObjectKind
    from contract_kit.fake.exchange import FakeRequest
    from contract_kit.fake.options import OfferLibraryOptions
    from contract_kit.fake.store import Container, Store

__all__ = [
    "RECEIPT_TYPE",
    "container_of",
    "discover",
    "lookup",
    "read",
    "read_container",
    "search_instances",
    "writable",
]

RECEIPT_TYPE = f"{RECEIPT_MEDIA_TYPE}; version=1"
_RESULTS_TYPE = f'{HAL_MEDIA_TYPE}; schema="https://ns.adobe.com/experience/xcore/hal/results"'
_HOME_TYPE = "application/vnd.adobe.platform.xcore.home.hal+json"
_CONTAINER_TYPE = f'{HAL_MEDIA_TYPE}; schema="{CONTAINER_SCHEMA}"'
_CONTAINERS = "https://ns.adobe.com/experience/xcore/container"
_RESULTS_LINK_TYPE = "https://ns.adobe.com/experience/xcore/hal/results"
_HOME_LINK_TYPE = "https://ns.adobe.com/experience/xcore/hal/home"
_MAX_DIGITS = 18  # a limit longer than this pages everything anyway


def container_of(
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
    if container.kind_of(instance_id) is not None:
        return None
    return problem(404, f"no instance {instance_id} in container {container.container_id}")


def _etag(header: str) -> str:
    """The etag a conditional header names: ``W/"3"``, ``"3"`` and ``3`` all name etag 3."""
    return header.strip().removeprefix("W/").strip('"')


def _stale(container: Container, instance_id: str, request: FakeRequest) -> FakeResponse | None:
    wanted = request.header("If-Match")
    if wanted is None:
        return None
    current = str((container.envelope(instance_id) or {})["repo:etag"])
    if _etag(wanted) == current:
        return None
    detail = f"If-Match {wanted} is stale: the instance is at etag {current}; read it again"
    return problem(409, detail)


def _existing(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> tuple[Container, str, FakeResponse | None]:
    """The instance a call names, or why there is none: no such container, no such instance."""
    container, refused = container_of(store, options, check, request)
    instance_id = check.path_params.get("instance", "").lower()
    return container, instance_id, refused or _missing_instance(container, check)


def writable(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> tuple[Container, str, FakeResponse | None]:
    """The instance a write names, or why it cannot be written: no container, no instance, stale."""
    container, instance_id, refused = _existing(store, options, check, request)
    if refused:
        return container, instance_id, refused
    return container, instance_id, _stale(container, instance_id, request)


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
    container, refused = container_of(store, options, check, request, any_sandbox=True)
    if refused:
        return refused
    return json_response(200, container.listing(), _CONTAINER_TYPE)


def read(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """One stored instance; 304 when the client's copy is current."""
    container, instance_id, refused = _existing(store, options, check, request)
    if refused:
        return refused
    envelope = container.envelope(instance_id) or {}
    current = str(envelope["repo:etag"])
    etag = (("ETag", f'"{current}"'),)
    seen = request.header("If-None-Match")
    if seen is not None and _etag(seen) == current:
        return FakeResponse(304, etag)
    content_type = f'{HAL_MEDIA_TYPE}; schema="{envelope["schemas"][0]}"'
    return json_response(200, envelope, content_type, etag)


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


def _named(container: Container, check: CallCheck, kind: str) -> list[dict[str, Any]]:
    """The objects of ``kind`` ``id`` (any of several, exact) and ``name`` select; all without."""
    ids, names = check.query_values("id"), check.query_values("name")
    if ids:  # through the container's index, so a lookup costs the same with 20,000 offers
        found = {at_id: container.by_at_id(at_id) for at_id in ids}
        # Creation dates only grow (Store.now), so this is the order the store holds them in.
        held = container.kinds[kind]
        items = sorted(
            (e for e in found.values() if e is not None and e["instanceId"] in held),
            key=lambda e: e["repo:createdDate"],
        )
    else:
        items = list(container.kinds[kind].values())
    if names:
        patterns = [_name_pattern(name) for name in names]
        items = [
            e
            for e in items
            if any(p.fullmatch(str(e["_instance"].get("xdm:name", ""))) for p in patterns)
        ]
    return items


def _schema_ns(sent: str, kind: ObjectKind) -> str:
    """The page's ``schemaNs``: the query's schema id, given the kind's version if it had none."""
    if ";" in sent or sent != kind.schema_id:
        return sent
    return kind.request_schema


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

    kind = queried_kind(check)
    limit = check.query_values("limit")
    try:
        page = search(
            _named(container, check, kind.name),
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
        "schemaNs": _schema_ns(check.query_values("schema")[0], kind),
        "requestTime": container.now(),
        "_embedded": {"results": results, "total": page.total, "count": len(results)},
        "_links": links,
    }
    return json_response(200, body, _RESULTS_TYPE)


def lookup(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """Instances by ``@id`` (any of several) or by name (``*`` matches any run of characters)."""
    container, refused = container_of(store, options, check, request)
    if refused:
        return refused
    path = f"/{container.container_id}/instances"
    return _page(container, options, check, request, path, score=True)


def search_instances(
    store: Store, options: OfferLibraryOptions, check: CallCheck, request: FakeRequest
) -> FakeResponse:
    """A page of the container's objects of the kind ``schema=`` names, selected and paged.

    ``id`` and ``name`` select as on lookup (the lookup pages document both on this path).
    """
    container, refused = container_of(store, options, check, request)
    if refused:
        return refused
    path = f"/{container.container_id}/queries/core/search"
    return _page(container, options, check, request, path, score=False)
