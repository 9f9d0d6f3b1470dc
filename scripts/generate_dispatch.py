"""Write the parts of the bundled schemas that follow from the table of stored kinds.

    python scripts/generate_dispatch.py          # rewrite them
    python scripts/generate_dispatch.py --check  # exit 1 if a file is stale

A receipt's ``@id`` may name any stored kind, and a page of results holds stored instances of
any kind, each checked as the kind its ``schemas[0]`` names. Both follow from
``schemas/object-kinds.json``; written by hand they would go stale with the first new kind,
so this script writes them and tests/test_dispatch_schemas.py fails when they are stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from contract_kit.core.object_kinds import ID_DIGITS, id_pattern, object_kinds

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def _schema_ids() -> str:
    return "|".join(re.escape(kind.schema_id) for kind in object_kinds())


def any_id() -> dict[str, Any]:
    """An ``@id`` of any stored kind."""
    low, high = ID_DIGITS
    return {
        "type": "string",
        "pattern": id_pattern(),
        "x-rule": "xcore-id",
        "x-expected": (
            f'the @id of a stored kind: "xcore:<kind>:" and {low} to {high} lowercase hex '
            f"digits, <kind> one of {', '.join(kind.name for kind in object_kinds())}"
        ),
    }


def any_instance() -> dict[str, Any]:
    """A stored instance of any kind: the kind its ``schemas`` names, tried in table order.

    Every id in ``schemas`` names the instance's own kind (each instance schema says so), so
    the condition reads them all; ``items`` rather than ``prefixItems`` keeps the rule ids a
    failure can report to the catalogue's.
    """
    chain: dict[str, Any] = {
        "required": ["schemas"],
        "properties": {
            "schemas": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "string",
                    "pattern": f"^(?:{_schema_ids()});version=[0-9]+(\\.[0-9]+)*$",
                    "x-rule": "schema-id",
                    "x-expected": "the schema id of a stored kind with its version, e.g. "
                    f'"{object_kinds()[0].stored_schema}"',
                },
            }
        },
    }
    for kind in reversed(object_kinds()):
        chain = {
            "if": {
                "required": ["schemas"],
                "properties": {
                    "schemas": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "string", "pattern": f"^{re.escape(kind.schema_id)};"},
                    }
                },
            },
            "then": {"$ref": f"{kind.instance_kind}.schema.json"},
            "else": chain,
        }
    return chain


def generated() -> dict[str, dict[str, Any]]:
    """Each file this script writes, as it should read."""
    receipt = json.loads((SCHEMAS / "receipt.schema.json").read_text("utf-8"))
    receipt["properties"]["@id"] = any_id()
    page = json.loads((SCHEMAS / "search-results.schema.json").read_text("utf-8"))
    page["$defs"] = {"instance": any_instance()}
    page["properties"]["_embedded"]["properties"]["results"]["items"] = {"$ref": "#/$defs/instance"}
    return {"receipt.schema.json": receipt, "search-results.schema.json": page}


def text(schema: dict[str, Any]) -> str:
    """The file's text: two-space JSON, the bundle's own layout."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """Rewrite the files, or with --check say which are stale."""
    stale = [
        name
        for name, schema in generated().items()
        if (SCHEMAS / name).read_text("utf-8") != text(schema)
    ]
    if "--check" in sys.argv[1:]:
        for name in stale:
            print(f"schemas/{name} is stale: run python scripts/generate_dispatch.py")
        return 1 if stale else 0
    for name in stale:
        (SCHEMAS / name).write_text(text(generated()[name]), "utf-8")
        print(f"wrote schemas/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
