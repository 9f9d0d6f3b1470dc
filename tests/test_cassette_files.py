"""Cassette files as written: exact bodies, one writer at a time, the file's mode and links kept."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import requests
import responses
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import contract_kit
from contract_kit.cassettes import file_lock
from contract_kit.cassettes.cassette import Exchange, load_cassette, save_cassette
from contract_kit.cassettes.redaction import Redactions
from contract_kit.core.secrets import SecretPolicy

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SERVER = "https://files.example.test"
BINARY = bytes(range(256))
# One worker of `pytest -n 2 --contract-record=new-episodes`: its tests record into one
# cassette, each test a recording session of its own.
WORKER = """
import re, sys
from pathlib import Path
import requests, responses
from contract_kit import record_cassette

path, worker = Path(sys.argv[1]), sys.argv[2]
with responses.RequestsMock(assert_all_requests_are_fired=False) as server:
    server.add(responses.GET, re.compile(r"https://files\\.example\\.test/.*"), body="ok")
    print("ready", flush=True)
    sys.stdin.readline()
    for test in range(10):
        with record_cassette(path, mode="new-episodes"):
            for call in range(10):
                requests.get(f"https://files.example.test/{worker}/{test}/{call}", timeout=5)
"""


@pytest.fixture
def server() -> Iterator[responses.RequestsMock]:
    """A stand-in for the real service (recording sends through it; no network)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def _one(path: Path, body: str = "x") -> None:
    save_cassette(path, [Exchange("GET", f"{SERVER}/one", response_body=body)], Redactions())


def test_two_processes_recording_new_episodes_keep_all_200_exchanges(tmp_path: Path) -> None:
    """Two workers, 100 exchanges each in ten sessions, one cassette: all 200 are kept."""
    path = tmp_path / "shared.yaml"
    script = tmp_path / "worker.py"
    script.write_text(WORKER, "utf-8")
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), str(path), name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert worker.stdout.readline() == "ready\n"
    for worker in workers:  # both start together, so their writes interleave
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.close()
    for worker in workers:
        assert worker.wait(timeout=300) == 0
        assert worker.stdout is not None
        worker.stdout.close()
    urls = sorted(exchange.url for exchange in load_cassette(path))
    expected = sorted(
        f"{SERVER}/{name}/{test}/{call}"
        for name in "ab"
        for test in range(10)
        for call in range(10)
    )
    assert urls == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared.yaml", "worker.py"]


@pytest.mark.parametrize("flock", [True, False], ids=["flock", "lock-file"])
def test_a_writer_that_cannot_get_the_lock_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flock: bool
) -> None:
    """While another writer holds the lock, a write gives up after the timeout, clearly."""
    if not flock:
        monkeypatch.setattr(file_lock, "_fcntl", None)
    monkeypatch.setattr(file_lock, "LOCK_TIMEOUT", 0.05)
    path = tmp_path / "busy.yaml"
    with file_lock.locked(path), pytest.raises(contract_kit.CassetteError) as caught:
        _one(path)
    stale = "" if flock else ", or delete it if no recording is running"
    assert str(caught.value) == (
        f"{path}: cannot write the recording: another process has been writing {path} for "
        f"over 0.05 s (lock file {tmp_path / '.busy.yaml.lock'}); record this cassette from "
        f"one process at a time{stale}"
    )
    _one(path)  # once it is released, writing works, and no lock file is left
    assert [p.name for p in tmp_path.iterdir()] == ["busy.yaml"]


def test_binary_bodies_are_recorded_and_replayed_byte_for_byte(
    tmp_path: Path, server: responses.RequestsMock
) -> None:
    """256 bytes that are no UTF-8 come back as the same 256 bytes, both ways."""
    server.add(responses.POST, f"{SERVER}/upload", body=BINARY, content_type="image/png")
    path = tmp_path / "binary.yaml"
    with contract_kit.record_cassette(path):
        requests.post(f"{SERVER}/upload", data=BINARY[::-1], timeout=5)
    server.stop()
    text = path.read_text("utf-8")
    assert "body_base64:" in text
    [exchange] = load_cassette(path)
    assert (exchange.request_body, exchange.response_body) == (BINARY[::-1], BINARY)
    with contract_kit.replay_cassette(path, raise_at_exit=False) as replay:
        answer = requests.post(f"{SERVER}/upload", data=BINARY[::-1], timeout=5)
    assert answer.content == BINARY
    assert all(replay.used)


def test_responses_reads_a_binary_cassette_with_an_empty_body(tmp_path: Path) -> None:
    """The loader of responses still reads the file: it sees body '', ours sees the bytes."""
    path = tmp_path / "binary.yaml"
    save_cassette(path, [Exchange("GET", f"{SERVER}/b", response_body=BINARY)], Redactions())
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock._add_from_file(path)  # noqa: SLF001 - proving compatibility with responses' reader
        assert requests.get(f"{SERVER}/b", timeout=5).content == b""


def test_a_status_without_a_reason_phrase_is_answered(
    tmp_path: Path, server: responses.RequestsMock
) -> None:
    """A recorded 299 is answered from the cassette in new-episodes mode (no phrase needed)."""
    path = tmp_path / "odd.yaml"
    save_cassette(path, [Exchange("GET", f"{SERVER}/odd", status=299)], Redactions())
    with contract_kit.record_cassette(path, mode="new-episodes") as session:
        assert requests.get(f"{SERVER}/odd", timeout=5).status_code == 299
    assert session.replayed == [True]
    assert len(server.calls) == 0


def test_a_new_cassette_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    """Not tempfile's 0600: a new cassette is readable as any new file would be."""
    previous = os.umask(0o022)
    try:
        _one(tmp_path / "new.yaml")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.yaml").stat().st_mode) == 0o644


def test_a_rewritten_cassette_keeps_its_mode(tmp_path: Path) -> None:
    """The file replacing a cassette has the mode the old one had."""
    path = tmp_path / "kept.yaml"
    _one(path)
    path.chmod(0o640)
    _one(path, "again")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert load_cassette(path)[0].response_body == "again"


def test_a_symlinked_cassette_is_written_through_the_link(tmp_path: Path) -> None:
    """The link stays a link; the file it points to holds the new recording."""
    target = tmp_path / "shared" / "real.yaml"
    target.parent.mkdir()
    _one(target, "old")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    _one(link, "new")
    assert link.is_symlink()
    assert load_cassette(target)[0].response_body == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["real.yaml"]


def test_a_temporary_left_by_a_killed_write_is_removed_by_the_next(tmp_path: Path) -> None:
    """A killed writer's temporary (ours, or an older version's) is gone after the next write."""
    path = tmp_path / "c.yaml"
    (tmp_path / ".c.yaml.tmp").write_text("half a cass", "utf-8")
    (tmp_path / ".c.yaml.k3j2_x9.tmp").write_text("half a cass", "utf-8")
    (tmp_path / ".other.yaml.tmp").write_text("not ours", "utf-8")
    _one(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.yaml.tmp", "c.yaml"]


def test_text_bodies_stay_text(tmp_path: Path) -> None:
    """UTF-8 bodies, odd characters included, are written as readable text and read back."""
    body = 'é\u2028\x85\r\n{"a": 1}'
    save_cassette(
        tmp_path / "t.yaml", [Exchange("GET", f"{SERVER}/t", response_body=body)], Redactions()
    )
    assert "body_base64" not in (tmp_path / "t.yaml").read_text("utf-8")
    assert load_cassette(tmp_path / "t.yaml")[0].response_body == body


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=300), st.text(max_size=300)))
def test_any_body_without_a_secret_comes_back_exactly(tmp_path: Path, body: bytes | str) -> None:
    """Bytes or text, whatever they hold, a saved body loads back unchanged."""
    assume(not SecretPolicy().places(body))
    path = tmp_path / "any.yaml"
    save_cassette(path, [Exchange("POST", f"{SERVER}/x", {}, body, 200, {}, body)], Redactions())
    [exchange] = load_cassette(path)
    assert exchange.request_body == exchange.response_body == body
