"""Join the ``responses`` mocks a test uses, so our answers sit beside the test's own stubs.

Our answers go into the mock already running when the block starts (the test's own
``responses.RequestsMock()``, or ``responses``' module-level mock, started if need be), and
into every mock the test starts inside the block; they leave a mock before it stops, so its
``assert_all_requests_are_fired`` never counts them. A stub the test registers wins over our
answers on the URLs it matches: we never hide what the test asked for.
"""

from __future__ import annotations

import inspect
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import requests
import responses

if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterator

__all__ = ["AnyMethod", "registered"]


class AnyMethod(responses.CallbackResponse):
    """Our answer for every method on the URLs ``pattern`` matches; the test's stubs win.

    A ``fallback`` answer takes only what nothing else in the mock answers, ours included.
    """

    def __init__(self, pattern: re.Pattern[str], callback: Any, *, fallback: bool = False) -> None:
        # "ANY" is no method a stub is registered with, so responses' remove(), replace() and
        # upsert(), which compare method and URL, never take ours for one of the test's.
        super().__init__("ANY", pattern, callback, content_type=None)
        self.pattern = pattern
        self.fallback = fallback
        self.mock: responses.RequestsMock | None = None

    def joining(self, mock: responses.RequestsMock) -> AnyMethod:
        """A copy of this answer that knows the mock it sits in (it reads that mock's stubs)."""
        joined = AnyMethod(self.pattern, self.callback, fallback=self.fallback)
        joined.mock = mock
        return joined

    def matches(self, request: requests.PreparedRequest) -> tuple[bool, str]:
        """Match the URL alone, unless a stub the test registered (or ours, for a fallback) does."""
        if not self.pattern.fullmatch(str(request.url)):
            return False, "URL does not match"
        if self.mock is not None and any(
            rival.matches(request)[0] for rival in self._rivals(self.mock)
        ):
            return False, "a stub registered with responses answers it"
        return True, ""

    def _rivals(self, mock: responses.RequestsMock) -> Iterator[responses.BaseResponse]:
        for other in mock.registered():
            if isinstance(other, AnyMethod):
                if self.fallback and not other.fallback:
                    yield other
            else:
                yield other


class _Group:
    """One block's answers, and the copies of them it put into each mock it joined."""

    def __init__(self, answers: tuple[AnyMethod, ...]) -> None:
        self.answers = answers
        self.joined: list[tuple[responses.RequestsMock, list[AnyMethod]]] = []

    def join(self, mock: responses.RequestsMock) -> None:
        if not any(held is mock for held, _ in self.joined):
            copies = [answer.joining(mock) for answer in self.answers]
            for joined in copies:
                mock.add(joined)
            self.joined.append((mock, copies))

    def leave(self, mock: responses.RequestsMock) -> None:
        for held, copies in self.joined:
            if held is mock:
                # By identity: responses' own remove() compares method and URL only.
                entries = mock.get_registry().registered
                entries[:] = [r for r in entries if not any(r is c for c in copies)]
        self.joined = [(held, copies) for held, copies in self.joined if held is not mock]

    def was_in(self, mock: responses.RequestsMock) -> bool:
        return any(held is mock for held, _ in self.joined)


_GROUPS: list[_Group] = []
_SAVED: dict[str, Any] = {}
_MOCK_METHODS = ("start", "stop", "reset")


def _start(mock: responses.RequestsMock) -> None:
    _SAVED["start"](mock)
    for group in _GROUPS:
        group.join(mock)


def _stop(mock: responses.RequestsMock, allow_assert: bool = True) -> None:  # noqa: FBT001, FBT002 - responses' signature
    for group in _GROUPS:
        group.leave(mock)
    _SAVED["stop"](mock, allow_assert)


def _reset(mock: responses.RequestsMock) -> None:
    holding = [group for group in _GROUPS if group.was_in(mock)]
    for group in holding:
        group.leave(mock)
    _SAVED["reset"](mock)
    for group in holding:
        group.join(mock)


_HOOKS: dict[str, Callable[..., None]] = {"start": _start, "stop": _stop, "reset": _reset}


def _hook() -> None:
    """Route every mock's start, stop and reset (and responses.start() & co.) through ours."""
    for name in _MOCK_METHODS:
        _SAVED[name] = getattr(responses.RequestsMock, name)
        setattr(responses.RequestsMock, name, _HOOKS[name])
        # responses.start() & co. are the module mock's methods, bound when it was imported.
        _SAVED[f"module.{name}"] = getattr(responses, name)
        setattr(responses, name, getattr(responses.mock, name))


def _unhook() -> None:
    for name in _MOCK_METHODS:
        setattr(responses.RequestsMock, name, _SAVED.pop(name))
        setattr(responses, name, _SAVED.pop(f"module.{name}"))


def _running_mock() -> responses.RequestsMock | None:
    """The mock whose patch answers ``requests`` calls now, if one does.

    responses keeps no list of running mocks; the function a mock patches into requests
    closes over the mock itself, so that is where to find it.
    """
    send = requests.adapters.HTTPAdapter.send
    try:
        owner = inspect.getclosurevars(send).nonlocals.get("self")
    except TypeError:  # not a plain function: something else patched requests
        return None
    return owner if isinstance(owner, responses.RequestsMock) else None


@contextmanager
def registered(
    mock: responses.RequestsMock | None, *answers: AnyMethod
) -> Iterator[responses.RequestsMock]:
    """Put ``answers`` beside the test's stubs while the block runs; yield the mock joined.

    ``mock`` is the mock to join; by default the one running now, else ``responses``' module
    mock. If the block started that mock, it stops and resets it at the end (as
    ``@responses.activate`` would); if the test had started it, it keeps running.
    """
    target = (_running_mock() or responses.mock) if mock is None else mock
    group = _Group(answers)
    if not _GROUPS:
        _hook()
    _GROUPS.append(group)
    before = requests.adapters.HTTPAdapter.send
    started = False
    try:
        target.start()
        started = requests.adapters.HTTPAdapter.send is not before
        group.join(target)  # a running mock's start() does nothing, so join it here
        yield target
    finally:
        _GROUPS.remove(group)
        for held, _ in list(group.joined):
            group.leave(held)
        if not _GROUPS:
            _unhook()
        if started:
            target.stop(allow_assert=False)
            target.reset()
