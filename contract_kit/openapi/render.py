"""The document as text (JSON or YAML), and written to a file whole or not at all."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Final

__all__ = ["FORMATS", "render", "write_atomically"]

#: The output formats ``contract-kit openapi --format`` takes.
FORMATS: Final = ("json", "yaml")


def render(document: dict[str, Any], output_format: str = "json") -> str:
    """``document`` as JSON (indented) or YAML, ending with a newline; key order kept."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output_format == "json":
        return text
    if output_format != "yaml":
        raise ValueError(f"unknown format {output_format!r}; expected one of {', '.join(FORMATS)}")
    import yaml

    # Through JSON: a dict shared by two places would otherwise become a YAML alias.
    return yaml.safe_dump(json.loads(text), sort_keys=False, allow_unicode=True, width=100)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it, renamed in one step.

    A reader of ``path`` sees the old file or the new one, never half of one; a failure
    leaves no temporary file behind. An OSError says why the file could not be written.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
