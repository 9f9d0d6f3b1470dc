"""The fake's state: a container per sandbox, each with its placements and fallback offers."""

from __future__ import annotations

import copy
import datetime as dt
import re
import secrets
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_kit.core.examples import DOCS_CONTAINER, SEED_PLACEMENT
from contract_kit.core.formats import UUID
from contract_kit.core.operations import CONTAINER_SCHEMA, OFFER_SCHEMA_PREFIX

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "DEFAULT_CONTAINER",
    "DEFAULT_PLACEMENT",
    "DEFAULT_SANDBOX",
    "STORED_SCHEMA",
    "Container",
    "Store",
    "check_sandbox",
    "new_container_id",
    "offer_of",
    "receipt",
    "sandbox_id",
    "timestamp",
]

#: The container id of the Adobe docs' examples.
DEFAULT_CONTAINER = DOCS_CONTAINER
#: The placement of the seed document's example, there from the start.
DEFAULT_PLACEMENT = SEED_PLACEMENT
#: What stored fallback offers report in ``schemas`` (the docs' list results).
STORED_SCHEMA = f"{OFFER_SCHEMA_PREFIX}fallback-offer;version=0.5"
WEB = "https://ns.adobe.com/xdm/channel-types/web"
FAKE_USER = "0000000000000000FAKE0000@AdobeID"
FAKE_CLIENT = "contract-kit-fake"


def timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC with microseconds, as the docs' examples write dates."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


#: A sandbox name as the ``x-sandbox-name`` header gives it (lower case, digits, inner dashes).
SANDBOX_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
#: The sandbox a call without ``x-sandbox-name`` goes to, as the Platform docs say.
DEFAULT_SANDBOX = "prod"


def sandbox_id(name: str) -> str:
    """The sandbox's uuid (a container's ``parentId``): stable, so runs and recordings agree."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"contract-kit:sandbox:{name}"))


def new_container_id(name: str) -> str:
    """The container id a sandbox added without one gets: stable per sandbox name."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"contract-kit:container:{name}"))


@dataclass
class Container:
    """One sandbox's decisioning container: its own instances, placements and ``@id`` scope."""

    container_id: str
    sandbox: str
    now: Callable[[], str]
    product_contexts: tuple[str, ...] = ("acp",)
    instances: dict[str, dict[str, Any]] = field(default_factory=dict)
    placements: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The instanceId of each stored ``@id`` (an offer's ``@id`` never changes), so the
    #: container finds an offer by ``@id`` at once and forgets a deleted one: it stays small.
    offer_ids: dict[str, str] = field(default_factory=dict)

    def new_offer_id(self) -> str:
        """A fresh fallback-offer ``@id``: 16 random lowercase hex digits, like the docs' ids.

        It names no stored offer; one deleted long ago comes back once in 2**64 draws.
        """
        while self.holds_offer(offer_id := f"xcore:fallback-offer:{secrets.token_hex(8)}"):
            pass  # pragma: no cover - a collision of 64 random bits
        return offer_id

    def insert(self, instance: dict[str, Any]) -> dict[str, Any]:
        """Store a new instance (a fresh ``@id`` given if it has none) and return its envelope.

        The container keeps ``instance`` itself: callers hand over a value nobody else holds.
        """
        instance.setdefault("@id", self.new_offer_id())
        instance_id = str(uuid.uuid1())
        now = self.now()
        envelope = {
            "instanceId": instance_id,
            "schemas": [STORED_SCHEMA],
            "productContexts": list(self.product_contexts),
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
            # The container's sandbox, whatever x-sandbox-name the create sent.
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

    def listing(self) -> dict[str, Any]:
        """The container as discovery lists it, in the shape of a recorded listing."""
        return {
            "instanceId": self.container_id,
            "schemas": [CONTAINER_SCHEMA],
            "productContexts": list(self.product_contexts),
            "repo:etag": 1,
            "repo:createdDate": "2020-09-01T10:00:00.000000Z",
            "repo:lastModifiedDate": "2020-09-01T10:00:00.000000Z",
            "repo:createdBy": FAKE_USER,
            "repo:lastModifiedBy": FAKE_USER,
            "repo:createdByClientId": FAKE_CLIENT,
            "repo:lastModifiedByClientId": FAKE_CLIENT,
            "_instance": {
                "containerType": "decisioning",
                "repo:name": f"{self.sandbox} decisioning",
                "dataCenter": "VA7",
                # Clients find their sandbox's container by this name (aepctl, the previewer).
                "parentName": self.sandbox,
                "parentId": sandbox_id(self.sandbox),
            },
            "_links": {"self": {"href": f"/containers/{self.container_id}"}},
        }


@dataclass
class Store:
    """Everything the fake keeps between calls: one container per sandbox, prod's first.

    ``sandboxes`` names the sandboxes besides prod, each with its container id (prod may be
    named too, with ``container_id``). Every value kept is JSON, stored as answered.
    """

    container_id: str = DEFAULT_CONTAINER
    sandboxes: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    #: The containers by container id, in the order their sandboxes were added.
    containers: dict[str, Container] = field(default_factory=dict, init=False)
    _last: dt.datetime | None = None

    def __post_init__(self) -> None:
        self.add_sandbox(DEFAULT_SANDBOX, self.container_id)
        for name, container_id in self.sandboxes.items():
            if name != DEFAULT_SANDBOX:
                self.add_sandbox(name, container_id)

    def now(self) -> str:
        """The current time, never earlier than a time already handed out."""
        moment = self.clock()
        if self._last is not None and moment <= self._last:
            moment = self._last + dt.timedelta(microseconds=1)
        self._last = moment
        return timestamp(moment)

    def add_sandbox(self, name: str, container_id: str | None = None) -> Container:
        """Add a sandbox with its (empty) container; raise ValueError for a clash or a bad id."""
        __tracebackhide__ = True
        check_sandbox(name, container_id)
        wanted = (container_id or new_container_id(name)).lower()
        held = self.sandbox(name)
        if held is not None:
            raise ValueError(f"sandbox {name!r} exists already, with container {held.container_id}")
        if wanted in self.containers:
            other = self.containers[wanted].sandbox
            raise ValueError(
                f"container {wanted} belongs to sandbox {other!r} already; a container belongs "
                "to one sandbox: give another id, or none for a new one"
            )
        container = Container(wanted, name, self.now)
        container.placements[DEFAULT_PLACEMENT] = {"@id": DEFAULT_PLACEMENT, "xdm:channel": WEB}
        self.containers[wanted] = container
        return container

    def sandbox(self, name: str) -> Container | None:
        """The container of sandbox ``name``, or None when the fake holds no such sandbox."""
        return next((c for c in self.containers.values() if c.sandbox == name), None)

    @property
    def default(self) -> Container:
        """Prod's container: where seeding goes, and what ``instances`` shows."""
        return self.containers[self.container_id.lower()]

    @property
    def instances(self) -> dict[str, dict[str, Any]]:
        """Prod's stored instances by instanceId."""
        return self.default.instances

    @property
    def placements(self) -> dict[str, dict[str, Any]]:
        """Prod's placements by ``@id``."""
        return self.default.placements

    @property
    def offer_ids(self) -> dict[str, str]:
        """Prod's ``@id`` index."""
        return self.default.offer_ids

    def insert(self, instance: dict[str, Any]) -> dict[str, Any]:
        """Store a new instance in prod's container (see :meth:`Container.insert`)."""
        return self.default.insert(instance)

    def touch(self, instance_id: str) -> int:
        """Count one modification of a stored instance of any container."""
        holder = next(c for c in self.containers.values() if instance_id in c.instances)
        return holder.touch(instance_id)


def check_sandbox(name: object, container_id: object = None) -> None:
    """Refuse a sandbox name no header could send, or a container id that is no UUID."""
    __tracebackhide__ = True
    if not isinstance(name, str) or not SANDBOX_NAME.fullmatch(name):
        raise ValueError(
            f"sandbox name {name!r}: expected a name as x-sandbox-name sends it, in lower case "
            'with digits and inner dashes, such as "prod" or "dev-1"'
        )
    if container_id is not None and not (
        isinstance(container_id, str) and UUID.fullmatch(container_id)
    ):
        raise ValueError(
            f"container id {container_id!r} of sandbox {name!r}: expected a UUID such as "
            f"{DEFAULT_CONTAINER!r}, or none for a new one"
        )


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
