"""The cost of explaining many errors: violations() on offers with thousands of unknown members.

    python benchmarks/bench_errors.py [--sizes 1000 2000 5000 10000] [--runs 3] [--before 2000]

Each size is an offer (the seed create body) carrying that many unknown ``xdm:`` members, so
it has that many ``unknown-key`` errors. For each, in a fresh process (so peak memory is the
size's own), it prints:

- ``contract_kit.violations()``: the best time of ``--runs`` runs, the time per error (flat
  when the cost is linear) and the growth of the process's peak RSS (jsonschema-rs allocates
  outside Python, where tracemalloc cannot see);
- python-jsonschema's ``iter_errors`` on the same instance (the stock Draft 2020-12
  validator, the bundle as registry), as a peer, and the ratio of the two times;
- with ``--before N``, for sizes up to N: jsonschema-rs's ``iter_errors`` on the bundled
  schema as written (``propertyNames`` kept), the quadratic cost the engine no longer pays.

Not run in CI: the figures depend on the machine; the ratios and the flat per-error cost are
what to compare.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "tests" / "cases" / "fallback-offer" / "valid" / "seed-create-body.json"


def _offer(size: int) -> dict[str, Any]:
    offer: dict[str, Any] = json.loads(SEED.read_text("utf-8"))
    offer.update({f"xdm:unknown{index}": index for index in range(size)})
    return offer


def _timed(run: Any, runs: int) -> tuple[float, int]:
    """The fastest of ``runs`` calls, in seconds, and how many results the last one gave."""
    times, count = [], 0  # the best of the runs: least disturbed by a loaded machine
    for _ in range(runs):
        start = time.perf_counter()
        count = len(run())
        times.append(time.perf_counter() - start)
    return min(times), count


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _measure(engine: str, size: int, runs: int) -> dict[str, float]:
    """One engine on one size, in this process: seconds, results and peak RSS growth."""
    import contract_kit
    from contract_kit.core.schema_bundle import load_schema, registry

    offer = _offer(size)
    if engine == "contract_kit":
        contract_kit.violations("fallback-offer", _offer(10))  # build the validator first

        def run() -> Any:
            return contract_kit.violations("fallback-offer", offer)  # every error explained

    elif engine == "jsonschema":
        from jsonschema import Draft202012Validator

        validator = Draft202012Validator(load_schema("fallback-offer"), registry=registry())
        list(validator.iter_errors(_offer(10)))

        def run() -> Any:
            return list(validator.iter_errors(offer))

    else:  # jsonschema-rs on the schema as written, propertyNames kept
        import jsonschema_rs

        from contract_kit.core.references import referenced

        resources = referenced(load_schema("fallback-offer"))
        schema = load_schema("fallback-offer")
        others = [(uri, s) for uri, s in resources.items() if uri != schema["$id"]]
        validator = jsonschema_rs.validator_for(schema, registry=jsonschema_rs.Registry(others))

        def run() -> Any:
            return list(validator.iter_errors(offer))

    before = _peak_kib()
    seconds, count = _timed(run, runs)
    return {"seconds": seconds, "count": count, "rss_mib": (_peak_kib() - before) / 1024}


def _child(engine: str, size: int, runs: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", engine, str(size), str(runs)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    """Print the table described in the module's docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=int, default=0, metavar="N")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        engine, size, runs = arguments.child
        print(json.dumps(_measure(engine, int(size), int(runs))))
        return
    print(
        f"{'errors':>7} | {'violations() ms':>15} {'µs/error':>9} {'peak MiB':>9} | "
        f"{'jsonschema ms':>13} {'µs/error':>9} {'ratio':>6} | {'before ms':>10} {'µs/error':>9}"
    )
    for size in arguments.sizes:
        ours = _child("contract_kit", size, arguments.runs)
        peer = _child("jsonschema", size, arguments.runs)
        line = (
            f"{size:>7} | {ours['seconds'] * 1e3:>15.1f} "
            f"{ours['seconds'] / size * 1e6:>9.1f} {ours['rss_mib']:>9.1f} | "
            f"{peer['seconds'] * 1e3:>13.1f} {peer['seconds'] / size * 1e6:>9.1f} "
            f"{peer['seconds'] / ours['seconds']:>6.1f} |"
        )
        if size <= arguments.before:
            old = _child("before", size, 1)
            line += f" {old['seconds'] * 1e3:>10.1f} {old['seconds'] / size * 1e6:>9.1f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
