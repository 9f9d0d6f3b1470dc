"""The repository's own scripts refuse what they cannot do before touching anything."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SETUP = Path(__file__).parent.parent / "scripts" / "setup"
BASH = shutil.which("bash")


@pytest.mark.skipif(BASH is None, reason="the scripts are bash scripts")
def test_setup_refuses_an_unknown_extra_before_making_a_venv(tmp_path: Path) -> None:
    """An extra other than dev or test exits 2 with a message, and no .venv is made."""
    copy = tmp_path / "scripts" / "setup"
    copy.parent.mkdir()
    shutil.copy(SETUP, copy)
    done = subprocess.run(
        [str(BASH), str(copy), "docs"], capture_output=True, text=True, check=False, timeout=60
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "scripts/setup: the extra is dev or test, not 'docs'\n"
    assert not (tmp_path / ".venv").exists()
