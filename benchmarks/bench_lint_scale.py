"""contract-kit lint on 10,000, 30,000 and 100,000 files: time linear, memory flat.

    python benchmarks/bench_lint_scale.py [--counts 10000,30000,100000] [--runs 3]
                                          [--jobs default,1] [--interval 0.005]

It writes the largest count of files of every stored kind (bench_lint.py's mixed corpus: each
kind's body and stored instance in equal shares, 10% invalid), and links the first N of them
into a folder of their own for each smaller count (hard links: the same bytes, no copy). For
each count and each ``--jobs`` setting it runs ``contract-kit lint --format json DIR`` in a
fresh process (output to a file), median of the runs, and prints:

- wall seconds and files/s, and files/s relative to the first count's (1.00: linear);
- the peak RSS of the command and of each worker process it started, and their sum. Linux
  only: the peaks are read from ``/proc/PID/status`` (``VmHWM``) of the command and its
  children, sampled every ``--interval`` seconds while it runs. The sum counts the pages the
  workers share with the command (inherited at fork) once per process, so it overstates what
  the run holds; the goal holds it to 200 MB all the same;
- whether exactly the invalid tenth was flagged.

Goal (issue 17): peak RSS of the whole run at most 200 MB at every count, files/s flat.
contract-kit is run from this interpreter's environment (install the checkout first:
``pip install -e .``). Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lint import generate_mixed  # the script's folder, put on the path above

_MIB = 1024 * 1024
# Bytecode is cached as Python does by default (a PYTHONDONTWRITEBYTECODE in the environment
# would have every run compile contract_kit again, a constant that bends the files/s).
_ENVIRONMENT = {
    name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"
}


class Run(NamedTuple):
    """One command's wall seconds, peak RSS of it and of each worker (bytes), flagged files."""

    seconds: float
    command_peak: int
    worker_peaks: tuple[int, ...]
    flagged: frozenset[str]


def _peak(pid: int) -> int | None:
    """The peak resident set of process ``pid`` so far (bytes), if it is still there."""
    try:
        status = Path(f"/proc/{pid}/status").read_text("ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None  # a zombie has no memory lines


def _children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text("ascii")
    except OSError:
        return []
    return [int(child) for child in listed.split()]


def _run(command: list[str], folder: Path, output: Path, interval: float) -> Run:
    """Run ``command`` in ``folder``, sampling the peaks of it and of its worker processes."""
    peaks: dict[int, int] = {}
    start = time.perf_counter()
    with output.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            command, cwd=folder, stdout=out, stderr=subprocess.DEVNULL, env=_ENVIRONMENT
        )
        while process.poll() is None:
            for pid in [process.pid, *_children(process.pid)]:
                peak = _peak(pid)
                if peak is not None:
                    peaks[pid] = max(peaks.get(pid, 0), peak)
            time.sleep(interval)
    seconds = time.perf_counter() - start
    command_peak = peaks.get(process.pid, 0)
    workers = tuple(peak for pid, peak in sorted(peaks.items()) if pid != process.pid)
    flagged = frozenset(Path(found["file"]).name for found in json.loads(output.read_text()))
    return Run(seconds, command_peak, workers, flagged)


def _folders(work: Path, counts: list[int]) -> tuple[dict[int, Path], set[str]]:
    """One folder per count, the smaller ones hard links to the first files of the largest."""
    largest = work / f"files-{max(counts)}"
    largest.mkdir()
    _, invalid = generate_mixed(sys.executable, largest, max(counts))
    names = sorted(path.name for path in largest.iterdir())
    folders = {max(counts): largest}
    for count in counts:
        if count not in folders:
            folder = folders[count] = work / f"files-{count}"
            folder.mkdir()
            for name in names[:count]:
                (folder / name).hardlink_to(largest / name)
    return folders, invalid


def main() -> int:
    """Lint each count of files and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--counts", default="10000,30000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", default="default,1", help="comma-separated: default or a number")
    parser.add_argument("--interval", type=float, default=0.005, help="seconds between samples")
    arguments = parser.parse_args()
    if not Path("/proc/self/status").exists():
        raise SystemExit("bench_lint_scale.py reads /proc: it runs on Linux only")
    counts = sorted(int(count) for count in arguments.counts.split(","))
    work = Path(tempfile.mkdtemp(prefix="bench-lint-scale-"))
    try:
        print(f"writing {max(counts):,} files into {work}", flush=True)
        folders, invalid = _folders(work, counts)
        print(
            f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
            f"{Path('/proc/loadavg').read_text().split()[0]}; median of {arguments.runs} runs"
        )
        print(
            f"{'jobs':>7} {'files':>8} {'wall':>8} {'files/s':>9} {'vs first':>8}  "
            f"{'command':>8} {'workers (each)':>22} {'sum':>8}  flagged"
        )
        for jobs in arguments.jobs.split(","):
            option = [] if jobs == "default" else [f"--jobs={jobs}"]
            command = [sys.executable, "-m", "contract_kit", "lint", "--format", "json", *option]
            first_rate = None
            for count in counts:
                folder = folders[count]
                output = work / "output.json"
                _run([*command, "."], folder, output, arguments.interval)  # warm-up
                runs = [
                    _run([*command, "."], folder, output, arguments.interval)
                    for _ in range(arguments.runs)
                ]
                seconds = statistics.median(run.seconds for run in runs)
                rate = count / seconds
                first_rate = first_rate or rate
                peak = max(runs, key=lambda run: run.command_peak + sum(run.worker_peaks))
                workers = " ".join(f"{worker / _MIB:.0f}" for worker in peak.worker_peaks) or "-"
                total = (peak.command_peak + sum(peak.worker_peaks)) / _MIB
                expected = invalid & {path.name for path in folder.iterdir()}
                same = "yes" if all(run.flagged == expected for run in runs) else "NO"
                print(
                    f"{jobs:>7} {count:>8,} {seconds:7.2f}s {rate:9,.0f} {rate / first_rate:8.2f}  "
                    f"{peak.command_peak / _MIB:6.0f}MB {workers:>20}MB {total:6.0f}MB  {same}",
                    flush=True,
                )
        print("memory: peak RSS (VmHWM) of the command and of each worker; goal: sum <= 200 MB")
        print("vs first: files/s relative to the smallest count's (1.00: time linear in count)")
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
