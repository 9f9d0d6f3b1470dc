"""The fake's state: one container, its placements and its fallback offers, in memory."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_kit.core.examples import DOCS_CONTAINER, SEED_PLACEMENT
from contract_kit.core.operations import OFFER_SCHEMA_PREFIX

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DEFAULT_CONTAINER",
    "DEFAULT_PLACEMENT",
    "STORED_SCHEMA",
    "Store",
    "offer_of",
    "receipt",
    "timestamp",
]

#: The container id of the Adobe docs' examples.
DEFAULT_CONTAINER = DOCS_CONTAINER
#: The placement of the seed document's example, there from the start.
DEFAULT_PLACEMENT = SEED_PLACEMENT
#: What stored fallback offers report in ``schemas`` (the docs' list results).
STORED_SCHEMA = f"{OFFER_SCHEMA_PREFIX}fallback-offer;version=0.5"
FAKE_USER = "0000000000000000FAKE0000@AdobeID"
FAKE_CLIENT = "contract-kit-fake"


def timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC with microseconds, as the docs' examples write dates."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Store:
    """Everything the fake keeps between calls; every value is JSON, stored as answered."""

    container_id: str = DEFAULT_CONTAINER
    sandbox: str = "prod"
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    instances: dict[str, dict[str, Any]] = field(default_factory=dict)
    placements: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The instanceId of each stored ``@id`` (an offer's ``@id`` never changes), so the
    #: store finds an offer by ``@id`` at once and forgets a deleted one: it stays small.
    offer_ids: dict[str, str] = field(default_factory=dict)
    _last: dt.datetime | None = None

    def now(self) -> str:
        """The current time, never earlier than a time already handed out."""
        moment = self.clock()
        if self._last is not None and moment <= self._last:
            moment = self._last + dt.timedelta(microseconds=1)
        self._last = moment
        return timestamp(moment)

    def new_offer_id(self) -> str:
        """A fresh fallback-offer ``@id``: 16 random lowercase hex digits, like the docs' ids.

        It names no stored offer; one deleted long ago comes back once in 2**64 draws.
        """
        while self.holds_offer(offer_id := f"xcore:fallback-offer:{secrets.token_hex(8)}"):
            pass  # pragma: no cover - a collision of 64 random bits
        return offer_id

    def insert(self, instance: dict[str, Any]) -> dict[str, Any]:
        """Store a new instance (a fresh ``@id`` given if it has none) and return its envelope.

        The store keeps ``instance`` itself: callers hand over a value nobody else holds.
        """
        instance.setdefault("@id", self.new_offer_id())
        instance_id = str(uuid.uuid1())
        now = self.now()
        envelope = {
            "instanceId": instance_id,
            "schemas": [STORED_SCHEMA],
            "productContexts": ["acp"],
            "repo:etag": 1,
            "repo:createdDate": now,
            "repo:lastModifiedDate": now,
            "repo:createdBy": FAKE_USER,
            "repo:lastModifiedBy": FAKE_USER,
            "repo:createdByClientId": FAKE_CLIENT,
            "repo:lastModifiedByClientId": FAKE_CLIENT,
            "_instance": instance,
            "_links": {
                "self": {
                    "name": f"{STORED_SCHEMA}#{instance_id}",
                    "href": f"/{self.container_id}/instances/{instance_id}",
                    "@type": STORED_SCHEMA,
                }
            },
            "sandboxName": self.sandbox,
        }
        self.instances[instance_id] = envelope
        self.offer_ids[instance["@id"]] = instance_id
        return envelope

    def remove(self, instance_id: str) -> dict[str, Any]:
        """Delete an instance; return its envelope."""
        envelope = self.instances.pop(instance_id)
        self.offer_ids.pop(envelope["_instance"]["@id"], None)
        return envelope

    def offer(self, offer_id: str) -> dict[str, Any] | None:
        """The envelope of the stored (not deleted) instance with this ``@id``, or None."""
        # A test may delete from ``instances`` itself: the index is checked against it.
        envelope = self.instances.get(self.offer_ids.get(offer_id, ""))
        if envelope is None or envelope["_instance"].get("@id") != offer_id:
            return None
        return envelope

    def holds_offer(self, offer_id: str) -> bool:
        """Whether a stored (not deleted) instance has this ``@id``."""
        return self.offer(offer_id) is not None

    def replace(self, instance_id: str, instance: dict[str, Any]) -> dict[str, Any]:
        """Store a new version of an instance (handed over, as to insert): etag + 1, date now."""
        envelope = self.instances[instance_id]
        envelope["_instance"] = instance
        self.touch(instance_id)
        return envelope

    def touch(self, instance_id: str) -> int:
        """Count one modification of an instance, as any writer's would."""
        envelope = self.instances[instance_id]
        envelope["repo:etag"] += 1
        envelope["repo:lastModifiedDate"] = self.now()
        return int(envelope["repo:etag"])

    def container(self) -> dict[str, Any]:
        """The container as discovery lists it."""
        return {
            "instanceId": self.container_id,
            "schemas": ["https://ns.adobe.com/experience/xcore/container;version=0.5"],
            "productContexts": ["acp"],
            "repo:etag": 1,
            "repo:createdDate": "2020-09-01T10:00:00.000000Z",
            "repo:lastModifiedDate": "2020-09-01T10:00:00.000000Z",
            "_instance": {
                "containerType": "decisioning",
                "repo:name": self.sandbox,
                "dataCenter": "va7",
                "parentName": "ims-org",
                "parentId": "0000000000000000FAKE0000@AdobeOrg",
            },
            "_links": {"self": {"href": f"/containers/{self.container_id}"}},
        }


def offer_of(body: Any) -> dict[str, Any]:
    """The offer a create or update body carries (bare or under ``_instance``), copied to keep."""
    return copy.deepcopy(body.get("_instance", body))


def receipt(envelope: dict[str, Any]) -> dict[str, Any]:
    """The receipt of a write: the envelope's identity and bookkeeping, nothing of the offer."""
    keys = (
        "instanceId",
        "repo:etag",
        "repo:createdDate",
        "repo:lastModifiedDate",
        "repo:createdBy",
        "repo:lastModifiedBy",
        "repo:createdByClientId",
        "repo:lastModifiedByClientId",
    )
    return {"@id": envelope["_instance"]["@id"], **{key: envelope[key] for key in keys}}
