"""What ``contract-kit serve`` puts in front of the fake: token check, control plane, document.

The gateway answers before the service does, so a token other than ``--token`` is refused
before the call is routed: even a call to an instance that is gone gets 401, not 404.
``/openapi.json`` and ``/_contract-kit/`` need no token: tools load the document before they
authenticate, and the control plane is the test's own.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import TYPE_CHECKING, Any

from contract_kit.fake.control_plane import PREFIX, CallLog, ControlPlane
from contract_kit.fake.error_bodies import gateway_error, problem
from contract_kit.fake.errors import FakeConnectionError
from contract_kit.fake.exchange import Call, FakeResponse

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from contract_kit.fake.exchange import FakeRequest
    from contract_kit.fake.seeding import Seed
    from contract_kit.fake.service import OfferLibrary

    #: Builds the served document from (base URL, container id, placement ids).
    DocumentBuilder = Callable[[str, str, Sequence[str]], dict[str, Any]]

__all__ = ["DOCUMENT_PATH", "ServedLibrary", "log_note"]

#: Where serve answers its OpenAPI document.
DOCUMENT_PATH = "/openapi.json"
_BEARER = "bearer "


def log_note(call: Call) -> str:
    """What the log line adds to a call: its operation and the rules it broke, with severity."""
    rules = ",".join(f"{v.rule}({v.severity})" for v in call.violations) or "-"
    return f"op={call.operation or '-'} rules={rules}"


class ServedLibrary:
    """The fake as serve answers it: token check, control plane, document, then the API."""

    def __init__(
        self,
        library: OfferLibrary,
        *,
        token: str | None = None,
        seeds: Sequence[Seed] = (),
        document: DocumentBuilder | None = None,
    ) -> None:
        self.library = library
        self.calls = CallLog(library.options.call_log_size)
        self.control = ControlPlane(library, self.calls, seeds, self._forget_document)
        self._token = token
        self._build = document
        self._document: tuple[tuple[str, ...], FakeResponse] | None = None
        self._document_lock = threading.Lock()
        self.control.start()

    @property
    def base_url(self) -> str:
        """Scheme and host the fake answers on."""
        return self.library.base_url

    def handle(self, request: FakeRequest) -> FakeResponse:
        """The answer to ``request`` (FakeConnectionError: the connection is dropped)."""
        return self.handle_noted(request)[0]

    def handle_noted(self, request: FakeRequest) -> tuple[FakeResponse, str]:
        """The answer, and what serve's log line says of it besides the status."""
        path = request.target.split("?", 1)[0]
        if path == DOCUMENT_PATH:
            return self._openapi(request), "document"
        if path.startswith(PREFIX) or path == PREFIX.rstrip("/"):
            return self.control.handle(request)
        refused = self._refused_token(request)
        if refused is not None:
            self.calls.add(Call(request, refused, None))
            return refused, "op=- rules=- token=refused"
        call = self.library.handle_call(request)
        self.calls.add(call)
        if call.response is None:
            raise FakeConnectionError(f"the test dropped the connection of {request.method} {path}")
        return call.response, log_note(call)

    def _refused_token(self, request: FakeRequest) -> FakeResponse | None:
        """The gateway's 401013 for a bearer token other than ``--token``; None otherwise."""
        if self._token is None:
            return None
        sent = request.header("Authorization")
        if sent is None or sent[: len(_BEARER)].lower() != _BEARER:
            return None  # missing or malformed: the contract's checks answer it
        if sent[len(_BEARER) :].strip() == self._token:
            return None
        return gateway_error("401013", "Oauth token is not valid")

    def _forget_document(self) -> None:
        with self._document_lock:
            self._document = None

    def _openapi(self, request: FakeRequest) -> FakeResponse:
        if request.method.upper() not in {"GET", "HEAD"}:
            return problem(405, f"{DOCUMENT_PATH} takes GET", headers=(("Allow", "GET, HEAD"),))
        if self._build is None:
            return problem(404, "this server was started without its OpenAPI document")
        placements = tuple(self.library.placement_ids())
        with self._document_lock:
            if self._document is None or self._document[0] != placements:
                document = self._build(self.base_url, self.library.container_id, placements)
                data = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
                tag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
                headers = (("Content-Type", "application/json"), ("ETag", tag))
                self._document = (placements, FakeResponse(200, headers, data))
            answer = self._document[1]
        if request.header("If-None-Match") == answer.header("ETag"):
            return FakeResponse(304, (("ETag", str(answer.header("ETag"))),))
        return answer
