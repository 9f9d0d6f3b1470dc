"""The fake Offer Library: it routes, checks and answers each call, and keeps what it saw.

Each call is checked against the contract of its operation and answered as the service
would answer it; the test can inspect every call afterwards.
"""

from __future__ import annotations

import copy
import dataclasses
import fnmatch
import functools
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from contract_kit.core.messages import plural
from contract_kit.core.object_kinds import (
    documented_body,
    kind_of_id,
    object_kind,
)
from contract_kit.core.operations import answer_kind
from contract_kit.documents.limits import MAX_FILE_BYTES
from contract_kit.fake.call_kinds import DEFAULT_KIND
from contract_kit.fake.decide import rule_findings
from contract_kit.fake.error_bodies import (
    gateway_error,
    problem,
    response_for_violations,
    too_large,
)
from contract_kit.fake.errors import FakeConnectionError, FakeContractError
from contract_kit.fake.exchange import NOT_KEPT, Call, FakeRequest, FakeResponse
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.routes import HANDLERS
from contract_kit.fake.seeding import Seed, seed_problems, store_seeds
from contract_kit.fake.store import (
    DEFAULT_PLACEMENT,
    DEFAULT_SANDBOX,
    Store,
    default_placement,
    kind_named_by,
    offer_of,
)

if TYPE_CHECKING:
    import datetime as dt
    import os
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from contract_kit.api.request_check import CallCheck
    from contract_kit.core.violation import Violation
    from contract_kit.decisioning.call import DecisionAnswer
    from contract_kit.decisioning.trace import DecisionTrace
    from contract_kit.fake.httpx_transport import AsyncOfferLibraryTransport, OfferLibraryTransport
    from contract_kit.fake.store import Container

__all__ = ["MAX_BODY_BYTES", "OfferLibrary"]

#: The writes whose body may be an eligibility rule the fake's decisions cannot evaluate.
_RULE_WRITES = frozenset({"create", "update"})
#: Bodies larger than this get 413: the limit of every document contract_kit reads.
MAX_BODY_BYTES = MAX_FILE_BYTES


@dataclass
class _Fault:
    method: str | None
    path: str | None
    times: int
    response: FakeResponse | None  # None: drop the connection
    #: The call that set the fault up, as the test wrote it: what a report of it names.
    setup: str = ""
    _initial: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        self._initial = self.times

    @property
    def fired(self) -> bool:
        """Whether any request met this fault yet."""
        return self.times < self._initial

    def matches(self, request: FakeRequest) -> bool:
        path = request.target.split("?", 1)[0]
        method_ok = self.method is None or request.method.upper() == self.method.upper()
        return method_ok and (self.path is None or fnmatch.fnmatchcase(path, self.path))

    @staticmethod
    def setup_of(name: str, arguments: tuple[object, ...], keywords: Mapping[str, object]) -> str:
        """How the test set a fault up (defaults left out), for the report of one never met."""
        defaults = {"method": None, "path": None, "times": 1, "retry_after": None}
        shown = [repr(a) for a in arguments]
        shown += [
            f"{k}={v!r}"
            for k, v in keywords.items()
            if v != defaults.get(k, v) or k not in defaults
        ]
        return f"{name}({', '.join(shown)})"

    @staticmethod
    def check_scope(method: str | None, path: str | None, times: int) -> None:
        """Refuse a scope no request could meet, saying what to give instead."""
        __tracebackhide__ = True
        if method is not None and not (isinstance(method, str) and method.isalpha()):
            msg = f"method must be an HTTP method such as 'POST', not {method!r}"
            raise ValueError(msg)
        if path is not None and not isinstance(path, str):
            msg = f"path must be a glob over the request path such as '*/instances/*', not {path!r}"
            raise TypeError(msg)
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            msg = f"times must be a whole number of calls, 1 or more, not {times!r}"
            raise ValueError(msg)


@dataclass
class OfferLibrary:
    """A stateful fake of the Offer Library repository API, for every kind it stores.

    ``instances`` maps instanceId to each stored fallback offer as a read returns it
    (``instances_of(kind)`` does so for any kind, ``all_instances`` for all); ``calls``
    lists the last ``options.call_log_size`` requests with their answers and their
    violations of the contract. Calls from several threads are served one at a time.
    """

    options: OfferLibraryOptions = field(default_factory=OfferLibraryOptions)
    clock: Callable[[], dt.datetime] | None = None
    # Left out of the repr: Hypothesis prints the fixture in every failing example.
    calls: list[Call] = field(default_factory=list, init=False, repr=False)
    _faults: list[_Fault] = field(default_factory=list, init=False, repr=False)
    _allowed: bool = field(default=False, init=False, repr=False)
    #: Calls that broke the contract and have left ``calls``: they still fail the test.
    _earlier_broken: list[Call] = field(default_factory=list, init=False, repr=False)
    #: Broken calls check_no_violations has already raised for: a reset may forget them.
    _reported: list[Call] = field(default_factory=list, init=False, repr=False)
    # Each call's check of the state and change to it happen under this lock, so two
    # If-Match writes of one etag can never both win.
    _lock: threading.RLock = field(
        default_factory=threading.RLock, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._seed()

    def _seed(self) -> None:
        """The state the options give: the containers, each holding the default placement only."""
        # The clock comes first: the default placements are stored, and dated, at once.
        options = self.options
        if self.clock is None:
            self._store = Store(container_id=options.container_id, sandboxes=options.sandboxes)
        else:
            self._store = Store(options.container_id, options.sandboxes, self.clock)

    def reset(self) -> None:
        """Forget everything the test did, as a new fake of the same options would start.

        Stored instances, added placements, calls, faults and ``allow_violations()`` go; the
        options and the clock stay. For ``@given`` tests: the fixture is made once per test,
        so each example starts with a reset (docs/strategies.md). Calls that broke the
        contract, unless allowed or already raised by ``check_no_violations``, are kept for
        the test's end: a reset never hides a violation.
        """
        with self._lock:
            kept = [] if self.violations_allowed else self._unreported()
            # Everything the fake learns is a field the constructor does not take: all of it
            # starts over, so state added to the fake later is forgotten too.
            for state in dataclasses.fields(self):
                if state.init or state.name == "_lock":
                    continue
                factory = state.default_factory
                setattr(self, state.name, factory() if callable(factory) else state.default)
            self._earlier_broken = kept
            self._seed()

    def _unreported(self) -> list[Call]:
        return [
            call
            for call in self._logged()
            if call.violations and not any(call is seen for seen in self._reported)
        ]

    @property
    def instances(self) -> dict[str, dict[str, Any]]:
        """The stored fallback offers by instanceId, as a read of each returns it."""
        return self.instances_of(DEFAULT_KIND)

    def instances_of(
        self, kind: str, *, sandbox: str = DEFAULT_SANDBOX
    ) -> dict[str, dict[str, Any]]:
        """The stored objects of ``kind`` by instanceId (an unknown kind lists the known ones)."""
        __tracebackhide__ = True
        return self._container(sandbox).kinds[object_kind(kind).name]

    @property
    def all_instances(self) -> dict[str, dict[str, Any]]:
        """Every stored object of prod's container, of every kind, by instanceId."""
        return {e["instanceId"]: e for e in self._store.default.all_envelopes()}

    @property
    def container_id(self) -> str:
        """The one container the fake serves."""
        return self._store.container_id

    def add_sandbox(self, name: str, container_id: str | None = None) -> str:
        """Add a sandbox with its container (a stable new id if none is given); return its id.

        The container holds the default placement only; calls sending ``x-sandbox-name:
        <name>`` belong there. ``reset()`` forgets it; the ``sandboxes`` option keeps one.
        """
        __tracebackhide__ = True
        with self._lock:
            return self._store.add_sandbox(name, container_id).container_id

    def container_of(self, name: str) -> str:
        """The container id of sandbox ``name``; a KeyError names the sandboxes there are."""
        __tracebackhide__ = True
        container = self._store.sandbox(name)
        if container is None:
            held = ", ".join(c.sandbox for c in self._store.containers.values())
            msg = f"the fake holds no sandbox {name!r}; it holds {held} (see add_sandbox)"
            raise KeyError(msg)
        return container.container_id

    @property
    def base_url(self) -> str:
        """Where the fake serves the API (``/data/core/xcore/`` below it)."""
        return self.options.base_url

    @property
    def violations(self) -> list[tuple[Call, Violation]]:
        """Every contract violation of every request so far, with the call it came in."""
        return [(call, violation) for call in self._logged() for violation in call.violations]

    def warning_report(self) -> list[str]:
        """The warnings of the requests so far, as a report lists them: a call, then its own."""
        from contract_kit.assertions import warnings_report

        return warnings_report([(_request_line(c.request), c.violations) for c in self._logged()])

    def _logged(self) -> list[Call]:
        with self._lock:
            return [*self._earlier_broken, *self.calls]

    def _record(self, call: Call) -> None:
        """Log a call, keeping the last call_log_size (and as many broken ones beyond them)."""
        size = self.options.call_log_size
        calls = self.calls
        calls.append(call)
        if len(calls) > size:
            gone = calls[: len(calls) - size]
            del calls[: len(gone)]
            broken = [c for c in gone if c.violations]
            if broken:
                self._earlier_broken += broken
                excess = len(self._earlier_broken) - size
                if excess > 0:
                    del self._earlier_broken[:excess]

    # Seeding --------------------------------------------------------------------------------

    def _container(self, sandbox: str) -> Container:
        __tracebackhide__ = True
        container = self._store.sandbox(sandbox)
        if container is None:
            self.container_of(sandbox)  # raises, naming the sandboxes there are
        return container  # type: ignore[return-value]

    def add(self, kind: str, body: Any, *, sandbox: str = DEFAULT_SANDBOX) -> str:
        """Store an object of ``kind`` as a create would; return its instanceId.

        The body must pass the contract, name only stored objects (unless
        ``check_references=False``) and, for a tag, a name no other tag has: seeding what the
        service would refuse is a bug in the test.
        """
        from contract_kit.assertions import ContractViolation, assert_valid

        __tracebackhide__ = True
        name = object_kind(kind).name
        assert_valid(name, body)
        instance = offer_of(body)
        with self._lock:
            container = self._container(sandbox)
            problems = seed_problems(
                [Seed(name, instance)],
                container,
                check_references=self.options.check_references,
            )[0]
            if problems:
                raise ContractViolation(
                    f"offer_library.add({name!r}, ...): the fake cannot store it "
                    f"({plural(len(problems), 'problem')}):",
                    problems,
                    "Hint: add the objects it names first (offer_library.add), give each tag "
                    "a name of its own, or set check_references=False to store it as it is.",
                )
            if "@id" in instance and container.by_at_id(instance["@id"]) is not None:
                at_id = instance["@id"]
                msg = f"offer_library.add({name!r}, ...): an object with @id {at_id} exists already"
                raise ValueError(msg)
            return str(container.insert(name, instance)["instanceId"])

    def add_placement(
        self,
        placement_id: str | None = None,
        *,
        channel: str = "https://ns.adobe.com/xdm/channel-types/web",
        component_type: str | None = None,
        sandbox: str = DEFAULT_SANDBOX,
    ) -> str:
        """Store a placement (the documented one, with this channel), so offers may name it.

        Returns its ``@id``: ``placement_id``, or a new one. Adding one the container holds
        already changes nothing.
        """
        __tracebackhide__ = True
        kind = kind_named_by(DEFAULT_PLACEMENT)
        with self._lock:
            if placement_id is not None and self._container(sandbox).by_at_id(placement_id):
                return placement_id
        body = {**default_placement(), "xdm:channel": channel}
        if component_type is not None:
            body["xdm:componentType"] = component_type
        if placement_id is None:
            del body["@id"]
        else:
            body["@id"] = placement_id
        instance_id = self.add(kind, body, sandbox=sandbox)
        return str(self.instances_of(kind, sandbox=sandbox)[instance_id]["_instance"]["@id"])

    def add_tag(self, name: str, *, sandbox: str = DEFAULT_SANDBOX) -> str:
        """Store a tag (collection qualifier) named ``name``; return its ``@id``."""
        __tracebackhide__ = True
        return self._add_documented("tag", {"xdm:name": name}, sandbox)

    def add_rule(self, body: Any = None, *, sandbox: str = DEFAULT_SANDBOX) -> str:
        """Store a decision rule (the documented one if no body is given); return its ``@id``."""
        __tracebackhide__ = True
        return self._add_documented("eligibility-rule", body, sandbox)

    def _add_documented(self, kind: str, body: Any, sandbox: str) -> str:
        instance_id = self.add(
            kind, documented_body(kind) if body is None else body, sandbox=sandbox
        )
        return str(self.instances_of(kind, sandbox=sandbox)[instance_id]["_instance"]["@id"])

    def add_fallback_offer(self, body: dict[str, Any], *, sandbox: str = DEFAULT_SANDBOX) -> str:
        """Store a fallback offer as a create would, with its placements; return its instanceId.

        The body must pass the contract: seeding invalid data is a bug in the test. The
        placements it names that the container lacks are made for it (other references must
        exist, as for :meth:`add`).
        """
        from contract_kit.assertions import assert_valid

        __tracebackhide__ = True
        assert_valid(DEFAULT_KIND, body)
        instance = offer_of(body)
        for representation in instance.get("xdm:representations", []):
            placement = representation.get("xdm:placement")
            if isinstance(placement, str) and kind_of_id(placement) is not None:
                # Made to fit the representation, so the offer gets no placement-fit warning.
                channel = representation.get("xdm:channel", default_placement()["xdm:channel"])
                types = [c.get("@type") for c in representation.get("xdm:components", [])]
                component_type = types[0] if types and isinstance(types[0], str) else None
                self.add_placement(
                    placement, channel=channel, component_type=component_type, sandbox=sandbox
                )
        return self.add(DEFAULT_KIND, body, sandbox=sandbox)

    def check_seeds(
        self, seeds: Sequence[Seed], *, sandbox: str = DEFAULT_SANDBOX
    ) -> list[list[Violation]]:
        """Why each seed could not be stored, as a batch, now (empty lists: all could)."""
        __tracebackhide__ = True
        with self._lock:
            container = self._container(sandbox)
            return seed_problems(seeds, container, check_references=self.options.check_references)

    def seed(self, path: str | os.PathLike[str], *, sandbox: str = DEFAULT_SANDBOX) -> list[str]:
        """Store the objects of a JSON or YAML file, or of every such file under a folder.

        Kinds come from the content; objects are stored after what they name. Nothing is
        stored if any file is unreadable or any object could not be: the SeedError says
        where (``file:line:column``). Returns the instanceIds, in the files' order.
        """
        from contract_kit.fake.seed_files import raise_seed_problems, read_seeds

        __tracebackhide__ = True
        seeds, places = read_seeds(path)
        with self._lock:
            raise_seed_problems(path, places, self.check_seeds(seeds, sandbox=sandbox))
            receipts = store_seeds(self, seeds, sandbox=sandbox)
        return [str(r["instanceId"]) for r in receipts]

    # Faults ---------------------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        *,
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next ``times`` matching calls with ``status`` instead of serving them.

        ``status`` is an error status, 400 to 599. ``path`` is a glob over the request path
        (``*/instances/*``). 401 and 403 come as the gateway's token and key errors; 429 and
        503 carry ``Retry-After`` when given. A fault no call met fails the test at its end.
        """
        __tracebackhide__ = True
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            msg = (
                f"fail_next({status!r}): the status must be an error status, 400 to 599 "
                "(a fault stands for the service failing); for a successful answer, let the "
                "fake serve the call"
            )
            raise ValueError(msg)
        _Fault.check_scope(method, path, times)
        if retry_after is not None and (
            isinstance(retry_after, bool) or not isinstance(retry_after, int) or retry_after < 0
        ):
            msg = f"retry_after must be a whole number of seconds, 0 or more, not {retry_after!r}"
            raise ValueError(msg)
        headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
        if status == 401:
            response = gateway_error("401013", "Oauth token is not valid")
        elif status == 403:
            response = gateway_error("403003", "Api Key is invalid")
        else:
            response = problem(status, "a fault injected by the test", headers=headers)
        keywords = {"method": method, "path": path, "times": times, "retry_after": retry_after}
        setup = _Fault.setup_of("fail_next", (status,), keywords)
        with self._lock:
            self._faults.append(_Fault(method, path, times, response, setup))

    def disconnect_next(
        self, *, method: str | None = None, path: str | None = None, times: int = 1
    ) -> None:
        """Drop the connection of the next ``times`` matching calls: a ConnectionError."""
        __tracebackhide__ = True
        _Fault.check_scope(method, path, times)
        keywords = {"method": method, "path": path, "times": times}
        setup = _Fault.setup_of("disconnect_next", (), keywords)
        with self._lock:
            self._faults.append(_Fault(method, path, times, None, setup))

    def simulate_concurrent_update(self, instance_id: str) -> int:
        """Another writer changes the instance now: a client's If-Match on it goes stale."""
        __tracebackhide__ = True
        with self._lock:
            if any(c.kind_of(instance_id) for c in self._store.containers.values()):
                return self._store.touch(instance_id)
            known = sorted(
                instance_id
                for instance_id, envelope in self.all_instances.items()
                if envelope["_instance"]["@id"] != DEFAULT_PLACEMENT  # not the test's own
            )
        held = ", ".join(known[:5]) + (f" and {len(known) - 5} more" if len(known) > 5 else "")
        msg = (
            f"simulate_concurrent_update({instance_id!r}): the fake holds no such instance "
            f"({f'it holds {held}' if known else 'it holds none'}). Use the id "
            "add_fallback_offer(...) returns, a create's receipt['instanceId'], or a key of "
            "offer_library.instances."
        )
        raise ValueError(msg)

    def unfired_faults(self) -> list[str]:
        """Each fault no request has met yet, as the test set it up, with why."""
        with self._lock:
            pending = [fault.setup for fault in self._faults if not fault.fired]
        return [f"{setup} never fired: no request matched" for setup in pending]

    def httpx_transport(self) -> OfferLibraryTransport:
        """An httpx transport answering from this fake: ``httpx.Client(transport=...)``."""
        from contract_kit.fake.httpx_transport import OfferLibraryTransport

        return OfferLibraryTransport(self)

    def async_httpx_transport(self) -> AsyncOfferLibraryTransport:
        """The same for asyncio: ``httpx.AsyncClient(transport=...)``."""
        from contract_kit.fake.httpx_transport import AsyncOfferLibraryTransport

        return AsyncOfferLibraryTransport(self)

    # Violations -----------------------------------------------------------------------------

    def allow_violations(self) -> None:
        """Let this test send requests that break the contract (to test error handling)."""
        self._allowed = True

    @property
    def violations_allowed(self) -> bool:
        """Whether contract violations of requests let the test pass."""
        return self._allowed or self.options.allow_violations

    def check_no_violations(self) -> None:
        """Raise ContractViolation naming each request that broke the contract, and how.

        Errors raise; warnings raise too when ``options.strict`` is set.
        """
        __tracebackhide__ = True
        from contract_kit.assertions import broken_calls_failure

        broken = [c for c in self._logged() if c.violations]
        failure = broken_calls_failure(
            [(_request_line(c.request), c.violations) for c in broken], strict=self.options.strict
        )
        if failure is not None:
            with self._lock:
                self._reported = broken
            raise failure

    # Decisions ------------------------------------------------------------------------------

    def set_profile(
        self,
        namespace: str,
        identity: str,
        attributes: Mapping[str, Any],
        *,
        sandbox: str = DEFAULT_SANDBOX,
    ) -> None:
        """Give the profile of identity ``(namespace, identity)`` the attributes rules read.

        A decision for that identity (its primary one, else its first) evaluates eligibility
        rules against ``attributes``; an identity never set has no attributes at all, so every
        rule reading one is unknown and does not qualify its offer.
        """
        __tracebackhide__ = True
        with self._lock:
            profiles = self._container(sandbox).decisions.profiles
            profiles[namespace, identity] = copy.deepcopy(dict(attributes))

    def decide(
        self,
        body: object,
        *,
        headers: Mapping[str, str] | None = None,
        sandbox: str = DEFAULT_SANDBOX,
    ) -> DecisionAnswer:
        """Decide ``body`` (a decision request) in the sandbox's container, as a POST would.

        ``headers`` default to the documented ones with a fresh ``x-request-id``. The answer
        holds the status, the response body of a 200, the trace (``assert_offer_proposed(...,
        trace=answer.trace)`` explains every exclusion) and the findings. Caps count as for a
        call over HTTP, unless the request is a dry run.
        """
        __tracebackhide__ = True
        from contract_kit.fake.decide import decide_in, documented_headers

        sent = documented_headers() if headers is None else headers
        with self._lock:
            container = self._container(sandbox)
            return decide_in(container, sent, body, now=self._store.clock())

    def decision_trace(
        self, proposition_id: str, *, sandbox: str = DEFAULT_SANDBOX
    ) -> DecisionTrace | None:
        """The trace of a recent decision by its ``xdm:propositionId``, or None if forgotten."""
        with self._lock:
            return self._container(sandbox).decisions.traces.get(proposition_id)

    # Serving --------------------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> FakeResponse:
        """Answer one request as the Offer Library would (FakeConnectionError: dropped)."""
        check_call, _ = _checks()
        if len(request.body) > MAX_BODY_BYTES:
            with self._lock:
                self._record(Call(request, too_large(MAX_BODY_BYTES), None))
            return too_large(MAX_BODY_BYTES)
        # The check reads nothing of the state: it runs outside the lock, beside other calls.
        check = check_call(request.method, request.target, request.headers, request.body or None)
        name = check.operation.name if check.operation else None
        with self._lock:
            fault = self._take_fault(request) if self._faults else None
            if fault is not None:
                response = fault.response
            elif check.operation is None or (
                check.violations  # most calls break nothing: no generator for them
                and not check.operation.decision
                and any(v.is_error for v in check.violations)
            ):
                # Warnings are what the service takes: only errors change the answer. A
                # decision answers its own refusals (415, 406), so its handler sees them.
                allow = ", ".join(op.method for op in _operations_at(request.target))
                response = response_for_violations(check.violations, allow)
            else:
                # Read before the handler: a create stores the parsed body itself (its @id added).
                rules = rule_findings(check) if name in _RULE_WRITES else []
                response = HANDLERS[check.operation.name](self._store, self.options, check, request)
                if rules and response is not None and response.status < 300:
                    check.violations.extend(rules)
            self._record(Call(request, response, name, tuple(check.violations)))
        if response is None:
            raise FakeConnectionError(
                f"the test dropped the connection of {request.method} {request.target}"
            )
        if fault is None:
            self._verify(name, response)
        return response

    def _take_fault(self, request: FakeRequest) -> _Fault | None:
        """The injected fault this request meets, counted as used, or None."""
        if not self._faults:
            return None
        fault = next((f for f in self._faults if f.matches(request)), None)
        if fault is not None:
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)
        return fault

    def _verify(self, operation: str | None, response: FakeResponse) -> None:
        _, violations = _checks()
        if response.written_from is not NOT_KEPT:
            body = response.written_from
        else:
            body = response.json() if response.body else None
        kind = answer_kind(operation, response.status, body) if response.body else None
        if kind is None:
            return
        # A warning in an answer is the client's own (a stored member the docs never show):
        # the service returns it as stored, so only an error is a fault of the fake.
        found = violations(kind, body)
        if found and any(v.is_error for v in found):
            found = [v for v in found if v.is_error]
            raise FakeContractError(
                f"contract_kit's fake answered {operation} with a {kind} that breaks the contract: "
                + "; ".join(str(v) for v in found)
            )

    # For contract-kit serve's control plane ------------------------------------------------

    def handle_call(self, request: FakeRequest) -> Call:
        """Answer ``request`` as :meth:`handle` does; return the call it logged, answer included.

        serve's log line and its control plane name the operation and the broken rules of
        each request, which only the logged call holds. A dropped connection is a call whose
        ``response`` is None, not an exception.
        """
        try:
            response: FakeResponse | None = self.handle(request)
        except FakeConnectionError:
            response = None
        with self._lock:
            logged = next((c for c in reversed(self.calls) if c.request is request), None)
        return logged if logged is not None else Call(request, response, None)

    def clear_faults(self) -> None:
        """Forget every injected fault, met or not: the calls that follow are served."""
        with self._lock:
            self._faults.clear()

    def placement_ids(self) -> list[str]:
        """The placements the default container holds, sorted: what offers may name."""
        with self._lock:
            held = self.instances_of(kind_named_by(DEFAULT_PLACEMENT)).values()
            return sorted(envelope["_instance"]["@id"] for envelope in held)


@functools.cache
def _checks() -> tuple[Callable[..., CallCheck], Callable[[str, object], list[Violation]]]:
    """The request check and the answer check, imported on the first call, then at hand.

    Importing the fake loads no schema (the plugin's fixtures import it); every call needs
    both, and an import statement per call costs more than the answer check's own reading.
    """
    from contract_kit.api.request_check import check_call
    from contract_kit.core.checks import violations

    return check_call, violations


def _request_line(request: FakeRequest) -> str:
    """The report's line for a request, its secrets masked (a query may carry a live token)."""
    from contract_kit.core.secrets import mask

    return mask(
        f"{request.method} {request.target}",
        url=request.url,
        headers=dict(request.headers),
        body=request.body,
    )


def _operations_at(target: str) -> Iterable[Any]:
    from contract_kit.core.operations import find_operation

    return find_operation("", target.split("?", 1)[0])[1]
