"""The limits every document read by contract_kit is held to, and the place type they report."""

from __future__ import annotations

from typing import NamedTuple

# One depth limit for files and for the checks: the core's, re-exported for the readers.
from contract_kit.core.limits import MAX_DEPTH

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "Span"]

#: Files larger than this are not read (a stated limit: payloads are kilobytes).
MAX_FILE_BYTES = 10 * 1024 * 1024


class Span(NamedTuple):
    """Where a finding is: 1-based lines, columns in Unicode code points, the end exclusive."""

    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 2
