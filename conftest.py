"""Settings and shared fixtures for every test run in this repository."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# No deadline: a first example that builds a validator is slower than the rest, not wrong.
# CI runs the same examples every time, so a red build is reproducible from its log.
settings.register_profile("dev", deadline=None, print_blob=True)
settings.register_profile("ci", parent=settings.get_profile("dev"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

pytest_plugins = ["pytester"]

CASES = Path(__file__).parent / "tests" / "cases"


def _load(relative: str) -> Any:
    return json.loads((CASES / relative).read_text("utf-8"))


@pytest.fixture
def seed_body() -> dict[str, Any]:
    """The create body of the seed document (a fresh copy per test)."""
    body: dict[str, Any] = copy.deepcopy(_load("fallback-offer/valid/seed-create-body.json"))
    return body


@pytest.fixture
def seed_headers() -> dict[str, str]:
    """The seed document's headers, with realistic values in place of its placeholders."""
    headers: dict[str, str] = _load("request-headers/valid/seed-headers.json")
    return headers


@pytest.fixture(autouse=True)
def _as_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner pytest runs (pytester) print what a user's terminal shows, on CI as elsewhere.

    pytest stops shortening its summary lines when CI or BUILD_NUMBER is set, which would print
    every failure's text twice in the runs whose output the plugin tests pin.
    """
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BUILD_NUMBER", raising=False)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, made the current one, with no pyproject.toml above it.

    The lint tests' working folder; a test file may define its own, holding its payloads.
    """
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("", "utf-8")
    return tmp_path
