"""A client that calls the Offer Library the way aepctl (fuxs/aepctl, a released Go CLI) does.

It sends what Go's net/http and aepctl send, so the fake can be held to what the service
takes from a working client: no Accept header, schema ids without ``;version=``, Go's header
names, and aepctl's query encoding (keys sorted, values escaped as Go's url.QueryEscape
escapes them, empty values dropped). Tests run it against the pytest fixture (a pytester
project copies this file) and against ``contract-kit serve``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlsplit

import requests

#: aepctl's FallbackSchema: the kind's schema id, with no version.
FALLBACK_SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer"
#: aepctl's ListContainer URL, verbatim (its query is written by hand, not encoded).
DISCOVERY = "/data/core/xcore/?product=acp&property=_instance.containerType==decisioning"


class AepctlError(Exception):
    """The service refused a call: aepctl stops and prints the answer."""


def go_query(params: dict[str, str]) -> str:
    """The query aepctl's EncodedQuery builds: sorted keys, url.QueryEscape, no empty value."""
    return "&".join(
        f"{quote_plus(key, safe='')}={quote_plus(value, safe='')}"
        for key, value in sorted(params.items())
        if value
    )


@dataclass
class AepctlLike:
    """One configured aepctl: credentials, a sandbox, and the container found for it."""

    base_url: str
    token: str
    api_key: str
    org: str
    sandbox: str = "prod"
    container: str = ""
    session: requests.Session = field(default_factory=requests.Session, repr=False)

    def __post_init__(self) -> None:
        # Go's client sends these and nothing else: no Accept, no Connection.
        self.session.headers.clear()
        self.session.headers.update(
            {
                "User-Agent": "Go-http-client/1.1",
                "Authorization": f"Bearer {self.token}",
                "X-Api-Key": self.api_key,
                "X-Gw-Ims-Org-Id": self.org,
                "X-Sandbox-Name": self.sandbox,
                "Accept-Encoding": "gzip",
            }
        )

    def _call(
        self, method: str, path: str, body: object = None, content_type: str | None = None
    ) -> requests.Response:
        headers = {} if content_type is None else {"Content-Type": content_type}
        # Go's json.Marshal writes no spaces.
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        response = self.session.request(
            method, self.base_url + path, data=data, headers=headers, timeout=10
        )
        if response.status_code >= 400:
            raise AepctlError(f"{method} {path}: {response.status_code} {response.text}")
        return response

    def discover(self) -> str:
        """The container of the configured sandbox, as cache/container.go resolves it."""
        listing = self._call("GET", DISCOVERY).json()
        containers = listing["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
        by_sandbox = {c["_instance"]["parentName"]: c["instanceId"] for c in containers}
        # aepctl falls back to the key itself when the sandbox is not listed.
        self.container = by_sandbox.get(self.sandbox, self.sandbox)
        return self.container

    def create(self, offer: dict[str, Any]) -> dict[str, Any]:
        """Create a fallback offer; the receipt."""
        content_type = f'application/schema-instance+json; version=1; schema="{FALLBACK_SCHEMA}"'
        path = f"/data/core/xcore/{self.container}/instances"
        receipt: dict[str, Any] = self._call("POST", path, offer, content_type).json()
        return receipt

    def lookup(self, offer_id: str) -> dict[str, Any]:
        """The lookup page for one ``@id`` (aepctl's ODGetP)."""
        query = go_query({"id": offer_id, "schema": FALLBACK_SCHEMA})
        page: dict[str, Any] = self._call(
            "GET", f"/data/core/xcore/{self.container}/instances?{query}"
        ).json()
        return page

    def search(self, **params: str) -> dict[str, Any]:
        """A search page; the parameters as aepctl's ODQueryParames names them (``oderBy``)."""
        query = go_query({"schema": FALLBACK_SCHEMA, **params})
        page: dict[str, Any] = self._call(
            "GET", f"/data/core/xcore/{self.container}/queries/core/search?{query}"
        ).json()
        return page

    def next_page(self, page: dict[str, Any], **params: str) -> dict[str, Any] | None:
        """The next page, or None: the pager copies start and orderby out of the next link."""
        link = page["_links"].get("next")
        if link is None:
            return None
        found = dict(parse_qsl(urlsplit(link["href"]).query))
        carried = {name: found[name] for name in ("start", "orderby") if name in found}
        return self.search(**params, **carried)

    def patch_status(self, instance_id: str, status: str) -> dict[str, Any]:
        """Replace the offer's status; the receipt."""
        content_type = (
            "application/vnd.adobe.platform.xcore.patch.hal+json; version=1; "
            f'schema="{FALLBACK_SCHEMA}"'
        )
        change = [{"op": "replace", "path": "/_instance/xdm:status", "value": status}]
        path = f"/data/core/xcore/{self.container}/instances/{instance_id}"
        receipt: dict[str, Any] = self._call("PATCH", path, change, content_type).json()
        return receipt

    def delete(self, instance_id: str) -> int:
        """Delete an instance; the status."""
        path = f"/data/core/xcore/{self.container}/instances/{instance_id}"
        return self._call("DELETE", path).status_code


def offer(name: str) -> dict[str, Any]:
    """A fallback offer as aepctl marshals od.Fallback (``repo:name`` has no omitempty)."""
    return {
        "xdm:name": name,
        "xdm:status": "draft",
        "xdm:representations": [
            {
                "xdm:components": [
                    {
                        "repo:name": "",
                        "@type": "https://ns.adobe.com/experience/offer-management/content-component-html",
                        "dc:format": "text/html",
                        "dc:language": ["en"],
                    }
                ],
                "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
                "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
            }
        ],
    }


def lifecycle(client: AepctlLike) -> dict[str, Any]:
    """Discover, create two offers, look one up, search page by page, patch, delete, look again.

    What the client saw, for the test to compare.
    """
    container = client.discover()
    receipts = [client.create(offer("Sale web")), client.create(offer("Sale kiosk"))]
    found = client.lookup(receipts[0]["@id"])["_embedded"]["results"]
    # aepctl's own typo: the order it asks for is never applied.
    params = {
        "q": "sale",
        "qop": "AND",
        "field": "_instance.xdm:name",
        "oderBy": "-repo:createdDate",
    }
    pages = [client.search(limit="1", **params)]
    while (following := client.next_page(pages[-1], limit="1", **params)) is not None:
        pages.append(following)
    patched = client.patch_status(receipts[0]["instanceId"], "approved")
    deleted = client.delete(receipts[0]["instanceId"])
    after = client.lookup(receipts[0]["@id"])["_embedded"]
    return {
        "container": container,
        "looked up": [item["_instance"]["@id"] for item in found],
        "pages": [[item["instanceId"] for item in p["_embedded"]["results"]] for p in pages],
        "created": sorted(r["instanceId"] for r in receipts),
        "etag after patch": patched["repo:etag"],
        "delete status": deleted,
        "total after delete": after["total"],
    }
