"""``contract-kit example KIND``: one valid instance of each bundled kind, from the docs.

Each is built fresh on every call. A stored kind's body is its documented create body
(:func:`~contract_kit.core.object_kinds.documented_body`), and its instance that body as the
service stores it; the table of stored kinds gives both, so a new kind has its examples at
once. A test holds every example valid under its kind and inferred as that kind, so what a
user starts from always passes ``contract-kit lint``.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

from contract_kit.core.examples import DOCS_CONTAINER
from contract_kit.core.object_kinds import documented_body, object_kind, object_kinds
from contract_kit.core.schema_bundle import bundled_text

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["example"]

_CONTAINER = DOCS_CONTAINER
_INSTANCE = "053bc610-f8f9-11ea-ad6e-775ad2c9b1a1"
_DIGITS = "122206064e0d98df"
_AUTHOR = "712B3670554A7AF17F000101@AdobeID"
#: The kind whose writes the receipt, the headers and the page of results show (the one
#: contract_kit first knew); every stored kind's answers have the same shape.
_SHOWN = "fallback-offer"


def _receipt(kind: str = _SHOWN) -> dict[str, Any]:
    return {
        "instanceId": _INSTANCE,
        "@id": object_kind(kind).id_prefix + _DIGITS,
        "repo:etag": 1,
        "repo:createdDate": "2020-09-16T17:41:23.316486Z",
        "repo:lastModifiedDate": "2020-09-16T17:41:23.316486Z",
        "repo:createdBy": _AUTHOR,
        "repo:lastModifiedBy": _AUTHOR,
        "repo:createdByClientId": "exc_app",
        "repo:lastModifiedByClientId": "exc_app",
    }


def _instance(kind: str = _SHOWN) -> dict[str, Any]:
    """The documented body of ``kind`` as a read answers it: stored, with its envelope."""
    receipt = _receipt(kind)
    schema = object_kind(kind).stored_schema
    body = documented_body(kind)
    # A kind documented in its HAL envelope is stored as what the envelope holds.
    members = body["_instance"] if isinstance(body.get("_instance"), dict) else body
    return {
        "instanceId": _INSTANCE,
        "schemas": [schema],
        "productContexts": ["acp"],
        **{name: value for name, value in receipt.items() if name.startswith("repo:")},
        "_instance": {**members, "@id": receipt["@id"]},
        "_links": {
            "self": {
                "name": f"{schema}#{_INSTANCE}",
                "href": f"/{_CONTAINER}/instances/{_INSTANCE}",
                "@type": schema,
            }
        },
        "sandboxName": "prod",
    }


def _search_results() -> dict[str, Any]:
    schema = object_kind(_SHOWN).request_schema
    return {
        "containerId": _CONTAINER,
        "schemaNs": schema,
        "requestTime": "2020-10-22T07:12:30.923768Z",
        "_embedded": {"results": [_instance()], "total": 1, "count": 1},
        "_links": {
            "self": {
                "href": f"/{_CONTAINER}/queries/core/search?schema={schema}",
                "@type": "https://ns.adobe.com/experience/xcore/hal/results",
            }
        },
    }


def _container_list() -> dict[str, Any]:
    return {
        "_embedded": {
            "https://ns.adobe.com/experience/xcore/container": [
                {
                    "instanceId": _CONTAINER,
                    "schemas": ["https://ns.adobe.com/experience/xcore/container;version=0.5"],
                    "productContexts": ["acp"],
                    "repo:etag": 1,
                    "repo:createdDate": "2020-09-01T10:00:00.000Z",
                    "repo:lastModifiedDate": "2020-09-01T10:00:00.000Z",
                    "_instance": {
                        "containerType": "decisioning",
                        "repo:name": "Sandbox prod",
                        "dataCenter": "va7",
                        "parentName": "ims-org",
                        "parentId": "0123ABCD@AdobeOrg",
                    },
                    "_links": {"self": {"href": f"/containers/{_CONTAINER}"}},
                }
            ]
        },
        "_links": {
            "self": {
                "href": "/?product=acp&property=_instance.containerType==decisioning",
                "@type": "https://ns.adobe.com/experience/xcore/hal/home",
            }
        },
    }


def _bundled_example(kind: str) -> Any:
    return json.loads(bundled_text(f"examples/{kind}.json"))


def _request_headers() -> dict[str, str]:
    schema = object_kind(_SHOWN).request_schema
    return {
        "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
        "Content-Type": f'application/schema-instance+json; version=1; schema="{schema}"',
        "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
        "x-api-key": "4a6f3c1d2e8b4f0a",
        "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
        "x-sandbox-name": "prod",
    }


_SHAPED: dict[str, Callable[[], Any]] = {
    "container-list": _container_list,
    "error": lambda: {"error_code": "403003", "message": "Api Key is invalid"},
    "fallback-offer-patch": lambda: [
        {"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}
    ],
    # The Swagger's decision examples; the response's second scope names its own placement.
    "decision-request": lambda: _bundled_example("decision-request"),
    "decision-response": lambda: _bundled_example("decision-response"),
    "delete-outcome": lambda: {**_receipt(), "outcome": "deleted"},
    "receipt": _receipt,
    "request-headers": _request_headers,
    "search-results": _search_results,
}


@functools.cache
def _examples() -> dict[str, Callable[[], Any]]:
    made = dict(_SHAPED)
    for kind in object_kinds():
        made[kind.body_kind] = functools.partial(documented_body, kind.name)
        made[kind.instance_kind] = functools.partial(_instance, kind.name)
    return made


def example(kind: str) -> Any:
    """A fresh, valid instance of ``kind`` (a KeyError for a kind without one)."""
    return _examples()[kind]()
