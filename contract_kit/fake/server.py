"""``contract-kit serve``: the fake over real HTTP on this machine, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import signal
import sys
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from contract_kit.fake import OfferLibrary, OfferLibraryOptions
from contract_kit.fake.wsgi import wsgi_app

if TYPE_CHECKING:
    import types

__all__ = ["serve"]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """One access line per request on stderr; stdout carries only the base URL."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def _unset(_environ: Any, _start_response: Any) -> Any:  # pragma: no cover - replaced at once
    raise RuntimeError("the fake is not set up yet")


def _stop(_signum: int, _frame: types.FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(host: str = "127.0.0.1", port: int = 0, *, allow_violations: bool = True) -> int:
    """Serve a fresh fake until interrupted; print its base URL first. Returns the exit code."""
    # Bind first: the fake's base URL (its Content-Base header) needs the port actually given.
    server = make_server(
        host, port, _unset, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    bound_host, bound_port = server.server_address[:2]
    host_text = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
    shown_host = f"[{host_text}]" if ":" in host_text else host_text
    base_url = f"http://{shown_host}:{bound_port}"
    fake = OfferLibrary(OfferLibraryOptions(base_url=base_url, allow_violations=allow_violations))
    server.set_app(wsgi_app(fake))
    signal.signal(signal.SIGTERM, _stop)
    print(base_url, flush=True)  # noqa: T201 - the command's one line of output
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
