"""Break one rule in a valid instance of a kind, and say where, which rule, and how.

Breaks come from the schemas: a required list becomes deletions, a name rule misspellings,
each keyword of a member its own bad values (see _strategies_misses). Two rules only code
checks are broken by hand: a placement used twice, a modification dated before the creation,
a recommended member left out or left empty.
Each break starts from a valid draw forced to hold the object it breaks, so none is wasted.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from hypothesis import assume
from hypothesis import strategies as st

from contract_kit.core.decision_scope import encoded_scope
from contract_kit.core.kinds import code_only_rules
from contract_kit.core.object_kinds import Guardrail, object_kinds, values_at
from contract_kit.core.violation import join_pointer, split_pointer
from contract_kit.strategies.build import Context, forbidden, kind_values, recommended, values
from contract_kit.strategies.misses import leaf_breaks
from contract_kit.strategies.schema import branch_of, items_of, root_chain, site_of
from contract_kit.strategies.values import json_values, render_date_time, texts
from contract_kit.strategies.walk import locate, sites

if TYPE_CHECKING:
    from collections.abc import Callable

    from hypothesis.strategies import DrawFn, SearchStrategy

    from contract_kit.strategies.schema import Chain, Site, Tokens

__all__ = ["Case", "breaks", "delete_at", "get_at", "set_at"]

#: What a break draws: the instance, the pointer and rule of the violation it carries, and how.
Case = tuple[Any, str, str, str]

_CREATED, _MODIFIED = "repo:createdDate", "repo:lastModifiedDate"
_START, _END = "xdm:startDate", "xdm:endDate"
_REPRESENTATIONS, _PLACEMENT = "xdm:representations", "xdm:placement"
_SCOPE, _SCOPED_BY = "xdm:scope", ("xdm:activity", "xdm:placement")


def get_at(doc: Any, tokens: Tokens) -> Any:
    """The value at ``tokens``, or None."""
    for token in tokens:
        try:
            doc = doc[token]
        except (KeyError, IndexError, TypeError):
            return None
    return doc


def set_at(doc: Any, tokens: Tokens, value: Any) -> Any:
    """A copy of ``doc`` with ``value`` at ``tokens`` (an index one past the end appends)."""
    if not tokens:
        return value
    head, rest = tokens[0], tokens[1:]
    if isinstance(doc, list):
        copy: Any = list(doc)
        index = int(head)
        if index == len(copy):
            copy.append(set_at(None, rest, value))
        else:
            copy[index] = set_at(copy[index], rest, value)
        return copy
    copy = dict(doc) if isinstance(doc, dict) else {}
    copy[head] = set_at(copy.get(head), rest, value)
    return copy


def delete_at(doc: Any, tokens: Tokens) -> Any:
    """A copy of ``doc`` without the member at ``tokens``."""
    parent = get_at(doc, tokens[:-1])
    return set_at(doc, tokens[:-1], {k: v for k, v in parent.items() if k != tokens[-1]})


def _label(tokens: Tokens, kind: str) -> str:
    named = [t for t in tokens if isinstance(t, str)]
    return named[-1] if named else f"the {kind}"


@st.composite
def _at_site(
    draw: DrawFn,
    kind: str,
    base: SearchStrategy[Any],
    site: Site,
    op: Callable[[DrawFn, Any, Tokens], Case],
) -> Case:
    instance = draw(base)
    places = [tokens for tokens, found in locate(kind, instance) if found.key == site.key]
    assume(places)  # the base is forced to hold the site; this only guards a schema surprise
    return op(draw, instance, draw(st.sampled_from(places)))


def _deleting(
    name: str, rule: str = "required", unless: tuple[str, ...] = ()
) -> Callable[[DrawFn, Any, Tokens], Case]:
    """Delete a member, and the members whose presence would excuse its absence."""

    def op(_draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        for other in unless:
            if other in get_at(instance, tokens):
                instance = delete_at(instance, [*tokens, other])
        where = [*tokens, name]
        return delete_at(instance, where), join_pointer(where), rule, f"{name}: missing"

    return op


def _deleting_when(
    member: str, values: tuple[Any, ...], name: str, rule: str = "required"
) -> Callable[[DrawFn, Any, Tokens], Case]:
    def op(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        value = draw(st.sampled_from(values))
        instance = set_at(instance, [*tokens, member], value)
        where = [*tokens, name]
        how = f"{name}: missing although {member} is {value!r}"
        return delete_at(instance, where), join_pointer(where), rule, how

    return op


def _switched(
    member: str, value: Any, chains: dict[str, Chain], op: Callable[[DrawFn, Any, Tokens], Case]
) -> Callable[[DrawFn, Any, Tokens], Case]:
    """Set the switching member to ``value``, redraw the members it governs, then break one."""

    def switched(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        instance = set_at(instance, [*tokens, member], value)
        for name, nodes in chains.items():
            if name in get_at(instance, tokens):
                instance = set_at(instance, [*tokens, name], draw(values(nodes, Context(), name)))
        return op(draw, instance, tokens)

    return switched


def _leaving_out(name: str, *, empty: bool) -> Callable[[DrawFn, Any, Tokens], Case]:
    """Delete a recommended member, or (``empty``) leave its array without items."""

    def op(_draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        where = [*tokens, name]
        if empty:
            return set_at(instance, where, []), join_pointer(where), "recommended", f"{name}: []"
        return delete_at(instance, where), join_pointer(where), "recommended", f"{name}: missing"

    return op


def _misspellings(site: Site) -> list[tuple[str, str]]:
    """Typos of the site's own names that stay in an owned namespace: (typo, meant)."""
    assert site.names is not None  # noqa: S101 - only called for sites with a name rule
    known, reserved = site.names.known, site.names.reserved
    found: dict[str, str] = {}
    for name in sorted(known):
        cut = name.index(":") + 1 if ":" in name else 1
        head, body = name[:cut], name[cut:]
        variants = [body[:i] + body[i + 1] + body[i] + body[i + 2 :] for i in range(len(body) - 1)]
        variants += [body[:i] + body[i + 1 :] for i in range(len(body))]
        variants += [body[:1].swapcase() + body[1:], body + "s"]
        for variant in variants:
            typo = head + variant
            if typo not in known and reserved.search(typo) and typo not in found:
                found[typo] = name
    found.update(
        {f"{space}unknown": "" for space in ("xdm:", "dc:", "repo:", "@") if reserved.search(space)}
    )
    return sorted(found.items())


def _misspelling(site: Site) -> Callable[[DrawFn, Any, Tokens], Case]:
    typos = st.sampled_from(_misspellings(site))
    rule = site.names.rule if site.names else "unknown-key"

    def op(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        typo, meant = draw(typos)
        target = get_at(instance, tokens)
        if meant and meant in target:
            renamed = {(typo if k == meant else k): v for k, v in target.items()}
            how = f'{typo}: a misspelling of "{meant}"'
        else:
            renamed = {**target, typo: draw(json_values())}
            how = f"{typo}: a member the contract does not define in its namespace"
        return set_at(instance, tokens, renamed), join_pointer([*tokens, typo]), rule, how

    return op


def _setting(
    name: str, bad: SearchStrategy[tuple[Any, str]], rule: str, shape: str
) -> Callable[[DrawFn, Any, Tokens], Case]:
    """Put a bad value at a member (``shape`` "member"), one of its items, or one of its entries."""

    def op(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        value, how = draw(bad)
        where: Tokens = [*tokens, name]
        current = get_at(instance, where)
        if shape == "item":
            size = len(current) if isinstance(current, list) else 0
            where.append(draw(st.integers(0, size)))
            if not isinstance(current, list):
                instance, where[-1] = set_at(instance, where[:-1], []), 0
        elif shape == "entry":
            keys = sorted(current) if isinstance(current, dict) else []
            where.append(
                draw(st.sampled_from(keys) | texts(max_size=8) if keys else texts(max_size=8))
            )
        return (
            set_at(instance, where, value),
            join_pointer(where),
            rule,
            f"{_label(where, '')}: {how}",
        )

    return op


def _date_order() -> Callable[[DrawFn, Any, Tokens], Case]:
    def op(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        # hypothesis takes naive bounds and puts the zone on the values it draws
        low, high = dt.datetime(1971, 1, 1), dt.datetime(9999, 12, 30)  # noqa: DTZ001
        moment = draw(st.datetimes(low, high, timezones=st.just(dt.UTC)))
        earlier = moment - dt.timedelta(seconds=draw(st.integers(1, 10**8)))
        digits = st.sampled_from((6, 3, 0, 9))
        offsets = st.sampled_from((0, 60, -300, 330))

        def local(at: dt.datetime, offset: int) -> dt.datetime:
            return at.astimezone(dt.timezone(dt.timedelta(minutes=offset))).replace(tzinfo=None)

        first, second = draw(offsets), draw(offsets)
        created = render_date_time(local(moment, first), first, draw(digits))
        modified = render_date_time(local(earlier, second), second, draw(digits))
        instance = set_at(
            set_at(instance, [*tokens, _CREATED], created), [*tokens, _MODIFIED], modified
        )
        how = f"{_MODIFIED}: {modified} is before {_CREATED} {created}"
        return instance, join_pointer([*tokens, _MODIFIED]), "date-order", how

    return op


def _date_range() -> Callable[[DrawFn, Any, Tokens], Case]:
    def op(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        low, high = dt.datetime(1971, 1, 1), dt.datetime(9999, 12, 30)  # noqa: DTZ001
        moment = draw(st.datetimes(low, high, timezones=st.just(dt.UTC)))
        earlier = moment - dt.timedelta(seconds=draw(st.integers(1, 10**8)))
        start = render_date_time(moment.replace(tzinfo=None), 0, draw(st.sampled_from((0, 3))))
        end = render_date_time(earlier.replace(tzinfo=None), 0, draw(st.sampled_from((0, 3))))
        instance = set_at(set_at(instance, [*tokens, _START], start), [*tokens, _END], end)
        how = f"{_END}: {end} is before {_START} {start}"
        return instance, join_pointer([*tokens, _END]), "date-range", how

    return op


def _duplicate_placement() -> Callable[[DrawFn, Any, Tokens], Case]:
    def op(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        representations = list(get_at(instance, [*tokens, "xdm:representations"]))
        if len(representations) == 1:
            representations.append(dict(representations[0]))
        later = draw(st.integers(1, len(representations) - 1))
        earlier = draw(st.integers(0, later - 1))
        placement = representations[earlier]["xdm:placement"]
        representations[later] = {**representations[later], "xdm:placement": placement}
        instance = set_at(instance, [*tokens, "xdm:representations"], representations)
        where = [*tokens, "xdm:representations", later, "xdm:placement"]
        how = f"xdm:placement: {placement} already has representation {earlier}"
        return instance, join_pointer(where), "duplicate-placement", how

    return op


def _both_or_neither(site: Site, *, both: bool) -> Callable[[DrawFn, Any, Tokens], Case]:
    """Give an object every one of its exclusive members, or none of them."""

    def op(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        target = get_at(instance, tokens)
        if both:
            for name in site.exclusive:
                if name not in target:
                    member = draw(values(site.members[name], Context(), name, site.where))
                    instance = set_at(instance, [*tokens, name], member)
            how = f"{' and '.join(site.exclusive)} together"
        else:
            for name in site.exclusive:
                if name in target:
                    instance = delete_at(instance, [*tokens, name])
            how = f"neither {' nor '.join(site.exclusive)}"
        return instance, join_pointer(tokens), site.exclusive_rule, f"{_label(tokens, '')}: {how}"

    return op


def _alone(
    site: Site, name: str, op: Callable[[DrawFn, Any, Tokens], Case]
) -> Callable[[DrawFn, Any, Tokens], Case]:
    """Break an exclusive member after removing the others, so only the break is reported."""

    def alone(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        for other in site.exclusive:
            if other != name and other in get_at(instance, tokens):
                instance = delete_at(instance, [*tokens, other])
        return op(draw, instance, tokens)

    return alone


def _misscoped() -> Callable[[DrawFn, Any, Tokens], Case]:
    def op(draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        proposition = get_at(instance, tokens)
        ids = [str(proposition.get(part, {}).get("xdm:id")) for part in _SCOPED_BY]
        candidates = (
            (encoded_scope(ids[1], ids[0]), "the activity and placement swapped"),
            (encoded_scope(ids[0], f"{ids[1]}-other"), "another placement"),
            (encoded_scope(f"{ids[0]}-other", ids[1]), "another activity"),
            ("bm90IGpzb24=", "base64 of text that is no JSON"),
            ("{not base64}", "no base64"),
        )
        own = encoded_scope(*ids)
        wrong = draw(st.sampled_from([pair for pair in candidates if pair[0] != own]))
        where = [*tokens, _SCOPE]
        how = f"{_SCOPE}: {wrong[1]}"
        return set_at(instance, where, wrong[0]), join_pointer(where), "scope", how

    return op


def _recommended_ops(site: Site) -> list[tuple[str, Callable[[DrawFn, Any, Tokens], Case]]]:
    ops = []
    for name in recommended(site):
        if name not in site.required:  # xdm:components must be there, only its items may not
            ops.append(("recommended", _leaving_out(name, empty=False)))
        if items_of(site.members[name]) is not None:
            ops.append(("recommended", _leaving_out(name, empty=True)))
    return ops


def _conditional_ops(site: Site) -> list[tuple[str, Callable[[DrawFn, Any, Tokens], Case]]]:
    ops = []
    for conditional in site.conditionals:
        rule = conditional.rule
        for name in conditional.required:
            if conditional.member:
                ops.append(
                    (rule, _deleting_when(conditional.member, conditional.values, name, rule))
                )
            elif name not in site.required:
                ops.append((rule, _deleting(name, rule, conditional.unless)))
    for switch in site.switches:
        for choices, chains in switch.cases:
            for value in choices:
                for name, nodes in chains.items():
                    ops.extend(
                        (
                            rule,
                            _switched(
                                switch.member, value, dict(chains), _setting(name, bad, rule, shape)
                            ),
                        )
                        for shape, broken in (("member", nodes), ("item", items_of(nodes)))
                        if broken is not None
                        for rule, bad in leaf_breaks(broken)
                    )
    return ops


def _over_bytes(limit: Guardrail) -> Callable[[DrawFn, Any, Tokens], Case]:
    def op(_draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        assert limit.max_bytes is not None  # noqa: S101 - only called for byte limits
        text = "\u00e9" * (limit.max_bytes // 2 + 1)  # 2 bytes each: over in bytes, not characters
        where = [*tokens, *split_pointer(limit.pointer)]
        how = f"{len(text.encode())} UTF-8 bytes, over the guardrail of {limit.max_bytes}"
        return set_at(instance, where, text), join_pointer(where), "guardrail", how

    return op


def _distinct(value: Any, index: int) -> Any:
    """A value like ``value`` but distinct per ``index`` (an id keeps its kind's prefix)."""
    head, _, _ = str(value).rpartition(":")
    return f"{head}:{index:x}" if head else f"{value}-{index}"


def _over_distinct(limit: Guardrail) -> Callable[[DrawFn, Any, Tokens], Case]:
    array, _, rest = limit.pointer.removeprefix("/").partition("/*")

    def op(_draw: DrawFn, instance: Any, tokens: Tokens) -> Case:
        assert limit.max_distinct is not None  # noqa: S101 - only called for distinct limits
        first = get_at(instance, [*tokens, array, 0])
        copies = []
        for index in range(limit.max_distinct + 1):
            item = copy.deepcopy(first)
            for pointer, value in list(values_at(item, rest or "")):
                item = set_at(item, list(split_pointer(pointer)), _distinct(value, index))
            copies.append(item)
        instance = set_at(instance, [*tokens, array], copies)
        found = list(values_at(copies[-1], rest or ""))
        where = [*tokens, array, limit.max_distinct, *split_pointer(found[0][0])]
        how = (
            f"{limit.max_distinct + 1} distinct values, over the guardrail of {limit.max_distinct}"
        )
        return instance, join_pointer(where), "guardrail", how

    return op


def _guardrail_ops(site: Site) -> list[tuple[str, Callable[[DrawFn, Any, Tokens], Case]]]:
    """Breaks of the body guardrails the table gives the kind whose instance ``site`` is."""
    stems = [n.where.partition(".schema.json#/$defs/instance")[0] for n in site.nodes]
    names = {k.name: k for k in object_kinds()}
    ops: list[tuple[str, Callable[[DrawFn, Any, Tokens], Case]]] = []
    for stem in stems:
        for limit in names[stem].guardrails if stem in names else ():
            first = split_pointer(limit.pointer)[0]
            if first not in site.members or forbidden(site.members[first]):
                continue  # a legacy member: breaking it there is legacy-form first
            if limit.max_bytes is not None:
                ops.append(("guardrail", _over_bytes(limit)))
            elif limit.max_distinct is not None and "/*" in limit.pointer:
                ops.append(("guardrail", _over_distinct(limit)))
    return ops


def _code_ops(kind: str, site: Site) -> list[tuple[str, Callable[[DrawFn, Any, Tokens], Case]]]:
    """Breaks of the rules only code checks, where the kind's code rules look."""
    code = code_only_rules(kind)
    ops: list[tuple[str, Callable[[DrawFn, Any, Tokens], Case]]] = []
    if "date-order" in code and {_CREATED, _MODIFIED} <= site.members.keys():
        ops.append(("date-order", _date_order()))
    if "date-range" in code and {_START, _END} <= site.members.keys():
        ops.append(("date-range", _date_range()))
    if "guardrail" in code:
        ops.extend(_guardrail_ops(site))
    if "scope" in code and _SCOPE in site.members and set(_SCOPED_BY) <= site.members.keys():
        ops.append(("scope", _misscoped()))
    if "duplicate-placement" in code and _REPRESENTATIONS in site.members:
        items = items_of(site.members[_REPRESENTATIONS])
        if items is not None and _PLACEMENT in (site_of(items) or site).members:
            ops.append(("duplicate-placement", _duplicate_placement()))
    return ops


def _site_ops(kind: str, site: Site) -> list[tuple[str, Callable[[DrawFn, Any, Tokens], Case]]]:
    ops = [("required", _deleting(name)) for name in site.required if name not in site.keep]
    ops.extend(_conditional_ops(site))
    if site.names is not None:
        ops.append((site.names.rule, _misspelling(site)))
    if site.exclusive:
        ops.extend(
            (site.exclusive_rule, _both_or_neither(site, both=both)) for both in (True, False)
        )
    for name, member in site.members.items():
        if name in site.never:
            continue
        member_ops = [
            (rule, _setting(name, bad, rule, "member")) for rule, bad in leaf_breaks(member)
        ]
        items = items_of(member)
        if items is not None:
            member_ops.extend(
                (rule, _setting(name, bad, rule, "item")) for rule, bad in leaf_breaks(items)
            )
        for node in member:
            if isinstance(node.schema.get("additionalProperties"), dict):
                entries = (node.child("additionalProperties"),)
                member_ops.extend(
                    (rule, _setting(name, bad, rule, "entry")) for rule, bad in leaf_breaks(entries)
                )
        if name in site.exclusive:
            member_ops = [(rule, _alone(site, name, op)) for rule, op in member_ops]
        ops.extend(member_ops)
    ops.extend(_recommended_ops(site))
    ops.extend(_code_ops(kind, site))
    return ops


def _whole(kind: str, rule: str) -> Callable[[tuple[Any, str]], Case]:
    """Make a bad value the whole instance."""
    return lambda pair: (pair[0], "", rule, f"the {kind}: {pair[1]}")


def _root_breaks(kind: str, base: SearchStrategy[Any]) -> list[tuple[str, SearchStrategy[Case]]]:
    nodes: Chain = root_chain(kind)
    branch = branch_of(nodes)
    if branch is not None:
        nodes = branch.otherwise  # what a value that is no object is checked against
    found = [(rule, bad.map(_whole(kind, rule))) for rule, bad in leaf_breaks(nodes)]
    items = items_of(nodes)
    if items is not None:
        for rule, bad in leaf_breaks(items):
            found.append((rule, _root_item(base, bad, rule, kind)))
    return found


@st.composite
def _root_item(
    draw: DrawFn,
    base: SearchStrategy[Any],
    bad: SearchStrategy[tuple[Any, str]],
    rule: str,
    kind: str,
) -> Case:
    instance = draw(base)
    index = draw(st.integers(0, len(instance)))
    value, how = draw(bad)
    return (
        set_at(instance, [index], value),
        join_pointer([index]),
        rule,
        f"item {index} of the {kind}: {how}",
    )


def breaks(
    kind: str, bases: Callable[[Context], SearchStrategy[Any]] | None = None, *, root: bool = True
) -> dict[str, list[SearchStrategy[Case]]]:
    """Every break of a kind, by the rule id each carries.

    ``bases`` draws the valid instances to break (the kind's own valid values by default);
    ``root`` says whether to break the whole value's type too.
    """
    draw_base = bases or (lambda ctx: kind_values(kind, ctx))
    found: dict[str, list[SearchStrategy[Case]]] = defaultdict(list)
    for site, labels, force in sites(kind).values():
        ctx = Context(branch=labels[0] if len(labels) == 1 else "", force=force)
        base = draw_base(ctx)
        for rule, op in _site_ops(kind, site):
            found[rule].append(_at_site(kind, base, site, op))
    if root:
        for rule, strategy in _root_breaks(kind, draw_base(Context())):
            found[rule].append(strategy)
    return dict(found)
