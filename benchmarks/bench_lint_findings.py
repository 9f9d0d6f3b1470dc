"""Linting one file with many findings: the time is linear in the findings, not their square.

    python benchmarks/bench_lint_findings.py [--counts 1000,5000,10000] [--runs 3]
                                             [--timeout 120] [--memory-gib 6]

For each count N it writes one fallback offer with N unknown ``xdm:`` members (N findings of
rule ``unknown-key``, each placed at its member's name) and times, medians of the runs:

- placing: the linter finding the line and column of each finding (:meth:`Source.span` on a
  freshly parsed file), alone;
- the linter's part: ``lint_file`` (read, parse, tell the kind, place, sort) with the core's
  ``violations()`` answering from a list made beforehand, so that only the linter is timed;
- ``violations()``: the core listing and wording the violations of the parsed value;
- the command: ``contract-kit lint --format json FILE`` in a fresh process, output discarded.

The last two run in a child process held to ``--timeout`` seconds and ``--memory-gib`` of
address space, so that a core whose cost grows with the square of the errors is reported as
over the limit instead of taking the machine. Each cell gives the time, the time per finding,
and that per-finding time relative to the first row's (1.0 is linear). Goal: the command under
2 s at 10,000 findings. Before placing was indexed, each finding re-scanned the object above
it: 4,800 findings in a 32 KB file took 18.5 s. Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

from contract_kit.core.examples import fallback_offer_body
from contract_kit.core.violation import Violation
from contract_kit.documents.json_source import parse_json
from contract_kit.lint import file_lint
from contract_kit.lint.documents import document_kind
from contract_kit.lint.file_lint import LintOptions, lint_file

if TYPE_CHECKING:
    from collections.abc import Callable

_CORE = """
import json, sys, time
from contract_kit.core.checks import violations
from contract_kit.core.limits import MAX_EXPLAINED
value = json.loads(open(sys.argv[1], "rb").read())
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    found = violations("fallback-offer", value)
    times.append(time.perf_counter() - start)
count = int(sys.argv[3])
# Past the cap, one more violation counts the rest of the rule's.
assert len(found) == min(count, MAX_EXPLAINED) + (count > MAX_EXPLAINED), len(found)
print(sorted(times)[len(times) // 2])
"""


def _offer(count: int) -> bytes:
    offer = fallback_offer_body()
    offer.update({f"xdm:unknown{number}": number for number in range(count)})
    return json.dumps(offer, indent=1).encode("utf-8")


def _median(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _limited(memory_gib: float) -> Callable[[], None]:
    def limit() -> None:
        size = int(memory_gib * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


def _child(command: list[str], folder: Path, limits: argparse.Namespace) -> float | str:
    """The seconds ``command`` took in a child process, or why it did not finish."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=limits.timeout,
            preexec_fn=_limited(limits.memory_gib),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"> {limits.timeout:.0f} s"
    elapsed = time.perf_counter() - start
    if done.returncode not in {0, 1}:
        # Rust aborts (SIGABRT) where Python raises MemoryError when the address space runs out.
        out = done.returncode == -signal.SIGABRT or "MemoryError" in done.stderr
        return f"> {limits.memory_gib:g} GiB" if out else f"exit {done.returncode}"
    return float(done.stdout) if command[1] == "-c" else elapsed


def _measure(count: int, folder: Path, limits: argparse.Namespace) -> dict[str, float | str]:
    data = _offer(count)
    path = folder / f"offer-{count}.json"
    path.write_bytes(data)
    # What the core answers for this file, made by hand so the linter is timed alone.
    found = [
        Violation(f"/xdm:unknown{number}", f'unknown member "xdm:unknown{number}"', "unknown-key")
        for number in range(count)
    ]

    def place() -> None:
        source = parse_json(data)  # a fresh source: nothing indexed yet
        for violation in found:
            source.span(violation.pointer, violation.rule)

    options = LintOptions(root=str(folder), kind="fallback-offer")
    kind = document_kind("fallback-offer")._replace(check=lambda _value: found)
    with mock.patch.object(file_lint, "document_kind", return_value=kind):
        if len(lint_file(str(path), options).findings) != count:
            raise SystemExit(f"lint_file did not find {count} findings")
        linter = _median(limits.runs, lambda: lint_file(str(path), options))
    core = [sys.executable, "-c", _CORE, str(path), str(limits.runs), str(count)]
    command = [sys.executable, "-m", "contract_kit", "lint", "--format", "json", str(path)]
    return {
        "bytes": len(data),
        "placing": _median(limits.runs, place),
        "linter's part": linter,
        "violations()": _child(core, folder, limits),
        "command": _child(command, folder, limits),
    }


def _cell(count: int, value: float | str, first: tuple[int, float | str]) -> str:
    if isinstance(value, str):
        return f"{value:>22}"
    per = value / count * 1e6
    base = first[1] / first[0] * 1e6 if isinstance(first[1], float) else None
    ratio = f"{per / base:4.2f}" if base else "   -"
    return f"{value:7.3f} s {per:5.1f} µs {ratio}"


def main() -> int:
    """Measure each count and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--counts", default="1000,5000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--memory-gib", type=float, default=6.0)
    limits = parser.parse_args()
    counts = [int(count) for count in limits.counts.split(",")]
    columns = ("placing", "linter's part", "violations()", "command")
    print(f"{'findings':>9} {'file':>7}  " + "  ".join(f"{name:>22}" for name in columns))
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        (folder / "pyproject.toml").write_text("", "utf-8")
        rows: dict[int, dict[str, float | str]] = {}
        for count in counts:
            rows[count] = row = _measure(count, folder, limits)
            first = counts[0]
            cells = [_cell(count, row[name], (first, rows[first][name])) for name in columns]
            size = float(row["bytes"]) / 1024
            print(f"{count:>9,} {size:5.0f}KB  " + "  ".join(cells), flush=True)
    print("each cell: total, per finding, per finding relative to the first row (1.0: linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
