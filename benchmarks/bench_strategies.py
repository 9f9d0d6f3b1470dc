"""Draws per second: contract_kit.strategies against hypothesis-jsonschema, and against itself.

    python benchmarks/bench_strategies.py [--examples 300] [--runs 3] [--against h-base]
                                          [--only offers|calls]

1. ``contract_kit.strategies.fallback_offers()`` with the hypothesis installed here.
2. hypothesis-jsonschema 0.23.1's ``from_schema`` on a draft-7 export of the bundled
   fallback-offer schema, in ``benchmarks/.venv-hjs`` (made once, then reused) with hypothesis
   6.170.9: 0.23.1 crashes with hypothesis 6.170.10 and later ("'many' object has no attribute
   'more'").

Both sides time one ``@given`` run of ``--examples`` examples (generate phase only, no database,
no deadline, health checks off), ``--runs`` times. Every example of both is then checked with
``contract_kit.violations``: only valid examples count. Goal: contract_kit at least 10x faster.

3. Headers, create calls and query calls, valid and invalid (``CALLS``), drawn by this
   checkout and by the contract_kit of ``--against`` (a git revision, default h-base), each in
   a process of its own with the same hypothesis, derandomized, so both draw the same way;
   the two alternate, strategy by strategy, ``--runs`` times, and the medians are compared.
   Rates are draws per CPU second of the drawing process, so other load on the machine
   moves them less than wall time would. ``git archive`` unpacks the revision into a
   temporary folder put first on PYTHONPATH. Goal: this checkout at least 3x the revision.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings

import contract_kit
from contract_kit import strategies as cs
from contract_kit.strategies import fallback_offers

if TYPE_CHECKING:
    from collections.abc import Callable

HERE = Path(__file__).parent
VENV = HERE / ".venv-hjs"
WORKER = HERE / "_from_schema_worker.py"
PINS = ("hypothesis==6.170.9", "hypothesis-jsonschema==0.23.1")


def draft7(schema: Any) -> Any:
    """The schema as draft 7 reads it: definitions for $defs, no x- annotations."""
    if isinstance(schema, list):
        return [draft7(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-") or key == "$id":
            continue
        if key == "$ref" and isinstance(value, str):
            out[key] = value.replace("#/$defs/", "#/definitions/")
        elif key == "$defs":
            out["definitions"] = {name: draft7(sub) for name, sub in value.items()}
        elif key in {"properties", "definitions"}:
            out[key] = {name: draft7(sub) for name, sub in value.items()}
        else:
            out[key] = draft7(value)
    return out


def ours(count: int) -> tuple[list[Any], float]:
    """Draw ``count`` offers with contract_kit's strategy; return them and the seconds taken."""
    drawn: list[Any] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fallback_offers())
    def run(offer: Any) -> None:
        drawn.append(offer)

    start = time.perf_counter()
    run()
    return drawn, time.perf_counter() - start


def _venv_python() -> Path:
    python = VENV / "bin" / "python"
    probe = [
        str(python),
        "-c",
        "import hypothesis_jsonschema, hypothesis; print(hypothesis.__version__)",
    ]
    if python.exists() and subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return python
    print(f"creating {VENV.relative_to(HERE.parent)} with {' '.join(PINS)} (once) ...", flush=True)
    venv.create(VENV, with_pip=True, clear=True)
    install = [str(python), "-m", "pip", "install", "--quiet", *PINS]
    done = subprocess.run(install, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"pip could not install {' '.join(PINS)}:\n{done.stdout}{done.stderr}")
    return python


def theirs(count: int, schema_file: Path, work: Path) -> tuple[list[Any], float, dict[str, str]]:
    """Draw ``count`` examples with from_schema in the pinned venv; examples, seconds, versions."""
    out = work / "from_schema.jsonl"
    command = [str(_venv_python()), str(WORKER), str(schema_file), str(count), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    lines = out.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines], float(report["seconds"]), report["versions"]


#: The strategies of 3., by name: what users draw in their own property tests.
CALLS: dict[str, Callable[[], Any]] = {
    "request_headers": cs.request_headers,
    "create_calls": cs.create_calls,
    "invalid_create_calls": cs.invalid_create_calls,
    "lookup_calls": cs.lookup_calls,
    "search_calls": cs.search_calls,
    "invalid_lookup_calls": cs.invalid_lookup_calls,
    "invalid_search_calls": cs.invalid_search_calls,
}


def _draws_per_second(strategy: Any, count: int) -> float:
    """Draws per CPU second of one derandomized ``@given`` run of ``count`` examples."""
    drawn = 0

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(_: Any) -> None:
        nonlocal drawn
        drawn += 1

    start = time.process_time()
    run()
    return drawn / (time.process_time() - start)


def worker(name: str, count: int) -> None:
    """Print, as one JSON line, the draws/s of ``CALLS[name]`` (run in a child process)."""
    strategy = CALLS[name]()
    _draws_per_second(strategy, 20)  # build and validate outside the timed run
    rate = _draws_per_second(strategy, count)
    print(json.dumps({"source": contract_kit.__file__, "rate": rate}))


def _rate(name: str, count: int, source: Path | None) -> tuple[float, str]:
    environment = dict(os.environ)
    if source is not None:
        environment["PYTHONPATH"] = str(source)
    command = [sys.executable, __file__, "--worker", name, "--examples", str(count)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return float(found["rate"]), str(found["source"])


def _unpacked(revision: str, work: Path) -> Path:
    """The package of ``revision``, with its schemas where the installed wheel puts them."""
    archive = subprocess.run(
        ["git", "-C", str(HERE.parent), "archive", revision, "contract_kit", "schemas"],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout
    source = work / f"contract-kit-{revision}"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(source, filter="data")
    (source / "schemas").rename(source / "contract_kit" / "schemas")
    return source


def compare_calls(count: int, runs: int, revision: str) -> None:
    """Print draws/s of ``CALLS`` for this checkout and ``revision``, and their ratios."""
    rates: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in CALLS}
    with tempfile.TemporaryDirectory() as folder:
        old_source = _unpacked(revision, Path(folder))
        for _ in range(runs):
            for name, (old, new) in rates.items():
                rate, source = _rate(name, count, old_source)
                old.append(rate)
                new.append(_rate(name, count, None)[0])
    print(f"\n{'strategy':<22}{revision[:10]:>12}{'checkout':>12}{'ratio':>8}  (draws/CPU s)")
    for name, (old, new) in rates.items():
        before, after = statistics.median(old), statistics.median(new)
        print(f"{name:<22}{before:>12.1f}{after:>12.1f}{after / before:>7.1f}x")
    print(f"goal: at least 3x each; {revision} from {source}")
    print(f"load average: {os.getloadavg()[0]:.2f}, hypothesis {hypothesis.__version__}")


def _valid(examples: list[Any]) -> int:
    return sum(not contract_kit.violations("fallback-offer", example) for example in examples)


def main() -> None:
    """Measure both sides and print the rates of valid examples and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", default="h-base", help="git revision 3. compares against")
    parser.add_argument("--only", choices=("offers", "calls"), help="run 1.-2. or 3. alone")
    parser.add_argument("--worker", choices=CALLS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.examples)
        return
    if args.only != "offers":
        compare_calls(args.examples, args.runs, args.against)
    if args.only == "calls":
        return
    ours(20)  # build the strategy and the validator outside the timed runs
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        schema_file = work / "fallback-offer.draft7.json"
        exported = draft7(contract_kit.load_schema("fallback-offer"))
        exported["$schema"] = "http://json-schema.org/draft-07/schema#"
        schema_file.write_text(json.dumps(exported, indent=2), "utf-8")
        rows = []
        versions: dict[str, str] = {}
        for _ in range(args.runs):
            drawn, seconds = ours(args.examples)
            rows.append(("contract_kit", len(drawn), _valid(drawn), seconds))
            drawn, seconds, versions = theirs(args.examples, schema_file, work)
            rows.append(("from_schema", len(drawn), _valid(drawn), seconds))
    rates: dict[str, list[float]] = {"contract_kit": [], "from_schema": []}
    print(f"\n{'strategy':<14}{'drawn':>7}{'valid':>7}{'seconds':>9}{'valid/s':>9}")
    for name, drawn_count, valid, seconds in rows:
        rates[name].append(valid / seconds)
        print(f"{name:<14}{drawn_count:>7}{valid:>7}{seconds:>9.2f}{valid / seconds:>9.1f}")
    ours_rate, their_rate = (statistics.median(rates[n]) for n in ("contract_kit", "from_schema"))
    ours_version = f"hypothesis {hypothesis.__version__}"
    print(f"\nmedian valid examples/s: contract_kit {ours_rate:.1f} ({ours_version})")
    print(
        f"                         from_schema {their_rate:.1f} (hypothesis "
        f"{versions.get('hypothesis', '?')}, hypothesis-jsonschema "
        f"{versions.get('hypothesis-jsonschema', '?')})"
    )
    ratio = ours_rate / their_rate if their_rate else float("inf")
    print(f"ratio: {ratio:.1f}x (goal: at least 10x) with Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
