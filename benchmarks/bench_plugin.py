"""What the pytest plugin and ``import contract_kit`` cost, and how fast the fake serves creates.

    python benchmarks/bench_plugin.py [--runs 15] [--calls 400] [--rounds 15]

1. Start-up: ``pytest --co`` of an empty suite with and without the plugin (``-p
   no:contract_kit``), with bytecode caching on and off (PYTHONDONTWRITEBYTECODE=1: pytest
   rewrites a plugin's modules on import and cannot cache that without bytecode). Hypothesis'
   own plugin is disabled in both runs so only contract_kit's cost is measured. Goal: ≤ 30 ms.
   Then ``python -c "import contract_kit"`` next to ``python -c pass``. Goal: ≤ 30 ms more.
2. Throughput: create calls per second through the fake (routing, checking every request and
   answer against the contract, storing) against a stub answering a static receipt: with
   requests (``responses``' static stub against the fake served through ``responses``) and
   with httpx (``httpx.MockTransport`` against the fake's own transport). Each round of
   ``--calls`` creates is a test's worth: the static stub gets a new mock per round, and the
   fake a new ``OfferLibrary`` per round (made before the clock starts), as the plugin's
   fixture gives each test. A third column serves every round from one fake, whose store
   ends with ``calls * rounds`` offers and whose call log is full: printed for comparison.
   The three run in turn in every round, so a busy machine slows them alike; each ratio
   printed is the median of the rounds' ratios, with a 95% interval for that median (the
   rounds resampled 2,000 times, with a fixed seed): a goal is clearly met only when the
   whole interval is above it. Goal for requests: a fake per round at >= 0.8 of the static
   rate (the httpx figure is printed for comparison: httpx itself costs less, so the fake's
   own work weighs more there).

Nothing here is run in CI; everything it needs (requests, responses, httpx) is a test
dependency of contract_kit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import requests
import responses
from _intervals import median_interval, verdict

from contract_kit.core.examples import fallback_offer_body
from contract_kit.fake import OfferLibrary
from contract_kit.fake.httpx_transport import OfferLibraryTransport
from contract_kit.fake.requests_adapter import serve_with_responses

if TYPE_CHECKING:
    from collections.abc import Callable

URL = "https://platform.adobe.io/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
HEADERS = {
    "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
    "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
}
RECEIPT = {"instanceId": "b3966680-13ec-11eb-9c20-8323709cfc65"}
REQUESTS_GOAL = 0.8
STARTUP_GOAL_MS = 30


def _run_once(command: list[str], folder: Path, *, bytecode: bool = True) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    start = time.perf_counter()
    subprocess.run(command, cwd=folder, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def _pairs(runs: int, first: Callable[[], float], second: Callable[[], float]) -> str:
    """Both commands run ``runs`` times, interleaved; their medians and the median difference."""
    second()  # warm the file caches and the bytecode
    timed = [(first(), second()) for _ in range(runs)]
    alone = statistics.median(a for a, _ in timed) * 1000
    together = statistics.median(b for _, b in timed) * 1000
    added = statistics.median(b - a for a, b in timed) * 1000
    return f"without {alone:6.1f} ms, with {together:6.1f} ms, adds {added:5.1f} ms"


def _plugin_import_ms() -> float:
    """What importing the plugin module costs, from the interpreter's own -X importtime."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pytest, contract_kit.pytest_plugin"],
        capture_output=True,
        text=True,
        check=True,
    )
    # "import time: self | cumulative | name": the plugin's own line, with what it imported.
    lines = [line for line in result.stderr.splitlines() if line.split("|")[-1].strip() == PLUGIN]
    return int(lines[-1].split("|")[1]) / 1000 if lines else float("nan")


PLUGIN = "contract_kit.pytest_plugin"


def startup(runs: int) -> None:
    """Print the plugin's share of ``pytest --co`` on an empty suite, and the package's import."""
    base = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:hypothesispytest"]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "pytest.ini").write_text("[pytest]\n")
        for bytecode in (True, False):
            line = _pairs(
                runs,
                partial(_run_once, [*base, "-p", "no:contract_kit"], folder, bytecode=bytecode),
                partial(_run_once, base, folder, bytecode=bytecode),
            )
            label = "bytecode cached" if bytecode else "no bytecode    "
            print(
                f"pytest --co, {label}, plugin        : {line} "
                f"(median of {runs} pairs; goal <= {STARTUP_GOAL_MS} ms)"
            )
        line = _pairs(
            runs,
            lambda: _run_once([sys.executable, "-c", "pass"], folder),
            lambda: _run_once([sys.executable, "-c", "import contract_kit"], folder),
        )
        print(
            f"python -c pass / import contract_kit        : {line} "
            f"(median of {runs} pairs; goal <= {STARTUP_GOAL_MS} ms)"
        )
    print(f"import {PLUGIN} (cumulative, -X importtime): {_plugin_import_ms():.1f} ms")


def _rate(calls: int, send: Callable[[], object]) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        send()
    return calls / (time.perf_counter() - start)


def _report(client: str, rates: list[tuple[float, float, float]], goal: float | None) -> None:
    static = statistics.median(s for s, _, _ in rates)
    print(f"{client:8s} {'static receipt':30s}: {static:8.0f} creates/s")
    for label, column, wanted in (
        ("a fake per round", 1, goal),
        ("one fake, every round", 2, None),
    ):
        served = statistics.median(r[column] for r in rates)
        ratios = [r[column] / r[0] for r in rates]
        low, high = median_interval(ratios)
        print(f"{client:8s} {label:30s}: {served:8.0f} creates/s")
        print(
            f"{client:8s} {label + ' / static':30s}: {statistics.median(ratios):8.3f} "
            f"(median of {len(rates)} rounds, 95% interval {low:.3f}-{high:.3f}; "
            f"{verdict(low, high, wanted)})"
        )


def _check_fake(fake: OfferLibrary) -> None:
    # The same body every time: the repeated name is only the name-reuse warning.
    errors = [found for _, found in fake.violations if found.is_error]
    if errors:
        raise SystemExit(f"the fake found errors in the benchmark's calls: {errors[:3]}")


def throughput_requests(calls: int, rounds: int) -> None:
    """Print creates per second with requests: responses' static stub, then the fake.

    Each round of the static stub runs in a RequestsMock of its own, as each test has one;
    the fake is timed the same way (a new one per round, made before the clock starts), and
    also as one fake serving every round, whose store ends with ``calls * rounds`` offers.
    """
    body = fallback_offer_body()
    session = requests.Session()
    kept = OfferLibrary()

    def post() -> object:
        return session.post(URL, json=body, headers=HEADERS)

    def static_round() -> float:
        with responses.RequestsMock() as mock:
            mock.add(responses.POST, URL, json=RECEIPT, status=201)
            return _rate(calls, post)

    def fake_round(fake: OfferLibrary) -> float:
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        with serve_with_responses(fake, mock):
            rate = _rate(calls, post)
        _check_fake(fake)
        return rate

    # Warm up: the validators are built once per process, on the first call.
    static_round(), fake_round(OfferLibrary())
    rates = [(static_round(), fake_round(OfferLibrary()), fake_round(kept)) for _ in range(rounds)]
    _report("requests", rates, REQUESTS_GOAL)


def throughput_httpx(calls: int, rounds: int) -> None:
    """Print creates per second with httpx: a MockTransport's static receipt, then the fake."""
    body = fallback_offer_body()
    receipt = httpx.MockTransport(lambda _: httpx.Response(201, json=RECEIPT))
    kept = OfferLibrary()

    def client_round(transport: httpx.BaseTransport, fake: OfferLibrary | None = None) -> float:
        with httpx.Client(transport=transport) as client:
            rate = _rate(calls, lambda: client.post(URL, json=body, headers=HEADERS))
        if fake is not None:
            _check_fake(fake)
        return rate

    def fake_round(fake: OfferLibrary) -> float:
        return client_round(OfferLibraryTransport(fake), fake)

    client_round(receipt), fake_round(OfferLibrary())  # warm up
    rates = [
        (client_round(receipt), fake_round(OfferLibrary()), fake_round(kept)) for _ in range(rounds)
    ]
    _report("httpx", rates, None)


def main() -> None:
    """Run the measurements."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="start-ups per cell")
    parser.add_argument("--calls", type=int, default=400, help="create calls per round")
    parser.add_argument("--rounds", type=int, default=15, help="rounds per client")
    parser.add_argument(
        "--throughput-only", action="store_true", help="skip the start-up measurements"
    )
    arguments = parser.parse_args()
    if not arguments.throughput_only:
        startup(arguments.runs)
    throughput_requests(arguments.calls, arguments.rounds)
    throughput_httpx(arguments.calls, arguments.rounds)


if __name__ == "__main__":
    main()
