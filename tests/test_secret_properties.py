"""Properties of the secret policy: a secret placed anywhere is never written, and lint sees it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote, quote_plus, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_kit.cassettes.cassette import Exchange, save_cassette
from contract_kit.cassettes.cassette_format import document
from contract_kit.cassettes.recording_check import recording_violations
from contract_kit.cassettes.redaction import Redactions
from contract_kit.core.secrets import SECRET_NAMES
from contract_kit.documents.yaml_source import parse_yaml

if TYPE_CHECKING:
    from pathlib import Path

URL = "https://platform.adobe.io/data/core/xcore/"
SETTINGS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# What a token may hold where it travels as is (headers, cookies); elsewhere anything goes.
TOKEN_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/="
ANY_CHARACTERS = TOKEN_CHARACTERS + " %&?#;:,\"'\\é😀<>"
SECRET_HEADERS = ("Authorization", "x-api-key", "x-user-token", "x-gw-ims-org-id")
ECHOES = ("verbatim", "percent", "percent-lower", "plus", "json-escaped", "mixed")


class Placed(NamedTuple):
    """An exchange with a secret in it, and the text of the cassette where lint must flag it."""

    exchange: Exchange
    secret: str
    pointer: str


def _spellings(name: str) -> st.SearchStrategy[str]:
    """``name`` in any case, its ``_`` or ``-`` made either or dropped."""
    return st.tuples(
        st.lists(st.booleans(), min_size=len(name), max_size=len(name)),
        st.sampled_from(["_", "-", ""]),
    ).map(
        lambda drawn: (
            "".join(c.upper() if up else c for c, up in zip(name, drawn[0], strict=True))
            .replace("_", "-")
            .replace("-", drawn[1])
        )
    )


def _lower_hex(text: str) -> str:
    return re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), text)


def _echo(secret: str, way: str, draw: st.DrawFn) -> str:
    if way == "verbatim":
        return secret
    if way == "percent":
        return quote(secret, safe="")
    if way == "percent-lower":
        return _lower_hex(quote(secret, safe=""))
    if way == "plus":
        return quote_plus(secret, safe="")
    if way == "json-escaped":
        return json.dumps(secret, ensure_ascii=draw(st.booleans()))[1:-1]
    encoded = [quote(c, safe="") if draw(st.booleans()) else c for c in secret]
    return "".join(encoded)


def _nested(member: dict[str, object], draw: st.DrawFn) -> object:
    value: object = member
    for _ in range(draw(st.integers(0, 4))):
        value = {"inner": value, "other": 1} if draw(st.booleans()) else [0, value]
    return value


@dataclass
class _Parts:
    """The texts of an exchange being built."""

    url: str = URL
    request_headers: dict[str, str] = field(default_factory=lambda: {"Accept": "application/json"})
    request_body: str = ""
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""


def _in_header(parts: _Parts, name: str, secret: str, draw: st.DrawFn) -> str:
    del name
    header = draw(st.sampled_from(SECRET_HEADERS).flatmap(_spellings))
    parts.request_headers[header] = (
        f"Bearer {secret}" if header.lower() == "authorization" else secret
    )
    return f"/responses/0/request/headers/{header}"


def _in_cookie(parts: _Parts, name: str, secret: str, draw: st.DrawFn) -> str:
    del name, draw
    parts.request_headers["Cookie"] = f"theme=dark; sid={secret}"
    return "/responses/0/request/headers/Cookie"


def _in_set_cookie(parts: _Parts, name: str, secret: str, draw: st.DrawFn) -> str:
    del name, draw
    parts.response_headers["Set-Cookie"] = f"sid={secret}; Path=/; HttpOnly"
    return "/responses/0/response/headers/Set-Cookie"


def _in_query(parts: _Parts, name: str, secret: str, draw: st.DrawFn) -> str:
    del draw
    parts.url = f"{URL}?product=acp&{quote_plus(name)}={quote_plus(secret)}"
    return "/responses/0/request/url"


def _in_json(parts: _Parts, name: str, secret: str, draw: st.DrawFn) -> str:
    text = json.dumps(
        _nested({name: secret, "kept": "visible"}, draw), ensure_ascii=draw(st.booleans())
    )
    if draw(st.booleans()):
        parts.response_body = text
        return "/responses/0/response/body"
    parts.request_body = text
    return "/responses/0/request/body"


def _in_form(parts: _Parts, name: str, secret: str, draw: st.DrawFn) -> str:
    del draw
    parts.request_body = urlencode([("grant_type", "authorization_code"), (name, secret)])
    return "/responses/0/request/body"


def _in_multipart(parts: _Parts, name: str, secret: str, draw: st.DrawFn) -> str:
    del draw
    parts.request_body = (
        f'--bnd\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{secret}\r\n--bnd--\r\n'
    )
    return "/responses/0/request/body"


def _in_location(parts: _Parts, name: str, secret: str, draw: st.DrawFn) -> str:
    del draw
    parts.response_headers["Location"] = (
        f"https://app.example/cb?{quote_plus(name)}={quote_plus(secret)}"
    )
    return "/responses/0/response/headers/Location"


PLACES = {
    "header": _in_header,
    "cookie": _in_cookie,
    "set-cookie": _in_set_cookie,
    "query": _in_query,
    "json": _in_json,
    "form": _in_form,
    "multipart": _in_multipart,
    "location": _in_location,
}


def _echoed(parts: _Parts, secret: str, draw: st.DrawFn) -> None:
    echo = _echo(secret, draw(st.sampled_from(ECHOES)), draw)
    where = draw(st.sampled_from(["response body", "request body", "response header"]))
    if where == "response body":
        parts.response_body += f" echoed: {echo} ."
    elif where == "request body":
        parts.request_body += f" echoed: {echo} ."
    else:
        parts.response_headers["X-Echo"] = f"saw {echo}"


@st.composite
def placed_secrets(draw: st.DrawFn) -> Placed:
    """A secret in one named place of a request or response, maybe echoed elsewhere too."""
    place = draw(st.sampled_from(sorted(PLACES)))
    characters = TOKEN_CHARACTERS if place in {"header", "cookie", "set-cookie"} else ANY_CHARACTERS
    # The leading Z keeps a secret from being a piece of the template or of a placeholder.
    secret = "Z" + draw(st.text(st.sampled_from(characters), min_size=7, max_size=24))
    name = draw(st.sampled_from(SECRET_NAMES).flatmap(_spellings))
    parts = _Parts()
    pointer = PLACES[place](parts, name, secret, draw)
    if draw(st.booleans()):
        _echoed(parts, secret, draw)
    exchange = Exchange(
        "POST",
        parts.url,
        parts.request_headers,
        parts.request_body,
        200,
        parts.response_headers,
        parts.response_body,
    )
    return Placed(exchange, secret, pointer)


def _forms(secret: str) -> set[str]:
    """How a copy of ``secret`` may be written in a recording."""
    percent = quote(secret, safe="")
    return {
        secret,
        percent,
        _lower_hex(percent),
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }


def _strings(value: object) -> list[str]:
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend([*item, *item.values()])
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            found.append(item)
    return found


@pytest.mark.properties
@SETTINGS
@given(placed=placed_secrets())
def test_no_placed_secret_reaches_the_written_file(tmp_path: Path, placed: Placed) -> None:
    """Header, cookie, query, JSON, form, multipart, Location, echoed in any encoding: gone."""
    path = tmp_path / "c.yaml"
    save_cassette(path, [placed.exchange], Redactions())
    text = path.read_text("utf-8")
    strings = _strings(parse_yaml(text.encode()).value)
    kept = [
        form for form in _forms(placed.secret) if form in text or any(form in s for s in strings)
    ]
    assert kept == []


@pytest.mark.properties
@SETTINGS
@given(placed=placed_secrets())
def test_lint_flags_every_placed_secret_left_in_a_cassette(placed: Placed) -> None:
    """The same cassette written without redaction is flagged by the secret rule, in place."""
    unredacted = parse_yaml(document([placed.exchange]).encode()).value
    flagged = {v.pointer for v in recording_violations(unredacted) if v.rule == "secret"}
    assert placed.pointer in flagged
