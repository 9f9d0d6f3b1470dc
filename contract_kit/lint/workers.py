"""Lint chunks of files in forked worker processes, with nothing between them but pipes.

Why not :mod:`concurrent.futures`: importing it with :mod:`multiprocessing` costs a run
about 30 ms before the first file, a third of linting one file, and its queues and threads
more per chunk. Forked children need none of it: they inherit the options and the validators
the parent compiled, take chunk numbers from one shared pipe (whoever is free takes the next,
so a slow chunk never holds up the others), and send back what they found, chunk by chunk, on
a pipe of their own. A child that dies loses only the chunks it took and had not reported:
the parent reports each of their files, never drops one. Linux only: elsewhere forking a
process with threads or system libraries loaded is unsafe (see :mod:`contract_kit.lint.runner`).

The children give verdicts; the files that break a rule come back to the parent (as the
screening hands them on: with the bytes read), which explains them. So only the parent compiles
what explaining takes (the larger part of the validators: compiled in every worker, it would
cost each of them as much as a thousand files). The parent is one of the ``jobs`` processes:
with no file to explain it takes the next chunk from the pipe too. One process per core, not one
more: a parent explaining beside as many children as cores got a third of each core less than
its share, and was left explaining alone after they had finished.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from contract_kit.lint.findings import FileResult

__all__ = ["Lost", "Screen", "lint_forked"]

#: What a chunk leaves to explain, for each file: whatever the parent's ``explain`` takes.
_Left = TypeVar("_Left")

_NUMBER = struct.Struct("=I")  # a chunk's number on the work pipe, a frame's length on the others
#: At most this many chunks, so that every number fits in the work pipe at once (a pipe holds
#: at least one page, 4096 bytes): the parent writes them all before forking and never waits.
_MAX_CHUNKS = 1024
_READ = 1 << 16

#: The chunks no child reported (a child died), and of those it failed on, why: ``(paths,
#: error)``, error None for a child that died, else the exception's type and text.
Lost = list[tuple[list[str], str | None]]
#: What a child does with a chunk: the results it could tell, and the files left to explain.
Screen = Callable[[list[str]], tuple[list["FileResult"], list[_Left]]]


def _chunks(paths: list[str], jobs: int) -> list[list[str]]:
    """Chunks small enough to share the last files among the workers, few enough to count.

    The last ``jobs`` chunks' worth of files go in chunks a quarter of the size: whoever takes
    the last chunk, the others are then idle for less (the parent, which explains besides,
    was otherwise last to finish by most of a chunk).
    """
    size = max(32, min(256, len(paths) // (jobs * 32) + 1), -(-len(paths) // _MAX_CHUNKS))
    small = max(8, size // 4)
    tail = max(0, len(paths) - jobs * size)
    if -(-tail // size) + -(-(len(paths) - tail) // small) > _MAX_CHUNKS:
        tail = len(paths)  # too many chunks: all of the size
    chunks = [paths[start : min(start + size, tail)] for start in range(0, tail, size)]
    return chunks + [paths[start : start + small] for start in range(tail, len(paths), small)]


def _child(chunks: list[list[str]], work: int, out: int, lint: Screen[_Left]) -> None:
    """Lint the chunks whose numbers this child reads first, report each, and return at the end."""
    while number := os.read(work, _NUMBER.size):
        (index,) = _NUMBER.unpack(number)
        try:
            frame = pickle.dumps((index, lint(chunks[index])), pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # noqa: BLE001 - reported for the chunk's files, not raised
            frame = pickle.dumps((index, f"{type(error).__name__}: {error}"))
        data = memoryview(_NUMBER.pack(len(frame)) + frame)
        while data:
            data = data[os.write(out, data) :]


def _fork(
    chunks: list[list[str]],
    work: int,
    inherited: list[int],
    lint: Screen[_Left],
) -> tuple[int, int]:
    """One child linting from the ``work`` pipe: its process id and the end its frames come from."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the parent's code, whatever happens
        status = 1
        try:
            for descriptor in (reader, *inherited):
                os.close(descriptor)
            _child(chunks, work, writer, lint)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    return pid, reader


def _frames(buffer: bytearray) -> list[tuple[int, tuple[list[FileResult], list[_Left]] | str]]:
    """The whole frames at the start of ``buffer``, taken out of it."""
    found = []
    while len(buffer) >= _NUMBER.size:
        (length,) = _NUMBER.unpack_from(buffer)
        end = _NUMBER.size + length
        if len(buffer) < end:
            break
        found.append(pickle.loads(buffer[_NUMBER.size : end]))  # noqa: S301 - our own children
        del buffer[:end]
    return found


class _Parent(Generic[_Left]):
    """What the parent gathers from its children, and the files it explains and lints meanwhile.

    ``share``: the parent takes chunks from the work pipe whenever it has nothing to explain.
    """

    def __init__(  # noqa: PLR0913 - the work, and what the parent does with it
        self,
        chunks: list[list[str]],
        work: int,
        lint: Screen[_Left],
        explain: Callable[[_Left], FileResult],
        unexplained: list[_Left],
        *,
        share: bool,
    ) -> None:
        self.chunks = chunks
        self.work = work
        self.lint = lint
        self.explain = explain
        self.queue = deque(unexplained)
        self.sharing = share  # until the work pipe is empty
        self.results: list[FileResult] = []
        self.done: set[int] = set()
        self.failed: dict[int, str] = {}
        self.buffers: dict[int, bytearray] = {}  # by the pipe each child's frames come from

    def gather(self) -> None:
        """Read the children's frames until every child has closed its pipe and no chunk is left.

        What came is taken first; then a file to explain; then, if sharing, a chunk.
        """
        # poll, not select: it takes descriptors past 1023, as many workers may need.
        waiting = select.poll()
        for reader in self.buffers:
            waiting.register(reader, select.POLLIN)
        while self.buffers or self.sharing:
            ready = waiting.poll(0 if self.queue or self.sharing else None)
            if not ready:  # nothing came: explain a file, or lint a chunk, meanwhile
                if self.queue:
                    self.explain_next()
                else:
                    self.lint_next()
            for reader, _ in ready:
                if not self._read(reader):
                    waiting.unregister(reader)

    def lint_next(self) -> None:
        """Lint the next chunk of the work pipe here, as a child would; none left: stop sharing."""
        number = os.read(self.work, _NUMBER.size)
        if not number:
            self.sharing = False
            return
        (index,) = _NUMBER.unpack(number)
        try:
            found = self.lint(self.chunks[index])
        except Exception as error:  # noqa: BLE001 - reported for the chunk's files, not raised
            self.failed[index] = f"{type(error).__name__}: {error}"
            return
        self._take(index, found)

    def _take(self, index: int, found: tuple[list[FileResult], list[_Left]]) -> None:
        self.done.add(index)
        self.results.extend(found[0])
        self.queue.extend(found[1])

    def _read(self, reader: int) -> bool:
        """Take what the child sent; False once it is done (or died: a frame cut short is lost)."""
        data = os.read(reader, _READ)
        if not data:
            os.close(reader)
            del self.buffers[reader]
            return False
        self.buffers[reader] += data
        frames: list[tuple[int, tuple[list[FileResult], list[_Left]] | str]]
        frames = _frames(self.buffers[reader])
        for index, found in frames:
            if isinstance(found, str):
                self.failed[index] = found
            else:
                self._take(index, found)
        return True

    def explain_next(self) -> None:
        """Explain the next file left to explain."""
        result = self.explain(self.queue.popleft())
        if result.findings:
            self.results.append(result)


def lint_forked(  # noqa: PLR0913 - the work, how to do it, and who does it
    paths: list[str],
    jobs: int,
    lint: Screen[_Left],
    explain: Callable[[_Left], FileResult],
    unexplained: list[_Left],
    *,
    share: bool = True,
    own: Screen[_Left] | None = None,
) -> tuple[list[FileResult], Lost]:
    """``lint`` each chunk of ``paths`` in one of ``jobs`` processes; what they found.

    With ``share`` this process is one of the ``jobs`` (``jobs - 1`` children are forked) and
    lints chunks too; without, ``jobs`` children lint them all. The paths the chunks leave to
    explain, and those of ``unexplained``, are explained here (each as ``explain`` takes it:
    a path, or the file as it was read). ``own`` is what this process does with a chunk it
    takes (``lint`` if None): it may explain the chunk's files as it reads them. Returns the
    results with findings, and the chunks not reported or that failed.
    """
    chunks = _chunks(paths, jobs)
    work, numbers = os.pipe()
    try:
        os.write(numbers, b"".join(_NUMBER.pack(index) for index in range(len(chunks))))
    finally:
        os.close(numbers)  # the children read to the end of the pipe, then stop
    parent = _Parent(chunks, work, own or lint, explain, unexplained, share=share)
    children: list[int] = []
    finished = False
    try:
        for _ in range(min(jobs - 1 if share else jobs, len(chunks))):
            pid, reader = _fork(chunks, work, list(parent.buffers), lint)
            children.append(pid)
            parent.buffers[reader] = bytearray()
        parent.gather()
        finished = True
    finally:
        os.close(work)
        for reader in parent.buffers:
            os.close(reader)
        for pid in children:
            if not finished:  # interrupted (Ctrl-C): no child outlives the run
                import signal  # only here: importing it costs every run most of a millisecond

                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    while parent.queue:
        parent.explain_next()
    done, failed = parent.done, parent.failed
    lost = [(chunk, failed.get(index)) for index, chunk in enumerate(chunks) if index not in done]
    return parent.results, lost
