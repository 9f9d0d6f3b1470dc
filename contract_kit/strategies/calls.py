"""Whole create calls (method, URL, headers, body), valid and broken, for ``check_request``.

Valid calls name one container and placements it holds (the fake's, unless told otherwise),
so the fake answers each with 201, not only ``check_request`` with nothing. A broken call
breaks one of its own rules (method, path, no body, a body that is not JSON) or carries one
broken header or one broken body, whose pointer then moves under ``/headers`` or ``/body``,
as ``check_request`` reports it.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any, NamedTuple

from hypothesis import strategies as st

from contract_kit.core.examples import DOCS_CONTAINER, SEED_PLACEMENT
from contract_kit.strategies.build import kind_values
from contract_kit.strategies.picks import pick, shuffled
from contract_kit.strategies.values import containers

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy

    from contract_kit.strategies.breaks import Case

__all__ = [
    "CALL_RULES",
    "FAKE_CONTAINER",
    "FAKE_PLACEMENT",
    "ORIGINS",
    "ROOT",
    "CreateCall",
    "call_breaks",
    "create_calls",
    "lifted",
]

#: The container of the Adobe docs' examples: the one the fake serves unless told otherwise.
FAKE_CONTAINER = DOCS_CONTAINER
#: The seed document's placement: the one placement a new fake holds.
FAKE_PLACEMENT = SEED_PLACEMENT


class CreateCall(NamedTuple):
    """One create call, unpacked as ``check_request(*call)`` takes it."""

    method: str
    url: str
    headers: Any
    body: Any


CreateCall.__module__ = "contract_kit.strategies"  # where users import it from, and pickle finds it

#: Where clients send calls: the API, local fakes, or a bare path.
ORIGINS = ("https://platform.adobe.io", "http://localhost:8080", "http://127.0.0.1:5000", "")
ROOT = "/data/core/xcore"


def _url(origin: str, container: str, slash: str) -> str:
    # No query: a create documents no query parameter (unknown-parameter).
    return f"{origin}{ROOT}/{container}/instances{slash}"


def _urls(container_id: str | None) -> SearchStrategy[str]:
    return st.builds(
        _url,
        st.sampled_from(ORIGINS),
        containers(container_id),
        st.sampled_from(("", "/")),
    )


@st.composite
def _placed(draw: DrawFn, bodies: SearchStrategy[Any], placements: tuple[str, ...]) -> Any:
    """A body whose representations name only ``placements``, each at most once, and no tag."""
    body = copy.deepcopy(draw(bodies))
    offer = body.get("_instance", body)
    representations = offer["xdm:representations"][: len(placements)]
    order = shuffled(draw, placements)  # shrinks to the order given: the first first
    for representation, placement in zip(representations, order, strict=False):
        representation["xdm:placement"] = placement
    offer["xdm:representations"] = representations
    offer.pop("xdm:tags", None)  # the fake holds no tag: one named would dangle (422)
    return body


def _encoded(draw: DrawFn, body: Any) -> Any:
    """A JSON body as clients pass it: parsed, text, or UTF-8 bytes (with or without escapes).

    A function of the draw, not a strategy: a strategy made for each draw is validated anew.
    """
    form = pick(draw, ("bytes", "text", "parsed"))
    if form == "parsed" and isinstance(body, dict | list):
        return body
    text = json.dumps(body, ensure_ascii=draw(st.booleans()), indent=pick(draw, (None, 2)))
    return text.encode("utf-8") if form == "bytes" else text


@st.composite
def _encoded_bodies(draw: DrawFn, bodies: SearchStrategy[Any]) -> Any:
    return _encoded(draw, draw(bodies))


def create_calls(
    headers: SearchStrategy[Any],
    bodies: SearchStrategy[Any],
    *,
    container_id: str | None = FAKE_CONTAINER,
    placements: tuple[str, ...] | None = (FAKE_PLACEMENT,),
) -> SearchStrategy[CreateCall]:
    """Valid create calls: POST, any host, any body encoding.

    The container is ``container_id`` (any UUID if None); representations name only
    ``placements`` (any placement if None).
    """
    if placements is not None:
        bodies = _placed(bodies, placements)
    return st.builds(
        CreateCall,
        st.just("POST"),
        _urls(container_id),
        headers,
        _encoded_bodies(bodies),
    )


_METHODS = ("PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "POST ", "", "post", "Post")
_PATHS = (
    (f"{ROOT}/instances", "no container id"),
    (f"{ROOT}/{{CONTAINER_ID}}/instances", "the docs' placeholder for the container id"),
    (f"{ROOT}/e0bd8463/instances", "a container id that is not a UUID"),
    (f"{ROOT}/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instance", "/instance, not /instances"),
    ("/data/core/ups/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances", "another API"),
    ("", "no path at all"),
)


def _not_json(text: str, body: dict[str, Any]) -> list[tuple[Any, str]]:
    first = next(iter(body))
    twice = "{" + json.dumps(first) + ": " + json.dumps(body[first]) + ", " + text[1:]
    return [
        (b"\xef\xbb\xbf" + text.encode(), "UTF-8 with a byte order mark"),
        ("\ufeff" + text, "text starting with a byte order mark"),
        (text.encode("utf-16"), "UTF-16, not UTF-8"),
        (text[:-1], "cut short"),
        (text + " x", "text after the JSON document"),
        (str(body), "Python's repr, not JSON"),
        (twice, f'member "{first}" twice in one object'),
        (text[:-1] + ', "acme:score": NaN}', "NaN, which JSON does not have"),
    ]


@st.composite
def _call_break(
    draw: DrawFn, valid: SearchStrategy[CreateCall], offers: SearchStrategy[Any], rule: str
) -> Case:
    call = draw(valid)
    if rule == "method":
        method = pick(draw, _METHODS)
        return call._replace(method=method), "/method", rule, f"method: {method!r}"
    if rule == "path":
        path, how = pick(draw, _PATHS)
        return (
            call._replace(url=pick(draw, ORIGINS) + path),
            "/path",
            rule,
            f"path: {how}",
        )
    if rule == "body":
        return call._replace(body=None), "/body", rule, "body: none"
    offer = draw(offers)
    body, how = pick(draw, _not_json(json.dumps(offer, ensure_ascii=False), offer))
    return call._replace(body=body), "/body", rule, f"body: {how}"


#: The rules of a call itself, beyond its headers and body.
CALL_RULES = ("method", "path", "body", "json")


def call_breaks(valid: SearchStrategy[CreateCall]) -> dict[str, SearchStrategy[Case]]:
    """Breaks of the call's own rules, by rule id."""
    offers = kind_values("fallback-offer").filter(
        lambda offer: isinstance(offer, dict) and bool(offer)
    )
    return {rule: _call_break(valid, offers, rule) for rule in CALL_RULES}


@st.composite
def lifted(
    draw: DrawFn, case: SearchStrategy[Case], valid: SearchStrategy[CreateCall], part: str
) -> Case:
    """A call carrying one broken header set (``part`` "headers") or body ("body")."""
    call = draw(valid)
    instance, pointer, rule, how = draw(case)
    if part == "headers":
        return call._replace(headers=instance), "/headers" + pointer, rule, how
    body = instance if isinstance(instance, dict | list) else None
    encoded = _encoded(draw, instance) if body is not None else json.dumps(instance)
    return call._replace(body=encoded), "/body" + pointer, rule, how
