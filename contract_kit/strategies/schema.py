"""What the strategies read from the bundled schemas: object sites, members, branches, id forms.

Reading these from the schemas instead of restating them keeps the strategies in step with the
contract. A schema construct they cannot follow raises SchemaBundleError when a strategy is
built: a strategy never goes stale in silence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contract_kit.core.formats import ecma
from contract_kit.core.messages import rule_for
from contract_kit.core.references import bundled_document, resolve
from contract_kit.core.schema_bundle import kinds, schema_uri, subschemas
from contract_kit.core.violation import escape_token
from contract_kit.errors import SchemaBundleError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = [
    "Branch",
    "Conditional",
    "IdForm",
    "Node",
    "Site",
    "Switch",
    "branch_of",
    "id_form",
    "id_forms",
    "identity",
    "items_of",
    "keywords",
    "root_chain",
    "site_of",
]

Chain = tuple["Node", ...]
Tokens = list[str | int]

_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description"})
_ID_PATTERN = re.compile(
    r"\^(?P<scheme>[a-z-]+:)(?:(?P<name>[a-z-]+)|\(\?:(?P<names>[a-z|-]+)\)):"
    r"\[0-9a-f\]\{(?P<low>\d+),(?P<high>\d+)\}\$"
)


@dataclass(frozen=True, eq=False)
class Node:
    """A subschema, the ``$id`` its references resolve against, and where it is (for errors).

    Two nodes at the same place are the same node, so chains and sites can be cached.
    """

    schema: Mapping[str, Any]
    base: str
    where: str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node) and (self.base, self.where) == (other.base, other.where)

    def __hash__(self) -> int:
        return hash((self.base, self.where))

    def child(self, *tokens: str | int) -> Node:
        """The subschema at ``tokens`` below this one."""
        schema: Any = self.schema
        for token in tokens:
            schema = schema[token]
        return Node(schema, self.base, self.where + "".join("/" + escape_token(t) for t in tokens))


@functools.cache
def _documents() -> dict[str, dict[str, Any]]:
    found = {uri: bundled_document(uri) for uri in map(schema_uri, kinds())}
    return {uri: document for uri, document in found.items() if document is not None}


def _lookup(ref: str, base: str) -> Node:
    target = resolve(ref, base)
    if not isinstance(target.schema, dict):
        raise SchemaBundleError(f"the strategies follow $ref {ref!r} from {base} only to objects")
    return Node(target.schema, target.uri, f"{target.uri.rsplit('/', 1)[-1]}#{target.fragment}")


@functools.cache
def chain(node: Node) -> Chain:
    """``node`` and every subschema its ``$ref``s lead to, in order."""
    nodes = [node]
    while "$ref" in nodes[-1].schema:
        nodes.append(_lookup(nodes[-1].schema["$ref"], nodes[-1].base))
    return tuple(nodes)


def keywords(nodes: Chain) -> Iterator[tuple[str, Any, Node]]:
    """Every keyword of a chain with its value and the node that holds it (for its x-rule)."""
    for node in nodes:
        for keyword, value in node.schema.items():
            if keyword != "$ref" and keyword not in _ANNOTATIONS and not keyword.startswith("x-"):
                yield keyword, value, node


def identity(nodes: Chain) -> str:
    """Where a chain's own keywords start: a bare ``$ref`` only points elsewhere."""
    for node in nodes:
        if any(True for _ in keywords((node,))):
            return node.where
    return nodes[-1].where


@functools.cache
def items_of(nodes: Chain) -> Chain | None:
    """The chain of an array's ``items`` subschema, if the chain has one."""
    for node in nodes:
        if "items" in node.schema:
            return chain(node.child("items"))
    return None


@dataclass(frozen=True)
class NameRule:
    """A ``propertyNames`` rule: names the site defines, and the namespaces it owns."""

    known: frozenset[str]
    reserved: re.Pattern[str]
    rule: str


@dataclass(frozen=True)
class Conditional:
    """An ``allOf`` item requiring members, and the rule a missing one reports.

    Always (``member`` empty), or when ``member`` is one of ``values``; never when one of
    ``unless`` is present.
    """

    member: str
    values: tuple[Any, ...]
    required: tuple[str, ...]
    rule: str = "required"
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Switch:
    """An ``allOf`` item giving members more schema by a sibling's value.

    ``cases`` pairs the values of ``member`` (empty: any other) with each member's chain, the
    case's subschema first and the member's own after it.
    """

    member: str
    cases: tuple[tuple[tuple[Any, ...], Mapping[str, Chain]], ...]

    def chosen(self, value: object) -> Mapping[str, Chain]:
        """The member chains that hold for ``value`` of the switching member."""
        for values, members in self.cases:
            if not values or value in values:
                return members
        return {}


@dataclass(frozen=True)
class Site:
    """An object schema of the contract, and what generating or breaking its objects needs.

    ``keep`` are members whose presence chooses this site at a branch (never removed);
    ``never`` are members whose presence would choose the other branch (never added);
    ``exclusive`` are members of which an object holds exactly one (its ``anyOf``), and
    ``exclusive_rule`` the rule holding both or neither reports.
    """

    where: str
    nodes: Chain
    required: tuple[str, ...]
    members: Mapping[str, Chain]
    names: NameRule | None
    conditionals: tuple[Conditional, ...]
    switches: tuple[Switch, ...] = ()
    keep: frozenset[str] = frozenset()
    never: frozenset[str] = frozenset()
    exclusive: tuple[str, ...] = ()
    exclusive_rule: str = ""

    @property
    def key(self) -> tuple[str, frozenset[str], frozenset[str]]:
        """What tells two sites apart: where they are, and the branch that chose them."""
        return self.where, self.keep, self.never


def _name_rule(node: Node) -> NameRule:
    names = node.schema["propertyNames"]
    known: set[str] = set()
    reserved: str | None = None
    for branch in names.get("anyOf", ()):
        known.update(branch.get("enum", ()))
        reserved = branch.get("not", {}).get("pattern", reserved)
    if reserved is None or "x-rule" not in names:
        raise SchemaBundleError(
            f"{node.where}/propertyNames: the strategies read propertyNames only as "
            '{"x-rule", "anyOf": [{"enum": known names}, {"not": {"pattern": owned namespaces}}]}'
        )
    return NameRule(frozenset(known), ecma(reserved), str(names["x-rule"]))


_ITEM_FORMS = (
    'the strategies read an allOf item only as {"required": [...]}, '
    '{"if": {"not": {"required": [...]}} or {"not": {"anyOf": [{"required": [m]}, ...]}}, '
    '"then": {"required": [...]}}, or {"if": {"required": [m], "properties": {m: {"enum": '
    '[...]}}}, "then": {"required": [...]} or {"properties": {...}}, "else": ...}'
)


def _enum_condition(condition: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]] | None:
    members = list(condition.get("properties", {}).items())
    if set(condition) != {"required", "properties"} or len(members) != 1:
        return None
    member, schema = members[0]
    if list(condition["required"]) != [member]:
        return None
    if set(schema) == {"const"}:
        return member, (schema["const"],)
    return (member, tuple(schema["enum"])) if set(schema) == {"enum"} else None


def _absent(condition: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The members whose presence turns a ``{"not": ...}`` condition off."""
    if set(condition) != {"not"}:
        return None
    inner = condition["not"]
    if set(inner) == {"required"}:
        return tuple(inner["required"])
    if set(inner) == {"anyOf"} and all(set(item) == {"required"} for item in inner["anyOf"]):
        return tuple(name for item in inner["anyOf"] for name in item["required"])
    return None


def _cases(
    node: Node, members: Mapping[str, Chain]
) -> list[tuple[tuple[Any, ...], dict[str, Chain]]]:
    """The cases of a switch, reading nested ``else`` items as further cases."""
    schema = node.schema
    if set(schema) == {"properties"}:
        return [((), _case_members(node, members))]
    found = _enum_condition(schema.get("if", {}))
    then = schema.get("then", {})
    if found is None or set(then) != {"properties"} or not set(schema) <= {"if", "then", "else"}:
        raise SchemaBundleError(f"{node.where}: {_ITEM_FORMS}")
    cases = [(found[1], _case_members(node.child("then"), members))]
    if "else" in schema:
        cases.extend(_cases(node.child("else"), members))
    return cases


def _case_members(node: Node, members: Mapping[str, Chain]) -> dict[str, Chain]:
    found = {}
    for name in node.schema["properties"]:
        if name not in members:
            raise SchemaBundleError(f"{node.where}/properties/{name}: not a member of the object")
        found[name] = (*chain(node.child("properties", name)), *members[name])
    return found


def _conditional(node: Node, members: Mapping[str, Chain]) -> Conditional | Switch:
    schema = node.schema
    if set(schema) - {"x-rule", "x-message"} == {"required"}:
        return Conditional("", (), tuple(schema["required"]), rule_for("required", schema))
    condition, then = schema.get("if", {}), schema.get("then", {})
    plain_then = set(then) - {"x-rule", "x-message"} == {"required"}
    absent = _absent(condition)
    if absent is not None and plain_then and set(schema) == {"if", "then"}:
        rule = rule_for("required", then)
        return Conditional("", (), tuple(then["required"]), rule, absent)
    found = _enum_condition(condition)
    if found is not None and plain_then and set(schema) == {"if", "then"}:
        return Conditional(found[0], found[1], tuple(then["required"]), rule_for("required", then))
    if found is not None and "properties" in then:
        cases = _cases(node, members)
        return Switch(found[0], tuple((values, dict(chains)) for values, chains in cases))
    raise SchemaBundleError(f"{node.where}: {_ITEM_FORMS}")


def _exclusive(node: Node) -> tuple[str, ...]:
    """The members of an ``anyOf`` of which exactly one is present.

    Read only as ``[{"required": [a], "properties": {b: false}}, {"required": [b], ...}]``.
    """
    found: list[str] = []
    for item in node.schema["anyOf"]:
        required, banned = item.get("required", ()), item.get("properties", {})
        if set(item) != {"required", "properties"} or len(required) != 1:
            found = []
            break
        if any(schema is not False for schema in banned.values()):
            found = []
            break
        found.append(required[0])
    banned_all = {name for item in node.schema["anyOf"] for name in item.get("properties", {})}
    if len(found) < 2 or banned_all != set(found):
        raise SchemaBundleError(
            f"{node.where}/anyOf: the strategies read anyOf on an object only as "
            '[{"required": [a], "properties": {b: false}}, {"required": [b], '
            '"properties": {a: false}}] (exactly one of the members)'
        )
    return tuple(found)


@functools.cache
def site_of(
    nodes: Chain, keep: frozenset[str] = frozenset(), never: frozenset[str] = frozenset()
) -> Site | None:
    """The object site a chain describes, if any of its subschemas defines members."""
    if not any("properties" in node.schema for node in nodes):
        return None
    members: dict[str, Chain] = {}
    required: list[str] = []
    names: NameRule | None = None
    items: list[Conditional | Switch] = []
    exclusive: tuple[str, ...] = ()
    exclusive_rule = ""
    for node in nodes:
        if "anyOf" in node.schema:
            exclusive, exclusive_rule = _exclusive(node), rule_for("anyOf", node.schema)
        for name in node.schema.get("properties", {}):
            members.setdefault(name, chain(node.child("properties", name)))
        required.extend(n for n in node.schema.get("required", ()) if n not in required)
        if "propertyNames" in node.schema:
            names = _name_rule(node)
    for node in nodes:
        items.extend(
            _conditional(node.child("allOf", index), members)
            for index in range(len(node.schema.get("allOf", ())))
        )
        if "if" in node.schema and "properties" in node.schema:  # a condition on its members
            own = {k: node.schema[k] for k in ("if", "then", "else") if k in node.schema}
            items.append(_conditional(Node(own, node.base, node.where), members))
    conditionals = tuple(item for item in items if isinstance(item, Conditional))
    switches = tuple(item for item in items if isinstance(item, Switch))
    where = identity(nodes)
    return Site(
        where,
        nodes,
        tuple(required),
        members,
        names,
        conditionals,
        switches,
        keep,
        never,
        exclusive,
        exclusive_rule,
    )


@dataclass(frozen=True)
class Branch:
    """An ``if``/``then``/``else`` choosing a site by which members are present."""

    discriminators: frozenset[str]
    then: Chain
    otherwise: Chain

    def pick(self, value: object) -> Chain:
        """The chain ``value`` is checked against."""
        chosen = isinstance(value, dict) and self.discriminators <= value.keys()
        return self.then if chosen else self.otherwise

    @functools.cached_property
    def sites(self) -> tuple[Site, Site]:
        """The two sites, each knowing the members that choose it."""
        then = site_of(self.then, keep=self.discriminators)
        otherwise = site_of(self.otherwise, never=self.discriminators)
        if then is None or otherwise is None:
            raise SchemaBundleError("the strategies read if/then/else only between objects")
        return then, otherwise


@functools.cache
def branch_of(nodes: Chain) -> Branch | None:
    """The root-style branch of a chain: ``if`` an object has these members, ``then``/``else``."""
    for node in nodes:
        if "if" not in node.schema or "then" not in node.schema:
            continue
        condition = node.schema["if"]
        if set(condition) != {"type", "required"} or condition["type"] != "object":
            return None  # a condition on a value, read by the value's generator
        names = frozenset(condition["required"])
        return Branch(names, chain(node.child("then")), chain(node.child("else")))
    return None


@functools.cache
def root_chain(kind: str) -> Chain:
    """The chain of a bundled kind's top schema."""
    base = schema_uri(kind)
    return chain(Node(_documents()[base], base, f"{base.rsplit('/', 1)[-1]}#"))


@dataclass(frozen=True)
class IdForm:
    """An xcore id as its pattern spells it: a prefix, then ``low`` to ``high`` hex digits.

    ``prefixes`` holds every prefix a pattern allows (a receipt's ``@id`` may be of any kind);
    ``prefix`` is the first.
    """

    prefix: str
    low: int
    high: int
    prefixes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.prefixes:
            object.__setattr__(self, "prefixes", (self.prefix,))


def id_form(schema: Mapping[str, Any], where: str) -> IdForm:
    """Read the id form of a pattern such as ``^xcore:tag:[0-9a-f]{1,16}$``.

    An alternation of kinds (``^xcore:(?:tag|offer-filter):…``) gives one prefix per kind.
    """
    match = _ID_PATTERN.fullmatch(str(schema.get("pattern", "")))
    if match is None:
        raise SchemaBundleError(
            f"{where}: the strategies read an xcore-id pattern only as "
            "^<prefix>[0-9a-f]{<low>,<high>}$ or ^xcore:(?:<kind>|...):[0-9a-f]{<low>,<high>}$"
        )
    names = (match["name"],) if match["name"] else tuple(match["names"].split("|"))
    prefixes = tuple(f"{match['scheme']}{name}:" for name in names)
    return IdForm(prefixes[0], int(match["low"]), int(match["high"]), prefixes)


@functools.cache
def id_forms() -> tuple[IdForm, ...]:
    """Every xcore id form of one kind in the bundle (for ids of one kind where another belongs)."""
    found = {
        IdForm(prefix, form.low, form.high)
        for uri, document in _documents().items()
        for pointer, sub in subschemas(document)
        if sub.get("x-rule") == "xcore-id"
        for form in (id_form(sub, f"{uri}#{pointer}"),)
        for prefix in form.prefixes
    }
    return tuple(sorted(found, key=lambda form: form.prefix))
