"""``contract-kit example KIND``: one valid instance of each bundled kind, from the docs.

Each is built fresh on every call. A test holds every example valid under its kind and
inferred as that kind, so what a user starts from always passes ``contract-kit lint``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_kit.core.examples import DOCS_CONTAINER, fallback_offer_body

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["example"]

_CONTAINER = DOCS_CONTAINER
_INSTANCE = "053bc610-f8f9-11ea-ad6e-775ad2c9b1a1"
_SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.5"
_SEARCH_SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
_AUTHOR = "712B3670554A7AF17F000101@AdobeID"


def _receipt() -> dict[str, Any]:
    return {
        "instanceId": _INSTANCE,
        "@id": "xcore:fallback-offer:122206064e0d98df",
        "repo:etag": 1,
        "repo:createdDate": "2020-09-16T17:41:23.316486Z",
        "repo:lastModifiedDate": "2020-09-16T17:41:23.316486Z",
        "repo:createdBy": _AUTHOR,
        "repo:lastModifiedBy": _AUTHOR,
        "repo:createdByClientId": "exc_app",
        "repo:lastModifiedByClientId": "exc_app",
    }


def _instance() -> dict[str, Any]:
    receipt = _receipt()
    return {
        "instanceId": _INSTANCE,
        "schemas": [_SCHEMA],
        "productContexts": ["acp"],
        **{name: value for name, value in receipt.items() if name.startswith("repo:")},
        "_instance": {**fallback_offer_body(), "@id": receipt["@id"]},
        "_links": {
            "self": {
                "name": f"{_SCHEMA}#{_INSTANCE}",
                "href": f"/{_CONTAINER}/instances/{_INSTANCE}",
                "@type": _SCHEMA,
            }
        },
        "sandboxName": "prod",
    }


def _search_results() -> dict[str, Any]:
    return {
        "containerId": _CONTAINER,
        "schemaNs": _SEARCH_SCHEMA,
        "requestTime": "2020-10-22T07:12:30.923768Z",
        "_embedded": {"results": [_instance()], "total": 1, "count": 1},
        "_links": {
            "self": {
                "href": f"/{_CONTAINER}/queries/core/search?schema={_SEARCH_SCHEMA}",
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


def _request_headers() -> dict[str, str]:
    return {
        "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
        "Content-Type": (f'application/schema-instance+json; version=1; schema="{_SEARCH_SCHEMA}"'),
        "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
        "x-api-key": "4a6f3c1d2e8b4f0a",
        "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
        "x-sandbox-name": "prod",
    }


_EXAMPLES: dict[str, Callable[[], Any]] = {
    "container-list": _container_list,
    "error": lambda: {"error_code": "403003", "message": "Api Key is invalid"},
    "fallback-offer": fallback_offer_body,
    "fallback-offer-instance": _instance,
    "fallback-offer-patch": lambda: [
        {"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}
    ],
    "receipt": _receipt,
    "request-headers": _request_headers,
    "search-results": _search_results,
}


def example(kind: str) -> Any:
    """A fresh, valid instance of ``kind`` (a KeyError for a kind without one)."""
    return _EXAMPLES[kind]()
