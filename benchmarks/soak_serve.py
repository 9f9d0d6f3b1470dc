"""Soak ``contract-kit serve`` on loopback: many clients, many creates, nothing lost, RSS flat.

    python benchmarks/soak_serve.py [--clients 50] [--creates 20000] [--max-seconds 900] [--keep]

Starts ``contract-kit serve --port 0`` (127.0.0.1 only) and runs ``--clients`` threads until
``--creates`` creates are done or ``--max-seconds`` have passed, whichever comes first, then
stops the server. Each create goes over a fresh connection (the accept queue is what a burst
tests); its ``@id`` is then looked up on the client's keep-alive connection, and the offer is
deleted there (``--keep`` keeps every offer, and pages through a search at the end to find
them all). Counted: dropped connections, lost writes (a create whose id a lookup or the
final search does not find), 5xx answers, and the server's RSS sampled every half second.
Goal: 0 dropped, 0 lost, 0 5xx; RSS after warm-up (a tenth of the creates) within 10% of
the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from contract_kit.core.examples import fallback_offer_body
from contract_kit.fake.store import DEFAULT_CONTAINER

SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
CREDENTIALS = {
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
}
RECEIPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"
HAL = "application/vnd.adobe.platform.xcore.hal+json"
CREATE = {
    **CREDENTIALS,
    "Accept": RECEIPT,
    "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
}
INSTANCES = f"/data/core/xcore/{DEFAULT_CONTAINER}/instances"
# What a client sees when the server drops or refuses its connection.
DROPPED = (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine, TimeoutError)


@dataclass
class Tally:
    """What the clients saw, counted under one lock."""

    creates_wanted: int
    deadline: float
    started: int = 0
    created: int = 0
    dropped: int = 0
    lost: int = 0
    server_errors: int = 0
    other_refusals: int = 0
    requests: int = 0
    ids: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> int | None:
        """The number of the next create to send, or None when the run is over."""
        with self.lock:
            if self.started >= self.creates_wanted or time.monotonic() > self.deadline:
                return None
            self.started += 1
            return self.started

    def count(self, name: str, amount: int = 1) -> None:
        """Add ``amount`` to counter ``name``."""
        with self.lock:
            setattr(self, name, getattr(self, name) + amount)


def _send(
    connection: http.client.HTTPConnection,
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes | None = None,
) -> tuple[int, bytes]:
    connection.request(method, target, body, headers)
    answer = connection.getresponse()
    return answer.status, answer.read()


def _judge(tally: Tally, status: int) -> bool:
    tally.count("requests")
    if status >= 500:
        tally.count("server_errors")
    elif status >= 400:
        tally.count("other_refusals")
    return status < 400


def _client(host: str, port: int, tally: Tally, *, keep: bool) -> None:
    kept = http.client.HTTPConnection(host, port, timeout=30)
    try:
        while (number := tally.take()) is not None:
            offer = {**fallback_offer_body(), "xdm:name": f"soak offer {number}"}
            fresh = http.client.HTTPConnection(host, port, timeout=30)
            try:
                status, body = _send(fresh, "POST", INSTANCES, CREATE, json.dumps(offer).encode())
            except DROPPED:
                tally.count("dropped")
                continue
            finally:
                fresh.close()
            if not _judge(tally, status):
                continue
            receipt = json.loads(body)
            tally.count("created")
            with tally.lock:
                tally.ids.append(receipt["@id"])
            try:
                _check_and_clean(kept, tally, receipt, keep=keep)
            except DROPPED:
                tally.count("dropped")
                kept.close()
                kept = http.client.HTTPConnection(host, port, timeout=30)
    finally:
        kept.close()


def _check_and_clean(
    connection: http.client.HTTPConnection, tally: Tally, receipt: dict[str, Any], *, keep: bool
) -> None:
    query = f"schema={quote(SCHEMA)}&id={quote(receipt['@id'])}"
    status, body = _send(connection, "GET", f"{INSTANCES}?{query}", {**CREDENTIALS, "Accept": HAL})
    if not _judge(tally, status):
        tally.count("lost")
        return
    found = [r["instanceId"] for r in json.loads(body)["_embedded"]["results"]]
    if found != [receipt["instanceId"]]:
        tally.count("lost")
    if not keep:
        target = f"{INSTANCES}/{receipt['instanceId']}"
        status, _ = _send(connection, "DELETE", target, {**CREDENTIALS, "Accept": RECEIPT})
        _judge(tally, status)


def _search_all(host: str, port: int) -> set[str]:
    """Every @id the server holds, page by page."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    found: set[str] = set()
    target: str | None = (
        f"/data/core/xcore/{DEFAULT_CONTAINER}/queries/core/search?schema={quote(SCHEMA)}"
        "&limit=1000"
    )
    try:
        while target:
            status, body = _send(connection, "GET", target, {**CREDENTIALS, "Accept": HAL})
            if status != 200:
                break
            page = json.loads(body)
            found.update(r["_instance"]["@id"] for r in page["_embedded"]["results"])
            following = page["_links"].get("next")
            target = f"/data/core/xcore{following['href']}" if following else None
    finally:
        connection.close()
    return found


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _sample(
    pid: int, tally: Tally, stop: threading.Event, out: list[tuple[float, int, int]]
) -> None:
    begin = time.monotonic()
    while not stop.wait(0.5):
        out.append((time.monotonic() - begin, tally.created, _rss_kib(pid)))


def _start_server(log: Any) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "contract_kit", "serve", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def _at(samples: list[tuple[float, int, int]], creates: int) -> int:
    """The RSS of the first sample taken once ``creates`` creates were done."""
    return next((rss for _, done, rss in samples if done >= creates), samples[-1][2])


def main() -> None:
    """Run the soak and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--creates", type=int, default=20_000)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--keep", action="store_true", help="keep every offer; search at the end")
    arguments = parser.parse_args()

    with tempfile.TemporaryFile("w+") as log:
        server, base_url = _start_server(log)
        host, port = urlsplit(base_url).hostname or "", urlsplit(base_url).port or 0
        tally = Tally(arguments.creates, time.monotonic() + arguments.max_seconds)
        samples: list[tuple[float, int, int]] = [(0.0, 0, _rss_kib(server.pid))]
        stop = threading.Event()
        sampler = threading.Thread(target=_sample, args=(server.pid, tally, stop, samples))
        clients = [
            threading.Thread(
                target=_client, args=(host, port, tally), kwargs={"keep": arguments.keep}
            )
            for _ in range(arguments.clients)
        ]
        begin = time.monotonic()
        try:
            sampler.start()
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            elapsed = time.monotonic() - begin
            missing = set(tally.ids) - _search_all(host, port) if arguments.keep else set()
            stop.set()
            sampler.join()
            samples.append((elapsed, tally.created, _rss_kib(server.pid)))
        finally:
            stop.set()
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            if server.stdout is not None:
                server.stdout.close()
        log.seek(0)
        log_lines = sum(1 for _ in log)

    warm = _at(samples, tally.created // 10)
    end = samples[-1][2]
    peak = max(rss for _, _, rss in samples)
    rate = tally.created / elapsed
    searched = f", {len(missing)} by the final search" if arguments.keep else ""
    print(f"serve at {base_url}, {arguments.clients} clients, keep={arguments.keep}")
    print(
        f"creates: {tally.created} of {arguments.creates} in {elapsed:.1f} s ({rate:.0f}/s), "
        f"{tally.requests} requests answered, {log_lines} log lines"
    )
    print(f"dropped connections: {tally.dropped}")
    print(f"lost writes: {tally.lost} by lookup{searched}")
    print(f"5xx: {tally.server_errors}; other 4xx: {tally.other_refusals}")
    print(
        f"server RSS (MiB): start {samples[0][2] / 1024:.1f}, after {tally.created // 10} "
        f"creates {warm / 1024:.1f}, end {end / 1024:.1f}, peak {peak / 1024:.1f}; "
        f"end/warm = {end / warm:.2f}"
    )
    for quarter in (1, 2, 3, 4):
        done = tally.created * quarter // 4
        print(f"  RSS at {done:>6} creates: {_at(samples, done) / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
