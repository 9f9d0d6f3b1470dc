r"""Which values of an HTTP exchange are secrets, and how to keep every copy of them out of text.

One policy serves recording (``cassettes/redaction`` writes placeholders before a cassette is
saved), the linter's ``secret`` rule (it flags what recording would have removed) and every
message that shows a live request (:func:`mask`).

**Names.** A header, query parameter, form field, JSON member or multipart field is secret when
its name, compared without regard to case, ``_`` or ``-`` (``Access_Token``, ``accessToken``
and ``access-token`` are one name), is in :data:`SECRET_NAMES` or names a secret header.
``client_id`` is one of them: on Adobe's platform the client id *is* the API key, so keeping it
under another name would undo the redaction of ``x-api-key``. Secret headers
(:data:`HEADER_PLACEHOLDERS`) get placeholders that keep the contract (``Bearer REDACTED``,
``REDACTED@AdobeOrg``); every other named place gets ``REDACTED``.

**Where values are found.** By shape, never by the declared content type (a recording may have
none, or the wrong one), in every text of an exchange: its URL, every header value, both bodies.
A ``name=value`` pair at the start or after ``?``, ``&``, ``#``, ``;``, a space or a quote
(query strings, form bodies, cookies, URLs inside other text); a ``"name": value`` JSON member at
any depth (read by a tokenizer, not a parser: no depth limit, repeated members seen, broken JSON
read too); a multipart ``form-data`` field. A value that is percent-encoded or JSON-escaped and
holds pairs or members of its own is read again, once. A secret header gives its whole value,
an ``Authorization`` header its credentials too (a Basic pair decoded into user and password),
a cookie header each cookie's value.

**Where values are removed.** The named place gets its placeholder; then each value of at least
:data:`MIN_SCRUBBED_LENGTH` characters is scrubbed from every text however it is written there:
verbatim, percent-encoded (hex in either case, ``+`` for a space), JSON-escaped (``\uXXXX``,
``\"``, ``\/``), or any mix of these. Shorter values are replaced only where they are named:
scrubbing "abc" everywhere would rewrite ordinary text. Base64 is not searched: a secret inside a
base64 blob has three alignments and no marker, and the one place credentials travel in base64,
Basic authorization, is decoded instead. A binary body is read and scrubbed on its bytes.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from typing import TYPE_CHECKING, Final, NamedTuple, overload
from urllib.parse import quote, quote_plus, unquote_plus

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "HEADER_PLACEHOLDERS",
    "MIN_SCRUBBED_LENGTH",
    "PLACEHOLDER",
    "SECRET_NAMES",
    "Place",
    "Scrubber",
    "SecretPolicy",
    "doc_placeholder",
    "mask",
    "name_key",
]

PLACEHOLDER: Final = "REDACTED"
#: Secret headers (lower-cased) and what a recording holds instead of their values.
HEADER_PLACEHOLDERS: Final[Mapping[str, str]] = {
    "authorization": f"Bearer {PLACEHOLDER}",
    "proxy-authorization": f"Bearer {PLACEHOLDER}",
    "x-api-key": PLACEHOLDER,
    "x-gw-ims-org-id": f"{PLACEHOLDER}@AdobeOrg",
    "x-user-token": PLACEHOLDER,
    "cookie": PLACEHOLDER,
    "set-cookie": PLACEHOLDER,
}
#: Parameter, field and member names whose values are secrets (OAuth's and Adobe IMS's).
SECRET_NAMES: Final = (
    "access_token",
    "refresh_token",
    "id_token",
    "jwt_token",
    "user_token",
    "session_token",
    "token",
    "client_secret",
    "client_assertion",
    "client_id",
    "assertion",
    "api_key",
    "code",
    "password",
    "passwd",
    "secret",
    "private_key",
)
#: Values shorter than this are replaced where they are named, not searched for elsewhere.
MIN_SCRUBBED_LENGTH: Final = 6
_READS = 2  # the text itself, and once more inside an encoded value

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_JSON_STRING = re.compile(_STRING, re.DOTALL)
_MEMBER_VALUE = re.compile(r"\s*:\s*(" + _STRING + r"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)", re.DOTALL)
# Two readings of ``name=value``: one ends a value at ``;`` and quotes (cookies, pairs inside
# quoted text), one only where a query does; a place either finds is secret.
_PAIR_START = r"""(?:^|(?<=[?&#;\s"'(]))([^\s=&?#;"'<>()\\]+)="""
_PAIRS = (
    re.compile(_PAIR_START + r"""([^\s&#;"'<>\\]*)"""),
    re.compile(_PAIR_START + r"""([^\s&#"<>\\]*?);*(?=[\s&#"<>\\]|$)"""),
)
_PART = re.compile(
    r"""Content-Disposition:[^\r\n]*?\bname="([^"\r\n]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n""",
    re.IGNORECASE,
)
_PART_END = re.compile(r"\r?\n--")
_COOKIE_ATTRIBUTES = frozenset(
    {"expires", "max-age", "domain", "path", "secure", "httponly", "samesite", "priority",
     "partitioned"}
)  # fmt: skip
_COOKIE_PAIR = re.compile(r"(?:^|[;,])\s*([^=;,\s]+)=([^;,]*)")
_JSON_SHORT_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "\b": "b", "\f": "f", "\n": "n",
                       "\r": "r", "\t": "t"}  # fmt: skip


_DOC_PLACEHOLDER = re.compile(r"\{\{?[A-Za-z][A-Za-z0-9_]*\}\}?")


def doc_placeholder(value: object, name: str = "") -> str | None:
    """The docs' placeholder ``value`` wholly is (``{ACCESS_TOKEN}``, Postman's ``{{API_KEY}}``).

    No secret can look like that, so it is named rather than hidden. For ``Authorization``
    the credentials after the scheme are read. A placeholder inside other text is not one: the
    rest could be a real secret. None when ``value`` is no placeholder.
    """
    if not isinstance(value, str):
        return None
    if name_key(name) in {"authorization", "proxyauthorization"}:
        value = value.strip().partition(" ")[2].strip() or value
    return value if _DOC_PLACEHOLDER.fullmatch(value) else None


def name_key(name: str) -> str:
    """``name`` as names are compared: case folded, ``_`` and ``-`` dropped."""
    return name.casefold().replace("_", "").replace("-", "")


class Place(NamedTuple):
    """A named secret in a text: its syntax, its name, its value, where the value is written.

    ``kind`` is ``"pair"`` (``name=value``), ``"member"`` (JSON) or ``"field"`` (multipart).
    ``span`` is None for a place found inside an encoded value: only scrubbing reaches it.
    """

    kind: str
    name: str
    value: str
    span: tuple[int, int] | None

    @property
    def redacted(self) -> bool:
        """Whether the place already holds the placeholder, or nothing to hide."""
        return self.value in {"", PLACEHOLDER}


def _json_text(token: str) -> str:
    """The text of a JSON string token (its inner text as written, if an escape is broken)."""
    try:
        decoded = json.loads(token)
    except ValueError:
        return token[1:-1]
    return decoded if isinstance(decoded, str) else token[1:-1]


def _hex(byte: int) -> str:
    return "".join(f"[{d}{d.upper()}]" if d.isalpha() else d for d in f"{byte:02x}")


def _char_pattern(char: str, *, binary: bool) -> str:
    """Every way one character of a secret may be written: as is, percent-encoded, escaped."""
    raw = char.encode("utf-8", "surrogateescape")
    options = [re.escape(raw.decode("latin-1") if binary else char)]
    options.append("".join("%" + _hex(byte) for byte in raw))
    if char == " ":
        options.append(r"\+")
    if char in _JSON_SHORT_ESCAPES:
        options.append(re.escape("\\" + _JSON_SHORT_ESCAPES[char]))
    if not 0xDC80 <= ord(char) <= 0xDCFF:  # not a byte that was no UTF-8
        units = char.encode("utf-16-be")
        options.append(
            "".join(r"\\u" + _hex(units[i]) + _hex(units[i + 1]) for i in range(0, len(units), 2))
        )
    return "(?:" + "|".join(options) + ")"


@functools.lru_cache(maxsize=512)
def _secret_pattern(secret: str, *, binary: bool) -> re.Pattern[str]:
    return re.compile("".join(_char_pattern(char, binary=binary) for char in secret))


def _replaced(match: re.Match[str], replacement: str) -> str:
    """The replacement in the encoding the match was written in (a URL keeps no raw space)."""
    written = match.group()
    if "+" in written and " " in replacement:
        return quote_plus(replacement, safe="")
    if "%" in written:
        return quote(replacement, safe="")
    return replacement


class Scrubber:
    """Replaces secret values wherever and however they are written (see the module docstring)."""

    def __init__(self, replacements: Mapping[str, str]) -> None:
        self.replacements = dict(sorted(replacements.items(), key=lambda kv: -len(kv[0])))

    def __bool__(self) -> bool:
        return bool(self.replacements)

    def _scrub(self, text: str, *, binary: bool) -> str:
        for secret, replacement in self.replacements.items():
            pattern = _secret_pattern(secret, binary=binary)
            text = pattern.sub(functools.partial(_replaced, replacement=replacement), text)
        return text

    def text(self, text: str) -> str:
        """``text`` without any of the secrets."""
        return self._scrub(text, binary=False) if self.replacements else text

    def body(self, body: str | bytes) -> str | bytes:
        """A text or binary body without any of the secrets (a binary one scrubbed on its bytes)."""
        if isinstance(body, str):
            return self.text(body)
        if not self.replacements:
            return body
        return self._scrub(body.decode("latin-1"), binary=True).encode("latin-1")

    def finds(self, text: str | bytes) -> bool:
        """Whether ``text`` holds one of the secrets, written any way."""
        return self.body(text) != text


def _text_view(body: str | bytes) -> tuple[str, bool]:
    """A body as text to scan: a binary one byte for character (Latin-1), flagged binary."""
    return (body, False) if isinstance(body, str) else (body.decode("latin-1"), True)


def _real_text(value: str, *, binary: bool) -> str:
    """A value read from a Latin-1 view as the text it is (bytes that are no UTF-8 kept)."""
    return value.encode("latin-1").decode("utf-8", "surrogateescape") if binary else value


_DEFAULT_HEADERS: Final = {name_key(name): value for name, value in HEADER_PLACEHOLDERS.items()}
_DEFAULT_NAMES: Final = frozenset({*map(name_key, SECRET_NAMES), *_DEFAULT_HEADERS})


class SecretPolicy:
    """Which names and values are secret: the defaults, which always apply, and more.

    ``headers`` maps more header names to their placeholders; ``names`` adds parameter, field
    and member names; ``values`` lists literal secrets, scrubbed whatever their length. A
    policy never changes once made. (A plain class, not a dataclass: importing ``dataclasses``
    would cost every process that words a message several milliseconds.)
    """

    __slots__ = ("_harmless", "_header_placeholders", "_names", "headers", "names", "values")
    headers: Mapping[str, str]
    names: tuple[str, ...]
    values: tuple[str, ...]
    _header_placeholders: Mapping[str, str]
    _names: frozenset[str]
    _harmless: tuple[str, ...]

    def __init__(
        self,
        headers: Mapping[str, str] | None = None,
        names: tuple[str, ...] = (),
        values: tuple[str, ...] = (),
    ) -> None:
        placeholders: Mapping[str, str] = _DEFAULT_HEADERS
        if headers:
            placeholders = {**_DEFAULT_HEADERS, **{name_key(k): v for k, v in headers.items()}}
        known = _DEFAULT_NAMES
        if headers or names:
            known = frozenset({*_DEFAULT_NAMES, *map(name_key, names), *placeholders})
        for attribute, value in (
            ("headers", {} if headers is None else headers),
            ("names", names),
            ("values", values),
            ("_header_placeholders", placeholders),
            ("_names", known),
            ("_harmless", (PLACEHOLDER, *placeholders.values())),
        ):
            object.__setattr__(self, attribute, value)

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse: a policy shared by recording and messages must not change under them."""
        msg = f"cannot assign to field {name!r}: a SecretPolicy never changes"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        """Refuse, as assigning is refused."""
        msg = f"cannot delete field {name!r}: a SecretPolicy never changes"
        raise AttributeError(msg)

    def __repr__(self) -> str:
        return (
            f"SecretPolicy(headers={self.headers!r}, names={self.names!r}, values={self.values!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretPolicy):
            return NotImplemented
        return (self.headers, self.names, self.values) == (other.headers, other.names, other.values)

    __hash__ = None  # type: ignore[assignment]  # ``headers`` is a mapping: unhashable anyway

    def header_placeholder(self, name: str) -> str | None:
        """What a recording holds instead of header ``name``'s value; None if it is no secret."""
        key = name_key(name)
        if key in self._header_placeholders:
            return self._header_placeholders[key]
        return PLACEHOLDER if key in self._names else None

    def is_secret_name(self, name: str) -> bool:
        """Whether a parameter, field or member called ``name`` holds a secret."""
        return name_key(name) in self._names

    def header_secrets(self, name: str, value: str) -> dict[str, str]:
        """The secret values header ``name`` carries, each with what replaces it elsewhere."""
        placeholder = self.header_placeholder(name)
        if placeholder is None or value == placeholder:
            return {}
        found = {value: placeholder}
        key = name_key(name)
        if key in {"authorization", "proxyauthorization"}:
            scheme, _, credentials = value.strip().partition(" ")
            found[credentials.strip()] = PLACEHOLDER
            if scheme.lower() == "basic":
                found.update(dict.fromkeys(_basic_credentials(credentials), PLACEHOLDER))
        elif key == "cookie":
            found.update((m[2].strip(), PLACEHOLDER) for m in _COOKIE_PAIR.finditer(value))
        elif key == "setcookie":
            found.update(
                (m[2].strip(), PLACEHOLDER)
                for m in _COOKIE_PAIR.finditer(value)
                if m[1].lower() not in _COOKIE_ATTRIBUTES
            )
        return found

    def places(self, text: str | bytes) -> list[Place]:
        """Every named secret in ``text`` (a URL, a header value, a body), in text order."""
        view, binary = _text_view(text)
        found = self._places(view, reads=_READS)
        if binary:
            found = [place._replace(value=_real_text(place.value, binary=True)) for place in found]
        return found

    def _places(self, text: str, reads: int) -> list[Place]:
        found: list[Place] = []
        encoded: list[str] = []  # decoded values that differ from their text: read them again
        for scan in (self._pairs, self._members, self._fields):
            scan(text, found, encoded)
        if reads > 1:
            for value in encoded:
                found.extend(p._replace(span=None) for p in self._places(value, reads - 1))
        unique = dict.fromkeys(found)  # both readings of a pair may find it
        return sorted(unique, key=lambda place: place.span or (len(text), len(text)))

    def _pairs(self, text: str, found: list[Place], encoded: list[str]) -> None:
        for match in (m for pairs in _PAIRS for m in pairs.finditer(text)):
            name, value = unquote_plus(match[1]), unquote_plus(match[2])
            if self.is_secret_name(name):
                found.append(Place("pair", name, value, match.span(2)))
            elif value != match[2]:
                encoded.append(value)

    def _members(self, text: str, found: list[Place], encoded: list[str]) -> None:
        position = text.find('"')
        while position >= 0:
            token = _JSON_STRING.match(text, position)
            if token is None:
                return  # no later quote can close a string either
            member = _MEMBER_VALUE.match(text, token.end())
            if member is not None:
                name, written = _json_text(token.group()), member[1]
                value = _json_text(written) if written.startswith('"') else written
                if self.is_secret_name(name):
                    found.append(Place("member", name, value, member.span(1)))
                elif written.startswith('"') and value != written[1:-1]:
                    encoded.append(value)
            position = text.find('"', token.end())

    def _fields(self, text: str, found: list[Place], _encoded: list[str]) -> None:
        for part in _PART.finditer(text):
            if self.is_secret_name(part[1]):
                end = _PART_END.search(text, part.end())
                span = (part.end(), end.start() if end else len(text))
                found.append(Place("field", part[1], text[span[0] : span[1]], span))

    @overload
    def redact(self, text: str, places: Iterable[Place] | None = None) -> str: ...
    @overload
    def redact(self, text: bytes, places: Iterable[Place] | None = None) -> bytes: ...
    @overload
    def redact(self, text: str | bytes, places: Iterable[Place] | None = None) -> str | bytes: ...

    def redact(self, text: str | bytes, places: Iterable[Place] | None = None) -> str | bytes:
        """``text`` with each named place's value replaced by the placeholder."""
        view, binary = _text_view(text)
        found = self.places(text) if places is None else places
        # The longest reading of a place first: a shorter one inside it is already covered.
        spans = sorted(
            {p.span: p.kind for p in found if p.span is not None and not p.redacted}.items(),
            key=lambda item: (item[0][0], -item[0][1]),
        )
        pieces, written_to = [], 0
        for (start, end), kind in spans:
            if start < written_to:
                continue
            placeholder = f'"{PLACEHOLDER}"' if kind == "member" else PLACEHOLDER
            pieces.extend([view[written_to:start], placeholder])
            written_to = end
        if not pieces:
            return text
        redacted = "".join([*pieces, view[written_to:]])
        return redacted.encode("latin-1") if binary else redacted

    def secrets(self, places: Iterable[Place], headers: Mapping[str, str]) -> dict[str, str]:
        """The values of ``places`` and of secret ``headers``, each with its replacement."""
        found = {p.value: PLACEHOLDER for p in places if not p.redacted}
        for name, value in headers.items():
            found.update(self.header_secrets(name, value))
        return found

    def scrubber(self, found: Mapping[str, str]) -> Scrubber:
        """A scrubber for ``found`` (see :meth:`secrets`) and the literal values.

        Values too short to search for are left out, and so are those a placeholder holds:
        re-saving a recording changes nothing.
        """
        kept = {
            value: replacement
            for value, replacement in found.items()
            if len(value) >= MIN_SCRUBBED_LENGTH
            and not any(value in harmless for harmless in self._harmless)
        }
        kept.update(dict.fromkeys((v for v in self.values if v), PLACEHOLDER))
        return Scrubber(kept)


def _basic_credentials(credentials: str) -> list[str]:
    """The user and password of Basic credentials, and the pair, if they decode."""
    try:
        pair = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return []
    user, _, password = pair.partition(":")
    return [pair, user, password]


def mask(
    text: str,
    *,
    url: str = "",
    headers: Mapping[str, str] | None = None,
    body: str | bytes = "",
    policy: SecretPolicy | None = None,
) -> str:
    """A message ``text`` with the secrets of a request (``url``, ``headers``, ``body``) masked.

    Places the message itself names (``access_token=...`` in a URL it shows) get the
    placeholder too, whatever their length. Every message that shows a live request goes
    through this (replay mismatches, the fake's report).
    """
    policy = policy or SecretPolicy()
    headers = dict(headers or {})
    places = [place for part in (url, *headers.values(), body) for place in policy.places(part)]
    # The docs' placeholders are named in messages, never hidden (see doc_placeholder).
    named = {value for name, value in headers.items() if doc_placeholder(value, name)}
    found = {
        value: replacement
        for value, replacement in policy.secrets(places, headers).items()
        if value not in named and not doc_placeholder(value)
    }
    in_text = [place for place in policy.places(text) if not doc_placeholder(place.value)]
    return policy.scrubber(found).text(policy.redact(text, in_text))
