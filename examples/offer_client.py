"""A small example client of the Offer Library API, standing for the user's own code.

It keeps fallback offers, and the objects a decision needs around them: a placement, a tag, a
collection of the offers with that tag, and the decision that serves the collection in the
placement, falling back to the fallback offer. It works with a ``requests.Session`` or an
``httpx.Client`` (both have ``request``); ``AsyncOfferLibraryClient`` is its asyncio twin on
an ``httpx.AsyncClient``, and lets httpx raise for an error status (``raise_for_status()``),
as most clients do. Their tests (``test_offer_client.py``) run them against contract_kit's
fake, without any network.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

BASE_URL = "https://platform.adobe.io"
OFFER_MANAGEMENT = "https://ns.adobe.com/experience/offer-management"
FALLBACK_OFFER_SCHEMA = f"{OFFER_MANAGEMENT}/fallback-offer;version=0.1"
PLACEMENT_SCHEMA = f"{OFFER_MANAGEMENT}/offer-placement;version=0.4"
TAG_SCHEMA = f"{OFFER_MANAGEMENT}/tag;version=0.1"
COLLECTION_SCHEMA = f"{OFFER_MANAGEMENT}/offer-filter;version=0.1"
DECISION_SCHEMA = f"{OFFER_MANAGEMENT}/offer-activity;version=0.5"
OFFER_SCHEMA = f"{OFFER_MANAGEMENT}/personalized-offer;version=0.5"
XDM = "application/vnd.adobe.xdm+json"
DECISION_REQUEST = f'{XDM}; schema="{OFFER_MANAGEMENT}/decision-request;version=1.0"'
DECISION_RESPONSE = f'{XDM}; schema="{OFFER_MANAGEMENT}/decision-response;version=1.0"'
WEB_CHANNEL = "https://ns.adobe.com/xdm/channel-types/web"
HTML_COMPONENT = f"{OFFER_MANAGEMENT}/content-component-html"
RECEIPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"
HAL = "application/vnd.adobe.platform.xcore.hal+json"
HOME = "application/vnd.adobe.platform.xcore.home.hal+json"
PATCH_MEDIA_TYPE = "application/vnd.adobe.platform.xcore.patch.hal+json"


@dataclass(frozen=True)
class Credentials:
    """What every Platform call carries."""

    access_token: str
    api_key: str
    ims_org: str
    sandbox: str = "prod"

    def headers(self, accept: str) -> dict[str, str]:
        """The credential headers and Accept."""
        return {
            "Accept": accept,
            "Authorization": f"Bearer {self.access_token}",
            "x-api-key": self.api_key,
            "x-gw-ims-org-id": self.ims_org,
            "x-sandbox-name": self.sandbox,
        }


@dataclass(frozen=True)
class Call:
    """An HTTP call, ready to send with any client."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes


class OfferLibraryError(Exception):
    """The service refused a call."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"Offer Library answered {status}: {body}")
        self.status = status
        self.body = body


def build_create_call(
    base_url: str,
    container_id: str,
    offer: dict[str, Any],
    auth: Credentials,
    schema: str = FALLBACK_OFFER_SCHEMA,
) -> Call:
    """The create call for ``offer`` (an object of ``schema``) in container ``container_id``."""
    content_type = f'application/schema-instance+json; version=1; schema="{schema}"'
    headers = {**auth.headers(RECEIPT), "Content-Type": content_type}
    body = json.dumps(offer, ensure_ascii=False).encode("utf-8")
    return Call("POST", f"{base_url}/data/core/xcore/{container_id}/instances", headers, body)


class OfferLibraryClient:
    """The few calls an application makes to manage its fallback offers."""

    def __init__(self, http: Any, auth: Credentials, base_url: str = BASE_URL) -> None:
        """``http`` is a requests.Session or an httpx.Client."""
        self.http = http
        self.auth = auth
        self.root = f"{base_url}/data/core/xcore"
        self.base_url = base_url

    def _send(self, method: str, url: str, accept: str, **kwargs: Any) -> Any:
        headers = {**self.auth.headers(accept), **kwargs.pop("headers", {})}
        response = self.http.request(method, url, headers=headers, timeout=10, **kwargs)
        if response.status_code >= 400:
            body = response.json() if getattr(response, "content", b"") else None
            raise OfferLibraryError(response.status_code, body)
        return response

    def decisioning_container(self) -> str:
        """The id of the caller's decisioning container."""
        url = f"{self.root}/?product=acp&property=_instance.containerType==decisioning"
        listed = self._send("GET", url, HOME).json()
        return str(
            listed["_embedded"]["https://ns.adobe.com/experience/xcore/container"][0]["instanceId"]
        )

    def create_fallback_offer(self, container: str, offer: dict[str, Any]) -> dict[str, Any]:
        """Create ``offer``; return the receipt."""
        return self.create(container, FALLBACK_OFFER_SCHEMA, offer)

    def create(self, container: str, schema: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create an object of ``schema``; return the receipt (its ``@id`` names it)."""
        call = build_create_call(self.base_url, container, body, self.auth, schema)
        headers = {"Content-Type": call.headers["Content-Type"]}
        sent = self._send(
            call.method, call.url, RECEIPT, headers=headers, **_body(self.http, call.body)
        )
        receipt: dict[str, Any] = sent.json()
        return receipt

    def create_placement(self, container: str, name: str) -> str:
        """A web placement for HTML offers; return its ``@id``."""
        body = {"xdm:name": name, "xdm:channel": WEB_CHANNEL, "xdm:componentType": HTML_COMPONENT}
        return str(self.create(container, PLACEMENT_SCHEMA, body)["@id"])

    def create_tag(self, container: str, name: str) -> str:
        """A tag (names are unique in a container); return its ``@id``."""
        return str(self.create(container, TAG_SCHEMA, {"xdm:name": name})["@id"])

    def create_collection(self, container: str, name: str, tag: str) -> str:
        """The collection of every offer carrying ``tag``; return its ``@id``."""
        body = {"xdm:name": name, "xdm:filterType": "anyTags", "xdm:ids": [tag]}
        return str(self.create(container, COLLECTION_SCHEMA, body)["@id"])

    def create_decision(  # noqa: PLR0913 - the members a decision needs
        self,
        container: str,
        name: str,
        placement: str,
        collection: str,
        fallback: str,
        *,
        until: str = "2036-12-31T23:59:59Z",
    ) -> str:
        """A live decision serving ``collection`` in ``placement``; return its ``@id``."""
        body = {
            "xdm:name": name,
            "xdm:status": "live",
            "xdm:startDate": "2026-01-01T00:00:00Z",
            "xdm:endDate": until,
            "xdm:criteria": [
                {"xdm:placements": [placement], "xdm:optionSelection": {"xdm:filter": collection}}
            ],
            "xdm:fallback": fallback,
        }
        return str(self.create(container, DECISION_SCHEMA, body)["@id"])

    def decide(self, container: str, decision: str, placement: str, email: str) -> str:
        """Ask the Decisioning API what to show ``email`` in ``placement``; return it rendered.

        The answer holds the proposed options, or the decision's fallback when no offer
        qualifies; this renders their content, one option per line.
        """
        body = {
            "xdm:propositionRequests": [{"xdm:activityId": decision, "xdm:placementId": placement}],
            "xdm:profiles": [{"xdm:identityMap": {"Email": [{"xdm:id": email}]}}],
            "xdm:responseFormat": {"xdm:includeContent": True},
        }
        headers = {"Content-Type": DECISION_REQUEST, "x-request-id": str(uuid.uuid4())}
        url = f"{self.base_url}/data/core/ode/{container}/decisions"
        answer = self._send(
            "POST",
            url,
            DECISION_RESPONSE,
            headers=headers,
            **_body(self.http, json.dumps(body).encode()),
        ).json()
        return render(answer)

    def get_offer(self, container: str, instance_id: str) -> dict[str, Any]:
        """The stored offer."""
        stored: dict[str, Any] = self._send(
            "GET", f"{self.root}/{container}/instances/{instance_id}", HAL
        ).json()
        return stored

    def get_offer_or_none(self, container: str, instance_id: str) -> dict[str, Any] | None:
        """The stored offer, or None once it is deleted."""
        try:
            return self.get_offer(container, instance_id)
        except OfferLibraryError as error:
            if error.status == 404:
                return None
            raise

    def set_status(
        self,
        container: str,
        instance_id: str,
        status: str,
        etag: int,
        *,
        schema: str = FALLBACK_OFFER_SCHEMA,
    ) -> dict[str, Any]:
        """Change an offer's status, if nobody changed it since ``etag``.

        The offer is a fallback offer unless ``schema`` names another kind.
        """
        patch = [{"op": "replace", "path": "/_instance/xdm:status", "value": status}]
        content_type = f'{PATCH_MEDIA_TYPE}; version=1; schema="{schema}"'
        headers = {"Content-Type": content_type, "If-Match": f'"{etag}"'}
        url = f"{self.root}/{container}/instances/{instance_id}"
        body = _body(self.http, json.dumps(patch).encode("utf-8"))
        receipt: dict[str, Any] = self._send("PATCH", url, RECEIPT, headers=headers, **body).json()
        return receipt

    def search(
        self,
        container: str,
        *filters: str,
        page_size: int = 2,
        schema: str = FALLBACK_OFFER_SCHEMA,
    ) -> list[dict[str, Any]]:
        """Every object of ``schema`` (fallback offers unless told) matching, page by page."""
        query = "&".join(
            [
                f"schema={schema}",
                f"limit={page_size}",
                *(f"property={f}" for f in filters),
            ]
        )
        url: str | None = f"{self.root}/{container}/queries/core/search?{query}"
        found: list[dict[str, Any]] = []
        while url:
            page = self._send("GET", url, HAL).json()
            found.extend(page["_embedded"]["results"])
            following = page["_links"].get("next")
            url = f"{self.root}{following['href']}" if following else None
        return found

    def delete_offer(self, container: str, instance_id: str) -> None:
        """Delete the offer."""
        self._send("DELETE", f"{self.root}/{container}/instances/{instance_id}", RECEIPT)

    def delete_outcome(self, container: str, instance_id: str) -> str:
        """Delete an object and ask how it went: ``deleted``, or ``rejected`` while referenced.

        The service answers a delete with 202 and checks referrers afterwards; the outcome is
        behind the answer's Location.
        """
        url = f"{self.root}/{container}/instances/{instance_id}"
        accepted = self._send("DELETE", url, RECEIPT)
        location = urljoin(accepted.headers["Content-Base"], accepted.headers["Location"])
        return str(self._send("GET", location, RECEIPT).json()["outcome"])


def render(answer: dict[str, Any]) -> str:
    """What a page shows for a decision's answer: each option's content, or the fallback's."""
    (proposition,) = answer["xdm:propositions"]
    shown = proposition.get("xdm:options") or [proposition["xdm:fallback"]]
    return "\n".join(str(item.get("xdm:content", "")) for item in shown)


class AsyncOfferLibraryClient:
    """The same calls for asyncio code, on an ``httpx.AsyncClient``."""

    def __init__(self, http: Any, auth: Credentials, base_url: str = BASE_URL) -> None:
        """``http`` is an httpx.AsyncClient."""
        self.http = http
        self.auth = auth
        self.root = f"{base_url}/data/core/xcore"
        self.base_url = base_url

    async def _send(self, method: str, url: str, accept: str, **kwargs: Any) -> Any:
        headers = {**self.auth.headers(accept), **kwargs.pop("headers", {})}
        response = await self.http.request(method, url, headers=headers, timeout=10, **kwargs)
        response.raise_for_status()  # an error status raises httpx.HTTPStatusError
        return response

    async def decisioning_container(self) -> str:
        """The id of the caller's decisioning container."""
        url = f"{self.root}/?product=acp&property=_instance.containerType==decisioning"
        listed = (await self._send("GET", url, HOME)).json()
        return str(
            listed["_embedded"]["https://ns.adobe.com/experience/xcore/container"][0]["instanceId"]
        )

    async def create_fallback_offer(self, container: str, offer: dict[str, Any]) -> dict[str, Any]:
        """Create ``offer``; return the receipt."""
        call = build_create_call(self.base_url, container, offer, self.auth)
        headers = {"Content-Type": call.headers["Content-Type"]}
        sent = await self._send(call.method, call.url, RECEIPT, headers=headers, content=call.body)
        receipt: dict[str, Any] = sent.json()
        return receipt

    async def get_offer(self, container: str, instance_id: str) -> dict[str, Any]:
        """The stored offer."""
        url = f"{self.root}/{container}/instances/{instance_id}"
        stored: dict[str, Any] = (await self._send("GET", url, HAL)).json()
        return stored


def _body(http: object, body: bytes) -> dict[str, bytes]:
    """Raw bytes go as ``data`` to requests, as ``content`` to httpx."""
    return {"content": body} if type(http).__module__.startswith("httpx") else {"data": body}
