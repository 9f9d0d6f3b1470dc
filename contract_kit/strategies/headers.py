"""Request headers as clients send them: any name case, any order, a dict or a list of pairs.

Values are drawn by lower-cased name (the schema's members and a few headers every client
adds), broken there, then written out: each name spelt as the docs, in lower case, Title-Case,
upper case or mixed, in any order, as a dict or as ``(name, value)`` pairs. The rules only code
checks (Accept, Content-Type, its schema parameter, a header sent twice, and the forms the
service takes but the docs write otherwise: no Accept, no version=1, a version-less schema id,
single quotes) are broken here.
"""

from __future__ import annotations

import functools
import string
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from contract_kit.strategies.breaks import Case, breaks, set_at
from contract_kit.strategies.build import Context, kind_values
from contract_kit.strategies.media import (
    accept_misses,
    content_type_misses,
    schema_mismatches,
    single_quoted,
    version_less,
)
from contract_kit.strategies.picks import between, pick, shuffled
from contract_kit.strategies.schema import root_chain, site_of

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy

__all__ = ["FORMS", "header_breaks", "headers", "read_headers"]

KIND = "request-headers"
FORMS = ("dict", "pairs")
_DOCUMENTED = {"accept": "Accept", "content-type": "Content-Type", "authorization": "Authorization"}
_EXTRA_NAMES = ("user-agent", "accept-encoding", "accept-language", "cache-control", "traceparent")
_EXTRA_VALUE = st.text(string.ascii_letters + string.digits + " ./;=-_(),", max_size=24)


def _known() -> frozenset[str]:
    site = site_of(root_chain(KIND))
    return frozenset(site.members) if site else frozenset()


@functools.cache
def _extras() -> SearchStrategy[dict[str, str]]:
    known = _known()
    generated = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12).map(
        "x-".__add__
    )
    names = st.one_of(st.sampled_from(_EXTRA_NAMES), generated).filter(
        lambda name: name not in known
    )
    return st.dictionaries(names, _EXTRA_VALUE, max_size=2)


@functools.cache
def _canonical(ctx: Context) -> SearchStrategy[dict[str, Any]]:
    """Valid headers keyed by lower-cased name, with headers the contract does not check."""
    return st.builds(lambda own, extra: {**own, **extra}, kind_values(KIND, ctx), _extras())


@functools.cache
def _spellings(name: str, unlike: str | None = None) -> tuple[str, ...]:
    title = "-".join(part.capitalize() for part in name.split("-"))
    found = dict.fromkeys((_DOCUMENTED.get(name, name), name, title, name.upper()))
    return tuple(s for s in found if s != unlike)


def _spelt(draw: DrawFn, name: str, unlike: str | None = None) -> str:
    """``name`` as some client writes it; never exactly ``unlike`` (dict keys must differ)."""
    choices = _spellings(name, unlike)
    if between(draw, 0, 9) < 9:
        return pick(draw, choices)
    mask = between(draw, 0, 2 ** len(name) - 1)  # one draw for a mixed-case name
    mixed = "".join(c.upper() if mask >> i & 1 else c for i, c in enumerate(name))
    return mixed if mixed != unlike else choices[0]


def _written(
    draw: DrawFn, canonical: dict[str, Any], form: str | None, twice: tuple[str, Any] | None = None
) -> Any:
    """Headers written out; ``twice`` adds a second header of that name after the first.

    A function of the draw, not a strategy: a strategy made for each draw is validated anew.
    """
    form = form or pick(draw, FORMS)
    order = shuffled(draw, list(canonical))
    pairs = [(_spelt(draw, name), canonical[name]) for name in order]
    if twice is not None:
        name, value = twice
        first = next(i for i, (spelt, _) in enumerate(pairs) if spelt.lower() == name)
        again = _spelt(draw, name, unlike=pairs[first][0] if form == "dict" else None)
        pairs.insert(between(draw, first + 1, len(pairs)), (again, value))
    return dict(pairs) if form == "dict" else pairs


@st.composite
def headers(draw: DrawFn, form: str | None = None) -> Any:
    """Valid request headers of a create call, written as a client would."""
    return _written(draw, draw(_canonical(Context())), form)


def _bodiless(canonical: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in canonical.items() if name != "content-type"}


@functools.cache
def _read_canonical() -> SearchStrategy[dict[str, Any]]:
    # Built once: a strategy made afresh at each draw is validated afresh, which is slow.
    return _canonical(Context(bodiless=True)).map(_bodiless)


@st.composite
def read_headers(draw: DrawFn, accept: SearchStrategy[str], form: str | None = None) -> Any:
    """Valid headers of a call without a body: a create's, less Content-Type, with ``accept``."""
    canonical = draw(_read_canonical())
    canonical["accept"] = draw(accept)
    return _written(draw, canonical, form)


@st.composite
def _rewritten(draw: DrawFn, case: SearchStrategy[Case], form: str | None) -> Case:
    instance, pointer, rule, how = draw(case)
    return _written(draw, instance, form), pointer, rule, how


@st.composite
def _replacing(
    draw: DrawFn, name: str, misses: SearchStrategy[tuple[str, str]], rule: str, form: str | None
) -> Case:
    canonical = draw(_canonical(Context()))
    value, how = draw(misses)
    return (
        _written(draw, set_at(canonical, [name], value), form),
        "/" + name,
        rule,
        f"{name}: {how}",
    )


@st.composite
def _twice(draw: DrawFn, form: str | None) -> Case:
    canonical = draw(_canonical(Context()))
    name = pick(draw, sorted(canonical))
    value = canonical[name] if between(draw, 0, 1) == 0 else draw(_EXTRA_VALUE)
    written = _written(draw, canonical, form, twice=(name, value))
    return written, "/" + name, "duplicate-header", f"{name}: sent twice"


_NOT_HEADERS = (
    ("Accept: */*", "one header line as text"),
    (None, "null"),
    (42, "a number"),
    (b"Accept: */*", "bytes"),
    ({"Accept", "*/*"}, "a set"),
)
_NOT_PAIRS = (
    (("Accept",), "a pair without its value"),
    (["Accept", "*/*", "q"], "three items"),
    ((1, "*/*"), "a name that is not text"),
)


@st.composite
def _not_headers(draw: DrawFn) -> Case:
    if draw(st.booleans()):
        value, how = pick(draw, _NOT_HEADERS)
        return value, "", "type", f"the headers: {how}"
    pairs = _written(draw, draw(_canonical(Context())), "pairs")
    item, how = pick(draw, _NOT_PAIRS)
    pairs.insert(between(draw, 0, len(pairs)), item)
    return pairs, "", "type", f"the headers: an item that is {how}"


@st.composite
def _without_accept(draw: DrawFn, form: str | None) -> Case:
    canonical = draw(_canonical(Context()))
    del canonical["accept"]
    return _written(draw, canonical, form), "/accept", "accept-missing", "accept: not sent"


def _not_accept(case: Case) -> bool:
    # The schema still lists Accept as required; the engine reports its absence as
    # accept-missing, drawn on its own below.
    return case[1] != "/accept"


def header_breaks(form: str | None = None) -> dict[str, list[SearchStrategy[Case]]]:
    """Every break of the request headers, by rule id, written out in ``form`` (or either)."""
    found = {
        rule: [
            _rewritten(case.filter(_not_accept) if rule == "required" else case, form)
            for case in cases
        ]
        for rule, cases in breaks(KIND, _canonical, root=False).items()
    }
    found.setdefault("accept-missing", []).append(_without_accept(form))
    for rule, values in version_less().items():
        found.setdefault(rule, []).append(_replacing("content-type", values, rule, form))
    for name, values in single_quoted().items():
        found.setdefault("quoting", []).append(_replacing(name, values, "quoting", form))
    found.setdefault("type", []).append(_not_headers())
    found.setdefault("accept", []).append(_replacing("accept", accept_misses(), "accept", form))
    found.setdefault("content-type", []).append(
        _replacing("content-type", content_type_misses(), "content-type", form)
    )
    found.setdefault("schema-mismatch", []).append(
        _replacing("content-type", schema_mismatches(), "schema-mismatch", form)
    )
    found.setdefault("duplicate-header", []).append(_twice(form))
    return found
