"""Rewrite the table of docs/rules.md from the rule catalogue and the kinds that report each rule.

    python scripts/generate_rules_doc.py

Severity and kinds come from ``contract_kit.lint.rule_index`` (what ``contract-kit rules``
prints); tests/test_cli_rules.py fails when the two disagree. A row whose summary is unchanged
keeps its wording in the docs (which marks code with backticks); a new or changed summary is
the catalogue's.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from contract_kit.core.rule_catalogue import CHECKED_BY_THE_FAKE
from contract_kit.lint.rule_index import rule_index

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
_ROW = re.compile(r"^\| `([a-z-]+)` \| [^|]+ \| [^|]+ \| (.*) \|$")
_CHECKERS = {
    "check_request": "`check_request`",
    "assert_receipt": "`assert_receipt`",
    "contract-kit lint, on recordings (cassettes)": "`contract-kit lint` (recordings)",
}


def _kinds_column(words: str, rule: str) -> str:
    if not words and rule in CHECKED_BY_THE_FAKE:
        return "the fake"
    parts = []
    for part in words.split("; "):
        if part == "all kinds":
            parts.append("all")
        elif part.startswith("all kinds but "):
            parts.append(part.replace("all kinds but ", "all but "))
        else:
            parts.append(_CHECKERS.get(part, part))
    return "; ".join(parts)


def main() -> int:
    """Rewrite the table in place."""
    lines = DOCS.read_text("utf-8").splitlines()
    kept = {m[1]: m[2] for line in lines if (m := _ROW.match(line))}
    start = next(i for i, line in enumerate(lines) if line.startswith("| Rule | Severity |"))
    end = start + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    rows = []
    for entry in rule_index():
        said = kept.get(entry.rule)
        summary = said if said is not None and said.replace("`", "") == entry.summary else None
        text = summary or entry.summary
        kinds = _kinds_column(entry.applies_to(), entry.rule)
        rows.append(f"| `{entry.rule}` | {entry.severity} | {kinds} | {text} |")
    DOCS.write_text("\n".join([*lines[: start + 2], *rows, *lines[end:]]) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
