"""``contract-kit serve``'s control plane: what a test in any language does to the fake over HTTP.

Everything lives under ``/_contract-kit/``; every Adobe path starts with ``/data/``, so the
two never meet. Seed, reset, inject faults and read the calls seen, in JSON; a refused
request is an RFC 7807 problem saying what to send instead. These requests are never
recorded as calls, and no injected fault ever meets them.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from contract_kit.fake.error_bodies import problem
from contract_kit.fake.exchange import FakeResponse, json_response
from contract_kit.fake.seeding import SEEDABLE, Seed, store_seeds

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from contract_kit.core.violation import Violation
    from contract_kit.decisioning.trace import DecisionTrace
    from contract_kit.fake.exchange import Call, FakeRequest
    from contract_kit.fake.service import OfferLibrary

__all__ = ["PREFIX", "CallLog", "ControlPlane", "trace_json"]

#: Where the control plane is served; nothing of Adobe's API is.
PREFIX = "/_contract-kit/"
_JSON = "application/json"
_FAULT_MEMBERS = frozenset({"status", "method", "path", "times", "retry_after", "disconnect"})
_RESETS = ("seed", "empty")


class _RefusedError(Exception):
    """A control request that cannot be carried out: its answer is ``response``."""

    def __init__(self, response: FakeResponse) -> None:
        super().__init__(response.status)
        self.response = response


def _bad(detail: str, violations: Sequence[Violation] = ()) -> _RefusedError:
    return _RefusedError(problem(400, detail, violations=violations))


def _no_content() -> FakeResponse:
    return FakeResponse(204)


def _call_line(call: Call) -> tuple[str, str]:
    """The method and the target of a call, the target's secrets masked."""
    from contract_kit.core.secrets import mask

    request = call.request
    target = mask(request.target, url=request.url, headers=dict(request.headers), body=request.body)
    return request.method, target


def _violation(violation: Violation) -> dict[str, str]:
    return {
        "pointer": violation.pointer,
        "rule": violation.rule,
        "message": violation.message,
        "severity": violation.severity,
    }


class CallLog:
    """The API calls serve answered, each with a number that never changes; the last ``size``.

    Numbers go on across resets, so ``?since=N`` still means "after what I last read".
    """

    def __init__(self, size: int) -> None:
        self._calls: deque[tuple[int, Call]] = deque(maxlen=size)
        self._next = 0
        self._lock = threading.Lock()

    def add(self, call: Call) -> None:
        """Log one answered call."""
        with self._lock:
            self._calls.append((self._next, call))
            self._next += 1

    def clear(self) -> None:
        """Forget the logged calls (their numbers are not reused)."""
        with self._lock:
            self._calls.clear()

    def since(self, first: int) -> list[dict[str, Any]]:
        """The logged calls numbered ``first`` or more, as JSON objects."""
        with self._lock:
            logged = [(index, call) for index, call in self._calls if index >= first]
        shown = []
        for index, call in logged:
            method, target = _call_line(call)
            shown.append(
                {
                    "index": index,
                    "method": method,
                    "target": target,
                    "operation": call.operation,
                    "status": None if call.response is None else call.response.status,
                    "violations": [_violation(v) for v in call.violations],
                }
            )
        return shown


def trace_json(trace: DecisionTrace) -> dict[str, Any]:
    """A decision's trace as JSON: per proposition, every candidate and why it was left out."""
    return {
        "propositionId": trace.proposition_id,
        "propositions": [
            {
                "activity": traced.activity,
                "placement": traced.placement,
                "itemCount": traced.item_count,
                "collections": list(traced.collections),
                "fallback": traced.fallback,
                "candidates": [
                    {
                        "offer": c.offer,
                        "reason": c.reason,
                        "priority": c.priority,
                        "detail": c.detail,
                    }
                    for c in traced.candidates
                ],
            }
            for traced in trace.propositions
        ],
        "warnings": [_violation(v) for v in trace.warnings],
    }


def _body(request: FakeRequest) -> Any:
    if not request.body.strip():
        return None
    try:
        return json.loads(request.body)
    except (ValueError, RecursionError):
        raise _bad(
            "the body is not JSON; send a JSON object (Content-Type: application/json)"
        ) from None


def _since(request: FakeRequest) -> int:
    values = parse_qs(urlsplit(request.target).query).get("since", ["0"])
    text = values[-1]
    if not text.isascii() or not text.isdigit():
        raise _bad(f"since={text!r} is not a call number; give the index after the last one read")
    return int(text)


def _seeds(value: Any) -> list[Seed]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(i, dict) and set(i) == {"kind", "body"} for i in items):
        raise _bad(
            'send {"kind": KIND, "body": {...}} or a list of them; the kinds are '
            + ", ".join(SEEDABLE)
        )
    return [Seed(str(item["kind"]), item["body"]) for item in items]


def _whole_number(value: Any, name: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise _bad(f"{name} must be a whole number, {least} or more, not {json.dumps(value)}")
    return value


class ControlPlane:
    """Answers the requests under :data:`PREFIX` for one served fake."""

    def __init__(
        self,
        library: OfferLibrary,
        calls: CallLog,
        seeds: Sequence[Seed],
        changed: Callable[[], None],
    ) -> None:
        self._library = library
        self._calls = calls
        self._seeds = tuple(seeds)
        self._changed = changed  # the document pins what is stored: it must be built again
        self._routes: dict[str, dict[str, Callable[[FakeRequest], FakeResponse]]] = {
            "": {"GET": self._index},
            "objects": {"GET": self._objects, "POST": self._seed},
            "reset": {"POST": self._reset},
            "faults": {"GET": self._faults, "POST": self._add_fault, "DELETE": self._clear_faults},
            "calls": {"GET": self._read_calls, "DELETE": self._clear_calls},
            "violations": {"GET": self._violations},
        }
        # Routes whose last segments are a parameter: /profiles/{namespace}/{id} and
        # /decisions/{propositionId}.
        self._parametric: dict[str, dict[str, Callable[[FakeRequest, str], FakeResponse]]] = {
            "profiles": {"PUT": self._set_profile},
            "decisions": {"GET": self._decision_trace},
        }

    def start(self) -> None:
        """Store the seeds serve was started with (checked beforehand)."""
        store_seeds(self._library, self._seeds)

    def handle(self, request: FakeRequest) -> tuple[FakeResponse, str]:
        """The answer to a control request, and its name for the log (``control=reset``)."""
        path = urlsplit(request.target).path
        name = path[len(PREFIX) :].strip("/") if path.startswith(PREFIX) else ""
        head, _, parameter = name.partition("/")
        if head in self._parametric and parameter:
            return self._handle_parametric(request, head, unquote(parameter))
        methods = self._routes.get(name)
        if methods is None:
            known = ", ".join(
                [PREFIX + route for route in self._routes]
                + [f"{PREFIX}profiles/{{namespace}}/{{id}}", f"{PREFIX}decisions/{{propositionId}}"]
            )
            return problem(404, f"the control plane has no {path}; it serves {known}"), "control=-"
        handler = methods.get(request.method.upper())
        shown = name or "index"
        if handler is None:
            allow = ", ".join(methods)
            refusal = problem(405, f"{PREFIX}{name} takes {allow}", headers=(("Allow", allow),))
            return refusal, f"control={shown}"
        try:
            return handler(request), f"control={shown}"
        except _RefusedError as refused:
            return refused.response, f"control={shown}"

    def _handle_parametric(
        self, request: FakeRequest, head: str, parameter: str
    ) -> tuple[FakeResponse, str]:
        methods = self._parametric[head]
        handler = methods.get(request.method.upper())
        if handler is None:
            allow = ", ".join(methods)
            refusal = problem(405, f"{PREFIX}{head}/... takes {allow}", headers=(("Allow", allow),))
            return refusal, f"control={head}"
        try:
            return handler(request, parameter), f"control={head}"
        except _RefusedError as refused:
            return refused.response, f"control={head}"

    # Routes -------------------------------------------------------------------------------

    def _set_profile(self, request: FakeRequest, parameter: str) -> FakeResponse:
        namespace, _, identity = parameter.partition("/")
        if not namespace or not identity or "/" in identity:
            raise _bad(
                "send PUT /_contract-kit/profiles/{namespace}/{id} (the id percent-encoded, "
                "Email/a%40b.com) with the profile's attributes as a JSON object"
            )
        attributes = _body(request)
        if not isinstance(attributes, dict):
            raise _bad(
                'the body is the profile\'s attributes as a JSON object, {"person": {"name": '
                '{"firstName": "Joe"}}}'
            )
        self._library.set_profile(namespace, identity, attributes)
        return _no_content()

    def _decision_trace(self, _request: FakeRequest, proposition_id: str) -> FakeResponse:
        trace = self._library.decision_trace(proposition_id)
        if trace is None:
            return problem(
                404,
                f"no recent decision has xdm:propositionId {proposition_id}; the fake keeps the "
                "traces of its last 1000 decisions, until a reset",
            )
        return json_response(200, trace_json(trace), _JSON)

    def _index(self, _request: FakeRequest) -> FakeResponse:
        body = {
            "container": self._library.container_id,
            "base_url": self._library.base_url,
            "kinds": list(SEEDABLE),
            "openapi": "/openapi.json",
            "links": {route or "index": f"{PREFIX}{route}" for route in self._routes},
        }
        return json_response(200, body, _JSON)

    def _objects(self, request: FakeRequest) -> FakeResponse:
        wanted = parse_qs(urlsplit(request.target).query).get("kind")
        kinds = wanted or list(SEEDABLE)
        unknown = [k for k in kinds if k not in SEEDABLE]
        if unknown:
            raise _bad(f"kind={unknown[0]!r} is not held here; the kinds are {', '.join(SEEDABLE)}")
        listed = [
            {"kind": kind, "object": envelope}
            for kind in SEEDABLE
            if kind in kinds
            for envelope in list(self._library.instances_of(kind).values())
        ]
        return json_response(200, listed, _JSON)

    def _seed(self, request: FakeRequest) -> FakeResponse:
        seeds = _seeds(_body(request))
        found = [
            violation.under(f"/{index}/body")
            for index, problems in enumerate(self._library.check_seeds(seeds))
            for violation in problems
        ]
        if found:
            first = found[0]
            raise _bad(
                f"nothing was seeded: {first.pointer}: {first.message}; fix the body, as "
                "a create would have to be",
                found,
            )
        receipts = store_seeds(self._library, seeds)
        self._changed()
        return json_response(201, receipts, _JSON)

    def _reset(self, request: FakeRequest) -> FakeResponse:
        body = _body(request) or {}
        to = body.get("to", "seed") if isinstance(body, dict) else None
        if to not in _RESETS or (isinstance(body, dict) and set(body) - {"to"}):
            raise _bad('send {"to": "seed"} (the --seed state, the default) or {"to": "empty"}')
        self._library.reset()
        self._library.clear_faults()
        self._calls.clear()
        if to == "seed":
            self.start()
        self._changed()
        return _no_content()

    def _faults(self, _request: FakeRequest) -> FakeResponse:
        return json_response(200, self._library.unfired_faults(), _JSON)

    def _add_fault(self, request: FakeRequest) -> FakeResponse:
        body = _body(request)
        if not isinstance(body, dict) or set(body) - _FAULT_MEMBERS:
            extra = sorted(set(body) - _FAULT_MEMBERS) if isinstance(body, dict) else []
            raise _bad(
                (f"{extra[0]!r} is not a fault member; " if extra else "")
                + 'send {"status": 503, "method": "POST", "path": "*/instances", "times": 1, '
                '"retry_after": 5}, or {"disconnect": true, ...} to drop the connection'
            )
        method, path = body.get("method"), body.get("path")
        times = _whole_number(body.get("times", 1), "times", 1)
        try:
            if body.get("disconnect", False) is True:
                if "status" in body or "retry_after" in body:
                    raise _bad("a disconnect has no status or retry_after; send one or the other")
                self._library.disconnect_next(method=method, path=path, times=times)
            else:
                if "status" not in body:
                    raise _bad('a fault needs a "status" (400 to 599) or "disconnect": true')
                self._library.fail_next(
                    body["status"],
                    method=method,
                    path=path,
                    times=times,
                    retry_after=body.get("retry_after"),
                )
        except (TypeError, ValueError) as error:
            raise _bad(str(error)) from None
        return json_response(201, {"pending": self._library.unfired_faults()}, _JSON)

    def _clear_faults(self, _request: FakeRequest) -> FakeResponse:
        self._library.clear_faults()
        return _no_content()

    def _read_calls(self, request: FakeRequest) -> FakeResponse:
        return json_response(200, self._calls.since(_since(request)), _JSON)

    def _clear_calls(self, _request: FakeRequest) -> FakeResponse:
        self._calls.clear()
        return _no_content()

    def _violations(self, request: FakeRequest) -> FakeResponse:
        flat = [
            {"index": call["index"], "method": call["method"], "target": call["target"], **found}
            for call in self._calls.since(_since(request))
            for found in call["violations"]
        ]
        return json_response(200, flat, _JSON)
