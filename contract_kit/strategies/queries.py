"""Lookup and search calls (a GET with a query), valid and broken, for ``check_request``.

A query is drawn as decoded ``(name, value)`` pairs, then written into the URL as one client
would write all of it: every character percent-encoded, or only those that must be (so the
schema id stays readable, as the docs show it), spaces as ``+`` or ``%20``, hex in either case,
parameters in any order. A broken call changes one parameter of a valid query (or leaves
``schema`` out), so ``check_request`` reports that parameter and nothing else. What makes a
parameter wrong is what ``contract_kit/api/request_check.py`` checks; ``start``, ``q``, ``qop``
and ``field`` are not checked there, so valid draws keep them in the form the fake accepts. A
search takes ``id`` and ``name`` as a lookup does; a lookup takes no ``q``, ``qop`` or ``field``.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, quote_plus

from hypothesis import strategies as st

from contract_kit.api.paging import DATE_MEMBERS, TIE_BREAKER
from contract_kit.core.operations import FALLBACK_OFFER_VERSIONS, OFFER_SCHEMA_PREFIX
from contract_kit.strategies.calls import ORIGINS, ROOT
from contract_kit.strategies.headers import read_headers
from contract_kit.strategies.media import SCHEMA_KINDS, hal_accepts
from contract_kit.strategies.picks import pick, shuffled
from contract_kit.strategies.schema import IdForm, id_forms
from contract_kit.strategies.values import containers, date_times, hex_ids, texts, uuids

if TYPE_CHECKING:
    from collections.abc import Callable

    from hypothesis.strategies import DrawFn, SearchStrategy

    from contract_kit.strategies.breaks import Case

__all__ = ["OPERATIONS", "QUERY_RULES", "QueryCall", "query_breaks", "query_calls"]


class QueryCall(NamedTuple):
    """One lookup or search call, unpacked as ``check_request(*call)`` takes it."""

    method: str
    url: str
    headers: Any
    body: Any


QueryCall.__module__ = "contract_kit.strategies"  # where users import it from, and pickle finds it

Pairs = list[tuple[str, str]]

#: The operations drawn here, with the path after the container id.
OPERATIONS = {"lookup": "/instances", "search": "/queries/core/search"}
#: The rules a broken query carries: a missing ``schema``, a parameter check_request refuses,
#: and the warnings of what the service takes (a version-less schema, an undocumented
#: parameter, an id of another kind).
QUERY_RULES = ("required", "query", "schema-version", "unknown-parameter", "query-mismatch")

_SCHEMA_PREFIX = f"{OFFER_SCHEMA_PREFIX}fallback-offer;version="
_SCHEMA = _SCHEMA_PREFIX + FALLBACK_OFFER_VERSIONS[0]
_OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "~")

# Names of members in paths: letters and digits of any script, and the ":", "_" and "@" of
# xdm:name and @type. No operator, dot, comma, sign or space, so every join of them parses.
_NAME = st.text(
    st.characters(codec="utf-8", categories=("L", "N"), include_characters=":_@"),
    min_size=1,
    max_size=8,
)
_PATHS = (
    "_instance.xdm:status",
    "_instance.xdm:name",
    "_instance.xdm:representations.xdm:channel",
    "_instance.xdm:representations.xdm:placement",
    "_instance.xdm:representations.xdm:components.@type",
    "_instance.@id",
    "_instance.xdm:tags",
    "repo:createdDate",
    "repo:lastModifiedDate",
    "instanceId",
)
_ORDER_PATHS = (
    "repo:createdDate",
    "repo:lastModifiedDate",
    "instanceId",
    "_instance.xdm:name",
    "_instance.xdm:status",
)
_VALUES = (
    "approved",
    "draft",
    "Fallback for sales",
    "https://ns.adobe.com/xdm/channel-types/web",
    "xcore:offer-placement:1246fa0a44ae0e7d",
    "2020-10-22T14:17:42.880Z",
    "10",
    "-1.5",
)
_REGEXES = ("F.*", ".*sales.*", "draft|approved", "[a-z]+[0-9]*", "(?:web|email)", "")
_STARTS = ("", "0", "Fallback for sales")
_LIMITS = ("1", "2", "10", "50", "100", "1000", "01", "2147483647", "18446744073709551616")
# What the search engine would read as an operator in q, so a term escapes it with "\".
_Q_SPECIAL = '+-=><!(){}[]^"~*?:\\/&|'
_Q_WORD = st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=8)


def _dotted(names: SearchStrategy[str], known: tuple[str, ...]) -> SearchStrategy[str]:
    return st.one_of(st.sampled_from(known), st.lists(names, min_size=1, max_size=3).map(".".join))


def _optional(name: str, values: SearchStrategy[str]) -> SearchStrategy[Pairs]:
    """No ``name`` parameter, or one (absent first, so draws shrink to the bare query)."""
    return st.one_of(st.just([]), values.map(lambda value: [(name, value)]))


def _repeated(name: str, values: SearchStrategy[str], high: int) -> SearchStrategy[Pairs]:
    return st.lists(values, max_size=high).map(lambda found: [(name, v) for v in found])


def _schemas() -> SearchStrategy[str]:
    """The fallback-offer schema id with a version the contract takes (0.1 or 0.5)."""
    return st.sampled_from(FALLBACK_OFFER_VERSIONS).map(_SCHEMA_PREFIX.__add__)


@functools.cache
def _paths() -> SearchStrategy[str]:
    return _dotted(_NAME, _PATHS)


@functools.cache
def _regexes() -> SearchStrategy[str]:
    escaped = st.builds(
        "{}{}{}".format,
        st.sampled_from(("", ".*")),
        texts(max_size=8).map(re.escape),
        st.sampled_from(("", ".*")),
    )
    return st.one_of(st.sampled_from(_REGEXES), escaped)


@functools.cache
def _filter_values() -> SearchStrategy[str]:
    return st.one_of(st.sampled_from(_VALUES), texts(max_size=12))


@st.composite
def _filters(draw: DrawFn) -> str:
    """A ``property`` filter: a bare path ("has it"), or a path, an operator and a value."""
    path = draw(_paths())
    op = pick(draw, (None, *_OPERATORS))
    if op is None:
        return path
    return path + op + draw(_regexes() if op == "~" else _filter_values())


@functools.cache
def _order_fields() -> SearchStrategy[str]:
    return st.builds(
        "{}{}{}{}".format,
        st.sampled_from(("", " ")),
        st.sampled_from(("", "-", "+")),
        _dotted(_NAME, _ORDER_PATHS),
        st.sampled_from(("", " ")),
    )


@functools.cache
def _orderbys() -> SearchStrategy[str]:
    return st.lists(_order_fields(), min_size=1, max_size=3).map(",".join)


@functools.cache
def _ordering() -> SearchStrategy[Pairs]:
    """``orderby``, as the docs spell it, or ``orderBy``, as some examples do; or neither."""
    spelt = st.sampled_from(("orderby", "orderBy"))
    return st.one_of(st.just([]), st.builds(lambda name, v: [(name, v)], spelt, _orderbys()))


@functools.cache
def _limits() -> SearchStrategy[str]:
    return st.one_of(st.sampled_from(_LIMITS), st.integers(1, 10_000).map(str))


@functools.cache
def _start_part(field: str) -> SearchStrategy[str]:
    """One part of a ``start`` token, of the type the field's values sort as."""
    name = field.rsplit(".", 1)[-1]
    if name == TIE_BREAKER:
        return uuids()
    if name in DATE_MEMBERS:  # epoch ms as the service writes them, or RFC 3339 (older tokens)
        return st.one_of(st.integers(0, 4102444800000).map(str), date_times())
    if name == "repo:etag":
        return st.integers(1, 10**6).map(str)
    return st.one_of(
        st.sampled_from(_STARTS[:3]), texts(max_size=12).filter(lambda t: "," not in t)
    )


def _starts(draw: DrawFn, ordering: Pairs) -> Pairs:
    """A ``start`` as next links give it, or the first field's value alone; or none.

    A next link's token has one part per field of the ordering, ``instanceId`` last; a client
    may write the first field's value alone.
    """
    fields = [f.strip().lstrip("+-") for _, v in ordering for f in v.split(",")]
    if not fields or fields[-1] != TIE_BREAKER:
        fields.append(TIE_BREAKER)
    if not draw(st.booleans()):  # shrinks to no start
        return []
    if draw(st.booleans()):
        return [("start", ",".join(draw(_start_part(field)) for field in fields))]
    return [("start", draw(_start_part(fields[0])))]


def _q_terms() -> SearchStrategy[str]:
    r"""Terms as the engine reads them: words, escapes, "quoted phrases".

    A word may end in an escaped operator character (``C\+\+``); inside quotes nothing needs
    escaping.
    """
    escaped = st.builds("{}\\{}".format, _Q_WORD, st.sampled_from(_Q_SPECIAL))
    phrase = st.text(
        st.characters(codec="utf-8", exclude_characters='"\\'), min_size=1, max_size=12
    ).map('"{}"'.format)
    return st.one_of(_Q_WORD, escaped, phrase)


def _full_text() -> SearchStrategy[Pairs]:
    """``q`` (with ``qop``, or without: OR), and the ``field`` paths it searches."""
    q = st.lists(_q_terms(), min_size=1, max_size=3).map(" ".join)
    with_q = st.builds(
        list.__add__,
        q.map(lambda v: [("q", v)]),
        _optional("qop", st.sampled_from(("AND", "OR", "and", "or"))),
    )
    return st.builds(list.__add__, st.one_of(st.just([]), with_q), _repeated("field", _paths(), 2))


@functools.cache
def _offer_id_form() -> IdForm:
    """How a fallback offer's ``@id`` is spelt: what a lookup's ``id`` names."""
    return next(form for form in id_forms() if form.prefix == "xcore:fallback-offer:")


@functools.cache
def _offer_ids() -> SearchStrategy[str]:
    return hex_ids(_offer_id_form())


@functools.cache
def _names() -> SearchStrategy[str]:
    """A lookup's ``name``: an offer name, ``*`` matching any run of characters in it."""
    return st.one_of(
        st.sampled_from(("Fallback for sales", "F1*", "*sales*")), texts(min_size=1, max_size=12)
    )


def _lookup_by() -> SearchStrategy[Pairs]:
    """By ``id`` (repeatable), by ``name``, or neither (every offer)."""
    return st.one_of(
        st.just([]),
        st.lists(_offer_ids(), min_size=1, max_size=3).map(lambda ids: [("id", i) for i in ids]),
        _names().map(lambda name: [("name", name)]),
    )


def _joined(*parts: SearchStrategy[Pairs]) -> SearchStrategy[Pairs]:
    return st.tuples(*parts).map(lambda found: [pair for part in found for pair in part])


@functools.cache
def _optional_limit() -> SearchStrategy[Pairs]:
    return _optional("limit", _limits())


@st.composite
def _paging(draw: DrawFn) -> Pairs:
    ordering = draw(_ordering())
    return [*ordering, *_starts(draw, ordering), *draw(_optional_limit())]


@functools.cache
def _pairs(operation: str) -> SearchStrategy[Pairs]:
    """The decoded query of a valid lookup or search, ``schema`` first."""
    schema = _schemas().map(lambda v: [("schema", v)])
    if operation == "lookup":
        return _joined(schema, _lookup_by(), _repeated("property", _filters(), 2), _paging())
    return _joined(
        schema, _lookup_by(), _repeated("property", _filters(), 4), _paging(), _full_text()
    )


_LOWER_HEX = re.compile("%[0-9A-F]{2}")
#: What a client leaves unencoded: what may stay in a query value (so the schema id reads as
#: the docs write it, which is what draws shrink to), or nothing but letters, digits and "-._~".
_SAFE = (":/;,*=@", "")


_ENCODERS: tuple[Callable[[str, str], str], ...] = (quote, quote_plus)


def _written(draw: DrawFn, found: Pairs) -> str:
    """The query string of ``found``, in some order, encoded as one client would."""
    safe = pick(draw, _SAFE)
    encode = pick(draw, _ENCODERS)
    lower, bare = draw(st.booleans()), draw(st.booleans())
    parts = []
    for name, value in shuffled(draw, found):
        text = encode(value, safe)
        if lower:
            text = _LOWER_HEX.sub(lambda m: m[0].lower(), text)
        parts.append(name if bare and not value else f"{name}={text}")
    return "&".join(parts)


@functools.cache
def _parts(container_id: str | None) -> tuple[SearchStrategy[str], SearchStrategy[Any]]:
    # Built once: a strategy made afresh at each draw is validated afresh, which is slow.
    return containers(container_id), read_headers(hal_accepts())


def _query_call(
    draw: DrawFn, operation: str, found: Pairs, container_id: str | None = None
) -> QueryCall:
    """A GET of ``operation``, at any host, in ``container_id`` (None: any), asking ``found``.

    A function of the draw, not a strategy: a strategy made for each draw is validated anew.
    """
    in_container, headers = _parts(container_id)
    query = _written(draw, found)
    url = (
        pick(draw, ORIGINS)
        + f"{ROOT}/{draw(in_container)}{OPERATIONS[operation]}"
        + pick(draw, ("", "/"))
        + (f"?{query}" if query else "")
    )
    return QueryCall("GET", url, draw(headers), pick(draw, (None, b"", "")))


@st.composite
def query_calls(draw: DrawFn, operation: str, container_id: str | None) -> QueryCall:
    """Valid lookup or search calls in ``container_id``: ``check_request(*call)`` is empty."""
    return _query_call(draw, operation, draw(_pairs(operation)), container_id)


# A miss is (parameter, bad value, what is wrong); _REPLACES says which parameters it displaces.

Miss = tuple[str, str, str]


def _fixed(name: str, *misses: tuple[str, str]) -> SearchStrategy[Miss]:
    return st.sampled_from([(name, value, how) for value, how in misses])


def _schema_misses() -> SearchStrategy[Miss]:
    other_kind = st.builds(
        lambda kind, version: (
            "schema",
            f"{OFFER_SCHEMA_PREFIX}{kind};version={version}",
            f"names the {kind} schema",
        ),
        st.sampled_from(SCHEMA_KINDS),
        st.sampled_from(FALLBACK_OFFER_VERSIONS),
    )
    other_version = st.sampled_from(("0.2", "1.0", "0.10", "1")).map(
        lambda v: ("schema", _SCHEMA_PREFIX + v, f"version {v}, which the API does not document")
    )
    static = _fixed(
        "schema",
        (_SCHEMA_PREFIX, "nothing after version="),
        ("", "empty"),
        ("fallback-offer", "the kind's name, not its schema id"),
        (_SCHEMA.replace("https:", "http:", 1), "http, not https"),
        (_SCHEMA.upper(), "in upper case"),
        (f'"{_SCHEMA}"', "in double quotes, as Content-Type's schema parameter is"),
        (f'{_SCHEMA_PREFIX}"{FALLBACK_OFFER_VERSIONS[0]}"', "the version in double quotes"),
        (_SCHEMA + "\n", "a trailing newline"),
        (quote(_SCHEMA, safe=""), "percent-encoded twice"),
        ("https://ns.adobe.com/experience/xcore/hal/results", "the results schema of Accept"),
    )
    return st.one_of(static, other_kind, other_version)


def _limit_misses() -> SearchStrategy[Miss]:
    static = _fixed(
        "limit",
        ("0", "zero"),
        ("00", "zero in two digits"),
        ("", "empty"),
        ("1.5", "not whole"),
        ("1e3", "an exponent"),
        (" 10", "a leading space"),
        ("10 ", "a trailing space"),
        ("+10", "a plus sign"),
        ("ten", "a word"),
        ("0x10", "hexadecimal"),
        ("1_000", "an underscore between digits"),
        ("\u0663", "an Arabic-Indic digit"),
        ("\uff15", "a full-width digit"),
    )
    negative = st.integers(max_value=-1).map(lambda n: ("limit", str(n), "negative"))
    return st.one_of(static, negative)


@functools.cache
def _other_kind_ids() -> SearchStrategy[str]:
    others = [form for form in id_forms() if form != _offer_id_form()]
    return st.one_of([hex_ids(form) for form in others])


@functools.cache
def _id_misses() -> SearchStrategy[Miss]:
    form = _offer_id_form()
    too_long = st.text("0123456789abcdef", min_size=form.high + 1, max_size=form.high + 4)
    upper = st.builds(
        "{}{}{}".format,
        st.just(form.prefix),
        st.text("0123456789abcdef", max_size=form.high - 1),
        st.sampled_from("ABCDEF"),
    )
    return st.one_of(
        too_long.map(lambda d: ("id", form.prefix + d, f"more than {form.high} hex digits")),
        upper.map(lambda v: ("id", v, "upper-case hex")),
        hex_ids(form).map(lambda v: ("id", v.removeprefix(form.prefix), "hex digits only")),
        uuids().map(lambda v: ("id", v, "the instance id (a UUID), not the @id")),
        hex_ids(form).map(lambda v: ("id", v + "\n", "a trailing newline")),
        _fixed("id", (form.prefix, "no hex digits"), ("", "empty")),
    )


_NOT_OPERATORS = ("=", "=>", "=<", "!", "!~", "=~")
_BAD_REGEXES = (
    ("*", "nothing to repeat"),
    ("[a-z", "an unclosed set"),
    ("(?P<x>", "an unclosed group"),
    ("a**", "a repeated repeat"),
    ("x{2,1}", "a range backwards"),
    ("a{99999999999}", "a repeat count too large"),
    ("\\", "a lone backslash"),
    ("\\p{L}", "an escape Python does not have"),
)


@st.composite
def _empty_names(draw: DrawFn) -> str:
    """A path with an empty name in it: two dots in a row, or a dot first or last."""
    before, after = draw(_paths()), draw(_paths())
    return pick(draw, (f"{before}..{after}", f".{before}", f"{before}."))


def _nested(path: str) -> str:
    # Each group is a level of recursion of re's parser, so the limit itself is too deep.
    depth = sys.getrecursionlimit()
    return f"{path}~{'(' * depth}{')' * depth}"


def _property_misses() -> SearchStrategy[Miss]:
    plain = st.sampled_from(_VALUES)  # none starts with an operator's character
    return st.one_of(
        st.builds(
            lambda path, op, value: ("property", path + op + value, f"{op} is not an operator"),
            _paths(),
            st.sampled_from(_NOT_OPERATORS),
            plain,
        ),
        st.builds(
            lambda op, value: ("property", op + value, "no property before the operator"),
            st.sampled_from(_OPERATORS),
            plain,
        ),
        _fixed("property", ("", "empty")),
        st.builds(
            lambda path, rest: ("property", path + rest, "an empty name in the path"),
            _empty_names(),
            st.one_of(st.just(""), st.builds(str.__add__, st.sampled_from(("==", "!=")), plain)),
        ),
        st.builds(
            lambda path, bad: (
                "property",
                f"{path}~{bad[0]}",
                f"a regular expression with {bad[1]}",
            ),
            _paths(),
            st.sampled_from(_BAD_REGEXES),
        ),
        _paths().map(
            lambda path: ("property", _nested(path), "groups nested deeper than re can parse")
        ),
    )


def _orderby_misses() -> SearchStrategy[Miss]:
    field = _order_fields()
    no_name = st.one_of(
        st.sampled_from(
            (("", "empty"), (" ", "a space only"), ("-", "a sign only"), ("+", "a sign only"))
        ),
        field.map(lambda f: (f + ",", "a trailing comma")),
        field.map(lambda f: ("," + f, "a leading comma")),
        st.builds(lambda a, b: (f"{a},,{b}", "two commas in a row"), field, field),
    )
    empty_name = st.builds(
        lambda sign, path: (sign + path, "an empty name in the path"),
        st.sampled_from(("", "-", "+")),
        _empty_names(),
    )
    return st.builds(
        lambda name, miss: (name, miss[0], miss[1]),
        st.sampled_from(("orderby", "orderBy")),
        st.one_of(no_name, empty_name),
    )


Added = tuple[str, Pairs, str]

#: The parameters a broken one takes the place of: a query has one schema, one limit, one
#: ordering, and looks up by id or by name.
_REPLACES = {
    "schema": {"schema"},
    "limit": {"limit"},
    "orderby": {"orderby", "orderBy"},
    "orderBy": {"orderby", "orderBy"},
    "id": {"id", "name"},
    "property": set(),
}


def _alone(miss: Miss) -> Added:
    name, value, how = miss
    return name, [(name, value)], how


@functools.cache
def _other_ids() -> SearchStrategy[list[str]]:
    """Up to two good ids, sent with a bad one."""
    return st.lists(_offer_ids(), max_size=2)


@functools.cache
def _some_ids() -> SearchStrategy[list[str]]:
    return st.lists(_offer_ids(), min_size=1, max_size=2)


@st.composite
def _among_ids(draw: DrawFn) -> Added:
    """A bad id, among good ones, as a lookup of several offers sends it."""
    name, value, how = draw(_id_misses())
    others = draw(_other_ids())
    return name, [(name, value), *(("id", other) for other in others)], how


@st.composite
def _id_with_name(draw: DrawFn) -> Added:
    ids = draw(_some_ids())
    added = [*(("id", i) for i in ids), ("name", draw(_names()))]
    return "id", added, "sent with name, which a lookup or search cannot take together"


@st.composite
def _broken(
    draw: DrawFn, operation: str, misses: SearchStrategy[Added], rule: str = "query"
) -> Case:
    name, added, how = draw(misses)
    found = [pair for pair in draw(_pairs(operation)) if pair[0] not in _REPLACES[name]]
    call = _query_call(draw, operation, found + added)
    return call, f"/query/{name}", rule, f"{name}: {how}"


@st.composite
def _without_schema(draw: DrawFn, operation: str) -> Case:
    found = [pair for pair in draw(_pairs(operation)) if pair[0] != "schema"]
    return _query_call(draw, operation, found), "/query/schema", "required", "schema: left out"


#: Names a client sends that no lookup or search documents (the service ignores them):
#: aepctl's own oderBy, case slips, other APIs' names.
_UNDOCUMENTED = (
    ("oderBy", "aepctl's misspelling of orderBy"),
    ("Schema", "schema in another case (names are case-sensitive)"),
    ("schemaId", "the tutorial's word for the schema, not a parameter"),
    ("limt", "a misspelling of limit"),
    ("page", "another API's paging"),
    ("trace", "a parameter of the client's own"),
)


@st.composite
def _undocumented(draw: DrawFn, operation: str) -> Case:
    name, how = pick(draw, _UNDOCUMENTED)
    found = [*draw(_pairs(operation)), (name, pick(draw, ("", "1", _SCHEMA)))]
    call = _query_call(draw, operation, found)
    return call, f"/query/{name}", "unknown-parameter", f"{name}: {how}"


def _version_less() -> SearchStrategy[Added]:
    return st.just(("schema", [("schema", f"{OFFER_SCHEMA_PREFIX}fallback-offer")], "no ;version="))


@st.composite
def _other_kind_id(draw: DrawFn) -> Added:
    others = draw(_other_ids())
    value = draw(_other_kind_ids())
    return "id", [("id", value), *(("id", other) for other in others)], "the @id of another kind"


@functools.cache
def query_breaks(operation: str) -> dict[str, list[SearchStrategy[Case]]]:
    """Every break of a lookup's or a search's query, by rule id; one strategy per parameter."""
    misses = [
        _schema_misses().map(_alone),
        _limit_misses().map(_alone),
        _property_misses().map(_alone),
        _orderby_misses().map(_alone),
    ]
    misses += [_among_ids(), _id_with_name()]
    return {
        "required": [_without_schema(operation)],
        "query": [_broken(operation, added) for added in misses],
        "schema-version": [_broken(operation, _version_less(), "schema-version")],
        "unknown-parameter": [_undocumented(operation)],
        "query-mismatch": [_broken(operation, _other_kind_id(), "query-mismatch")],
    }
