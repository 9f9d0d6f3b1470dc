"""Build a strategy of valid values for any bundled schema, keyword by keyword.

Members, required lists, enums, patterns, formats and bounds all come from the schema, so a
new member or rule reaches the strategies without an edit here; a keyword this module cannot
satisfy raises SchemaBundleError when the strategy is built. Two rules only code checks are
kept by construction: placements are unique, and no date is modified before it is created.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from contract_kit.core.decision_scope import encoded_scope
from contract_kit.core.formats import ecma
from contract_kit.core.messages import rule_for
from contract_kit.errors import SchemaBundleError
from contract_kit.strategies.conditions import ARM, arm_chains, dispatch_arms, failures, has_arms
from contract_kit.strategies.media import accepts, content_types
from contract_kit.strategies.schema import (
    Node,
    branch_of,
    chain,
    identity,
    items_of,
    keywords,
    root_chain,
    site_of,
)
from contract_kit.strategies.values import (
    DATE_PAIRS,
    FORMAT_VALUES,
    MEMBER_VALUES,
    RULE_VALUES,
    json_values,
    order_dates,
    texts,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hypothesis.strategies import DrawFn, SearchStrategy

    from contract_kit.strategies.schema import Chain, Site

__all__ = ["Context", "extension_names", "kind_values", "recommended", "scoped", "values"]

#: Keywords a leaf value may carry; any other one is a schema change this module must learn.
_LEAF_KEYWORDS = frozenset(
    {"type", "enum", "pattern", "format", "minLength", "minItems", "maxItems", "minimum", "maximum",
     "not", "if", "then", "else", "items", "additionalProperties", "maxProperties",
     "minProperties"}
)  # fmt: skip
_SITE_KEYWORDS = frozenset(
    {"type", "properties", "required", "propertyNames", "allOf", "anyOf", "if", "then"}
)
_ARRAY_KEYWORDS = frozenset({"type", "items", "minItems", "maxItems"})
_BRANCH_KEYWORDS = frozenset({"if", "then", "else"})


def _check(nodes: Chain, allowed: frozenset[str]) -> None:
    for keyword, _, node in keywords(nodes):
        if keyword not in allowed:
            raise _unsupported(node, keyword)


#: Members no schema requires but every example shows (the ``recommended`` code rule of
#: contract_kit/core/code_rules.py): valid draws always hold them, arrays with an item.
_RECOMMENDED = {
    "fallback-offer.schema.json#/$defs/instance": ("xdm:representations",),
    "fallback-offer.schema.json#/$defs/representation": ("xdm:channel", "xdm:components"),
    "container-list.schema.json#/$defs/container/properties/_instance": ("containerType",),
}
_MAX_ITEMS = {"xdm:representations": 3, "xdm:components": 2, "results": 2}
#: Arrays whose items are unique by a member (duplicate-placement).
_UNIQUE_BY = {"xdm:representations": "xdm:placement"}
_JSON_INT = 2**53 - 1
_EXTENSION_VALUES = st.one_of(
    texts(max_size=12), st.integers(), st.lists(texts(max_size=6), max_size=2)
)
_HEADER_VALUES: Mapping[str, SearchStrategy[Any]] = {
    "accept": accepts(),
    "content-type": content_types(),
}
#: A call without a body sends no Content-Type, and its Accept is the caller's: placeholders,
#: dropped or replaced, so a draw does not pay for media types it throws away.
_BODILESS_HEADER_VALUES: Mapping[str, SearchStrategy[Any]] = {
    "accept": st.just(""),
    "content-type": st.just(""),
}
_REALISTIC_EXTENSIONS = ("offerui:previewThumbnail", "offerui:lastEditor", "acme:campaign")
_EXTENSION_SPACES = ("acme", "offerui", "x")
#: A proposition's scope encodes its own activity and placement ids (the ``scope`` code rule).
_SCOPE, _SCOPED_BY = "xdm:scope", ("xdm:activity", "xdm:placement")


@dataclass(frozen=True)
class Context:
    """What a draw is restricted to.

    ``restrict`` maps an ``x-rule`` to the enum values allowed (e.g. some channels);
    ``branch`` picks ``"then"`` or ``"else"`` at a root ``if``; ``force`` holds
    ``(site where, member)`` pairs that must be present, arrays with at least one item;
    ``bodiless`` leaves request headers' Accept and Content-Type empty, for the caller to fill.
    """

    restrict: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    branch: str = ""
    force: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    bodiless: bool = False

    def allowed(self, rule: str) -> tuple[Any, ...] | None:
        """The enum values allowed for ``rule``, if restricted."""
        return dict(self.restrict).get(rule)


def _unsupported(node: Node, keyword: str) -> SchemaBundleError:
    return SchemaBundleError(
        f"{node.where}: contract_kit.strategies cannot generate or break the keyword "
        f"{keyword!r}; teach contract_kit/strategies/build.py and breaks.py about it"
    )


def forbidden(nodes: Chain) -> bool:
    """Whether a member's schema refuses every value (``"not": {}``): never generated."""
    return any("not" in node.schema for node in nodes)


def extension_names(site: Site) -> SearchStrategy[str]:
    """Member names outside the namespaces the contract owns, as vendors write them."""
    names = site.names
    assert names is not None  # noqa: S101 - callers only ask for sites with a name rule
    taken = set(site.members) | site.keep | site.never
    for name in (*_REALISTIC_EXTENSIONS, *(f"{space}:" for space in _EXTENSION_SPACES)):
        if name in taken or names.reserved.search(name):
            raise SchemaBundleError(
                f"{site.where}: {name!r} is now a member or in an owned namespace; "
                "contract_kit/strategies/build.py must draw vendor members from another one"
            )
    spaced = st.builds("{}:{}".format, st.sampled_from(_EXTENSION_SPACES), texts(max_size=10))
    return st.one_of(st.sampled_from(_REALISTIC_EXTENSIONS), spaced)


def _merge(members: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    return {**members, **extra}


def scoped(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` with its ``xdm:scope``, if any, naming its own activity and placement."""
    parts = [value.get(part) for part in _SCOPED_BY]
    if _SCOPE in value and all(isinstance(part, dict) for part in parts):
        ids = (str(part.get("xdm:id")) for part in parts if isinstance(part, dict))
        value = {**value, _SCOPE: encoded_scope(*ids)}
    return value


def _exclusive(
    site: Site, ctx: Context, strategy: SearchStrategy[dict[str, Any]]
) -> SearchStrategy[dict[str, Any]]:
    """Add exactly one of the site's exclusive members (the forced one, if one is)."""
    forced = [name for name in site.exclusive if (site.where, name) in ctx.force]
    return st.one_of(
        [
            st.builds(
                _merge,
                strategy,
                st.fixed_dictionaries({name: values(site.members[name], ctx, name, site.where)}),
            )
            for name in forced or site.exclusive
        ]
    )


@st.composite
def _conditioned(
    draw: DrawFn, base: SearchStrategy[dict[str, Any]], site: Site, ctx: Context
) -> dict[str, Any]:
    value = draw(base)
    for switch in site.switches:
        for name, member in switch.chosen(value.get(switch.member)).items():
            if name in value:
                value[name] = draw(values(member, ctx, name, site.where))
    for conditional in site.conditionals:
        if conditional.member and value.get(conditional.member) in conditional.values:
            for name in conditional.required:
                if name not in value:
                    chosen = site.members.get(name)
                    value[name] = draw(values(chosen, ctx, name) if chosen else json_values())
    return value


def recommended(site: Site) -> tuple[str, ...]:
    """The members of ``site`` a valid draw holds although its schema does not require them."""
    return tuple(
        dict.fromkeys(name for node in site.nodes for name in _RECOMMENDED.get(node.where, ()))
    )


def _object(site: Site, ctx: Context) -> SearchStrategy[dict[str, Any]]:
    if recommended(site):
        ctx = replace(ctx, force=ctx.force | {(site.where, name) for name in recommended(site)})
    missing = [name for name in site.required if name not in site.members]
    if missing:
        raise SchemaBundleError(
            f"{site.where}: required member {missing[0]!r} has no schema under properties, so "
            "contract_kit.strategies cannot generate it"
        )
    required: dict[str, SearchStrategy[Any]] = {}
    optional: dict[str, SearchStrategy[Any]] = {}
    # Members an allOf item requires whatever the instance holds (or unless a legacy member
    # is there, which valid draws never hold): a valid draw always has them.
    always = {name for c in site.conditionals if not c.member for name in c.required}
    for name, member in site.members.items():
        if name in site.never or name in site.exclusive or forbidden(member):
            continue
        needed = name in site.required or name in always or (site.where, name) in ctx.force
        (required if needed else optional)[name] = values(member, ctx, name, site.where)
    strategy = st.fixed_dictionaries(required, optional=optional)
    # Half the draws carry no optional member: smaller examples generate faster. An object
    # with only optional members always may hold some, or its deep members are seldom drawn.
    if optional and required:
        strategy = st.one_of(st.fixed_dictionaries(required), strategy)
    # A closed object (its reserved pattern matches every name) takes no vendor member.
    if site.names is not None and site.names.reserved.search("") is None:
        extensions = st.dictionaries(extension_names(site), _EXTENSION_VALUES, max_size=1)
        strategy = st.builds(_merge, strategy, extensions)
    return _kept(site, ctx, strategy)


def _kept(
    site: Site, ctx: Context, strategy: SearchStrategy[dict[str, Any]]
) -> SearchStrategy[dict[str, Any]]:
    """Objects of ``strategy`` made to keep the rules between members of ``site``."""
    if site.exclusive:
        strategy = _exclusive(site, ctx, strategy)
    if site.conditionals or site.switches:
        strategy = _conditioned(strategy, site, ctx)
    if _SCOPE in site.members and set(_SCOPED_BY) <= site.members.keys():
        strategy = strategy.map(scoped)
    if any({early, late} <= site.members.keys() for early, late in DATE_PAIRS):
        strategy = strategy.map(order_dates)
    return strategy


def _unique_key(member: str) -> Any:
    key = _UNIQUE_BY[member]
    return lambda item: item.get(key) if isinstance(item, dict) else id(item)


def _array(nodes: Chain, items: Chain, ctx: Context, name: str, owner: str) -> SearchStrategy[Any]:
    low = max((int(n.schema.get("minItems", 0)) for n in nodes), default=0)
    if (owner, name) in ctx.force:
        low = max(low, 1)
    high = max(low, _MAX_ITEMS.get(name, 3))
    high = min([high, *(int(n.schema["maxItems"]) for n in nodes if "maxItems" in n.schema)])
    unique = _unique_key(name) if name in _UNIQUE_BY else None
    return st.lists(values(items, ctx, name), min_size=low, max_size=high, unique_by=unique)


def _typed(kind: str, found: dict[str, tuple[Any, Node]], ctx: Context) -> SearchStrategy[Any]:
    bound = {k: found[k][0] for k in ("minimum", "maximum", "minLength") if k in found}
    if kind == "string":
        return texts(min_size=int(bound.get("minLength", 0)))
    if kind == "integer":
        return st.integers(bound.get("minimum", -_JSON_INT), bound.get("maximum", _JSON_INT))
    if kind == "number":
        floats = st.floats(
            bound.get("minimum"), bound.get("maximum"), allow_nan=False, allow_infinity=False
        )
        return st.one_of(
            st.integers(bound.get("minimum", -_JSON_INT), bound.get("maximum", _JSON_INT)), floats
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "object":
        if "additionalProperties" in found:
            extra = found["additionalProperties"][1]
            inner = values(_child_chain(extra, "additionalProperties"), ctx, "")
            most = min(4, int(found.get("maxProperties", (4, None))[0]))
            least = int(found.get("minProperties", (0, None))[0])
            return st.dictionaries(texts(max_size=12), inner, min_size=least, max_size=most)
        return st.dictionaries(texts(max_size=8), json_values(), max_size=2)
    if kind == "array":
        return st.lists(json_values(), max_size=3)
    raise _unsupported(next(iter(found.values()))[1], f"type {kind}")


def _child_chain(node: Node, *tokens: str) -> Chain:
    return chain(node.child(*tokens))


def _conditional_value(
    found: dict[str, tuple[Any, Node]], ctx: Context, name: str
) -> SearchStrategy[Any]:
    """A value under ``"if": {"minLength": n}, "then": {...}``: shorter, or what ``then`` says."""
    condition, node = found["if"]
    if set(condition) != {"minLength"}:
        raise _unsupported(node, f"if {sorted(condition)}")
    rest = {k: v for k, v in node.schema.items() if k not in {"if", "then"}}
    merged = Node({**rest, **node.schema["then"]}, node.base, node.where + "/then")
    short = texts(max_size=int(condition["minLength"]) - 1)
    return st.one_of(short, values((merged,), ctx, name))


def _armed(nodes: Chain, ctx: Context, name: str) -> SearchStrategy[Any]:
    """A value under a value-level ``if``: drawn from the arms that name values, as admitted."""
    arms = arm_chains(nodes, RULE_VALUES)
    plain = tuple(
        Node(
            {k: v for k, v in n.schema.items() if k not in {"if", "then", "else"}}, n.base, n.where
        )
        for n in nodes
    )
    sources = [values(arm, ctx, name) for arm in arms] or [_leaf(plain, ctx, name)]
    return st.one_of(sources).filter(lambda value: not failures(nodes, value))


def _patterned(pattern: str, node: Node) -> SearchStrategy[Any]:
    rule = str(node.schema.get("x-rule", ""))
    if rule in RULE_VALUES:  # by construction; the filter only guards a pattern that moved
        return RULE_VALUES[rule](node).filter(ecma(pattern).search)
    return st.from_regex(node.schema["pattern"], fullmatch=True)  # untaught: slow, but right


def _leaf(nodes: Chain, ctx: Context, name: str) -> SearchStrategy[Any]:
    found = {keyword: (value, node) for keyword, value, node in keywords(nodes)}
    for keyword, (_, node) in found.items():
        if keyword not in _LEAF_KEYWORDS:
            raise _unsupported(node, keyword)
    if "enum" in found:
        enum, node = found["enum"]
        return st.sampled_from(ctx.allowed(rule_for("enum", node.schema)) or tuple(enum))
    if has_arms(nodes):
        return _armed(nodes, ctx, name)
    if "if" in found:
        return _conditional_value(found, ctx, name)
    headers = _BODILESS_HEADER_VALUES if ctx.bodiless else _HEADER_VALUES
    strategy: SearchStrategy[Any] | None = MEMBER_VALUES.get(name, headers.get(name))
    if strategy is None and "pattern" in found:
        strategy = _patterned(*found["pattern"])
    if strategy is None and "format" in found:
        strategy = _formatted(found)
    if strategy is None:
        kind, _ = found.get("type", (None, None))
        if kind is None:
            strategy = json_values()
        else:
            kinds = kind if isinstance(kind, list) else [kind]
            strategy = st.one_of([_typed(str(one), found, ctx) for one in kinds])
    return strategy


def _formatted(found: dict[str, tuple[Any, Node]]) -> SearchStrategy[Any]:
    fmt, node = found["format"]
    if fmt not in FORMAT_VALUES:
        raise _unsupported(node, f"format {fmt}")
    strategy = FORMAT_VALUES[fmt]()
    if "minLength" in found:  # only an empty URI reference is short: a relative one fills it
        least = int(found["minLength"][0])
        strategy = strategy.map(lambda text: text if len(text) >= least else text + "x" * least)
    return strategy


@functools.cache
def values(nodes: Chain, ctx: Context, name: str = "", owner: str = "") -> SearchStrategy[Any]:
    """Valid values of a chain of subschemas; ``name`` is the member they are the value of."""
    arms = dispatch_arms(nodes)
    if arms is not None:
        chosen = [arm for _, arm in arms if (ARM, identity(arm)) in ctx.force]
        return st.one_of([values(arm, ctx) for arm in chosen or [arm for _, arm in arms]])
    branch = branch_of(nodes)
    if branch is not None:
        _check(nodes, _BRANCH_KEYWORDS)
        then, otherwise = branch.sites
        # The branch without discriminators first: the plain form is what draws shrink to.
        picked = {"then": [then], "else": [otherwise]}.get(ctx.branch, [otherwise, then])
        return st.one_of([_object(site, ctx) for site in picked])
    site = site_of(nodes)
    if site is not None:
        _check(nodes, _SITE_KEYWORDS)
        return _object(site, ctx)
    items = items_of(nodes)
    if items is not None:
        _check(nodes, _ARRAY_KEYWORDS)
        return _array(nodes, items, ctx, name, owner)
    return _leaf(nodes, ctx, name)


def kind_values(kind: str, ctx: Context | None = None) -> SearchStrategy[Any]:
    """Valid instances of a bundled kind."""
    return values(root_chain(kind), ctx or Context())
