"""One entry point for a cassette: replay it, or record it, as the record mode says.

The modes are vcrpy's: ``none`` replays (a missing cassette is an error naming how to record
it); ``once`` records a cassette that does not exist yet and replays one that does, so a first
run against the service writes it and every later run is offline; ``new-episodes`` and
``all`` record (:func:`~contract_kit.cassettes.recording.record_cassette`). ``once`` records as
``new-episodes`` does, so two workers recording one new cassette both keep their exchanges.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from contract_kit.cassettes.recording import Recording, record_cassette
from contract_kit.cassettes.replay import Replay, replay_cassette

if TYPE_CHECKING:
    from collections.abc import Iterator

    from contract_kit.cassettes.cassette import CassettePath
    from contract_kit.cassettes.redaction import Redactions

__all__ = ["RECORD_MODES", "RecordMode", "use_cassette"]

RecordMode = Literal["none", "once", "new-episodes", "all"]
#: The record modes, in the order a help text lists them.
RECORD_MODES: tuple[RecordMode, ...] = ("none", "once", "new-episodes", "all")


@contextmanager
def use_cassette(  # noqa: PLR0913 - keyword options of one replay or recording
    path: CassettePath,
    *,
    record: RecordMode = "none",
    strict: bool = False,
    allow_violations: bool = False,
    fail_on_warnings: bool = False,
    redactions: Redactions | None = None,
    served_at: str | None = None,
    recorded_as: str | None = None,
    raise_at_exit: bool = True,
    recorded_by: str | None = None,
) -> Iterator[Replay | Recording]:
    """Replay the cassette at ``path`` or record it, as ``record`` says (see the module).

    A replay takes ``strict``, ``allow_violations``, ``fail_on_warnings``, ``raise_at_exit``
    and ``recorded_by`` (see :func:`~contract_kit.cassettes.replay.replay_cassette`); a
    recording takes ``served_at`` and ``recorded_as``; both take ``redactions``.
    """
    path = Path(path)
    if record not in RECORD_MODES:
        modes = ", ".join(RECORD_MODES)
        message = f'record mode "{record}" is not one of {modes}'
        raise ValueError(message)
    if record == "none" or (record == "once" and (path.exists() or path.is_symlink())):
        with replay_cassette(
            path,
            strict=strict,
            allow_violations=allow_violations,
            fail_on_warnings=fail_on_warnings,
            redactions=redactions,
            raise_at_exit=raise_at_exit,
            recorded_by=recorded_by,
        ) as replay:
            yield replay
        return
    with record_cassette(
        path,
        mode="all" if record == "all" else "new-episodes",
        redactions=redactions,
        served_at=served_at,
        recorded_as=recorded_as,
    ) as recording:
        yield recording
