"""Where the sites of a kind occur: in an instance (to break it there), and in the schema.

A page's results are checked as the kind each item's ``schemas`` names, so both walks follow
such a dispatch into the arm that checks the item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_kit.strategies.conditions import ARM, dispatch_arms, dispatched
from contract_kit.strategies.schema import (
    branch_of,
    identity,
    items_of,
    root_chain,
    site_of,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from contract_kit.strategies.schema import Chain, Site, Tokens

__all__ = ["locate", "sites"]


def _walk(
    nodes: Chain, value: Any, tokens: Tokens, site: Site | None
) -> Iterator[tuple[Tokens, Site]]:
    branch = branch_of(nodes)
    arm = dispatched(nodes, value) if branch is None and site is None else None
    if arm is not None:
        yield from _walk(arm, value, tokens, None)
        return
    if branch is not None:
        then, otherwise = branch.sites
        site = then if branch.pick(value) is branch.then else otherwise
    elif site is None:
        site = site_of(nodes)
    if site is not None and isinstance(value, dict):
        yield tokens, site
        for name, member in site.members.items():
            if name in value:
                yield from _walk(member, value[name], [*tokens, name], None)
    items = items_of(site.nodes if site is not None else nodes)
    if items is not None and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(items, item, [*tokens, index], None)


def locate(kind: str, instance: object) -> list[tuple[Tokens, Site]]:
    """Every object in ``instance`` that a site checks, with the tokens leading to it."""
    return list(_walk(root_chain(kind), instance, [], None))


def sites(kind: str) -> dict[Any, tuple[Site, tuple[str, ...], frozenset[tuple[str, str]]]]:
    """Every site of a kind, once each, with what it takes to occur.

    With each site: the root branches it occurs under ("then", "else", or "" without a
    branch), and the ``(site where, member)`` pairs a value must hold for the site to occur.
    """
    found: dict[Any, tuple[Site, tuple[str, ...], frozenset[tuple[str, str]]]] = {}
    branch = branch_of(root_chain(kind))
    starts: list[tuple[Chain, Site | None, str]]
    if branch is None:
        starts = [(root_chain(kind), None, "")]
    else:
        then, otherwise = branch.sites
        starts = [(branch.then, then, "then"), (branch.otherwise, otherwise, "else")]
    for nodes, top, label in starts:
        visited: set[Any] = set()
        pending: list[tuple[Chain, Site | None, tuple[tuple[str, str], ...]]] = [(nodes, top, ())]
        while pending:
            current, site, path = pending.pop(0)
            arms = dispatch_arms(current) if site is None else None
            if arms is not None:  # each arm's sites occur when a draw takes that arm
                pending.extend((arm, None, (*path, (ARM, identity(arm)))) for _, arm in arms)
                continue
            site = site or site_of(current)
            if site is not None:
                if site.key in visited:
                    continue
                visited.add(site.key)
                earlier = found.get(site.key)
                labels = (*earlier[1], label) if earlier else (label,)
                found[site.key] = (site, labels, earlier[2] if earlier else frozenset(path))
                pending.extend(
                    (member, None, (*path, (site.where, name)))
                    for name, member in site.members.items()
                )
            items = items_of(site.nodes if site is not None else current)
            if items is not None:
                pending.append((items, None, path or (("", ""),)))
    return found
