"""Checked creates per second over HTTP keep-alive: ``contract-kit serve`` against Prism.

    python benchmarks/bench_serve.py [--clients 8] [--seconds 5] [--runs 5] [--warm-up 5]
                                     [--prism PATH]

Both servers run on 127.0.0.1 in processes of their own, started together; after
``--warm-up`` seconds of load on each, they are measured in alternate runs of ``--seconds``
(serve, Prism, serve, ...), so each pair of runs meets the same load from the rest of the
machine; the ratio printed is the median of the pairs' ratios. Every create is checked
against the contract by serve (its answer too) and stored; Prism 5.14.2 (``prism mock
--errors``, log level ``silent``) mocks the document ``contract-kit openapi`` prints,
checking type/subtype and the body's schema, and answers a static receipt.

The client is the same for both and lean, since it shares the machine's cores with the
server: ``--clients`` threads of this process, each on one keep-alive socket, sending a
prebuilt create (request line, headers and the docs' fallback offer) in one ``sendall``,
reading each answer by its Content-Length and parsing only the 201's ``instanceId``. Each
run also prints the server process's CPU time per create (Linux ``/proc``), a figure the
machine's load disturbs less than the rates, and the clients' own (they share the cores).

Checked on serve after each run: no 5xx, no connection lost, every instanceId unique, and
``GET /_contract-kit/objects`` holds exactly one offer per 201 (no lost write). Prism keeps
no state and answers a static example, so only its 5xx are counted.

Prism comes from ``--prism PATH`` (its ``prism`` executable), or else is installed with
``npm install @stoplight/prism-cli@5.14.2`` into a temporary folder (5.14.2 is the newest
that runs on node 20; 5.15 needs node 24). Without node or npm, serve is measured alone.
Goals (issue 15): at least 1,000 checked creates/s, and at least 3 times Prism's rate.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from contract_kit.core.examples import fallback_offer_body
from contract_kit.fake.store import DEFAULT_CONTAINER

PRISM_VERSION = "5.14.2"
TOKEN = "bench-token"  # noqa: S105 - the token of the benchmark's own server
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
CREATE_HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
    "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
    "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
}
INSTANCES = f"/data/core/xcore/{DEFAULT_CONTAINER}/instances"
_LOST = (ConnectionError, TimeoutError, ValueError)


@dataclass
class Tally:
    """What the clients of one run saw."""

    created: int = 0
    server_errors: int = 0
    other: dict[int, int] = field(default_factory=dict)
    lost: int = 0
    ids: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _request_bytes(host: str, port: int, body: bytes, headers: dict[str, str]) -> bytes:
    """One create as it goes on the wire: request line, header section and body in one write."""
    lines = [f"POST {INSTANCES} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _answer(sock: socket.socket, pending: bytes) -> tuple[int, bytes, bytes]:
    """Status, body and the bytes after it, read by Content-Length (both servers send one)."""
    while (end := pending.find(b"\r\n\r\n")) < 0:
        received = sock.recv(65536)
        if not received:
            raise ConnectionError("the server closed the connection")
        pending += received
    lines = pending[:end].lower().split(b"\r\n")
    status = int(lines[0][9:12])
    length = next((int(line[15:]) for line in lines if line.startswith(b"content-length:")), 0)
    while len(pending) < end + 4 + length:
        received = sock.recv(65536)
        if not received:
            raise ConnectionError("the server closed the connection")
        pending += received
    return status, pending[end + 4 : end + 4 + length], pending[end + 4 + length :]


def _client(address: tuple[str, int], until: float, tally: Tally, request: bytes) -> None:
    ids: list[str] = []
    created = errors = lost = 0
    other: dict[int, int] = {}
    sock = socket.create_connection(address, timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    pending = b""
    while time.perf_counter() < until:
        try:
            sock.sendall(request)
            status, data, pending = _answer(sock, pending)
        except _LOST:
            lost += 1
            sock.close()
            sock = socket.create_connection(address, timeout=30)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pending = b""
            continue
        if status == 201:
            created += 1
            ids.append(json.loads(data).get("instanceId", ""))
        elif status >= 500:
            errors += 1
        else:
            other[status] = other.get(status, 0) + 1
    sock.close()
    with tally.lock:
        tally.created += created
        tally.server_errors += errors
        tally.lost += lost
        tally.ids += ids
        for status, count in other.items():
            tally.other[status] = tally.other.get(status, 0) + count


def _run(base: str, clients: int, seconds: float, headers: dict[str, str]) -> Tally:
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    body = json.dumps(fallback_offer_body()).encode("utf-8")
    request = _request_bytes(host, port, body, headers)
    tally = Tally()
    until = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=_client, args=((host, port), until, tally, request))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def _control(base: str, method: str, path: str, payload: Any = None) -> Any:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
    answer = connection.getresponse()
    text = answer.read()
    connection.close()
    return json.loads(text) if text else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode} before it listened")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise SystemExit(f"{what} did not listen on port {port} within 120 s")


def _start_serve() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "contract_kit", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--token", TOKEN], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    _wait_for(port, process, "contract-kit serve")
    return process, f"http://127.0.0.1:{port}"


def _prism(given: str | None, folder: Path) -> tuple[str | None, str]:
    """The prism executable to run, or None with why there is none."""
    if given:
        return given, f"given ({given})"
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed"
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", f"@stoplight/prism-cli@{PRISM_VERSION}"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        return None, f"npm install failed: {done.stderr.strip().splitlines()[-1:]}"
    return str(folder / "node_modules" / ".bin" / "prism"), f"npm-installed {PRISM_VERSION}"


def _start_prism(prism: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    document = folder / "openapi.json"
    text = subprocess.run(
        [sys.executable, "-m", "contract_kit", "openapi"],
        capture_output=True,
        check=True,
    ).stdout
    document.write_bytes(text)
    port = _free_port()
    arguments = ["mock", "--host", "127.0.0.1", "--port", str(port), "--errors"]
    process = subprocess.Popen(
        [prism, *arguments, "--verboseLevel", "silent", str(document)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(port, process, "prism")
    return process, f"http://127.0.0.1:{port}"


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU time the process has used (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """One server under test, and what its runs measured."""

    name: str
    process: subprocess.Popen[bytes]
    base: str
    headers: dict[str, str]
    stateful: bool
    rates: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # CPU microseconds per create
    client_cpu: list[float] = field(default_factory=list)  # the clients' own, per create

    def measure(self, number: int, arguments: argparse.Namespace) -> None:
        """One run: the rate, the server's CPU per create, and (serve) the write checks."""
        if self.stateful:
            _control(self.base, "POST", "/_contract-kit/reset", {"to": "empty"})
        before = _cpu_seconds(self.process.pid)
        started, client_started = time.perf_counter(), time.process_time()
        tally = _run(self.base, arguments.clients, arguments.seconds, self.headers)
        rate = tally.created / (time.perf_counter() - started)
        client = time.process_time() - client_started
        after = _cpu_seconds(self.process.pid)
        self.rates.append(rate)
        line = f"  run {number} {self.name}: {tally.created} creates, {rate:,.0f}/s"
        if before is not None and after is not None and tally.created:
            self.cpu.append((after - before) / tally.created * 1e6)
            line += f", server CPU {self.cpu[-1]:,.0f} us/create"
        if tally.created:
            self.client_cpu.append(client / tally.created * 1e6)
            line += f" (client CPU {self.client_cpu[-1]:,.0f})"
        line += f"; 5xx {tally.server_errors}, connections lost {tally.lost}"
        if tally.other:
            line += f", other answers {dict(sorted(tally.other.items()))}"
        if self.stateful:
            stored = _control(self.base, "GET", "/_contract-kit/objects?kind=fallback-offer")
            unique = len(set(tally.ids))
            line += f"; ids unique {unique == len(tally.ids)}; stored {len(stored)}"
            line += f" (lost writes {tally.created - len(stored)})"
            if unique != len(tally.ids) or len(stored) != tally.created or tally.server_errors:
                print(line)
                raise SystemExit("serve lost a write, repeated an id or answered 5xx")
        print(line, flush=True)

    def summary(self) -> str:
        """The median rate, and the median CPU per create when it was measured."""
        text = f"{self.name}: {statistics.median(self.rates):,.0f} creates/s"
        if self.cpu:
            text += f", server CPU {statistics.median(self.cpu):,.0f} us/create"
        if self.client_cpu:
            text += f" (client CPU {statistics.median(self.client_cpu):,.0f})"
        return text


def _goal(met: bool) -> str:  # noqa: FBT001 - a verdict, read in a sentence
    return "met" if met else "NOT met"


def main() -> int:
    """Measure serve and Prism in alternate runs, and print the rates and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=5)
    # Prism (node) reaches its speed after a few thousand requests: a short warm-up
    # would measure its JIT compiler rather than Prism.
    parser.add_argument("--warm-up", type=float, default=5.0, help="seconds before measuring")
    parser.add_argument("--prism", help="a prism executable (default: npm-install it)")
    arguments = parser.parse_args()
    print(
        f"{arguments.clients} keep-alive clients (threads, raw sockets), {arguments.seconds:g} s "
        f"per run after {arguments.warm_up:g} s of warm-up each, {arguments.runs} alternate "
        f"runs; load average {Path('/proc/loadavg').read_text().split()[0]}"
    )
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="bench-prism-") as folder:
        try:
            process, base = _start_serve()
            servers.append(Server("serve", process, base, CREATE_HEADERS, stateful=True))
            print(f"contract-kit serve ({base}): checked creates, stored")
            prism, how = _prism(arguments.prism, Path(folder))
            if prism is None:
                print(f"Prism: not measured: {how}")
            else:
                process, base = _start_prism(prism, Path(folder))
                # Prism answers the first 2xx the document lists unless asked for another.
                headers = {**CREATE_HEADERS, "Prefer": "code=201"}
                servers.append(Server("Prism", process, base, headers, stateful=False))
                print(f"Prism {how}, --errors, -v silent ({base}): creates, static answers")
            for server in servers:
                _run(server.base, arguments.clients, arguments.warm_up, server.headers)
            for number in range(1, arguments.runs + 1):
                for server in servers:
                    server.measure(number, arguments)
        finally:
            for server in servers:
                server.process.terminate()
                server.process.wait()
    for server in servers:
        print(server.summary())
    serve_rate = statistics.median(servers[0].rates)
    print(f"goal >= 1,000 checked creates/s: {_goal(serve_rate >= 1000)}")
    if len(servers) == 2:  # serve and Prism
        # Alternate runs meet the same load from the rest of the machine: compare in pairs.
        ratios = [ours / theirs for ours, theirs in zip(*(s.rates for s in servers), strict=True)]
        ratio = statistics.median(ratios)
        shown = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"serve / Prism: {ratio:.2f}x (median of the runs' ratios {shown})")
        print(f"goal >= 3x Prism: {_goal(ratio >= 3)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
