"""Lint every file found: in this process for a few files, on every core for many.

Worker processes are forked on Linux (:mod:`contract_kit.lint.workers`: they start in
milliseconds and inherit the validators the first files compiled), spawned elsewhere; the
results come back in a deterministic order whatever the workers did: by file path, then by
place in the file. A worker that dies (killed, out of memory) takes
its files with it: each of them is reported as a crash, never silently dropped.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NamedTuple

from contract_kit.documents.reading import STDIN
from contract_kit.lint.discovery import discover
from contract_kit.lint.file_lint import (
    LintOptions,
    Pending,
    explain_pending,
    lint_file,
    screen,
    screen_and_explain_file,
)
from contract_kit.lint.findings import EXIT_CODES, FileResult, crash, unchecked

if TYPE_CHECKING:
    from collections.abc import Sequence
    from concurrent.futures import Future

    from contract_kit.lint.findings import Finding
    from contract_kit.lint.globs import GlobSet

__all__ = ["POOL_THRESHOLD", "LintRun", "default_jobs", "run_lint"]

#: Below this many files one process is faster than starting workers (benchmarks/bench_lint.py).
POOL_THRESHOLD = 3000
_WARM_UP = 128  # files linted before the workers start
_CHUNKS_AHEAD = 4  # chunks submitted per worker ahead of the results awaited
#: Whether this process is one of the forked run's jobs, linting chunks when it has nothing
#: to explain (workers.lint_forked); a test of a dying worker turns it off.
_SHARE = True

_worker_options = LintOptions()


class LintRun(NamedTuple):
    """The files linted, and what was found in those that have findings (sorted)."""

    results: tuple[FileResult, ...]
    files: int
    #: Whether warnings fail the run too (--strict, or strict = true in the configuration).
    strict: bool = False

    def findings(self) -> list[tuple[str, Finding]]:
        """Every finding with its file, in order."""
        return [(result.path, finding) for result in self.results for finding in result.findings]

    @property
    def exit_code(self) -> int:
        """3 if contract-kit failed on a file, else 2 if one was not checked, 1 if a rule broke.

        A warning counts as a broken rule only when strict.
        """
        return max(
            (
                EXIT_CODES[finding.category]
                for _, finding in self.findings()
                if finding.fails or self.strict
            ),
            default=0,
        )


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


def _screen_chunk(paths: list[str]) -> tuple[list[FileResult], list[Pending]]:
    """The results of the files that take no explaining, and those that do, as read.

    Each of the latter comes with its bytes and kind, so the process that explains it reads
    it and tells its kind no second time.
    """
    results: list[FileResult] = []
    unexplained: list[Pending] = []
    for path in paths:
        result = screen(path, _worker_options)
        if isinstance(result, Pending):
            unexplained.append(result)
        elif result.findings:
            results.append(result)
    return results, unexplained


def _explained_chunk(paths: list[str]) -> tuple[list[FileResult], list[Pending]]:
    """:func:`_screen_chunk`'s answer with nothing left to explain: each file explained as read.

    For the process that explains: a file it screened is not read and parsed a second time.
    """
    found = (screen_and_explain_file(path, _worker_options) for path in paths)
    return [result for result in found if result.findings], []


def _explain(pending: Pending) -> FileResult:
    return explain_pending(pending, _worker_options)


def _in_parallel(
    paths: list[str], options: LintOptions, jobs: int, unexplained: list[Pending]
) -> list[FileResult]:
    """Lint ``paths`` on ``jobs`` workers, and explain ``unexplained`` (screened already)."""
    import gc

    # What the parent built is frozen out of the collector's reach: a collection in a worker
    # would otherwise write to every inherited object and copy its page.
    gc.freeze()
    try:
        if sys.platform != "linux":
            explained = [result for result in map(_explain, unexplained) if result.findings]
            return explained + _in_pool(paths, options, jobs)
        from contract_kit.lint.workers import lint_forked

        results, lost = lint_forked(
            paths, jobs, _screen_chunk, _explain, unexplained, share=_SHARE, own=_explained_chunk
        )
    finally:
        gc.unfreeze()
    for chunk, error in lost:
        results.extend(_lost(chunk, error))
    return results


def _in_pool(paths: list[str], options: LintOptions, jobs: int) -> list[FileResult]:
    """Lint in spawned workers, where forking is unsafe (macOS system libraries, Windows)."""
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    size = max(16, min(512, len(paths) // (jobs * 4) + 1))
    results: list[FileResult] = []
    with ProcessPoolExecutor(
        jobs, mp_context=get_context("spawn"), initializer=_start_worker, initargs=(options,)
    ) as pool:
        # A few chunks ahead of the one awaited keep every worker busy; submitting them
        # all at once would hold every chunk's paths and call twice over, however many.
        pending: deque[tuple[list[str], Future[list[FileResult]]]] = deque()
        for start in range(0, len(paths), size):
            chunk = paths[start : start + size]
            pending.append((chunk, pool.submit(_lint_chunk, chunk)))
            if len(pending) >= jobs * _CHUNKS_AHEAD:
                results.extend(_collected(*pending.popleft()))
        while pending:
            results.extend(_collected(*pending.popleft()))
    return results


def _collected(chunk: list[str], future: Future[list[FileResult]]) -> list[FileResult]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        return _lost(chunk, None)
    except Exception as error:  # noqa: BLE001 - a lost chunk is reported file by file
        return _lost(chunk, f"{type(error).__name__}: {error}")


def _lost(paths: list[str], error: str | None) -> list[FileResult]:
    """The files of a chunk whose worker died (``error`` None) or failed, each as not checked."""
    if error is None:
        finding = crash(
            "worker",
            "not checked: the worker process linting this file died (killed, or out of "
            "memory) before it reported; run again, with --jobs 1 to lint in one process",
        )
    else:
        finding = crash(
            "exception",
            f"not checked: the worker process linting this file failed ({error}); this is a "
            "bug in contract-kit: please report it",
        )
    return [FileResult(path, (finding,)) for path in paths]


def _order(result: FileResult) -> tuple[str, ...]:
    if result.path == STDIN:  # standard input first, as it has no place among the paths
        return ()
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
    files = len(found.files)
    results = [FileResult(path, (unchecked("file", message),)) for path, message in found.problems]
    _start_worker(options)
    if STDIN in found.files:  # only this process can read it
        results.extend(_lint_chunk([STDIN]))
        found.files.remove(STDIN)
    if jobs > 1 and len(found.files) >= POOL_THRESHOLD:
        # The first files are screened here: that compiles the validators that give the
        # verdicts of the kinds they are, once, before the workers fork and inherit them. Only
        # those: compiling all twenty kinds would cost a run of one kind more than it saves;
        # a kind first met later is compiled by each process that meets it. What explains a
        # failure is compiled here too, but only once the workers run (workers.lint_forked).
        head, rest = found.files[:_WARM_UP], found.files[_WARM_UP:]
        screened, unexplained = _screen_chunk(head)
        results.extend(screened)
        results.extend(_in_parallel(rest, options, jobs, unexplained))
    else:
        results.extend(_lint_chunk(found.files))
    results.sort(key=_order)
    return LintRun(tuple(results), files + len(found.problems), options.strict)
