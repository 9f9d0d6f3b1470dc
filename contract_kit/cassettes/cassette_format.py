"""The cassette format both ways: entries read strictly into exchanges, exchanges written out.

A cassette is ``{"responses": [{"response": {...}, "request": {...}}, ...]}``: each
``response`` entry has the keys ``responses._add_from_file`` reads, and ``request`` holds what
the client sent (method, url, headers, body). A body that is not UTF-8 text is kept exactly: it
is written as ``body: ''`` with its bytes in base64 under ``body_base64`` (responses' loader,
which reads ``body`` only, sees an empty body; the replay answers the very bytes recorded).

Reading checks every entry's shape: only the keys above, a method in capitals, an absolute
URL, a status that is an integer from 100 to 599 (``true`` is no status, though Python counts
it an int), headers a mapping of strings, bodies strings. Each problem is a :class:`ShapeError`
with its place, for the loader to report at ``file:line:column``.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from contract_kit.cassettes.exchange import Exchange
from contract_kit.core.messages import did_you_mean, show

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["ShapeError", "document", "entry", "exchanges"]

_HEADER = (
    "# Recorded by contract_kit. Secrets are replaced by placeholders (REDACTED); see the\n"
    "# README's record and replay section. Loadable by responses._add_from_file as well.\n"
)
# Headers that describe a transfer, not the answer; responses' own recorder drops them too.
_TRANSFER_HEADERS = frozenset(
    {"content-length", "content-type", "date", "server", "connection", "content-encoding",
     "transfer-encoding", "keep-alive"}
)  # fmt: skip
_RESPONSE_KEYS = (
    "method", "url", "body", "body_base64", "status", "headers", "content_type",
    "auto_calculate_content_length",
)  # fmt: skip
_REQUEST_KEYS = ("method", "url", "headers", "body", "body_base64")
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class ShapeError(Exception):
    """An entry not of the cassette's shape: where (pointer tokens), and what was expected."""

    def __init__(self, at: Sequence[str | int], message: str, *, at_name: bool = False) -> None:
        super().__init__(message)
        self.at = list(at)
        self.message = message
        self.at_name = at_name


def _expected(at: Sequence[str | int], what: str, value: object) -> ShapeError:
    name = str(at[-1]) if at else ""
    return ShapeError(at, f"expected {what}, got {show(value, name)}")


def _mapping(value: object, at: Sequence[str | int], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _expected(at, what, value)
    return value


def _known(
    value: Mapping[str, Any], keys: Sequence[str], at: Sequence[str | int], what: str
) -> None:
    for key in value:
        if key not in keys:
            guess = did_you_mean(key, keys)
            listed = guess or f"; its keys are {', '.join(keys)}"
            raise ShapeError([*at, key], f'{what} has no key "{key}"{listed}', at_name=True)


def _text(side: Mapping[str, Any], key: str, at: Sequence[str | int]) -> str:
    value = side.get(key, "")
    if not isinstance(value, str):
        raise _expected([*at, key], "a string", value)
    return value


def _required(side: Mapping[str, Any], key: str, at: Sequence[str | int], what: str) -> Any:
    if key not in side:
        raise ShapeError(at, f"{key} is missing: expected {what}")
    return side[key]


def _method(side: Mapping[str, Any], at: Sequence[str | int]) -> str:
    value = _required(side, "method", at, "an HTTP method")
    if value not in _METHODS:
        hint = (
            f" in capitals ({value.upper()})"
            if isinstance(value, str) and value.upper() in _METHODS
            else ""
        )
        raise _expected(
            [*at, "method"], f"an HTTP method{hint or ': ' + ', '.join(_METHODS)}", value
        )
    return str(value)


def _url(side: Mapping[str, Any], at: Sequence[str | int]) -> str:
    value = _required(side, "url", at, "an absolute http or https URL")
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
    except ValueError:  # an unbalanced "[" in the host: no URL at all
        parts = None
    if parts is None or parts.scheme not in {"http", "https"} or not parts.netloc:
        raise _expected([*at, "url"], "an absolute http or https URL", value)
    return str(value)


def _status(side: Mapping[str, Any], at: Sequence[str | int]) -> int:
    value = _required(side, "status", at, "an HTTP status: an integer from 100 to 599")
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        raise _expected([*at, "status"], "an HTTP status: an integer from 100 to 599", value)
    return value


def _headers(side: Mapping[str, Any], at: Sequence[str | int]) -> dict[str, str]:
    value = side.get("headers")
    if value is None:
        return {}
    headers = _mapping(value, [*at, "headers"], "a mapping of header names to strings")
    for name, text in headers.items():
        if not isinstance(text, str):
            raise _expected([*at, "headers", name], "a string (quote the value)", text)
    return headers


def _body(side: Mapping[str, Any], at: Sequence[str | int]) -> str | bytes:
    text = _text(side, "body", at)
    if "body_base64" not in side:
        return text
    encoded = side["body_base64"]
    where = [*at, "body_base64"]
    if not isinstance(encoded, str):
        raise _expected(where, "the body's bytes in base64", encoded)
    if text:
        raise ShapeError(
            where, "a body is text (body) or bytes (body_base64), not both: make body ''"
        )
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _expected(where, "the body's bytes in base64", encoded) from None


def _exchange(entry: object, at: list[str | int]) -> Exchange:
    item = _mapping(entry, at, "an exchange: a mapping with response and request")
    _known(item, ("response", "request"), at, "an exchange")
    if "response" not in item:
        raise ShapeError(at, "the exchange has no response: it needs method, url and status")
    response = _mapping(item["response"], [*at, "response"], "a mapping (the recorded response)")
    where = [*at, "response"]
    _known(response, _RESPONSE_KEYS, where, "a response")
    content_type = response.get("content_type")
    if content_type is not None and not isinstance(content_type, str):
        raise _expected([*where, "content_type"], "a string or null", content_type)
    flag = response.get("auto_calculate_content_length", False)
    if not isinstance(flag, bool):
        raise _expected([*where, "auto_calculate_content_length"], "true or false", flag)
    request = item.get("request")
    asked = [*at, "request"]
    request = {} if request is None else _mapping(request, asked, "a mapping (the request sent)")
    _known(request, _REQUEST_KEYS, asked, "a request")
    for key, check in (("method", _method), ("url", _url)):
        if key in request:
            check(request, asked)
    return Exchange(
        method=_method(response, where),
        url=_url(response, where),
        request_headers=_headers(request, asked),
        request_body=_body(request, asked),
        status=_status(response, where),
        response_headers=_headers(response, where),
        response_body=_body(response, where),
        content_type=content_type,
    )


def exchanges(value: object) -> tuple[list[Exchange], list[ShapeError]]:
    """The exchanges of a parsed cassette, and the problem of each entry that is not one."""
    expected = "a mapping with a responses: list"
    if not isinstance(value, dict) or "responses" not in value:
        return [], [_expected([], expected, value)]
    try:
        _known(value, ("responses",), [], "a recording")
    except ShapeError as problem:
        return [], [problem]
    entries = value["responses"]
    if not isinstance(entries, list):
        return [], [_expected(["responses"], "a list of exchanges", entries)]
    exchanges, problems = [], []
    for index, entry in enumerate(entries):
        try:
            exchanges.append(_exchange(entry, ["responses", index]))
        except ShapeError as problem:
            problems.append(problem)
    return exchanges, problems


def _body_entry(body: str | bytes) -> dict[str, str]:
    if isinstance(body, str):
        return {"body": body}
    return {"body": "", "body_base64": base64.b64encode(body).decode("ascii")}


def entry(exchange: Exchange) -> dict[str, Any]:
    """The cassette entry: responses' keys under ``response``, ours under ``request``."""
    kept = {
        k: v for k, v in exchange.response_headers.items() if k.lower() not in _TRANSFER_HEADERS
    }
    return {
        "response": {
            "method": exchange.method,
            "url": exchange.url,
            **_body_entry(exchange.response_body),
            "status": exchange.status,
            "headers": kept,
            "content_type": exchange.content_type,
            "auto_calculate_content_length": False,
        },
        "request": {
            "method": exchange.method,
            "url": exchange.url,
            "headers": dict(exchange.request_headers),
            **_body_entry(exchange.request_body),
        },
    }


def document(exchanges: Iterable[Exchange]) -> str:
    """The cassette file's text for ``exchanges`` (already redacted)."""
    import yaml

    value = {"responses": [entry(exchange) for exchange in exchanges]}
    # libyaml's dumper is four times faster, and a cassette is rewritten on every recording.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(value, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    if "\x85" in text:  # PyYAML's own dumper writes NEL raw, which a reader takes for a break
        text = yaml.dump(value, Dumper=dumper, sort_keys=False, allow_unicode=False, width=100)
    return _HEADER + text
