"""Lint every file found: in this process for a few files, on every core for many.

Worker processes are forked on Linux (they start in milliseconds and inherit the compiled
validators); the results come back in a deterministic order whatever the workers
did: by file path, then by place in the file.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NamedTuple

from contract_kit.core.schema_bundle import kinds
from contract_kit.lint.discovery import discover
from contract_kit.lint.file_lint import LintOptions, lint_file
from contract_kit.lint.findings import FileResult, Finding, Span

if TYPE_CHECKING:
    from collections.abc import Sequence

    from contract_kit.lint.globs import GlobSet

__all__ = ["POOL_THRESHOLD", "LintRun", "default_jobs", "run_lint"]

#: Below this many files one process is faster than starting workers (benchmarks/bench_lint.py).
POOL_THRESHOLD = 3000
_WARM_UP = 128  # files linted before the workers start

_worker_options = LintOptions()


class LintRun(NamedTuple):
    """The files linted, and what was found in those that have findings (sorted)."""

    results: tuple[FileResult, ...]
    files: int

    def findings(self) -> list[tuple[str, Finding]]:
        """Every finding with its file, in order."""
        return [(result.path, finding) for result in self.results for finding in result.findings]

    @property
    def exit_code(self) -> int:
        """2 if a file could not be checked, else 1 if a rule is broken, else 0."""
        found = [finding for _, finding in self.findings()]
        if any(finding.is_file_problem for finding in found):
            return 2
        return 1 if any(finding.is_violation for finding in found) else 0


def default_jobs() -> int:
    """The cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _start_worker(options: LintOptions) -> None:
    global _worker_options  # noqa: PLW0603 - one worker process lints with one set of options
    _worker_options = options


def _lint_chunk(paths: list[str]) -> list[FileResult]:
    found = (lint_file(path, _worker_options) for path in paths)
    return [result for result in found if result.findings]


def _in_parallel(paths: list[str], options: LintOptions, jobs: int) -> list[FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from contract_kit.core.schema_check import validator_for

    for kind in kinds():  # every kind compiled here, once; forked workers inherit the validators
        if kind != "request-headers":  # headers are checked by code
            validator_for(kind)
    # Forked workers start at once with the validators compiled; elsewhere than on Linux fork
    # is unsafe (macOS system libraries), so workers are spawned, as Python does there.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    size = max(16, min(512, len(paths) // (jobs * 4) + 1))
    chunks = [paths[start : start + size] for start in range(0, len(paths), size)]
    results: list[FileResult] = []
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(options,)
    ) as pool:
        for chunk in pool.map(_lint_chunk, chunks):
            results.extend(chunk)
    return results


def _order(result: FileResult) -> tuple[str, ...]:
    return tuple(result.path.split(os.sep))  # noqa: PTH206 - a sort key of the path as printed


def run_lint(
    paths: Sequence[str],
    options: LintOptions,
    *,
    include: GlobSet,
    exclude: GlobSet,
    jobs: int,
) -> LintRun:
    """Find the files under ``paths`` and lint them, on up to ``jobs`` processes."""
    found = discover(paths, include, exclude, options.root)
    results = [
        FileResult(path, (Finding(Span(), "", message, "file", None),))
        for path, message in found.problems
    ]
    _start_worker(options)
    if jobs > 1 and len(found.files) >= POOL_THRESHOLD:
        # The first files are linted here: that compiles what linting needs (and imports
        # python-jsonschema if one fails), once, before the workers fork and inherit it.
        head, rest = found.files[:_WARM_UP], found.files[_WARM_UP:]
        results.extend(_lint_chunk(head))
        results.extend(_in_parallel(rest, options, jobs) if rest else [])
    else:
        results.extend(_lint_chunk(found.files))
    results.sort(key=_order)
    return LintRun(tuple(results), len(found.files) + len(found.problems))
