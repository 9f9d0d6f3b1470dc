"""What the fake raises instead of answering: a dropped connection, or a bug of its own."""

from __future__ import annotations

__all__ = ["FakeConnectionError", "FakeContractError"]


class FakeConnectionError(ConnectionError):
    """A fault made the fake drop the connection; adapters turn it into their library's error."""


class FakeContractError(AssertionError):
    """The fake produced an answer that breaks the contract: a bug in contract_kit, not in you."""
