"""The fake's state: a container per sandbox, each holding instances of every stored kind.

A container keeps one table per kind (``object_kinds()``), all keyed by instanceId, and one
index from ``@id`` to instanceId over all of them: an ``@id``'s prefix names its kind, so a
reference is resolved with two dictionary reads however many objects the container holds.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_kit.core.examples import DOCS_CONTAINER, SEED_PLACEMENT
from contract_kit.core.formats import UUID
from contract_kit.core.object_kinds import (
    documented_body,
    kind_of_id,
    object_kind,
    object_kinds,
    values_at,
)
from contract_kit.core.operations import CONTAINER_SCHEMA
from contract_kit.fake.decision_state import DecisionState

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "DEFAULT_CONTAINER",
    "DEFAULT_PLACEMENT",
    "DEFAULT_SANDBOX",
    "Container",
    "Deletion",
    "Store",
    "check_sandbox",
    "default_placement",
    "kind_named_by",
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
#: The date of what a container holds from the start: itself and its default placement.
FROM_THE_START = "2020-09-01T10:00:00.000000Z"
FAKE_USER = "0000000000000000FAKE0000@AdobeID"
FAKE_CLIENT = "contract-kit-fake"


def timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC with microseconds, as the docs' examples write dates."""
    utc = moment.astimezone(dt.UTC)
    if utc.year < 1000:  # strftime writes such a year with fewer digits than isoformat
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # isoformat is strftime's text (+00:00 for Z) at a third of its cost, on every write.
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def utc_now() -> dt.datetime:
    """The fake's clock unless a test gives its own: now, in UTC."""
    return dt.datetime.now(dt.UTC)


#: The second ``micros_timestamp`` wrote last, and its text up to the fraction.
_second: tuple[int, str] = (-1, "")


def micros_timestamp(micros: int) -> str:
    """``timestamp`` of the moment ``micros`` microseconds after the Unix epoch (year 1000 on).

    The system clock's dates, written without a datetime: the text up to the second is
    written once a second, for every write within it.
    """
    global _second  # noqa: PLW0603 - one entry, replaced whole, so threads may share it
    seconds, fraction = divmod(micros, 1_000_000)
    held = _second
    if held[0] != seconds:
        held = _second = (seconds, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)))
    return f"{held[1]}.{fraction:06d}Z"


#: A sandbox name as the ``x-sandbox-name`` header gives it (lower case, digits, inner dashes).
SANDBOX_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
#: The sandbox a call without ``x-sandbox-name`` goes to, as the Platform docs say.
DEFAULT_SANDBOX = "prod"


def sandbox_id(name: str) -> str:
    """The sandbox's uuid (a container's ``parentId``): stable, so runs and recordings agree."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"contract-kit:sandbox:{name}"))


#: Draws the digits of new ``@id``s: names, not secrets, so no system call per create (as
#: ``secrets`` makes). Its own generator: a test seeding ``random`` changes none of them.
_IDS = random.Random()  # noqa: S311 - see above

#: The clock sequence of this process's instanceIds (uuid1's, drawn once): with the node, the
#: part of every id that never changes, written once (variant bits 10, as RFC 9562 has them).
_CLOCK_SEQUENCE = secrets.randbits(14)
_ID_TAIL = f"-{0x8000 | _CLOCK_SEQUENCE:04x}-{uuid.getnode():012x}"
#: uuid1's count of 100 ns since the Gregorian calendar began, at the Unix epoch.
_GREGORIAN_EPOCH = 0x01B21DD213814000
_ID_LOCK = threading.Lock()
_last_stamp = 0


def new_instance_id() -> str:
    """A fresh instanceId: a time-based UUID, as the service's are (and as uuid1 makes them).

    Written from the time at once instead of through ``uuid.UUID``, at a fifth of the cost:
    a create makes one. The time never repeats in this process, so neither does an id.
    """
    global _last_stamp  # noqa: PLW0603 - the one counter every store of the process shares
    with _ID_LOCK:
        stamp = max(time.time_ns() // 100 + _GREGORIAN_EPOCH, _last_stamp + 1)
        _last_stamp = stamp
    return time_uuid(stamp)


def time_uuid(stamp: int) -> str:
    """The version 1 UUID of a 60-bit time ``stamp`` with this process's node and sequence."""
    high = 0x1000 | (stamp >> 48) & 0x0FFF
    return f"{stamp & 0xFFFFFFFF:08x}-{(stamp >> 32) & 0xFFFF:04x}-{high:04x}{_ID_TAIL}"


def new_container_id(name: str) -> str:
    """The container id a sandbox added without one gets: stable per sandbox name."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"contract-kit:container:{name}"))


@dataclass
class Deletion:
    """What one DELETE came to, as its Location's poll reports it (``body``'s ``outcome``).

    The next ``polls_left`` polls answer 202, as while the service still decides.
    """

    body: dict[str, Any]
    polls_left: int = 0


def kind_named_by(at_id: str) -> str:
    """The kind whose prefix an ``@id`` the fake itself holds carries."""
    kind = kind_of_id(at_id)
    if kind is None:  # pragma: no cover - the fake's own ids all carry a known prefix
        raise ValueError(f"{at_id} names no stored kind")
    return kind.name


def default_placement() -> dict[str, Any]:
    """The placement every container starts with: the documented one, under the seed's ``@id``."""
    return {**documented_body(kind_named_by(DEFAULT_PLACEMENT)), "@id": DEFAULT_PLACEMENT}


@dataclass
class Container:
    """One sandbox's decisioning container: its own instances of every kind and ``@id`` scope."""

    container_id: str
    sandbox: str
    now: Callable[[], str]
    product_contexts: tuple[str, ...] = ("acp",)
    #: Each kind's stored instances by instanceId, as a read returns them.
    kinds: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {kind.name: {} for kind in object_kinds()}
    )
    #: The instanceId of each stored ``@id`` (an ``@id`` never changes), so the container
    #: finds an object by ``@id`` at once and forgets a deleted one: it stays small.
    at_ids: dict[str, str] = field(default_factory=dict)
    #: For each kind's unique member (the table's ``unique``), the instanceIds holding each
    #: value: a create among 20,000 offers finds a reused name without reading them all.
    unique_index: dict[tuple[str, str], dict[str, dict[str, None]]] = field(default_factory=dict)
    #: The outcome of each delete by its deletion id, for the poll of its Location.
    deletions: dict[str, Deletion] = field(default_factory=dict)
    #: Moves on with every change to the stored objects (decisions rebuild their rankings).
    version: int = 0
    #: The Decisioning runtime's caps, profiles and traces for this container.
    decisions: DecisionState = field(default_factory=DecisionState)

    def new_id(self, kind: str) -> str:
        """A fresh ``@id`` of ``kind``: its prefix and 16 random lowercase hex digits.

        It names no stored object; one deleted long ago comes back once in 2**64 draws.
        """
        prefix = object_kind(kind).id_prefix
        at_id = f"{prefix}{_IDS.getrandbits(64):016x}"
        # An @id the index has never held names no stored object: by_at_id finds objects
        # through the index alone, so only a drawn id the index knows needs its read.
        while at_id in self.at_ids and self.by_at_id(at_id) is not None:
            at_id = f"{prefix}{_IDS.getrandbits(64):016x}"  # pragma: no cover - 64 bits met
        return at_id

    def kind_of(self, instance_id: str) -> str | None:
        """The kind of the stored instance ``instance_id``, or None when there is none."""
        return next((kind for kind, held in self.kinds.items() if instance_id in held), None)

    def envelope(self, instance_id: str) -> dict[str, Any] | None:
        """The stored instance ``instance_id`` of any kind, or None."""
        kind = self.kind_of(instance_id)
        return None if kind is None else self.kinds[kind][instance_id]

    def all_envelopes(self) -> list[dict[str, Any]]:
        """Every stored instance, kind by kind in the table's order, oldest first in each."""
        return [envelope for held in self.kinds.values() for envelope in held.values()]

    def insert(self, kind: str, instance: dict[str, Any], *, dated: str = "") -> dict[str, Any]:
        """Store a new instance of ``kind`` (a fresh ``@id`` if it has none); return its envelope.

        The container keeps ``instance`` itself: callers hand over a value nobody else holds.
        ``dated`` gives the dates instead of the clock (for what is there from the start).
        """
        instance.setdefault("@id", self.new_id(kind))
        schema = object_kind(kind).stored_schema
        instance_id = new_instance_id()
        now = dated or self.now()
        envelope = {
            "instanceId": instance_id,
            "schemas": [schema],
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
                    "name": f"{schema}#{instance_id}",
                    "href": f"/{self.container_id}/instances/{instance_id}",
                    "@type": schema,
                }
            },
            # The container's sandbox, whatever x-sandbox-name the create sent.
            "sandboxName": self.sandbox,
        }
        self.kinds[kind][instance_id] = envelope
        self.version += 1
        self.at_ids[instance["@id"]] = instance_id
        self._index(kind, instance_id, instance, add=True)
        return envelope

    def _index(self, kind: str, instance_id: str, instance: object, *, add: bool) -> None:
        for unique in object_kind(kind).unique:
            held = self.unique_index.get((kind, unique.pointer))
            if held is None:
                held = self.unique_index[kind, unique.pointer] = {}
            for _, value in values_at(instance, unique.pointer):
                if not isinstance(value, str):
                    continue
                if add:
                    held.setdefault(value, {})[instance_id] = None
                elif value in held:
                    held[value].pop(instance_id, None)
                    if not held[value]:
                        del held[value]

    def holding(
        self, kind: str, pointer: str, value: str, besides: str | None = None
    ) -> dict[str, Any] | None:
        """The oldest instance of ``kind`` but ``besides`` whose member at ``pointer`` is ``value``.

        None if there is none. One dictionary read, however many instances share the value.
        """
        holders = self.unique_index.get((kind, pointer))
        for instance_id in holders.get(value, ()) if holders else ():
            envelope = self.kinds[kind].get(instance_id)
            # A test may change or delete an instance itself: its current value decides.
            if instance_id == besides or envelope is None:
                continue
            for _, held in values_at(envelope["_instance"], pointer):
                if held == value:
                    return envelope
        return None

    def remove(self, instance_id: str) -> dict[str, Any]:
        """Delete an instance of any kind; return its envelope."""
        kind = str(self.kind_of(instance_id))
        envelope = self.kinds[kind].pop(instance_id)
        self.version += 1
        self.at_ids.pop(envelope["_instance"]["@id"], None)
        self._index(kind, instance_id, envelope["_instance"], add=False)
        return envelope

    def by_at_id(self, at_id: str) -> dict[str, Any] | None:
        """The envelope of the stored (not deleted) object with this ``@id``, or None."""
        kind = kind_of_id(at_id)
        return None if kind is None else self.stored_as(kind.name, at_id)

    def stored_as(self, kind: str, at_id: str) -> dict[str, Any] | None:
        """:meth:`by_at_id` for an ``@id`` whose kind (by its prefix) the caller has read."""
        # A test may delete from ``instances`` itself: the index is checked against it.
        envelope = self.kinds[kind].get(self.at_ids.get(at_id, ""))
        if envelope is None or envelope["_instance"].get("@id") != at_id:
            return None
        return envelope

    def replace(self, instance_id: str, instance: dict[str, Any]) -> dict[str, Any]:
        """Store a new version of an instance (handed over, as to insert): etag + 1, date now."""
        kind = str(self.kind_of(instance_id))
        envelope = self.kinds[kind][instance_id]
        self._index(kind, instance_id, envelope["_instance"], add=False)
        envelope["_instance"] = instance
        self.version += 1
        self._index(kind, instance_id, instance, add=True)
        self.touch(instance_id)
        return envelope

    def touch(self, instance_id: str) -> int:
        """Count one modification of an instance, as any writer's would."""
        envelope = self.kinds[str(self.kind_of(instance_id))][instance_id]
        envelope["repo:etag"] += 1
        self.version += 1
        envelope["repo:lastModifiedDate"] = self.now()
        return int(envelope["repo:etag"])

    def listing(self) -> dict[str, Any]:
        """The container as discovery lists it, in the shape of a recorded listing."""
        return {
            "instanceId": self.container_id,
            "schemas": [CONTAINER_SCHEMA],
            "productContexts": list(self.product_contexts),
            "repo:etag": 1,
            "repo:createdDate": FROM_THE_START,
            "repo:lastModifiedDate": FROM_THE_START,
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
    clock: Callable[[], dt.datetime] = field(default=utc_now)
    #: The containers by container id, in the order their sandboxes were added.
    containers: dict[str, Container] = field(default_factory=dict, init=False)
    _last: dt.datetime | None = None
    #: The last time the system clock gave, in microseconds since the epoch.
    _last_micros: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.add_sandbox(DEFAULT_SANDBOX, self.container_id)
        for name, container_id in self.sandboxes.items():
            if name != DEFAULT_SANDBOX:
                self.add_sandbox(name, container_id)

    def now(self) -> str:
        """The current time, never earlier than a time already handed out."""
        if self.clock is utc_now:  # read as an integer: a datetime costs more than the date
            self._last_micros = max(time.time_ns() // 1000, self._last_micros + 1)
            return micros_timestamp(self._last_micros)
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
        # Dated with the container, so a test's clock starts with the test's own objects.
        container.insert(
            kind_named_by(DEFAULT_PLACEMENT), default_placement(), dated=FROM_THE_START
        )
        self.containers[wanted] = container
        return container

    def sandbox(self, name: str) -> Container | None:
        """The container of sandbox ``name``, or None when the fake holds no such sandbox."""
        return next((c for c in self.containers.values() if c.sandbox == name), None)

    @property
    def default(self) -> Container:
        """Prod's container: where seeding goes, and what ``instances`` shows."""
        return self.containers[self.container_id.lower()]

    def holder(self, instance_id: str) -> Container:
        """The container holding a stored instance (KeyError when none does)."""
        found = next((c for c in self.containers.values() if c.kind_of(instance_id)), None)
        if found is None:
            raise KeyError(instance_id)
        return found

    def touch(self, instance_id: str) -> int:
        """Count one modification of a stored instance of any container."""
        return self.holder(instance_id).touch(instance_id)


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
    """The object a create or update body carries (bare or under ``_instance``), copied to keep."""
    copied: dict[str, Any] = json_copy(body.get("_instance", body))
    return copied


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON value, made on every write at a fifth of ``copy.deepcopy``'s cost.

    What JSON cannot hold (a tuple, a dict subclass) is copied by ``copy.deepcopy``.
    """
    kind = type(value)
    if kind is dict:
        return {key: json_copy(item) for key, item in value.items()}
    if kind is list:
        return [json_copy(item) for item in value]
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


_IMMUTABLE = frozenset((str, int, float, bool, type(None)))


def receipt(envelope: dict[str, Any]) -> dict[str, Any]:
    """The receipt of a write: the envelope's identity and bookkeeping, nothing of the object."""
    body = {"@id": envelope["_instance"]["@id"]}
    for key in _RECEIPT_KEYS:  # one dict, filled in place: a receipt is written per write
        body[key] = envelope[key]
    return body


_RECEIPT_KEYS = (
    "instanceId",
    "repo:etag",
    "repo:createdDate",
    "repo:lastModifiedDate",
    "repo:createdBy",
    "repo:lastModifiedBy",
    "repo:createdByClientId",
    "repo:lastModifiedByClientId",
)
