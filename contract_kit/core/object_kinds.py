"""The kinds of object the Offer Library stores, read from one table: ``object-kinds.json``.

A kind is data: its entry (schema id and versions, ``@id`` prefix, which members reference
which kinds, what is read-only or unique, how lint tells it from its content) plus its schema
files (``<kind>.schema.json``, ``<kind>-instance.schema.json``) and its documented create body
(``examples/<kind>.json``). The engine, the fake, lint, the strategies and the OpenAPI export
read this module, so a new kind is a table entry and its files, never code in several places.

Pointers in the table are RFC 6901 inside ``_instance`` (the stored members), with ``*`` for
every item of an array.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from contract_kit.core.pointer_walks import Members, values_at, walk
from contract_kit.core.schema_bundle import bundled_text
from contract_kit.errors import UnknownKindError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "ID_DIGITS",
    "DateRange",
    "Detect",
    "Guardrail",
    "ObjectKind",
    "Reference",
    "ReferenceValue",
    "SchemaName",
    "StoreGuardrail",
    "Unique",
    "documented_body",
    "id_pattern",
    "infer_kind",
    "insertion_order",
    "kind_of_id",
    "kind_of_instance",
    "kind_of_schema_id",
    "object_kind",
    "object_kinds",
    "read_schema_id",
    "reference_values",
    "referrers",
    "schema_prefix",
    "values_at",
]

#: How many lowercase hex digits an ``@id`` ends with: 1 to 16 (the service issues 16).
ID_DIGITS = (1, 16)


class Reference(NamedTuple):
    """A member that names other objects by ``@id``, and the kinds it may name.

    ``when`` chooses the kinds by a sibling member's value: ``(pointer, {value: kinds})``;
    a value the map lacks keeps ``kinds``.
    """

    pointer: str
    kinds: tuple[str, ...]
    when: tuple[str, Mapping[str, tuple[str, ...]]] | None = None

    def kinds_for(self, instance: object) -> tuple[str, ...]:
        """The kinds this member may name in ``instance`` (the ``when`` sibling applied)."""
        if self.when is None:
            return self.kinds
        selector, chosen = self.when
        found = list(values_at(instance, selector))
        value = found[0][1] if found else None
        return chosen.get(value, self.kinds) if isinstance(value, str) else self.kinds


class Unique(NamedTuple):
    """A member unique per container among a kind's objects, and the rule a repeat breaks.

    ``unique-name`` refuses a repeat; ``name-reuse`` only warns of it.
    """

    pointer: str
    rule: str


class StoreGuardrail(NamedTuple):
    """A documented limit on how many objects of ``kinds`` a container holds.

    ``where`` counts only the objects whose members have these values.
    """

    kinds: tuple[str, ...]
    max: int
    where: tuple[tuple[str, object], ...] = ()


class Guardrail(NamedTuple):
    """A documented limit on one body, checked by the code rule ``guardrail``.

    ``pointer`` (``*`` = every item) reaches the values limited: at most ``max_bytes`` UTF-8
    bytes each, or at most ``max_distinct`` distinct values across all of them.
    """

    pointer: str
    max_bytes: int | None = None
    max_distinct: int | None = None


class DateRange(NamedTuple):
    """Two date members the code rule ``date-range`` compares: ``end`` is not before ``start``."""

    start: str
    end: str


class Detect(NamedTuple):
    """How lint tells the kind from a body: by any of its ``signature`` members.

    Kinds are tried by ``priority``, lowest first; ``only`` means the signature members (and
    ``@id``) are all the kind owns.
    """

    signature: tuple[str, ...]
    priority: int
    only: bool = False


class ObjectKind(NamedTuple):
    """One kind of object the Offer Library stores (an entry of ``object-kinds.json``)."""

    name: str
    title: str
    schema_id: str
    versions: tuple[str, ...]
    request_version: str
    stored_version: str
    references: tuple[Reference, ...]
    read_only: tuple[str, ...]
    unique: tuple[Unique, ...]
    store_guardrails: tuple[StoreGuardrail, ...]
    detect: Detect
    status_enum: tuple[str, ...] | None
    #: The rules only code checks on a body of the kind (contract_kit.core.code_rules).
    code_rules: tuple[str, ...] = ()
    guardrails: tuple[Guardrail, ...] = ()
    date_range: DateRange | None = None

    @property
    def id_prefix(self) -> str:
        """What every ``@id`` of the kind starts with: ``xcore:<name>:``."""
        return f"xcore:{self.name}:"

    @property
    def request_schema(self) -> str:
        """The schema id with the version requests send: what messages suggest."""
        return f"{self.schema_id};version={self.request_version}"

    @property
    def stored_schema(self) -> str:
        """The schema id with the version stored instances report in ``schemas``."""
        return f"{self.schema_id};version={self.stored_version}"

    @property
    def body_kind(self) -> str:
        """The bundled kind a create or PUT body is checked as."""
        return self.name

    @property
    def instance_kind(self) -> str:
        """The bundled kind a stored instance (a read's answer) is checked as."""
        return f"{self.name}-instance"


def _tuple(value: object) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else ()


def _reference(entry: Mapping[str, Any]) -> Reference:
    when = entry.get("when")
    chosen = (
        (when["pointer"], {key: tuple(kinds) for key, kinds in when["map"].items()})
        if isinstance(when, Mapping)
        else None
    )
    return Reference(entry["pointer"], tuple(entry["kinds"]), chosen)


def _kind(prefix: str, entry: Mapping[str, Any]) -> ObjectKind:
    detect = entry["detect"]
    status = entry.get("status_enum")
    dates = entry.get("date_range")
    return ObjectKind(
        name=entry["name"],
        title=entry["title"],
        schema_id=prefix + entry["name"],
        versions=tuple(entry["versions"]),
        request_version=entry["request_version"],
        stored_version=entry["stored_version"],
        references=tuple(_reference(item) for item in entry.get("references", ())),
        read_only=_tuple(entry.get("read_only", ["/@id"])),
        unique=tuple(Unique(item["pointer"], item["rule"]) for item in entry.get("unique", ())),
        store_guardrails=tuple(
            StoreGuardrail(
                tuple(item["count"]), item["max"], tuple(dict(item.get("where", {})).items())
            )
            for item in entry.get("store_guardrails", ())
        ),
        detect=Detect(
            tuple(detect["signature"]), detect["priority"], bool(detect.get("only", False))
        ),
        status_enum=tuple(status) if isinstance(status, list) else None,
        code_rules=tuple(entry.get("code_rules", ())),
        guardrails=tuple(
            Guardrail(item["pointer"], item.get("max_bytes"), item.get("max_distinct"))
            for item in entry.get("guardrails", ())
        ),
        date_range=DateRange(dates["start"], dates["end"]) if isinstance(dates, Mapping) else None,
    )


@functools.cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(bundled_text("object-kinds.json"))
    return data


@functools.cache
def _table() -> dict[str, ObjectKind]:
    prefix = schema_prefix()
    return {entry["name"]: _kind(prefix, entry) for entry in _data()["kinds"]}


def schema_prefix() -> str:
    """What the schema id of every stored kind starts with (its name follows)."""
    prefix: str = _data()["schema_prefix"]
    return prefix


def object_kinds() -> tuple[ObjectKind, ...]:
    """Every kind the Offer Library stores, in the table's order (referenced kinds first)."""
    return tuple(_table().values())


def id_pattern() -> str:
    """The pattern of an ``@id`` of any stored kind: ``xcore:<kind>:`` and its hex digits."""
    names = "|".join(kind.name for kind in object_kinds())
    low, high = ID_DIGITS
    return f"^xcore:(?:{names}):[0-9a-f]{{{low},{high}}}$"


def object_kind(name: str) -> ObjectKind:
    """The entry of one stored kind; an unknown name raises the error listing the known ones."""
    table = _table()
    if name not in table:
        raise UnknownKindError(name, tuple(table))
    return table[name]


@functools.cache
def _by_schema_id() -> dict[str, ObjectKind]:
    return {kind.schema_id: kind for kind in _table().values()}


def kind_of_schema_id(schema_id: str) -> ObjectKind | None:
    """The kind a schema id names, with or without its ``;version=`` (the version unchecked)."""
    return _by_schema_id().get(schema_id.split(";", 1)[0].strip())


class SchemaName(NamedTuple):
    """What one schema id a call sends names: the kind (None if no stored kind) and version.

    ``version`` is None for an id without ``;version=``; ``well_formed`` is False for an id
    with some other parameter or a malformed version, which names no kind the service knows.
    """

    kind: ObjectKind | None
    version: str | None
    well_formed: bool

    @property
    def known(self) -> bool:
        """Whether the id names a stored kind in a version the table lists (or none)."""
        return (
            self.kind is not None
            and self.well_formed
            and (self.version is None or self.version in self.kind.versions)
        )


def read_schema_id(value: str) -> SchemaName:
    """Read a schema id as a call sends it, ``<schema id>[;version=<v>]``."""
    uri, _, rest = value.strip().partition(";")
    kind = _by_schema_id().get(uri)
    if not rest:
        return SchemaName(kind, None, well_formed=True)
    name, _, version = rest.partition("=")
    digits = version.replace(".", "")
    well_formed = name == "version" and digits.isascii() and digits.isdigit()
    return SchemaName(kind, version, well_formed=well_formed)


def kind_of_id(at_id: str) -> ObjectKind | None:
    """The kind an ``@id`` names by its ``xcore:<kind>:`` prefix (its digits unchecked)."""
    parts = at_id.split(":")
    if len(parts) != 3 or parts[0] != "xcore":
        return None
    return _table().get(parts[1])


def kind_of_instance(stored: object) -> ObjectKind | None:
    """The kind of a stored instance: by its ``schemas[0]``, else by its ``_instance``'s ``@id``."""
    if not isinstance(stored, Mapping):
        return None
    schemas = stored.get("schemas")
    if isinstance(schemas, list) and schemas and isinstance(schemas[0], str):
        kind = kind_of_schema_id(schemas[0])
        if kind is not None:
            return kind
    inner = stored.get("_instance")
    at_id = inner.get("@id") if isinstance(inner, Mapping) else None
    return kind_of_id(at_id) if isinstance(at_id, str) else None


#: Member names in the namespaces the kinds own; any other member says nothing of the kind.
_OWNED = ("xdm:", "dc:", "repo:", "@")


def infer_kind(body: object) -> ObjectKind | None:
    """The kind a create or PUT body (bare or in the HAL envelope) shows it is, if it shows one.

    An ``@id`` decides; otherwise the kinds' signature members, tried by priority (lowest
    first). A kind marked ``only`` matches when its signature members are all it owns.
    """
    inner = body.get("_instance") if isinstance(body, Mapping) else None
    instance = inner if isinstance(inner, Mapping) else body
    if not isinstance(instance, Mapping):
        return None
    at_id = instance.get("@id")
    if isinstance(at_id, str) and kind_of_id(at_id) is not None:
        return kind_of_id(at_id)
    owned: set[str] | None = None  # read only when an ``only`` kind's turn comes
    for kind, signature, only in _signatures():
        if only:
            if owned is None:
                owned = {name for name in instance if name.startswith(_OWNED) and name != "@id"}
            if owned and owned <= signature:
                return kind
        elif not signature.isdisjoint(instance):
            return kind
    return None


@functools.cache
def _signatures() -> tuple[tuple[ObjectKind, frozenset[str], bool], ...]:
    """Each kind, by priority, with its signature as a set: a lint infers a kind per file."""
    by_priority = sorted(_table().values(), key=lambda kind: kind.detect.priority)
    return tuple((kind, frozenset(kind.detect.signature), kind.detect.only) for kind in by_priority)


class ReferenceValue(NamedTuple):
    """One reference an instance makes: where, to which ``@id``, and the kinds it may name."""

    pointer: str
    target: str
    kinds: tuple[str, ...]


def reference_values(kind: str, instance: object) -> list[ReferenceValue]:
    """Every reference the members of a ``kind`` body make (``_instance``'s, for a stored one).

    String values only: a non-string is the schema's to report.
    """
    found = []
    for reference, read in _reference_walks(kind):
        named = read(instance)
        if named:
            kinds = reference.kinds_for(instance)
            found += [_reference_value((at, v, kinds)) for at, v in named if isinstance(v, str)]
    return found


#: ``ReferenceValue(*fields)`` without the Python frame of a named tuple's ``__new__``.
_reference_value: Callable[[tuple[str, str, tuple[str, ...]]], ReferenceValue] = functools.partial(
    tuple.__new__, ReferenceValue
)


@functools.lru_cache(maxsize=64)
def _reference_walks(kind: str) -> tuple[tuple[Reference, Callable[[object], Members]], ...]:
    """Each reference of ``kind`` with the walk of its pointer: the store reads them per write."""
    return tuple((reference, walk(reference.pointer)) for reference in object_kind(kind).references)


@functools.cache
def referrers(target: str) -> tuple[tuple[str, Reference], ...]:
    """The ``(kind, reference)`` pairs that may name an object of kind ``target``."""
    return tuple(
        (kind.name, reference)
        for kind in _table().values()
        for reference in kind.references
        if target in reference.kinds
        or (reference.when is not None and any(target in ks for ks in reference.when[1].values()))
    )


@functools.cache
def insertion_order() -> tuple[str, ...]:
    """The kinds in an order where each comes after every kind it may reference (for seeding)."""
    table = _table()
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in path:
            msg = f"object-kinds.json: the references cycle through {' -> '.join((*path, name))}"
            raise ValueError(msg)
        for reference in table[name].references:
            targets = set(reference.kinds)
            if reference.when is not None:
                targets.update(*reference.when[1].values())
            for target in sorted(targets):
                visit(target, (*path, name))
        done.append(name)

    for name in table:
        visit(name, ())
    return tuple(done)


def documented_body(name: str) -> dict[str, Any]:
    """The documented create body of a kind (``examples/<kind>.json``), fresh on every call."""
    object_kind(name)
    body: dict[str, Any] = json.loads(bundled_text(f"examples/{name}.json"))
    return body
