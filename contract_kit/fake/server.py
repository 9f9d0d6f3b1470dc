"""``contract-kit serve``: the fake over real HTTP on this machine, until Ctrl-C or SIGTERM.

One thread serves every connection through an event loop (:mod:`selectors`): the fake is
touched by that thread only, with no thread per connection and no hand-offs of the
interpreter lock between them, which cost serve more CPU per create than the fake's own
checks. No socket ever blocks the loop: each connection buffers what it has read of a request
and what its socket has not taken of an answer (:mod:`http_handler`), so a slow or stalled
client never holds up the others. A listen backlog holds a burst of
clients; IPv4 or IPv6 as the host names. A host or port that cannot be used is one line on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import errno
import gc
import ipaddress
import selectors
import signal
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING, TextIO, cast

from contract_kit.fake.http_handler import Connection
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.service import OfferLibrary
from contract_kit.fake.serving import ServedLibrary

if TYPE_CHECKING:
    import types
    from collections.abc import Callable, Mapping, Sequence

    from contract_kit.fake.exchange import Served
    from contract_kit.fake.seeding import Seed
    from contract_kit.fake.serving import DocumentBuilder

__all__ = ["BACKLOG", "IDLE_TIMEOUT", "FakeServer", "StartError", "open_server", "serve"]

#: Connections the kernel queues before the server accepts them (Linux caps it at somaxconn).
BACKLOG = 1024
#: Seconds a connection may stay silent (nothing read, nothing sent) before it is closed.
IDLE_TIMEOUT = 60.0
#: The exit code of ``serve`` when it cannot start (as for any usage error of the command).
CANNOT_START = 2
#: The most bytes read from a socket at once.
_RECEIVE = 65536
_LISTENER = object()  # the selector's data for the listening socket
_WAKE = object()  # and for the socket that wakes the loop to stop


class StartError(Exception):
    """The server cannot listen where it was asked to; the message says why and what to do."""


class FakeServer:
    """Serves the fake on one address, every connection in one event loop.

    ``log`` takes its log lines. :meth:`serve_forever` runs the loop (in any one thread)
    until :meth:`shutdown` is called from another, or until Ctrl-C or SIGTERM.
    """

    #: Seconds a silent connection stays open (a class attribute: tests shorten it).
    idle_timeout = IDLE_TIMEOUT

    def __init__(
        self,
        address: tuple[str, int] | tuple[str, int, int, int],
        family: socket.AddressFamily,
        fake_for: Callable[[str], Served],
        log: TextIO,
    ) -> None:
        self.address_family = family
        self.server_address = address
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.server_bind()
            self.socket.listen(BACKLOG)
        except BaseException:
            self.socket.close()
            raise
        host, port = self.socket.getsockname()[:2]
        shown = f"[{host}]" if family == socket.AF_INET6 else str(host)
        #: Where clients reach the fake, e.g. ``http://127.0.0.1:8080``.
        self.base_url = f"http://{shown}:{port}"
        self.loopback = ipaddress.ip_address(str(host)).is_loopback
        self.fake = fake_for(self.base_url)
        self._log = log
        self._log_lock = threading.Lock()
        self._log_held: list[str] | None = None  # lines of this turn of the loop, or None
        self._connections: dict[int, Connection] = {}
        self._stopping = False
        self._stopped = threading.Event()
        self._stopped.set()
        self._wake_reader, self._wake_writer = socket.socketpair()

    def server_bind(self) -> None:
        """Bind the listening socket, reusable at once on a port that was just in use."""
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(self.server_address)

    def log(self, text: str) -> None:
        """Write one entry of the log; entries never interleave, whatever thread writes.

        While the loop serves, the entries of one turn (every request served after one wait
        for the sockets) are written together, in one write, at the end of the turn.
        """
        with self._log_lock:
            if self._log_held is None:
                self._log.write(f"{text}\n")
                self._log.flush()
            else:
                self._log_held.append(f"{text}\n")

    def _write_log(self) -> None:
        """Write the entries held during the turn of the loop that ends."""
        with self._log_lock:
            if self._log_held:
                self._log.write("".join(self._log_held))
                self._log.flush()
                self._log_held.clear()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until :meth:`shutdown`; ``poll_interval``: the longest wait for an event."""
        self._stopped.clear()
        selector = selectors.DefaultSelector()
        self.socket.settimeout(0.0)
        self._wake_reader.settimeout(0.0)
        selector.register(self.socket, selectors.EVENT_READ, _LISTENER)
        selector.register(self._wake_reader, selectors.EVENT_READ, _WAKE)
        swept = time.monotonic()
        self._log_held = []
        try:
            while not self._stopping:
                for key, events in selector.select(poll_interval):
                    if key.data is _LISTENER:
                        self._accept(selector)
                    elif key.data is _WAKE:
                        self._wake_reader.recv(64)
                    else:
                        self._step(selector, cast("Connection", key.data), events)
                self._write_log()
                if time.monotonic() - swept >= 1:
                    swept = time.monotonic()
                    self._sweep(selector, swept)
        finally:
            for connection in list(self._connections.values()):
                self._forget(selector, connection)
            selector.close()
            self._write_log()
            self._log_held = None
            self._stopping = False
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (called from another thread) and wait until it has."""
        self._stopping = True
        self._wake_writer.send(b"x")
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket; the server takes no more connections."""
        self.socket.close()
        self._wake_reader.close()
        self._wake_writer.close()

    def _accept(self, selector: selectors.BaseSelector) -> None:
        """Take every connection the backlog holds now."""
        while True:
            try:
                sock, _address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:  # out of file descriptors, say: try again later
                self.log(f"cannot accept a connection: {error.strerror or error}")
                return
            sock.settimeout(0.0)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # one write an answer
            connection = Connection(sock, self)
            self._connections[connection.number] = connection
            selector.register(sock, selectors.EVENT_READ, connection)
            # A client that connects to send one request has often sent it already.
            self._step(selector, connection, selectors.EVENT_READ)

    def _step(self, selector: selectors.BaseSelector, connection: Connection, events: int) -> None:
        """Read what the socket has, or send what waits; watch the socket for what comes next."""
        try:
            if events & selectors.EVENT_WRITE:
                connection.flush()
            elif events & selectors.EVENT_READ:
                try:
                    data = connection.sock.recv(_RECEIVE)
                except (BlockingIOError, InterruptedError):
                    return
                except OSError:  # reset by the client
                    data = b""
                connection.received(data)
        except Exception as error:  # noqa: BLE001 - a bug of ours: this connection only
            self.log(f"a connection failed: {type(error).__name__}: {error}")
            connection.close()
        if connection.closed:
            self._forget(selector, connection)
        elif connection.waiting is not connection.watched_for_write:
            wanted = selectors.EVENT_WRITE if connection.waiting else selectors.EVENT_READ
            selector.modify(connection.number, wanted, connection)
            connection.watched_for_write = connection.waiting

    def _sweep(self, selector: selectors.BaseSelector, now: float) -> None:
        """Close the connections that have been silent longer than the idle timeout."""
        for connection in list(self._connections.values()):
            if now - connection.active > self.idle_timeout:
                connection.close()
                self._forget(selector, connection)

    def _forget(self, selector: selectors.BaseSelector, connection: Connection) -> None:
        selector.unregister(connection.number)  # by number: the socket may be closed already
        connection.close()
        del self._connections[connection.number]


def open_server(
    host: str, port: int, fake_for: Callable[[str], Served], log: TextIO = sys.stderr
) -> FakeServer:
    """A server listening on ``host``:``port`` (0: a free port) for the fake ``fake_for(url)``.

    ``host`` may be a name (``localhost``) or an IPv4 or IPv6 address; its addresses are
    tried in the order the resolver gives them. Raises :class:`StartError`.
    """
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        reason = error.strerror if isinstance(error, socket.gaierror) else str(error)
        raise StartError(
            f"cannot listen on host {host!r}: {reason}; give an address of this machine, such "
            "as 127.0.0.1 or ::1, or a name that resolves to one"
        ) from None
    refusals: list[OSError] = []
    for family, _type, _proto, _name, address in found:
        if family not in {socket.AF_INET, socket.AF_INET6}:
            continue
        try:
            return FakeServer(cast("tuple[str, int]", address), family, fake_for, log)
        except OSError as error:
            refusals.append(error)
    if not refusals:
        raise StartError(f"cannot listen on host {host!r}: it has no IPv4 or IPv6 address")
    # The first address is the one the resolver prefers: its refusal says most.
    raise StartError(_why(host, port, refusals[0])) from None


def _why(host: str, port: int, error: OSError) -> str:
    where = f"port {port} on {host}"
    if error.errno == errno.EADDRINUSE:
        return f"{where} is in use; choose another --port, or --port 0 for a free one"
    if error.errno == errno.EACCES:
        return (
            f"no permission to listen on {where}; ports below 1024 need privileges: choose "
            "a port from 1024 up, or --port 0 for a free one"
        )
    if error.errno in {errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT}:
        return (
            f"cannot listen on host {host!r}: it is no address of this machine; give one that "
            "is, such as 127.0.0.1 or ::1"
        )
    return f"cannot listen on {where}: {error.strerror or error}"


def _sandboxes(given: Sequence[tuple[str, str | None]]) -> dict[str, str]:
    """The ``sandboxes`` option that ``--sandbox`` values make; a name given twice is refused."""
    from contract_kit.fake.store import DEFAULT_CONTAINER, new_container_id

    held: dict[str, str] = {}
    for name, container_id in given:
        if name in held:
            raise ValueError(f"--sandbox {name} is given twice; give each sandbox once")
        default = DEFAULT_CONTAINER if name == "prod" else new_container_id(name)
        held[name] = container_id or default
    return held


def _settle_collector() -> None:
    """Tune the garbage collector for the server this process now is.

    Collections took a tenth of serve's CPU per create (13 µs in-process), a twentieth now.

    What exists by now (modules, schemas, the fake, the seeds) lives as long as the server:
    frozen, no collection walks it again. A request frees nearly everything it allocates
    (reference counting does that), and what it keeps for a while (its entry in the call
    log, the last 1000 calls) is freed the same way once 1000 more calls came. A collection
    walks every object that is young and still alive, touching memory long out of the cache:
    it comes once 100,000 objects more are alive than at the last one (some 9,000 creates,
    so most call-log entries are gone by then, not walked), the older generations every 50
    and 100 of those.
    """
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _stop(_signum: int, _frame: types.FrameType | None) -> None:
    raise KeyboardInterrupt


def _seed_refusals(held: Mapping[str, str], seeds: Sequence[Seed]) -> list[str]:
    """Why the seeds cannot be stored together (a dangling reference, a repeated tag name)."""
    found = OfferLibrary(OfferLibraryOptions(sandboxes=held)).check_seeds(seeds)
    return [
        f"--seed object {index + 1} ({seeds[index].kind}): {v.pointer or '(root)'}: "
        f"{v.message} [{v.rule}]"
        for index, problems in enumerate(found)
        for v in problems
    ]


def serve(  # noqa: PLR0913 - the command's options, all but the address keyword-only
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    allow_violations: bool = True,
    sandboxes: Sequence[tuple[str, str | None]] = (),
    seeds: Sequence[Seed] = (),
    token: str | None = None,
    document: DocumentBuilder | None = None,
) -> int:
    """Serve a fresh fake until interrupted; print its base URL first. Returns the exit code.

    ``sandboxes`` are (name, container id or None) pairs the fake holds besides prod;
    ``seeds`` are stored first (checked beforehand) and come back on each reset; ``token``
    is the one bearer token taken (None: any well-formed one); ``document`` builds what
    ``GET /openapi.json`` answers.
    """
    try:
        held = _sandboxes(sandboxes)
        OfferLibraryOptions(sandboxes=held)  # refused here, before anything listens
    except ValueError as error:
        sys.stderr.write(f"contract-kit serve: error: {error}\n")
        return CANNOT_START
    refusals = _seed_refusals(held, seeds)
    if refusals:
        sys.stderr.writelines(f"contract-kit serve: error: {line}\n" for line in refusals)
        sys.stderr.write("contract-kit serve: nothing was served: fix the --seed objects above\n")
        return CANNOT_START

    def fake_for(base_url: str) -> ServedLibrary:
        # The fake's base URL (its Content-Base header) needs the port the system gave.
        library = OfferLibrary(
            OfferLibraryOptions(
                base_url=base_url, allow_violations=allow_violations, sandboxes=held
            )
        )
        return ServedLibrary(library, token=token, seeds=seeds, document=document)

    try:
        server = open_server(host, port, fake_for)
    except StartError as error:
        sys.stderr.write(f"contract-kit serve: error: {error}\n")
        return CANNOT_START
    if not server.loopback:
        sys.stderr.write(
            f"contract-kit serve: warning: {server.base_url} is not a loopback address: "
            "anyone who can reach this machine can read and change the fake's offers, and "
            "its control plane (/_contract-kit/) takes no token\n"
        )
    signal.signal(signal.SIGTERM, _stop)
    _settle_collector()
    print(server.base_url, flush=True)  # noqa: T201 - the command's one line of output
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
