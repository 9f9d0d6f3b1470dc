"""Valid fallback offers per second: contract_kit.strategies against hypothesis-jsonschema.

    python benchmarks/bench_strategies.py [--examples 300] [--runs 3]

1. ``contract_kit.strategies.fallback_offers()`` with the hypothesis installed here.
2. hypothesis-jsonschema 0.23.1's ``from_schema`` on a draft-7 export of the bundled
   fallback-offer schema, in ``benchmarks/.venv-hjs`` (made once, then reused) with hypothesis
   6.170.9: 0.23.1 crashes with hypothesis 6.170.10 and later ("'many' object has no attribute
   'more'").

Both sides time one ``@given`` run of ``--examples`` examples (generate phase only, no database,
no deadline, health checks off), ``--runs`` times. Every example of both is then checked with
``contract_kit.violations``: only valid examples count. Goal: contract_kit at least 10x faster.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings

import contract_kit
from contract_kit.strategies import fallback_offers

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


def _valid(examples: list[Any]) -> int:
    return sum(not contract_kit.violations("fallback-offer", example) for example in examples)


def main() -> None:
    """Measure both sides and print the rates of valid examples and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
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
