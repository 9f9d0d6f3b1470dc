"""Strategies for the leaf values of the contract: ids, URIs, dates, media types, credentials.

Built from sampled alphabets and ``st.builds``, never ``st.from_regex``, because regex
generation is several times slower and these values are drawn by the thousand. Each strategy
starts with a documented example, so shrinking ends on a seed-like value. Credentials are
obviously fake ("fake-…") but of the valid form, so a test log never holds a real-looking secret.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from hypothesis import strategies as st

from contract_kit.core.formats import parse_date_time
from contract_kit.core.object_kinds import object_kinds
from contract_kit.errors import SchemaBundleError
from contract_kit.strategies.schema import IdForm, id_form

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from hypothesis.strategies import SearchStrategy

    from contract_kit.strategies.schema import Node

__all__ = [
    "DATE_PAIRS",
    "FORMAT_VALUES",
    "MEMBER_VALUES",
    "OFFER_SCHEMA_PREFIX",
    "RULE_VALUES",
    "date_times",
    "json_values",
    "order_dates",
    "render_date_time",
    "texts",
    "uris",
]

OFFER_SCHEMA_PREFIX = "https://ns.adobe.com/experience/offer-management/"
_HEX = "0123456789abcdef"
_TOKEN_CHARS = string.ascii_letters + string.digits + "._~+/-"
_KEY_CHARS = string.ascii_letters + string.digits + "._-"
_ALNUM = string.ascii_letters + string.digits
_MEDIA_CHARS = _ALNUM + "!#$&^_.+-"
_JSON_INT = 2**53 - 1


def texts(min_size: int = 0, max_size: int = 16) -> SearchStrategy[str]:
    """Any Unicode text (no lone surrogates: they cannot be sent as UTF-8)."""
    return st.text(min_size=min_size, max_size=max(min_size, max_size))


def _seeded(example: str, *others: SearchStrategy[str]) -> SearchStrategy[str]:
    return st.one_of(st.just(example), *others)


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-_JSON_INT, _JSON_INT)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts(max_size=12)
)


def json_values() -> SearchStrategy[Any]:
    """Small JSON values of every type, for members the contract leaves open."""
    return st.recursive(
        _SCALARS,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(texts(max_size=8), inner, max_size=3)
        ),
        max_leaves=4,
    )


def hex_ids(form: IdForm) -> SearchStrategy[str]:
    """Ids of one xcore kind: 1 to 16 digits in the schema's bounds, 16 most often in practice."""
    digits = st.text(_HEX, min_size=form.low, max_size=form.high)
    full = st.integers(0, 16**form.high - 1).map(lambda n: f"{n:0{form.high}x}")
    prefixes = st.sampled_from(form.prefixes)
    return st.builds(str.__add__, prefixes, st.one_of(digits, full))


def _quoted(max_size: int = 8) -> SearchStrategy[str]:
    return texts(max_size=max_size).map(lambda text: quote(text, safe=""))


_HOSTS = (
    "example.com",
    "cdn.example.com",
    "localhost:8080",
    "127.0.0.1",
    "[::1]",
    "xn--caf-dma.example",
)
_OTHER_URIS = ("urn:aaid:sc:US:7db21be9-4ff9-4e8e-8a8a-1d8b0c0a1e21", "mailto:offers@example.com")


_SUFFIXES = ("", "?utm_source=offer", "#top", "?q=caf%C3%A9&lang=fr#x")


def _uri(origin: str, path: str, suffix: str) -> str:
    return f"{origin}/{quote(path, safe='/')}{suffix}"


def uris() -> SearchStrategy[str]:
    """Absolute URIs: web addresses with percent-encoded Unicode paths, and a few other schemes."""
    origins = st.sampled_from(
        [f"{scheme}://{host}" for host in _HOSTS for scheme in ("https", "http")]
    )
    web = st.builds(_uri, origins, texts(), st.sampled_from(_SUFFIXES))
    return _seeded("https://example.com/offer.png", web, st.sampled_from(_OTHER_URIS))


def uri_references() -> SearchStrategy[str]:
    """URI references: absolute URIs, and relative paths as HAL links write them."""
    relative = st.lists(_quoted(), min_size=1, max_size=3).map(lambda parts: "/" + "/".join(parts))
    return st.one_of(relative, uris(), st.just(""))


def uuids() -> SearchStrategy[str]:
    """UUIDs in the 8-4-4-4-12 form, in either case."""
    return st.builds(
        lambda u, upper: str(u).upper() if upper else str(u), st.uuids(), st.booleans()
    )


def containers(container_id: str | None) -> SearchStrategy[str]:
    """Container ids of calls: ``container_id`` in either case (the service reads both).

    None draws any UUID.
    """
    if container_id is None:
        return uuids()
    return st.sampled_from((container_id.lower(), container_id.upper()))


_LEAP, _LOWER = 14, 15
#: Offsets in minutes, from the usual to the bounds RFC 3339 allows.
_OFFSETS = (0, 60, -300, 330, 345, -720, 840, 1439, -1439)
_MOMENTS = st.datetimes(dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30))  # noqa: DTZ001 - local times; the offset is drawn apart


def render_date_time(
    moment: dt.datetime, offset: int, digits: int = 6, *, leap: bool = False, lower: bool = False
) -> str:
    """Write a local time at ``offset`` minutes as RFC 3339 allows (a leap second as ``:60``)."""
    second = 60 if leap and moment.second == 59 else moment.second
    m = moment
    text = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{second:02d}"
    if digits:
        text += "." + (f"{moment.microsecond:06d}" + "123")[:digits]
    if offset == 0:
        zone = "Z"
    else:
        sign, size = ("+" if offset > 0 else "-"), abs(offset)
        zone = f"{sign}{size // 60:02d}:{size % 60:02d}"
    text += zone
    return text.lower() if lower else text


def _date_time(moment: dt.datetime, offset: int, digits: int, oddity: int) -> str:
    # A few draws are a leap second or lower case: boundaries, but not what most clients send.
    if oddity == _LEAP:
        moment = moment.replace(second=59)
    return render_date_time(moment, offset, digits, leap=oddity == _LEAP, lower=oddity == _LOWER)


def date_times() -> SearchStrategy[str]:
    """RFC 3339 date-times: any offset, 0 to 9 fraction digits, ``Z`` or ``z``, leap seconds."""
    return st.builds(
        _date_time,
        _MOMENTS,
        st.sampled_from(_OFFSETS),
        st.sampled_from((6, 3, 0, 1, 9)),
        st.integers(0, _LOWER),
    )


#: Pairs of date members whose second is never before the first (date-order, date-range).
DATE_PAIRS = (("repo:createdDate", "repo:lastModifiedDate"), ("xdm:startDate", "xdm:endDate"))


def order_dates(value: dict[str, Any]) -> dict[str, Any]:
    """Swap the dates of a pair where the draw put them the wrong way round."""
    for early, late in DATE_PAIRS:
        created, modified = value.get(early), value.get(late)
        if isinstance(created, str) and isinstance(modified, str):
            first, last = parse_date_time(created), parse_date_time(modified)
            if first is not None and last is not None and last < first:
                value = {**value, early: modified, late: created}
    return value


def _token(first: str, rest: str) -> str:
    return first + rest


_MEDIA_TOKEN = st.builds(_token, st.sampled_from(_ALNUM), st.text(_MEDIA_CHARS, max_size=10))
_MEDIA_TYPES = (
    "text/html",
    "text/plain",
    "image/png",
    "image/jpeg",
    "application/json",
    "image/svg+xml",
)
_LANGUAGES = ("en", "en-us", "fr", "zh-Hant-TW", "es-419", "de-CH", "haw")


def media_types(_node: Node) -> SearchStrategy[str]:
    """Media types without parameters: the common ones, and any RFC 6838 name."""
    generated = st.builds("{}/{}".format, _MEDIA_TOKEN, _MEDIA_TOKEN)
    return st.one_of(st.sampled_from(_MEDIA_TYPES), generated)


def languages(_node: Node) -> SearchStrategy[str]:
    """BCP 47 tags as the contract reads them: a 2 or 3 letter language, then subtags."""
    primary = st.text(string.ascii_letters, min_size=2, max_size=3)
    subtags = st.lists(st.text(_ALNUM, min_size=1, max_size=8), max_size=3)
    generated = st.builds(lambda p, s: "-".join([p, *s]), primary, subtags)
    return st.one_of(st.sampled_from(_LANGUAGES), generated)


def _fake(prefix: str, alphabet: str, *, padding: bool = False) -> SearchStrategy[str]:
    pad = st.sampled_from(("", "=", "==")) if padding else st.just("")
    return st.builds(lambda body, end: prefix + body + end, st.text(alphabet, max_size=32), pad)


def authorizations(_node: Node) -> SearchStrategy[str]:
    """``Bearer`` in any case, one or more spaces, and an obviously fake token."""
    token = _seeded("fake-access-token", _fake("fake.", _TOKEN_CHARS, padding=True))
    scheme = st.sampled_from(("Bearer", "bearer", "BEARER"))
    return st.builds("{}{}{}".format, scheme, st.sampled_from((" ", "  ")), token)


def api_keys(_node: Node) -> SearchStrategy[str]:
    """Obviously fake API keys of the valid form."""
    return _seeded("fake-api-key", _fake("fake", _KEY_CHARS))


def org_ids(_node: Node) -> SearchStrategy[str]:
    """IMS organization ids: letters and digits, then ``@AdobeOrg``."""
    generated = st.text(_ALNUM, min_size=1, max_size=24).map(lambda s: s + "@AdobeOrg")
    return _seeded("0123456789ABCDEF01234567@AdobeOrg", generated)


def sandbox_names(_node: Node) -> SearchStrategy[str]:
    """Sandbox names: lower case, digits and inner hyphens."""
    inner = st.text(string.ascii_lowercase + string.digits + "-", max_size=14)
    edge = st.sampled_from(string.ascii_lowercase + string.digits)
    generated = st.builds(lambda a, b, c: a + b + c, edge, inner, edge) | edge
    return st.one_of(st.sampled_from(("prod", "dev", "dev-1")), generated)


def error_codes(_node: Node) -> SearchStrategy[str]:
    """Gateway error codes: an HTTP status, then three digits."""
    codes = st.builds("{}{:03d}".format, st.integers(100, 599), st.integers(0, 999))
    return _seeded("403010", codes)


_SCHEMA_ID_PATTERN = re.compile(r"\^(?P<id>https://[^;]+);version=")


def schema_prefix(node: Node) -> str:
    """The schema id a ``schema-id`` pattern names, with ``;version=`` after it."""
    match = _SCHEMA_ID_PATTERN.match(str(node.schema.get("pattern", "")))
    if match is None:
        raise SchemaBundleError(
            f"{node.where}: the strategies read a schema-id pattern only as "
            "^<escaped schema id>;version=..."
        )
    return match["id"].replace("\\", "") + ";version="


def schema_ids(node: Node) -> SearchStrategy[str]:
    """The pattern's schema id with a version, as stored instances report it."""
    prefix = schema_prefix(node)
    schema_id = prefix.removesuffix(";version=")
    kind = next((k for k in object_kinds() if k.schema_id == schema_id), None)
    known = (kind.stored_version, *kind.versions) if kind else ("0.5", "0.1")
    versions = st.lists(st.integers(0, 20).map(str), min_size=1, max_size=3).map(".".join)
    return st.one_of(st.sampled_from(tuple(dict.fromkeys(known))), versions).map(prefix.__add__)


def patch_paths(_node: Node) -> SearchStrategy[str]:
    """JSON pointers under ``/_instance`` or ``/_links``, as a patch of an offer writes them."""
    documented = (
        "/_instance/xdm:status",
        "/_instance/xdm:name",
        "/_instance/xdm:representations/0",
    )
    # ECMA-262's "." matches no line terminator, so none is drawn in a token.
    token_text = st.text(st.characters(exclude_characters="\n\r\u2028\u2029"), max_size=8)
    tokens = st.lists(token_text.map(lambda t: t.replace("~", "~0").replace("/", "~1")))
    generated = st.builds(
        lambda top, ts: "".join("/" + t for t in [top, *ts]),
        st.sampled_from(("_instance", "_links")),
        tokens,
    )
    return st.one_of(st.sampled_from(documented), generated)


def xcore_ids(node: Node) -> SearchStrategy[str]:
    """Ids of the kind the pattern names."""
    return hex_ids(id_form(node.schema, node.where))


#: Values by the ``x-rule`` of a patterned subschema; each reads what it needs from the node.
RULE_VALUES: Mapping[str, Callable[[Node], SearchStrategy[str]]] = {
    "xcore-id": xcore_ids,
    "media-type": media_types,
    "media-type-form": media_types,
    "language": languages,
    "authorization": authorizations,
    "api-key": api_keys,
    "ims-org": org_ids,
    "sandbox-name": sandbox_names,
    "error-code": error_codes,
    "schema-id": schema_ids,
    "patch-path": patch_paths,
}

#: Values by ``format``: every format the engine checks has one.
FORMAT_VALUES: Mapping[str, Callable[[], SearchStrategy[str]]] = {
    "date-time": date_times,
    "uuid": uuids,
    "uri": uris,
    "uri-reference": uri_references,
}

_ADOBE_IDS = ("712B3670554A7AF17F000101@AdobeID", "exc_app", "acp_ui_platform")
_PEOPLE = st.one_of(st.sampled_from(_ADOBE_IDS), texts(min_size=1))

#: Realistic values for members whose schema only says "a string": seeds first, then anything.
MEMBER_VALUES: Mapping[str, SearchStrategy[Any]] = {
    "xdm:name": _seeded("Fallback for sales", texts(min_size=1)),
    "xdm:content": _seeded("<p>Save 20% today</p>", texts()),
    "repo:createdBy": _PEOPLE,
    "repo:lastModifiedBy": _PEOPLE,
    "repo:createdByClientId": _PEOPLE,
    "repo:lastModifiedByClientId": _PEOPLE,
    "message": _seeded("Api Key is invalid", texts(min_size=1)),
    "title": _seeded("BadRequestError", texts(min_size=1)),
    "x-user-token": _seeded("fake-user-token", _fake("fake", _KEY_CHARS)),
}
