"""`contract-kit serve` over real loopback sockets: framing, limits, errors, start-up, IPv6."""

from __future__ import annotations

import errno
import http.client
import io
import json
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from contract_kit.documents.limits import MAX_DEPTH
from contract_kit.fake import FakeConnectionError, FakeRequest, FakeResponse, OfferLibrary
from contract_kit.fake.options import OfferLibraryOptions
from contract_kit.fake.server import BACKLOG, FakeServer, StartError, open_server, serve
from contract_kit.fake.service import MAX_BODY_BYTES
from contract_kit.fake.store import DEFAULT_CONTAINER

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from contract_kit.fake.exchange import Served

sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))
from offer_client import Credentials, build_create_call

AUTH = Credentials("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "4a6f3c1d2e8b4f0a", "0123ABCD@AdobeOrg")
INSTANCES = f"/data/core/xcore/{DEFAULT_CONTAINER}/instances"


def _library(base_url: str) -> OfferLibrary:
    return OfferLibrary(OfferLibraryOptions(base_url=base_url, allow_violations=True))


@contextmanager
def _serving(
    fake_for: Callable[[str], Served] = _library, host: str = "127.0.0.1"
) -> Iterator[tuple[FakeServer, io.StringIO]]:
    """A server on a free loopback port, serving in a thread for the block."""
    log = io.StringIO()
    server = open_server(host, 0, fake_for, log)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server, log
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _address(server: FakeServer) -> tuple[str, int]:
    host, port = server.socket.getsockname()[:2]
    return str(host), int(port)


def _port(server: FakeServer) -> int:
    return _address(server)[1]


@contextmanager
def _connection(server: FakeServer) -> Iterator[socket.socket]:
    with socket.create_connection(_address(server), timeout=10) as sock:
        yield sock


def _answer(sock: socket.socket, method: str = "POST") -> tuple[int, dict[str, str], bytes]:
    """Read one answer from ``sock``; the socket stays usable for the next one."""
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    response.close()
    return response.status, headers, body


def _create_bytes(server: FakeServer, offer: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    call = build_create_call(server.base_url, DEFAULT_CONTAINER, offer, AUTH)
    return call.headers, call.body


def _raw(method: str, target: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [
        f"{method} {target} HTTP/1.1",
        "Host: fake",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def test_one_connection_serves_many_requests(fallback_offer: dict[str, Any]) -> None:
    """HTTP/1.1 keep-alive: create, read and search go over one socket, each framed by length."""
    with _serving() as (server, log):
        connection = http.client.HTTPConnection("127.0.0.1", _port(server), timeout=10)
        headers, body = _create_bytes(server, fallback_offer)
        connection.request("POST", INSTANCES, body, headers)
        created = connection.getresponse()
        receipt = json.loads(created.read())
        first_socket = connection.sock
        connection.request(
            "GET",
            f"{INSTANCES}/{receipt['instanceId']}",
            headers=AUTH.headers("application/vnd.adobe.platform.xcore.hal+json"),
        )
        read = connection.getresponse()
        stored = json.loads(read.read())
        assert connection.sock is first_socket
        connection.close()
    assert (created.status, read.status) == (201, 200)
    assert stored["_instance"]["xdm:name"] == fallback_offer["xdm:name"]
    assert log.getvalue().splitlines() == [
        f"POST {INSTANCES} 201",
        f"GET {INSTANCES}/{receipt['instanceId']} 200",
    ]


def test_expect_100_continue_is_invited_once_the_length_is_accepted(
    fallback_offer: dict[str, Any],
) -> None:
    """A body within the limit gets 100 Continue before it is sent, then the create's answer."""
    with _serving() as (server, _), _connection(server) as sock:
        headers, body = _create_bytes(server, fallback_offer)
        expecting = {**headers, "Content-Length": str(len(body)), "Expect": "100-continue"}
        sock.sendall(_raw("POST", INSTANCES, expecting))
        invited = sock.recv(len(b"HTTP/1.1 100 Continue\r\n\r\n"), socket.MSG_WAITALL)
        sock.sendall(body)
        status, _, receipt = _answer(sock)
    assert invited == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert (status, json.loads(receipt)["repo:etag"]) == (201, 1)


def test_an_http_1_0_request_is_answered_then_the_connection_closes() -> None:
    """HTTP/1.0 without Connection: keep-alive gets its answer, with Server and Date, then EOF."""
    with _serving() as (server, _), _connection(server) as sock:
        sock.sendall(b"GET /data/core/xcore/ HTTP/1.0\r\n\r\n")
        status, headers, body = _answer(sock, "GET")
        closed = sock.recv(1)
    assert (status, json.loads(body)["error_code"], closed) == (403, "403010", b"")
    assert headers["server"] == "contract-kit-fake"
    assert headers["date"].endswith(" GMT")


@pytest.mark.parametrize("length", ["abc", "1e3", "10^12", "-1", "", "5, 6"])
def test_a_content_length_that_is_no_number_is_a_400(length: str) -> None:
    """A bad Content-Length gets a 400 problem naming it, and the connection closes."""
    with _serving() as (server, log), _connection(server) as sock:
        sock.sendall(_raw("POST", INSTANCES, {"Content-Length": length}))
        status, headers, body = _answer(sock)
        assert sock.recv(1) == b""  # closed: the body's end cannot be known
    assert (status, headers["connection"]) == (400, "close")
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body) == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": f"Content-Length {length!r} is not a number of bytes",
    }
    assert log.getvalue() == f"POST {INSTANCES} 400\n"


TOO_LARGE = {
    "type": "about:blank",
    "title": "Request Entity Too Large",
    "status": 413,
    "detail": "the body is larger than 10 MiB, the most the fake reads; offers are kilobytes",
}


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Length": str(MAX_BODY_BYTES + 1)},
        {"Content-Length": "9" * 5000},
        {"Content-Length": str(200 * 2**20), "Expect": "100-continue"},
    ],
    ids=["just-over", "thousands-of-digits", "expect-100-continue"],
)
def test_a_body_over_the_limit_is_refused_unread(headers: dict[str, str]) -> None:
    """The 413 comes before a byte of the body is sent: nothing waits for 200 MB to arrive."""
    with _serving() as (server, _), _connection(server) as sock:
        sock.sendall(_raw("POST", INSTANCES, headers))  # headers only, no body follows
        status, answer_headers, body = _answer(sock)
    assert (status, answer_headers["connection"]) == (413, "close")
    assert json.loads(body) == TOO_LARGE


def test_a_chunked_body_is_read_and_limited(fallback_offer: dict[str, Any]) -> None:
    """A chunked create is served; a chunked body outgrowing the limit gets 413."""
    with _serving() as (server, _), _connection(server) as sock:
        headers, body = _create_bytes(server, fallback_offer)
        chunked = (
            b"".join(
                f"{len(part):x};note=1\r\n".encode() + part + b"\r\n"
                for part in (body[:10], body[10:])
            )
            + b"0\r\nTrailer: x\r\n\r\n"
        )
        sock.sendall(_raw("POST", INSTANCES, {**headers, "Transfer-Encoding": "chunked"}, chunked))
        created, _, receipt = _answer(sock)
        sock.sendall(_raw("POST", INSTANCES, {**headers, "Transfer-Encoding": "chunked"}))
        sock.sendall(f"{MAX_BODY_BYTES + 1:x}\r\n".encode())
        refused, _, problem = _answer(sock)
    assert (created, json.loads(receipt)["repo:etag"]) == (201, 1)
    assert (refused, json.loads(problem)) == (413, TOO_LARGE)


@pytest.mark.parametrize(
    ("headers", "status", "detail"),
    [
        (
            {"Transfer-Encoding": "chunked", "Content-Length": "3"},
            400,
            "send Content-Length or Transfer-Encoding, not both (RFC 9112 6.3)",
        ),
        (
            {"Transfer-Encoding": "gzip, chunked"},
            501,
            "Transfer-Encoding 'gzip, chunked' is not supported; send chunked",
        ),
    ],
)
def test_framing_the_server_cannot_read_is_refused(
    headers: dict[str, str], status: int, detail: str
) -> None:
    """Ambiguous or unsupported framing gets a problem body, then the connection closes."""
    with _serving() as (server, _), _connection(server) as sock:
        sock.sendall(_raw("POST", INSTANCES, headers))
        answered, _, body = _answer(sock)
    assert (answered, json.loads(body)["detail"]) == (status, detail)


def test_a_request_line_that_cannot_be_read_gets_a_problem_body() -> None:
    """Garbage instead of a request line is a 400 problem, not an HTML page."""
    with _serving() as (server, log), _connection(server) as sock:
        sock.sendall(b"NOT AN HTTP REQUEST LINE\r\n\r\n")
        status, headers, body = _answer(sock)
    assert (status, headers["content-type"]) == (400, "application/problem+json")
    assert json.loads(body)["detail"] == "Bad request version ('LINE')"
    assert log.getvalue() == "- - 400\n"


def test_head_answers_carry_no_body_and_the_connection_goes_on() -> None:
    """A HEAD answer states a length but sends no body, so the next answer reads cleanly."""
    with _serving() as (server, _), _connection(server) as sock:
        sock.sendall(_raw("HEAD", "/data/core/xcore/", {}))
        head, head_headers, head_body = _answer(sock, "HEAD")
        sock.sendall(_raw("GET", "/data/core/xcore/", {}))
        get, _, get_body = _answer(sock, "GET")
    assert (head, head_body, int(head_headers["content-length"]) > 0) == (405, b"", True)
    assert (get, json.loads(get_body)["error_code"]) == (403, "403010")


class _Broken:
    """A fake with a bug: every request raises."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def handle(self, request: FakeRequest) -> FakeResponse:
        raise KeyError(request.target)


def test_a_bug_of_the_fake_is_a_500_naming_the_error_and_logged_once() -> None:
    """The answer names the error class and holds no traceback; the log holds it, once."""
    with _serving(_Broken) as (server, log), _connection(server) as sock:
        sock.sendall(_raw("GET", "/data/core/xcore/?access_token=secret", {}))
        status, _, body = _answer(sock, "GET")
        sock.sendall(_raw("GET", "/data/core/xcore/", {}))  # the connection survived
        again, _, _ = _answer(sock, "GET")
    assert (status, again) == (500, 500)
    assert json.loads(body) == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "the fake failed on this request with KeyError: a bug in contract_kit; the "
        "server's log holds the details",
    }
    text = log.getvalue()
    assert text.count("Traceback (most recent call last)") == 2  # one per request
    assert text.splitlines()[0] == (
        "GET /data/core/xcore/: the fake failed with KeyError, a bug in contract_kit (please "
        "report it with this traceback):"
    )
    assert "GET /data/core/xcore/ 500" in text.splitlines()
    assert "secret" not in text.splitlines()[0]


class _Dropping:
    """A fake whose every answer is a dropped connection."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def handle(self, request: FakeRequest) -> FakeResponse:
        raise FakeConnectionError(f"dropped {request.target}")


def test_a_dropped_connection_closes_the_socket_without_an_answer() -> None:
    """disconnect_next's fault reaches a real client as a closed connection."""
    with _serving(_Dropping) as (server, log), _connection(server) as sock:
        sock.sendall(_raw("GET", "/data/core/xcore/", {}))
        assert sock.recv(1) == b""
    assert log.getvalue() == "GET /data/core/xcore/ dropped (a fault the test injected)\n"


def test_the_log_shows_no_query_and_escapes_control_characters() -> None:
    """A client cannot forge log lines, and credentials in a query never reach the log."""
    with _serving() as (server, log), _connection(server) as sock:
        sock.sendall(b"GET /data/\x1b[31m\xe9?access_token=abc HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _, _ = _answer(sock, "GET")
    assert status == 404
    assert log.getvalue() == "GET /data/\\x1b[31m\\xe9 404\n"


def test_the_backlog_holds_a_burst_of_connections_before_any_is_accepted() -> None:
    """128 clients connect while the server accepts none yet; every one is then answered."""
    log = io.StringIO()
    server = open_server("127.0.0.1", 0, _library, log)
    sockets = [socket.create_connection(_address(server), timeout=10) for _ in range(128)]
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    try:
        for sock in sockets:
            sock.sendall(_raw("GET", "/data/core/xcore/", {"Connection": "close"}))
        thread.start()
        statuses = [_answer(sock, "GET")[0] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
    assert statuses == [403] * 128
    assert BACKLOG >= 128


@pytest.mark.parametrize(("host", "shown"), [("::1", "[::1]"), ("localhost", None)])
def test_ipv6_and_names_are_served(host: str, shown: str | None) -> None:
    """--host ::1 serves on IPv6 with a bracketed URL; localhost serves on what it names."""
    with _serving(host=host) as (server, _):
        family, port = server.address_family, _port(server)
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", "/data/core/xcore/")
        status = connection.getresponse().status
        connection.close()
    assert status == 403
    assert server.loopback
    if shown is not None:
        assert (family, server.base_url) == (socket.AF_INET6, f"http://{shown}:{port}")


def test_a_port_in_use_is_one_line_and_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    """serve() refuses a port another socket holds: one line on stderr, exit code 2."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve("127.0.0.1", port) == 2
    assert capsys.readouterr().err == (
        f"contract-kit serve: error: port {port} on 127.0.0.1 is in use; choose another "
        "--port, or --port 0 for a free one\n"
    )


def test_an_address_of_no_interface_here_is_refused() -> None:
    """A documentation address (RFC 5737) belongs to no interface of this machine."""
    with pytest.raises(StartError) as caught:
        open_server("192.0.2.7", 0, _library)
    assert str(caught.value) == (
        "cannot listen on host '192.0.2.7': it is no address of this machine; give one that "
        "is, such as 127.0.0.1 or ::1"
    )


def test_a_host_that_does_not_resolve_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name the resolver does not know (resolved offline here) is one clear sentence."""

    def unknown(*_args: object, **_kwargs: object) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    with pytest.raises(StartError) as caught:
        open_server("offers.invalid", 0, _library)
    assert str(caught.value) == (
        "cannot listen on host 'offers.invalid': Name or service not known; give an address "
        "of this machine, such as 127.0.0.1 or ::1, or a name that resolves to one"
    )


def test_a_privileged_port_is_refused_with_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied (a port below 1024 without privileges) says how to pick another."""

    def denied(_server: FakeServer) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(FakeServer, "server_bind", denied)
    with pytest.raises(StartError) as caught:
        open_server("127.0.0.1", 80, _library)
    assert str(caught.value) == (
        "no permission to listen on port 80 on 127.0.0.1; ports below 1024 need privileges: "
        "choose a port from 1024 up, or --port 0 for a free one"
    )


def test_the_command_reports_a_start_up_error_without_a_traceback() -> None:
    """`contract-kit serve` on a port in use exits 2 with one line on stderr."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "contract_kit", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        (
            f"contract-kit serve: error: port {port} on 127.0.0.1 is in use; choose another "
            "--port, or --port 0 for a free one"
        )
    ]


def test_a_port_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--port 70000 is refused by the parser, naming the range."""
    from contract_kit.cli import main

    with pytest.raises(SystemExit) as caught:
        main(["serve", "--port", "70000"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "contract-kit serve: error: argument --port: expected a port from 0 to 65535, got '70000'"
    )


def test_the_help_states_the_limit_and_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    """The help of serve gives the body limit the server enforces and what each exit code means."""
    from contract_kit.cli import main

    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"A body over {MAX_BODY_BYTES // 2**20} MiB gets 413, unread." in text
    assert (
        "Exit codes: 0 stopped by Ctrl-C or SIGTERM; 2 a usage error, or the server cannot "
        "start (host unknown or not of this machine, port in use, no permission)." in text
    )


def test_a_deeply_nested_body_is_a_400_naming_the_depth_limit(
    fallback_offer: dict[str, Any],
) -> None:
    """A 100,000-deep body is a contract violation answered 400, never a 500 or a traceback."""
    with _serving() as (server, log), _connection(server) as sock:
        headers, _ = _create_bytes(server, fallback_offer)
        deep = b"[" * 100_000 + b"]" * 100_000
        sock.sendall(_raw("POST", INSTANCES, {**headers, "Content-Length": str(len(deep))}, deep))
        status, _, body = _answer(sock)
    assert status == 400, body[:300]
    [violation] = json.loads(body)["report"]["violations"]
    assert violation["pointer"] == "/body"
    assert str(MAX_DEPTH) in violation["message"]
    assert "Traceback" not in log.getvalue()
