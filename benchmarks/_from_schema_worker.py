"""Time hypothesis-jsonschema's from_schema; run by bench_strategies.py inside its own venv.

    python _from_schema_worker.py SCHEMA.json EXAMPLES OUT.jsonl

It imports neither contract_kit nor anything of this repository: the venv holds only
hypothesis 6.170.9 and hypothesis-jsonschema 0.23.1. The examples go to OUT.jsonl, to be
checked against the contract by the caller; the timing goes to stdout as one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import hypothesis
import hypothesis_jsonschema
from hypothesis import HealthCheck, Phase, given, settings


def main(schema_path: str, count: str, out_path: str) -> None:
    """Draw ``count`` examples in one @given run and report how long it took."""
    schema = json.loads(Path(schema_path).read_text("utf-8"))
    drawn: list[object] = []

    @settings(
        max_examples=int(count),
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(hypothesis_jsonschema.from_schema(schema))
    def run(example: object) -> None:
        drawn.append(example)

    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    with Path(out_path).open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(example) + "\n" for example in drawn)
    versions = {"hypothesis": hypothesis.__version__, "hypothesis-jsonschema": "0.23.1"}
    print(json.dumps({"examples": len(drawn), "seconds": seconds, "versions": versions}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
