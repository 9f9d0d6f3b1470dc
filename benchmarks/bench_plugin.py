"""What the pytest plugin costs, and how fast the fake serves creates, in one run.

    python benchmarks/bench_plugin.py [--runs 15] [--calls 2000]

1. Start-up: ``pytest --co`` of an empty suite with and without the plugin (``-p
   no:contract_kit``), with bytecode caching on and off (PYTHONDONTWRITEBYTECODE=1: pytest
   rewrites a plugin's modules on import and cannot cache that without bytecode). Hypothesis'
   own plugin is disabled in both runs so only contract_kit's cost is measured. Goal: ≤ 30 ms.
2. Throughput: create calls per second through the fake (routing, checking every request and
   answer against the contract, storing) against requests + responses answering a static
   receipt. Goal: the fake at ≥ 50% of the static rate.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import responses

from contract_kit.core.examples import fallback_offer_body
from contract_kit.fake import OfferLibrary
from contract_kit.fake.requests_adapter import serve_with_responses

URL = "https://platform.adobe.io/data/core/xcore/e0bd8463-0913-4ca1-bd84-6309134ca1f6/instances"
SCHEMA = "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1"
HEADERS = {
    "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1",
    "Content-Type": f'application/schema-instance+json; version=1; schema="{SCHEMA}"',
    "Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "x-api-key": "4a6f3c1d2e8b4f0a",
    "x-gw-ims-org-id": "0123ABCD@AdobeOrg",
}


def _collect_once(folder: Path, *, plugin: bool, bytecode: bool) -> float:
    command = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:hypothesispytest"]
    command += [] if plugin else ["-p", "no:contract_kit"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    start = time.perf_counter()
    subprocess.run(command, cwd=folder, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def _plugin_import_ms() -> float:
    """What importing the plugin module costs, from the interpreter's own -X importtime."""
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "import pytest; import contract_kit.pytest_plugin",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in result.stderr.splitlines() if line.rstrip().endswith("contract_kit")]
    return int(lines[-1].split("|")[1]) / 1000 if lines else float("nan")


def startup(runs: int) -> None:
    """Print the plugin's share of `pytest --co` on an empty suite (runs interleaved)."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "pytest.ini").write_text("[pytest]\n")
        for bytecode in (True, False):
            _collect_once(Path(folder), plugin=True, bytecode=bytecode)  # warm caches
            pairs = [
                (
                    _collect_once(Path(folder), plugin=False, bytecode=bytecode),
                    _collect_once(Path(folder), plugin=True, bytecode=bytecode),
                )
                for _ in range(runs)
            ]
            without = statistics.median(a for a, _ in pairs)
            with_plugin = statistics.median(b for _, b in pairs)
            added = statistics.median(b - a for a, b in pairs) * 1000
            label = "bytecode cached " if bytecode else "no bytecode     "
            print(
                f"pytest --co, {label}: without {without * 1000:6.1f} ms, "
                f"with {with_plugin * 1000:6.1f} ms, plugin adds {added:5.1f} ms "
                f"(median of {runs} interleaved pairs; goal <= 30 ms)"
            )
    cost = _plugin_import_ms()
    print(f"import contract_kit.pytest_plugin (cumulative, -X importtime): {cost:.1f} ms")


def _rate(calls: int, send: object) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        send()  # type: ignore[operator]
    return calls / (time.perf_counter() - start)


def throughput(calls: int) -> None:
    """Print creates per second: static responses, then the fake."""
    body = fallback_offer_body()
    session = requests.Session()
    receipt = {"instanceId": "b3966680-13ec-11eb-9c20-8323709cfc65"}
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, URL, json=receipt, status=201)
        static = _rate(calls, lambda: session.post(URL, json=body, headers=HEADERS))
    fake = OfferLibrary()
    with serve_with_responses(fake, responses.RequestsMock(assert_all_requests_are_fired=False)):
        session.post(URL, json=body, headers=HEADERS)  # builds the validators once
        served = _rate(calls, lambda: session.post(URL, json=body, headers=HEADERS))
    # The same body every time: the repeated name is only the name-reuse warning.
    errors = [found for _, found in fake.violations if found.is_error]
    assert not errors, errors
    print(f"requests + responses, static receipt: {static:8.0f} creates/s")
    print(f"requests + contract_kit's fake      : {served:8.0f} creates/s")
    print(f"ratio fake / static                 : {served / static:8.2f} (goal >= 0.50)")


def main() -> None:
    """Run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="pytest start-ups per cell")
    parser.add_argument("--calls", type=int, default=2000, help="create calls per client")
    arguments = parser.parse_args()
    startup(arguments.runs)
    throughput(arguments.calls)


if __name__ == "__main__":
    main()
