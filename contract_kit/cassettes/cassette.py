"""Recordings on disk: read safely, written redacted, atomically and one writer at a time.

What a cassette holds is :mod:`~contract_kit.cassettes.cassette_format`'s to say. Reading goes
through the linter's reader and YAML parser (:mod:`contract_kit.documents`): a FIFO, a device,
a huge file, an alias bomb or deep nesting is refused before it costs anything, and each entry
that is not of the cassette's shape is reported at its ``file:line:column``.

Writing happens under the cassette's lock (:mod:`~contract_kit.cassettes.file_lock`) through
the hidden temporary ``.NAME.tmp`` beside it, synced, then renamed over the file: a crash leaves
the old file or the new one, and the next write removes a temporary a killed one left (the
linter reads only ``.json``, ``.yaml`` and ``.yml`` files). A symbolic link is written through
to its target; the file keeps the mode of the one it replaces, and a new one gets what the umask
gives any new file.
"""

from __future__ import annotations

import glob
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from contract_kit.cassettes.cassette_format import document, exchanges
from contract_kit.cassettes.exchange import Exchange
from contract_kit.cassettes.file_lock import LockTimeoutError, locked
from contract_kit.cassettes.redaction import Redactions, redacted
from contract_kit.core.violation import join_pointer
from contract_kit.documents.reading import FileProblemError, read_file
from contract_kit.documents.source import ParseProblemError
from contract_kit.documents.yaml_source import parse_yaml

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["CassetteError", "CassettePath", "Exchange", "load_cassette", "save_cassette"]

#: Where a cassette is: a ``str`` or any path-like object, as ``open`` takes it.
CassettePath: TypeAlias = "str | os.PathLike[str]"

_MAX_LISTED = 10
_HINT = (
    "Hint: fix the file where shown, or record the cassette again (pytest --contract-record=all)."
)
_READ_HINT = "Hint: give the path of a cassette file, or record one (pytest --contract-record=all)."
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class CassetteError(ValueError):
    """A recording file that cannot be used; the message names the file and each place."""


def _failure(path: Path, bullets: Sequence[str], hint: str = _HINT) -> CassetteError:
    shown = [f"- {bullet}" for bullet in bullets[:_MAX_LISTED]]
    if len(bullets) > _MAX_LISTED:
        shown.append(f"- and {len(bullets) - _MAX_LISTED} more")
    headline = f"{path.name} is not a recording contract_kit can replay:"
    return CassetteError("\n".join([headline, *shown, "", hint]))


def load_cassette(path: CassettePath) -> list[Exchange]:
    """Read a cassette; a file that cannot be read or is not a cassette is a CassetteError."""
    path = Path(path)
    try:
        data = read_file(os.fspath(path))
    except FileProblemError as error:
        raise _failure(path, [f"{path}: {error}"], _READ_HINT) from None
    try:
        source = parse_yaml(data)
    except ParseProblemError as error:
        line, column = error.line_column or (1, 1)
        raise _failure(path, [f"{path}:{line}:{column}: {error.message}"]) from None
    found, problems = exchanges(source.value)
    if problems:
        bullets = []
        for problem in problems:
            pointer = join_pointer(problem.at)
            span = source.span(pointer, "unknown-key" if problem.at_name else "")
            where = pointer or "(root)"
            bullets.append(f"{path}:{span.line}:{span.column}: {where}: {problem.message}")
        raise _failure(path, bullets)
    return found


def save_cassette(
    path: CassettePath,
    exchanges: Iterable[Exchange],
    redactions: Redactions,
    *,
    keep_recorded: bool = False,
) -> None:
    """Write ``exchanges`` to ``path``, redacted, atomically, under the cassette's lock.

    ``keep_recorded`` keeps what the file holds at that moment in front of ``exchanges`` (a
    concurrent recording's exchanges included): read, merged and renamed under one lock.
    """
    path = Path(path)
    target = _target(path)
    try:
        with locked(target):
            kept = load_cassette(target) if keep_recorded and target.exists() else []
            _write(target, document(redacted([*kept, *exchanges], redactions)))
    except LockTimeoutError as error:
        raise CassetteError(f"{path}: cannot write the recording: {error}") from None


def _target(path: Path) -> Path:
    """The file a write must replace: a symbolic link's target, not the link."""
    try:
        return path.resolve()
    except (OSError, RuntimeError) as error:  # a loop of links
        raise CassetteError(f"{path}: cannot write the recording: {error}") from None


def _write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: write the sibling temporary, sync, rename."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):  # from older versions
        stale.unlink(missing_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)  # a killed write's: the lock says no one else is writing
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            if mode is not None:
                temporary.chmod(mode)
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a crash
    finally:
        os.close(directory)
