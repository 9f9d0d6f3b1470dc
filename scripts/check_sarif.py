"""Validate a SARIF log against the official SARIF 2.1.0 schema (CI fetches the schema).

    python scripts/check_sarif.py LOG.sarif SCHEMA.json

Exit 0 when the log is valid, 1 (listing each error with its place) when it is not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jsonschema import validators


def main() -> int:
    """Validate and report."""
    log = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    schema = json.loads(Path(sys.argv[2]).read_text("utf-8"))
    validator = validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.absolute_path))
    for error in errors:
        place = "/".join(str(part) for part in error.absolute_path) or "(root)"
        print(f"{sys.argv[1]}: {place}: {error.message}")
    if not log.get("runs") or not log["runs"][0].get("results"):
        print(f"{sys.argv[1]}: the log holds no results: nothing was validated")
        return 1
    count = len(log["runs"][0]["results"])
    print(f"{sys.argv[1]}: {count} results, {len(errors)} schema errors ({schema.get('$id', '')})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
