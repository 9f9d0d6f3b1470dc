"""Join the ``responses`` mock a test uses, so our answers sit beside the test's own stubs."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import requests
import responses

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["AnyMethod", "registered"]


class AnyMethod(responses.CallbackResponse):
    """A callback response for every method on the URLs its pattern matches."""

    def __init__(self, pattern: Any, callback: Any) -> None:
        super().__init__("GET", pattern, callback, content_type=None)

    def matches(self, request: requests.PreparedRequest) -> tuple[bool, str]:
        """Match on the URL alone."""
        if isinstance(self.url, re.Pattern) and self.url.fullmatch(str(request.url)):
            return True, ""
        return False, "URL does not match"


@contextmanager
def registered(
    mock: responses.RequestsMock | None, *answers: responses.BaseResponse
) -> Iterator[responses.RequestsMock]:
    """Add ``answers`` to ``mock`` (``responses``' module-level one by default) for the block.

    If the block started the mock, it stops and resets it at the end (as
    ``@responses.activate`` would); if the test had started it, it keeps running.
    """
    mock = responses.mock if mock is None else mock
    before = requests.adapters.HTTPAdapter.send
    mock.start()
    started = requests.adapters.HTTPAdapter.send is not before
    for answer in answers:
        mock.add(answer)
    try:
        yield mock
    finally:
        for answer in answers:
            mock.remove(answer)
        if started:
            mock.stop(allow_assert=False)
            mock.reset()
