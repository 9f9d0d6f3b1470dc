"""A small Offer Library client that handles every kind, as a user's own code would.

It sends the documented headers and walks the documented operations (create, read, lookup,
search with its next links, PATCH, DELETE and the delete's outcome) on a ``requests.Session``
or an ``httpx.Client``, both of which have ``request``. ``tests/test_library_clients.py``
drives it against the pytest fixture and against ``contract-kit serve``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urljoin

if TYPE_CHECKING:
    from collections.abc import Mapping

RECEIPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"
HAL = "application/vnd.adobe.platform.xcore.hal+json"
HOME = "application/vnd.adobe.platform.xcore.home.hal+json"
PATCH = "application/vnd.adobe.platform.xcore.patch.hal+json"
CONTAINERS = "https://ns.adobe.com/experience/xcore/container"


class LibraryError(Exception):
    """The service refused a call; ``status`` and the parsed ``body`` say how."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"Offer Library answered {status}: {body}")
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Answer:
    """What a call that may be accepted for later answered: its status, body and Location."""

    status: int
    body: Any
    location: str | None


class LibraryClient:
    """The calls an application makes to keep an Offer Library of every kind.

    ``schemas`` maps each kind to the schema id (with its version) the client sends.
    """

    def __init__(
        self,
        http: Any,
        base_url: str,
        schemas: Mapping[str, str],
        credentials: Mapping[str, str],
    ) -> None:
        """``http`` is a requests.Session or an httpx.Client."""
        self.http = http
        self.root = f"{base_url}/data/core/xcore"
        self.schemas = schemas
        self.credentials = dict(credentials)
        self.container = ""

    def _send(self, method: str, url: str, accept: str, body: object = None, **headers: str) -> Any:
        sent = {**self.credentials, "Accept": accept, **headers}
        data = None if body is None else json.dumps(body).encode("utf-8")
        # requests takes raw bytes as ``data``, httpx as ``content``.
        key = "content" if type(self.http).__module__.startswith("httpx") else "data"
        response = self.http.request(method, url, headers=sent, timeout=10, **{key: data})
        if response.status_code >= 400:
            raise LibraryError(response.status_code, response.json() if response.content else None)
        return response

    def discover(self) -> str:
        """Find the caller's decisioning container and remember it."""
        url = f"{self.root}/?product=acp&property=_instance.containerType==decisioning"
        listed = self._send("GET", url, HOME).json()
        self.container = str(listed["_embedded"][CONTAINERS][0]["instanceId"])
        return self.container

    def create(self, kind: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create an object of ``kind``; return the receipt."""
        content_type = f'application/schema-instance+json; version=1; schema="{self.schemas[kind]}"'
        url = f"{self.root}/{self.container}/instances"
        receipt: dict[str, Any] = self._send(
            "POST", url, RECEIPT, body, **{"Content-Type": content_type}
        ).json()
        return receipt

    def read(self, instance_id: str) -> dict[str, Any]:
        """The stored object."""
        url = f"{self.root}/{self.container}/instances/{instance_id}"
        stored: dict[str, Any] = self._send("GET", url, HAL).json()
        return stored

    def lookup(self, kind: str, **query: str) -> list[dict[str, Any]]:
        """The objects of ``kind`` with the given ``id`` or ``name`` (one page)."""
        url = f"{self.root}/{self.container}/instances?{self._query(kind, query)}"
        results: list[dict[str, Any]] = self._send("GET", url, HAL).json()["_embedded"]["results"]
        return results

    def search(self, kind: str, page_size: int = 2, **query: str) -> list[dict[str, Any]]:
        """Every object of ``kind`` the query finds, following the next links."""
        found: list[dict[str, Any]] = []
        query = {**query, "limit": str(page_size)}
        url: str | None = (
            f"{self.root}/{self.container}/queries/core/search?{self._query(kind, query)}"
        )
        while url:
            page = self._send("GET", url, HAL).json()
            found.extend(page["_embedded"]["results"])
            following = page["_links"].get("next")
            url = f"{self.root}{following['href']}" if following else None
        return found

    def patch(
        self, kind: str, instance_id: str, operations: list[dict[str, Any]], etag: int
    ) -> dict[str, Any]:
        """Apply a JSON Patch, if nobody changed the object since ``etag``; return the receipt."""
        content_type = f'{PATCH}; version=1; schema="{self.schemas[kind]}"'
        url = f"{self.root}/{self.container}/instances/{instance_id}"
        headers = {"Content-Type": content_type, "If-Match": f'"{etag}"'}
        receipt: dict[str, Any] = self._send("PATCH", url, RECEIPT, operations, **headers).json()
        return receipt

    def delete(self, instance_id: str) -> Answer:
        """Ask for a delete; the service may check referrers later (202 and a Location)."""
        url = f"{self.root}/{self.container}/instances/{instance_id}"
        return self._answer(self._send("DELETE", url, RECEIPT))

    def outcome(self, location: str) -> Answer:
        """Poll a delete's Location once: 202 while undecided, then 200 with the outcome."""
        return self._answer(self._send("GET", location, RECEIPT))

    def _answer(self, response: Any) -> Answer:
        location = response.headers.get("Location")
        if location is not None:
            base = response.headers.get("Content-Base") or f"{self.root}/"
            location = urljoin(base, location)
        body = response.json() if response.content else None
        return Answer(response.status_code, body, location)

    def _query(self, kind: str, query: Mapping[str, str]) -> str:
        return urlencode({"schema": self.schemas[kind], **query})
