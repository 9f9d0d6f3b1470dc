"""Checked creates per second over HTTP keep-alive: ``contract-kit serve`` against Prism.

    python benchmarks/bench_serve.py [--clients 8] [--seconds 5] [--runs 3] [--prism PATH]

Both servers run on 127.0.0.1 in processes of their own; the clients are ``--clients``
threads of this process, each on one keep-alive ``http.client`` connection, sending the
docs' fallback-offer create for ``--seconds`` after ``--warm-up`` seconds (3). The rate printed
is the median of ``--runs`` runs. Every create is checked against the contract by serve
(its answer too); Prism 5.14.2 (``prism mock --errors``, log level ``silent``) mocks the
document ``contract-kit openapi`` prints, checking type/subtype and the body's schema.

Checked on serve after each run: no 5xx, no connection lost, every instanceId unique, and
``GET /_contract-kit/objects`` holds exactly one offer per 201 (no lost write). Prism keeps
no state and answers a static example, so only its 5xx are counted.

Prism comes from ``--prism PATH`` (its ``prism`` executable), or else is installed with
``npm install @stoplight/prism-cli@5.14.2`` into a temporary folder (5.14.2 is the newest
that runs on node 20; 5.15 needs node 24). Without node or npm, serve is measured alone.
"""

from __future__ import annotations

import argparse
import http.client
import json
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
_LOST = (ConnectionError, http.client.HTTPException, TimeoutError)


@dataclass
class Tally:
    """What the clients of one run saw."""

    created: int = 0
    server_errors: int = 0
    other: dict[int, int] = field(default_factory=dict)
    lost: int = 0
    ids: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(
    address: tuple[str, int], until: float, tally: Tally, body: bytes, headers: dict[str, str]
) -> None:
    host, port = address
    connection = http.client.HTTPConnection(host, port, timeout=30)
    ids: list[str] = []
    created = errors = lost = 0
    other: dict[int, int] = {}
    while time.perf_counter() < until:
        try:
            connection.request("POST", INSTANCES, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except _LOST:
            lost += 1
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=30)
            continue
        if answer.status == 201:
            created += 1
            ids.append(json.loads(data).get("instanceId", ""))
        elif answer.status >= 500:
            errors += 1
        else:
            other[answer.status] = other.get(answer.status, 0) + 1
    connection.close()
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
    tally = Tally()
    until = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=_client, args=((host, port), until, tally, body, headers))
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


def _measure(base: str, arguments: argparse.Namespace, *, stateful: bool) -> list[float]:
    rates: list[float] = []
    # Prism answers the first 2xx the document lists unless asked for another.
    headers = CREATE_HEADERS if stateful else {**CREATE_HEADERS, "Prefer": "code=201"}
    _run(base, arguments.clients, arguments.warm_up, headers)
    for number in range(1, arguments.runs + 1):
        if stateful:
            _control(base, "POST", "/_contract-kit/reset", {"to": "empty"})
        started = time.perf_counter()
        tally = _run(base, arguments.clients, arguments.seconds, headers)
        rate = tally.created / (time.perf_counter() - started)
        rates.append(rate)
        line = f"  run {number}: {tally.created} creates, {rate:,.0f}/s; 5xx {tally.server_errors}"
        line += f", connections lost {tally.lost}"
        if tally.other:
            line += f", other answers {dict(sorted(tally.other.items()))}"
        if stateful:
            stored = _control(base, "GET", "/_contract-kit/objects?kind=fallback-offer")
            unique = len(set(tally.ids))
            line += f"; ids unique {unique == len(tally.ids)}; stored {len(stored)}"
            line += f" (lost writes {tally.created - len(stored)})"
            if unique != len(tally.ids) or len(stored) != tally.created or tally.server_errors:
                print(line)
                raise SystemExit("serve lost a write, repeated an id or answered 5xx")
        print(line)
    return rates


def main() -> int:
    """Measure serve, then Prism, and print the rates and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    # Prism (node) reaches its speed after a few thousand requests: a short warm-up
    # would measure its JIT compiler rather than Prism.
    parser.add_argument("--warm-up", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--prism", help="a prism executable (default: npm-install it)")
    arguments = parser.parse_args()
    print(
        f"{arguments.clients} keep-alive clients (threads, http.client), {arguments.seconds:g} s "
        f"per run after {arguments.warm_up:g} s of warm-up, median of {arguments.runs} runs"
    )
    process, base = _start_serve()
    try:
        print(f"contract-kit serve ({base}), checked creates:")
        serve_rate = statistics.median(_measure(base, arguments, stateful=True))
    finally:
        process.terminate()
        process.wait()
    print(f"serve: {serve_rate:,.0f} checked creates/s")
    with tempfile.TemporaryDirectory(prefix="bench-prism-") as folder:
        prism, how = _prism(arguments.prism, Path(folder))
        if prism is None:
            print(f"Prism: not measured: {how}")
            return 0
        process, base = _start_prism(prism, Path(folder))
        try:
            print(f"Prism {how}, --errors, -v silent ({base}), creates (static answers):")
            prism_rate = statistics.median(_measure(base, arguments, stateful=False))
        finally:
            process.terminate()
            process.wait()
    print(f"Prism: {prism_rate:,.0f} creates/s")
    ratio = serve_rate / prism_rate if prism_rate else float("inf")
    print(f"serve / Prism: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
