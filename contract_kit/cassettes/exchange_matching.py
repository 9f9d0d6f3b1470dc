"""Which recorded exchange a live request is, and, when none is, how the closest one differs.

A request matches a recording on method, URL (scheme, host, path, and the query as a
multiset), body (equal as JSON, or as text) and the headers that change the answer:
``If-Match`` and ``If-None-Match`` (as sets of etags: ``W/"3"``, ``"3"`` and ``3`` are one),
``Content-Type`` and ``Accept`` (as parsed media types: case, spacing and parameter order do
not count; no Accept is ``*/*``), and ``x-sandbox-name`` (absent is ``prod``, as the service
reads it). A stale etag must not be answered as if it were current. Other headers never decide
a match (they carry secrets the recording does not have), but a mismatch report names them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from contract_kit.core.formats import UUID
from contract_kit.core.media_types import MediaTypeError, parse_accept, parse_media_type
from contract_kit.core.messages import show
from contract_kit.core.violation import join_pointer

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from contract_kit.cassettes.exchange import Exchange

__all__ = ["describe_difference", "find_match", "same_request"]


def _url_parts(url: str) -> tuple[str, str, str, list[tuple[str, str]]]:
    parts = urlsplit(url)
    return (
        parts.scheme,
        parts.netloc,
        parts.path,
        sorted(parse_qsl(parts.query, keep_blank_values=True)),
    )


def _body(text: str | bytes) -> Any:
    try:
        return ("json", json.loads(text)) if text else ("empty", None)
    except ValueError:
        return ("text", text)


def _etags(value: str | None) -> object:
    if value is None:
        return None
    tags = (part.strip().removeprefix("W/").strip('"') for part in value.split(","))
    return frozenset(tag for tag in tags if tag)


def _media_type(value: str | None) -> object:
    if value is None:
        return None
    try:
        parsed = parse_media_type(value)
    except MediaTypeError:
        return value.strip()
    return parsed.essence, frozenset(parsed.params)


def _accept(value: str | None) -> object:
    if value is None:  # no Accept accepts anything
        value = "*/*"
    try:
        return frozenset((r.essence, frozenset(r.params)) for r in parse_accept(value))
    except MediaTypeError:
        return value.strip()


def _sandbox(value: str | None) -> object:
    return "prod" if value is None else value.strip()


# The headers whose values change the service's answer, with what their values mean.
_DECIDING: dict[str, Callable[[str | None], object]] = {
    "if-match": _etags,
    "if-none-match": _etags,
    "content-type": _media_type,
    "accept": _accept,
    "x-sandbox-name": _sandbox,
}


def _header(exchange: Exchange, name: str) -> str | None:
    """The request header ``name`` (lower case), spelt in any case, or None."""
    return next((v for k, v in exchange.request_headers.items() if k.lower() == name), None)


def _deciding_headers_agree(recorded: Exchange, live: Exchange) -> bool:
    return all(
        meaning(_header(recorded, name)) == meaning(_header(live, name))
        for name, meaning in _DECIDING.items()
    )


def same_request(recorded: Exchange, live: Exchange) -> bool:
    """Whether ``live`` is the request ``recorded`` holds (both already redacted)."""
    return (
        recorded.method == live.method
        and _url_parts(recorded.url) == _url_parts(live.url)
        and _body(recorded.request_body) == _body(live.request_body)
        and _deciding_headers_agree(recorded, live)
    )


def find_match(recorded: Sequence[Exchange], used: Sequence[bool], live: Exchange) -> int | None:
    """The first recording of ``live`` not replayed yet, by index."""
    return next(
        (i for i, exchange in enumerate(recorded) if not used[i] and same_request(exchange, live)),
        None,
    )


def _first_difference(
    recorded: Any, live: Any, path: list[str | int]
) -> tuple[str, Any, Any] | None:
    if isinstance(recorded, dict) and isinstance(live, dict):
        for key in [*recorded, *(k for k in live if k not in recorded)]:
            if key not in live or key not in recorded:
                return (
                    join_pointer([*path, key]),
                    recorded.get(key, _MISSING),
                    live.get(key, _MISSING),
                )
            found = _first_difference(recorded[key], live[key], [*path, key])
            if found:
                return found
        return None
    if isinstance(recorded, list) and isinstance(live, list):
        for index, (a, b) in enumerate(zip(recorded, live, strict=False)):
            found = _first_difference(a, b, [*path, index])
            if found:
                return found
        if len(recorded) != len(live):
            index = min(len(recorded), len(live))
            at = join_pointer([*path, index])
            return (
                at,
                recorded[index] if index < len(recorded) else _MISSING,
                live[index] if index < len(live) else _MISSING,
            )
        return None
    return None if recorded == live else (join_pointer(path), recorded, live)


class _Missing:
    def __repr__(self) -> str:
        return "nothing"


_MISSING = _Missing()


def _shown(value: Any) -> str:
    return "nothing" if value is _MISSING else show(value)


def _header_value(exchange: Exchange, name: str) -> str:
    value = _header(exchange, name)
    if value is None:
        return "none (prod)" if name == "x-sandbox-name" else "none"
    return value


def _differences(recorded: Exchange, live: Exchange) -> list[tuple[str, bool]]:
    """Every way ``live`` differs from ``recorded``, each with whether it decides the match."""
    found = [(text, True) for text in _deciding_differences(recorded, live)]
    recorded_names = {k.lower() for k in recorded.request_headers} - _DECIDING.keys()
    sent_names = {k.lower() for k in live.request_headers} - _DECIDING.keys()
    found.extend(
        (f"header {name}: recorded, not sent", False)
        for name in sorted(recorded_names - sent_names)
    )
    found.extend(
        (f"header {name}: sent, not recorded", False)
        for name in sorted(sent_names - recorded_names)
    )
    return found


def _deciding_differences(recorded: Exchange, live: Exchange) -> list[str]:
    found = []
    if recorded.method != live.method:
        found.append(f"method: recorded {recorded.method}, sent {live.method}")
    r_scheme, r_host, r_path, r_query = _url_parts(recorded.url)
    l_scheme, l_host, l_path, l_query = _url_parts(live.url)
    if (r_scheme, r_host) != (l_scheme, l_host):
        found.append(f"host: recorded {r_scheme}://{r_host}, sent {l_scheme}://{l_host}")
    if r_path != l_path:
        found.append(f"path: recorded {r_path}, sent {l_path}")
    if r_query != l_query:
        was, now = urlsplit(recorded.url).query or "(none)", urlsplit(live.url).query or "(none)"
        found.append(f"query: recorded {was}, sent {now}")
    r_body, l_body = _body(recorded.request_body), _body(live.request_body)
    if r_body != l_body:
        if r_body[0] == l_body[0] == "json":
            where, recorded_value, sent_value = _first_difference(r_body[1], l_body[1], []) or (
                "",
                None,
                None,
            )
            shown = f"recorded {_shown(recorded_value)}, sent {_shown(sent_value)}"
            found.append(f"body at {where or '(root)'}: {shown}")
        elif r_body[0] != l_body[0]:
            kinds = {"json": "a JSON body", "text": "a non-JSON body", "empty": "none"}
            found.append(f"body: recorded {kinds[r_body[0]]}, sent {kinds[l_body[0]]}")
        else:
            found.append("body: recorded and sent texts differ")
    for name, meaning in _DECIDING.items():
        if meaning(_header(recorded, name)) != meaning(_header(live, name)):
            was, now = _header_value(recorded, name), _header_value(live, name)
            found.append(f"header {name}: recorded {was}, sent {now}")
    return found


def _shape(url: str) -> list[str]:
    """The path with ids blanked: requests of one operation on different instances agree."""
    return ["{id}" if UUID.fullmatch(part) else part for part in urlsplit(url).path.split("/")]


def describe_difference(recorded: Sequence[Exchange], used: Sequence[bool], live: Exchange) -> str:
    """Name the recorded exchange closest to ``live`` and every way they differ."""
    if not recorded:
        return "the recording holds no exchanges"

    def distance(index: int) -> tuple[int, bool, int, int]:
        differences = _differences(recorded[index], live)
        deciding = [text for text, decides in differences if decides]
        other_shape = _shape(recorded[index].url) != _shape(live.url)
        return len(deciding), other_shape, len(differences), index

    closest = min(range(len(recorded)), key=distance)
    exchange = recorded[closest]
    label = f"exchange {closest + 1} ({exchange.method} {urlsplit(exchange.url).path})"
    differences = _differences(exchange, live)
    if used[closest] and not any(decides for _, decides in differences):
        return f"{label} matches but was already replayed; record the call again if it is repeated"
    return f"closest: {label}: " + "; ".join(text for text, _ in differences)
