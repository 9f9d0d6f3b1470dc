"""The cost of one check: violations() against jsonschema-rs and python-jsonschema, per kind.

    python benchmarks/bench_validate.py [--seconds 0.2] [--rounds 5] [--kinds KIND ...]

Two tables, each figure the median of ``--rounds`` rounds; within a round our call and the
peer's are timed back to back on the same instance, so a loaded machine slows both alike and
the ratio (the median of the rounds' ratios) is what to compare. Each figure is per second of
this thread's CPU time, which a machine busy with other processes disturbs less than the
wall clock:

- valid: ``contract_kit.violations(kind, instance)`` on a valid example of each stored kind
  (``tests/cases/<kind>/valid``, first file), against jsonschema-rs's ``is_valid`` on the
  exported schema (``contract-kit schema KIND``, the same document other tools get). The
  goal is a ratio of calls/s of at least 0.5: our call also runs the code rules and checks
  every format, which the peer (formats as annotations) does not.
- invalid: violations() on instances each breaking one rule of a different sort (a pattern,
  an enum, required, a type, a minimum length, an unknown member, code rules; and a misspelt
  member, which breaks two: it is unknown, and the one it meant is missing), every message
  worded (its "did you mean" suggestion too), against python-jsonschema's ``iter_errors``
  (the stock Draft 2020-12 validator, the bundle as its registry, as
  ``benchmarks/bench_errors.py`` sets it up). Goal: at least 5x.

Not run in CI: the figures depend on the machine. Needs the project's venv (jsonschema-rs and
jsonschema are dependencies); run from the repository's root or anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES = HERE.parent / "tests" / "cases"

#: Each invalid instance: the kind, the case file, and the sort of rule it breaks.
INVALID = (
    ("fallback-offer", "placement-not-hex.json", "pattern"),
    ("fallback-offer", "status-not-allowed.json", "enum"),
    ("fallback-offer", "missing-name.json", "required"),
    ("fallback-offer", "name-not-string.json", "type"),
    ("fallback-offer", "empty-name.json", "minLength"),
    ("fallback-offer", "custom-metadata.json", "unknown member"),
    ("fallback-offer", "typo-status-key.json", "misspelt member (2 rules)"),
    ("fallback-offer-instance", "modified-before-created.json", "date order (code)"),
    ("offer-activity", "end-before-start.json", "date range (code)"),
    ("fallback-offer", "duplicate-placement.json", "duplicate (code)"),
)


def _rate(call: Any, seconds: float) -> float:
    """Calls per second of ``call``, timed in batches for about ``seconds`` of CPU time."""
    batch, spent, done = 1, 0.0, 0
    while spent < seconds:
        start = time.thread_time()  # CPU time: the time other processes take is not counted
        for _ in range(batch):
            call()
        spent += time.thread_time() - start
        done += batch
        batch *= 2
    return done / spent


def _compare(ours: Any, peer: Any, seconds: float, rounds: int) -> tuple[float, float, float]:
    """Median calls/s of each, and the median of the rounds' ratios (ours / peer)."""
    ours_rates, peer_rates = [], []
    for _ in range(rounds):
        ours_rates.append(_rate(ours, seconds))
        peer_rates.append(_rate(peer, seconds))
    ratios = [a / b for a, b in zip(ours_rates, peer_rates, strict=True)]
    return statistics.median(ours_rates), statistics.median(peer_rates), statistics.median(ratios)


def _stored_kinds() -> list[str]:
    import contract_kit

    return [
        name
        for kind in contract_kit.object_kinds()
        for name in (kind.body_kind, kind.instance_kind)
    ]


def _valid_table(kinds: list[str], seconds: float, rounds: int) -> list[float]:
    import jsonschema_rs

    import contract_kit
    from contract_kit.core.schema_export import export_schema

    print(f"valid    {'kind':<28} {'violations()/s':>14} {'is_valid/s':>12} {'ratio':>6}  goal")
    ratios = []
    for kind in kinds:
        path = min((CASES / kind / "valid").glob("*.json"))
        instance = json.loads(path.read_text("utf-8"))
        peer = jsonschema_rs.validator_for(export_schema(kind))
        if contract_kit.violations(kind, instance) or not peer.is_valid(instance):
            raise SystemExit(f"{path}: not valid to both")

        def ours(kind: str = kind, instance: Any = instance) -> object:
            return contract_kit.violations(kind, instance)

        def theirs(peer: Any = peer, instance: Any = instance) -> object:
            return peer.is_valid(instance)

        mine, other, ratio = _compare(ours, theirs, seconds, rounds)
        ratios.append(ratio)
        print(f"valid    {kind:<28} {mine:>14,.0f} {other:>12,.0f} {ratio:>6.2f}  0.5", flush=True)
    return ratios


def _invalid_table(seconds: float, rounds: int) -> list[tuple[float, str]]:
    from jsonschema import Draft202012Validator

    import contract_kit
    from contract_kit.core.schema_bundle import load_schema, registry

    print(
        f"\ninvalid  {'kind / breaks':<40} {'ours/s':>9} {'iter_errors/s':>13} {'ratio':>6}  goal"
    )
    ratios = []
    for kind, name, breaks in INVALID:
        instance = json.loads((CASES / kind / "invalid" / name).read_text("utf-8"))["instance"]
        validator = Draft202012Validator(load_schema(kind), registry=registry())
        if not contract_kit.violations(kind, instance):
            raise SystemExit(f"{kind}/{name}: no violation found")

        def ours(kind: str = kind, instance: Any = instance) -> object:
            return contract_kit.violations(kind, instance)

        def theirs(validator: Any = validator, instance: Any = instance) -> object:
            return list(validator.iter_errors(instance))

        mine, other, ratio = _compare(ours, theirs, seconds, rounds)
        label = f"{kind} / {breaks}"
        ratios.append((ratio, label))
        print(f"invalid  {label:<40} {mine:>9,.0f} {other:>13,.0f} {ratio:>6.1f}  5", flush=True)
    return ratios


def main() -> None:
    """Print both tables described in the module's docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.2, help="time per figure per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--kinds", nargs="+", help="the valid table's kinds (default: stored)")
    arguments = parser.parse_args()
    print(f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    kinds = arguments.kinds or _stored_kinds()
    valid = _valid_table(kinds, arguments.seconds, arguments.rounds)
    invalid = _invalid_table(arguments.seconds, arguments.rounds)
    lowest, label = min(invalid)
    print(f"\nlowest ratio: valid {min(valid):.2f} (goal 0.5), invalid {lowest:.1f} (goal 5)")
    verdict = "met" if min(valid) >= 0.5 and lowest >= 5 else "NOT met"
    print(f"lowest invalid: {label}; goal of issue 17 {verdict}")
    print(f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
